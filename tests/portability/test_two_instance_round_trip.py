"""Leave one live server for another and lose nothing (tests/federation/two_instances.py).

Ana builds a rich network on instance A: connections to people on A, on B and on a server that
cannot be reached, each with a purpose and a note; a post of every kind and audience, a reply, a
draft, a scheduled article, a file, a post in a space; followed topics, a feed, a mute and a
block; a course with evidence and its statement of participation. `connective export` on A,
`connective import` into a new, empty account on B (the people on A are found on the live A),
then both databases are compared field by field, the statement verifies on B, and a second
import changes nothing. Then, on the same pair: Mia moves from A to B and the people connected
to her follow; Zed exports, imports and leaves through the settings pages as a person would.
On PostgreSQL when the suite runs on PostgreSQL.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.federation.two_instances import PASSWORD, PEOPLE, Instance, two_instances, wait_for

UNREACHABLE = "social.invalid"  # .invalid never resolves: nobody can be found there

PRELUDE = (
    PEOPLE
    + """
import hashlib
from datetime import timedelta
from django.db import connection
from django.utils import timezone
from connective.accounts.models import Person, User
from connective.accounts.services.profile import ProfileChange, update_profile
from connective.content.models import Post
from connective.content.services.posts import PostDraft, create_post
from connective.network.models import Block, Connection, Mute
from connective.network.services import connections, relations
from connective.portability.models import UnresolvedContact

def address(post):
    # a post's stable address: where it was first published
    return post.imported_from or post.uri

def names(rows):
    return sorted(t.name for t in rows)

def file_of(post):
    if not post.file:
        return None
    with post.file.open("rb") as f:
        return [post.file_name, hashlib.sha256(f.read()).hexdigest()]

def snapshot(handle):
    # everything that must survive the move, keyed by addresses that do not change
    person = me(handle)
    conns = Connection.objects.filter(owner=person).select_related("target")
    posts = Post.objects.filter(author=person, deleted_at__isnull=True).select_related(
        "in_reply_to")
    return {
        "profile": [person.display_name, person.bio, names(person.interests.all()),
                    names(person.expertise.all())],
        "connections": {c.target.uri: [c.direction, names(c.topics.all()), c.met_where,
                                       c.met_url, c.note, c.created_at.isoformat()]
                         for c in conns},
        "posts": {address(p): {
            "kind": p.kind, "title": p.title, "body": p.body, "link_url": p.link_url,
            "licence": p.licence, "visibility": p.visibility, "state": p.state,
            "topics": names(p.topics.all()), "file": file_of(p),
            "created_at": p.created_at.isoformat(),
            "edited_at": p.edited_at.isoformat() if p.edited_at else None,
            "in_reply_to": address(p.in_reply_to) if p.in_reply_to else None,
            "space": bool(p.space_id)} for p in posts},
        "followed_topics": names(person.followed_topics.all()),
        "feeds": sorted(person.feed_subscriptions.values_list("feed__url", flat=True)),
        "mutes": sorted(Mute.objects.filter(owner=person).values_list("target__uri", flat=True)),
        "blocks": sorted(Block.objects.filter(owner=person).values_list("target__uri", flat=True)),
    }

def counts():
    return [Post.objects.count(), Connection.objects.count(), Person.objects.count(),
            UnresolvedContact.objects.count(), Mute.objects.count(), Block.objects.count()]
result = connection.vendor
"""
)

# Run on A once B's Cleo is known there: Ana's whole network.
BUILD_ON_A = """
from connective.content.models import Kind
from django.core.files.uploadedfile import SimpleUploadedFile
from connective.courses.services.authoring import (ActivityDraft, CourseDraft, create_course,
    publish_course, save_activity, save_unit)
from connective.courses.services.enrolment import enrol
from connective.courses.services.evidence import mark_done
from connective.credentials.models import Statement
from connective.feeds.services.subscribe import subscribe
from connective.spaces.services.membership import join
from connective.spaces.services.spaces import create_space
from connective.spaces.services.threads import start_thread
from connective.federation.services.resolve import resolve_handle

ana, ben = me("ana"), me("ben")
update_profile(ana, ProfileChange(display_name="Ana Lima", bio="I learn *in the open*.",
               interests=["Open licensing", "Podcasts"], expertise=["Statistics"]))
Purpose = connections.Purpose
connections.connect(ana, ben, Purpose(direction="learn_from", topics=["Open licensing"],
    met_where="OER course", met_url="https://oer.example/course",
    note="Ask Ben about CC BY-SA <b>remixes</b>"))
Connection.objects.filter(owner=ana, target=ben).update(
    created_at=timezone.now() - timedelta(days=700))
connections.connect(ana, resolve_handle(CLEO), Purpose(direction="learn_with",
    topics=["Podcasts", "Audio"], note="We met in the podcast thread"))
dora = Person.objects.create(handle="dora", domain=UNREACHABLE, display_name="Dora",
    uri=f"https://{UNREACHABLE}/users/dora", url=f"https://{UNREACHABLE}/@dora")
connections.connect(ana, dora, Purpose(direction="help", topics=["Statistics"], note="R help"))
connections.connect(ben, ana, Purpose(direction="learn_with", topics=["Pedagogy"],
    note="ben-secret-note"))
relations.mute(ana, me("noisy"))
relations.block(ana, me("troll"))

posts = {}
for vis in ("public", "unlisted", "network", "private"):
    posts[vis] = create_post(ana, PostDraft(body=f"A {vis} note about #pln", visibility=vis))
posts["reply"] = create_post(ana, PostDraft(body="Answering myself",
                                            in_reply_to=posts["public"]))
posts["article"] = create_post(ana, PostDraft(kind=Kind.ARTICLE, title="Why PLNs",
    body="**Because** we learn with people.", topics=["pln", "Pedagogy"]))
posts["resource"] = create_post(ana, PostDraft(kind=Kind.RESOURCE, title="Slides",
    body="My slides on licensing", licence="cc-by-sa", link_url="https://example.org/slides",
    file=SimpleUploadedFile("slides.pdf", b"%PDF-1.4 the slides"), topics=["oer"]))
posts["draft"] = create_post(ana, PostDraft(kind=Kind.ARTICLE, title="Later", body="Not yet",
                                            state="draft"))
posts["scheduled"] = create_post(ana, PostDraft(kind=Kind.ARTICLE, title="Next week",
    body="Soon", state="scheduled", publish_at=timezone.now() + timedelta(days=7)))
edited = timezone.now() - timedelta(days=1)
Post.objects.filter(pk=posts["article"].pk).update(
    created_at=timezone.now() - timedelta(days=400), edited_at=edited)

space = create_space(ben, name="Open practice", members_only=True)
join(space, ana)
posts["space"] = start_thread(ana, space, title="Members only", body="For the circle")

course = create_course(ben, CourseDraft(title="Building your PLN", summary="Together.",
                                        topics=["PLN"]))
unit = save_unit(course, title="Start", order=1)
save_activity(unit, ActivityDraft(title="Position", kind="write", tag="pln-position",
                                  estimated_minutes=30, order=1), ben)
save_activity(unit, ActivityDraft(title="Read", kind="read", estimated_minutes=10, order=2), ben)
publish_course(course, ben)
enrolment = enrol(course, ana)
posts["evidence"] = create_post(ana, PostDraft(kind=Kind.ARTICLE, title="My position",
    body="Networks matter.", topics=["pln-position"]))
mark_done(enrolment, course.activities.get(kind="read"), "private reflection")

ana.followed_topics.add(*posts["article"].topics.all())
subscribe(ana, FEED)
result = {"statement": Statement.objects.get(recipient=ana).public_id,
          "space_post": posts["space"].uri, "draft": posts["draft"].uri,
          "scheduled": posts["scheduled"].uri}
"""


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> Any:
    """A and B running (on the suite's kind of database): Ana, Ben, Noisy and Troll on A,
    Cleo on B; Ana's network built on A."""
    base = Path(tmp_path_factory.mktemp("round_trip"))
    vendor = "postgresql" if "postgresql" in _engine() else "sqlite"
    with two_instances(base) as (a, b):
        for inst in (a, b):
            assert inst.run(PRELUDE) == inst.vendor == vendor
        for handle in ("ana", "ben", "noisy", "troll"):
            a.run(f"make({handle!r})")
        b.run("make('cleo')")
        a.run(
            f"CLEO = 'cleo@{b.host}'\nUNREACHABLE = {UNREACHABLE!r}\n"
            f"FEED = '{a.url}/feeds/people/ben/posts.rss'"
        )
        built = a.run(BUILD_ON_A)
        cleo = b.run("result = me('cleo').uri")
        wait_for(lambda: _status(b, a.url + "/@ana", cleo) == "active", "Ana's follow on B")
        yield a, b, base, built


def _engine() -> str:
    from django.conf import settings

    return str(settings.DATABASES["default"]["ENGINE"])


def _status(inst: Instance, owner_uri: str, target_uri: str) -> str | None:
    rows = inst.query(
        "SELECT c.status FROM network_connection c "
        "JOIN accounts_person o ON o.id = c.owner_id JOIN accounts_person t ON t.id = c.target_id "
        "WHERE o.uri = ? AND t.uri = ?",
        (owner_uri, target_uri),
    )
    return rows[0][0] if rows else None


def _expected_on_b(before: dict[str, Any], built: dict[str, str]) -> dict[str, Any]:
    """What B should hold: A's snapshot, with the documented changes (a scheduled article
    comes back a draft; a post from a space comes back to its author only, without the space;
    people on A who cannot be found stay out of the connections)."""
    expected = json.loads(json.dumps(before))
    expected["posts"][built["scheduled"]]["state"] = "draft"
    space_post = expected["posts"][built["space_post"]]
    space_post.update(visibility="private", space=False)
    expected["connections"] = {
        uri: purpose for uri, purpose in expected["connections"].items() if UNREACHABLE not in uri
    }
    return expected


def test_round_trip_between_two_live_instances(pair, tmp_path) -> None:
    """Export on A, import on B, field by field on both databases, verify, import again."""
    a, b, _base, built = pair
    before = a.run("result = snapshot('ana')")
    assert len(before["connections"]) == 3 and len(before["posts"]) == 11
    assert [p["file"][0] for p in before["posts"].values() if p["file"]] == ["slides.pdf"]
    archive = tmp_path / "ana.zip"
    said = a.manage("export", "--user", "ana", "--out", str(archive))
    assert "Wrote" in said
    _archive_holds_everything(archive, built)

    b.run("make('ana', display_name='')")  # a new, empty account
    said = b.manage("import", "--user", "ana", str(archive))
    assert "kept to find later: dora@social.invalid" in said, said
    assert "2 spaces and 1 course you were part of stay on the server" in said, said
    after = b.run("result = snapshot('ana')")
    expected = _expected_on_b(before, built)
    for part in expected:
        assert after[part] == expected[part], part

    # Ben lives on A: B found him on the live A and told A (Follow), so A sees Ana of B.
    ben = a.run("result = me('ben').uri")
    assert wait_for(lambda: _status(a, b.url + "/@ana", ben), "Ana of B's follow on A")
    kept = b.query("SELECT address, purpose FROM portability_unresolvedcontact")
    assert [row[0] for row in kept] == [f"dora@{UNREACHABLE}"]
    purpose = kept[0][1] if isinstance(kept[0][1], dict) else json.loads(kept[0][1])
    assert purpose["direction"] == "help" and purpose["note"] == "R help"

    _statement_verifies_on_b(b, archive, built["statement"], tmp_path)

    counts = b.run("result = counts()")
    said = b.manage("import", "--user", "ana", str(archive))
    assert "added" not in said.splitlines()[0], said
    assert b.run("result = snapshot('ana')") == after
    assert b.run("result = counts()") == counts


def _archive_holds_everything(archive: Path, built: dict[str, str]) -> None:
    """What stays on A (spaces, the course) is still in the archive; nobody's private note
    about Ana is."""
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        spaces = json.loads(zf.read("spaces.json"))
        courses = json.loads(zf.read("courses.json"))
        followers = zf.read("connected_to_me.jsonl").decode()
    assert f"statements/{built['statement']}.json" in names
    assert any(n.startswith("files/") and n.endswith("slides.pdf") for n in names)
    assert {"Open practice", "Course: Building your PLN"} == {s["name"] for s in spaces}
    assert courses[0]["completed_at"] and courses[0]["statement"]
    assert {e["activity"] for e in courses[0]["evidence"]} == {"Position", "Read"}
    assert "Pedagogy" in followers and "ben-secret-note" not in followers


def _statement_verifies_on_b(b: Instance, archive: Path, public_id: str, tmp_path: Path) -> None:
    """B checks the statement against its issuer, the live A (its key and status list)."""
    path = tmp_path / "statement.json"
    with zipfile.ZipFile(archive) as zf:
        path.write_bytes(zf.read(f"statements/{public_id}.json"))
    assert b.manage("verify", str(path)).strip() == "valid"


MOVE_PRELUDE = """
from connective.federation.services.resolve import resolve_handle
from connective.portability.services.moving import add_alias, move_account

def purpose_of(owner_uri, target_uri):
    conn = Connection.objects.filter(owner__uri=owner_uri, target__uri=target_uri).first()
    if conn is None:
        return None
    return [conn.status, conn.direction, names(conn.topics.all()), conn.met_where, conn.note]
"""


def test_moving_between_two_live_instances(pair) -> None:
    """Mia moves from A to B: the people connected to her on both servers follow, purpose and
    note kept; her old profile sends visitors on."""
    a, b, _base, _built = pair
    for inst in (a, b):
        inst.run(MOVE_PRELUDE)
    old = a.run("result = make('mia')")
    new = b.run("result = make('mia')")
    ben = a.run("result = me('ben').uri")
    cleo = b.run("result = me('cleo').uri")
    a.run(
        "connections.connect(me('ben'), me('mia'), connections.Purpose(direction='learn_from',"
        " topics=['Statistics'], met_where='A workshop', note='Mia knows R'))"
    )
    b.run(
        f"connections.connect(me('cleo'), resolve_handle('mia@{a.host}'), connections.Purpose("
        "direction='learn_with', topics=['Podcasts'], note='Cleo and Mia record together'))"
    )
    wait_for(lambda: _status(a, cleo, old) == "active", "Cleo's follow on A")
    # On B, the new Mia first follows Ben again (so A knows her new account, without any
    # alias yet), then names her old account as also being her.
    b.run(
        f"connections.connect(me('mia'), resolve_handle('ben@{a.host}'),"
        " connections.Purpose(direction='learn_from'))"
    )
    wait_for(lambda: _status(a, new, ben), "the new Mia's follow on A")
    b.run(f"add_alias(me('mia'), 'mia@{a.host}')")

    a.run(f"move_account(me('mia'), 'mia@{b.host}')")

    # Ben (on A, like the old Mia) now follows the new Mia on B, with his purpose and note.
    ben_kept = ["learn_from", ["Statistics"], "A workshop", "Mia knows R"]
    assert a.run(f"result = purpose_of({ben!r}, {new!r})")[1:] == ben_kept
    assert a.run(f"result = purpose_of({ben!r}, {old!r})") is None
    wait_for(lambda: _status(b, ben, new), "Ben's follow of the new Mia on B")
    # Cleo (on B) was sent a Move: her connection follows Mia to B, purpose and note kept.
    cleo_kept = ["learn_with", ["Podcasts"], "", "Cleo and Mia record together"]
    wait_for(
        lambda: b.run(f"result = purpose_of({cleo!r}, {new!r})"), "the Move of Cleo's connection"
    )
    assert b.run(f"result = purpose_of({cleo!r}, {new!r})")[1:] == cleo_kept
    assert b.run(f"result = purpose_of({cleo!r}, {old!r})") is None

    page = a.get("/@mia/", follow_redirects=False)
    assert page.status_code == 302 and f"mia@{b.host}" in page.headers["location"]
    actor = a.get("/@mia", headers={"Accept": "application/activity+json"})
    assert actor.status_code == 200 and actor.json()["movedTo"] == new


PAGES_PRELUDE = """
from importlib import import_module
from connective.federation.services.resolve import resolve_handle
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

def session_for(handle):
    user = User.objects.get(username=handle)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key
"""


def _browser(inst: Instance, handle: str) -> httpx.Client:
    """A logged-in visitor of the live server."""
    cookies = {"sessionid": inst.run(f"result = session_for({handle!r})")}
    return httpx.Client(base_url=inst.url, cookies=cookies, timeout=60)


def _submit(client: httpx.Client, page: str, action: str, **kwargs: Any) -> httpx.Response:
    """Send the form whose action is `action` on `page`, with its CSRF token, as a browser."""
    shown = client.get(page)
    assert shown.status_code == 200 and f'action="{action}"' in shown.text, shown.text[:2000]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', shown.text)
    assert token is not None
    data = {"csrfmiddlewaretoken": token.group(1), **kwargs.pop("data", {})}
    return client.post(action, data=data, headers={"Referer": inst_url(client)}, **kwargs)


def inst_url(client: httpx.Client) -> str:
    return str(client.base_url)


def test_export_import_and_leaving_through_the_pages(pair) -> None:
    """Zed exports on A's settings page, downloads, uploads on B, checks the preview, imports,
    reads the report; then deletes the account on A (an export offered first) and B hears."""
    a, b, _base, _built = pair
    for inst in (a, b):
        inst.run(PAGES_PRELUDE)
    zed = a.run("result = make('zed')")
    cleo = b.run("result = me('cleo').uri")
    a.run(
        "connections.connect(me('zed'), me('ben'), connections.Purpose(direction='help',"
        " topics=['Statistics'], note='Ben asks about R'))\n"
        "post = create_post(me('zed'), PostDraft(body='Zed public marker-zed'))"
    )
    b.run(
        f"connections.connect(me('cleo'), resolve_handle('zed@{a.host}'),"
        " connections.Purpose(direction='learn_from'))"
    )
    wait_for(lambda: _status(a, cleo, zed) == "active", "Cleo's follow of Zed on A")

    on_a = _browser(a, "zed")
    started = _submit(on_a, "/settings/move/", "/settings/move/export/")
    assert started.status_code == 302
    page = on_a.get("/settings/move/").text
    link = re.search(r'href="(/settings/move/export/\d+/download/)"', page)
    assert link, page[-3000:]
    archive = on_a.get(link.group(1))
    assert archive.headers["content-type"] == "application/zip"

    b.run("make('zed', display_name='')")
    on_b = _browser(b, "zed")
    files = {"file": ("connective-zed.zip", archive.content, "application/zip")}
    sent = _submit(on_b, "/settings/move/", "/settings/move/import/", files=files)
    assert sent.status_code == 302
    job = sent.headers["location"]
    preview = on_b.get(job).text
    assert "Nothing has changed yet" in preview, preview[-3000:]
    # Ben lives on A: "to look up" unless B met him already (in the tests before)
    assert re.search(r"<strong>Connections</strong>: 1 (to look up|added)", preview)
    assert b.run("result = Connection.objects.filter(owner=me('zed')).count()") == 0
    confirm = re.search(r'action="(/settings/move/import/\d+/confirm/)"', preview)
    assert confirm
    assert _submit(on_b, job, confirm.group(1)).status_code == 302
    report = on_b.get(job).text
    assert "Done on" in report, report[-3000:]
    assert "<strong>Connections</strong>: 1 added" in report
    assert "<strong>Posts</strong>: 1 added" in report
    ben = a.run("result = me('ben').uri")
    kept = b.run(f"result = Connection.objects.get(owner=me('zed'), target__uri={ben!r}).note")
    assert kept == "Ben asks about R"

    _leave(a, b, on_a, zed, cleo)


def _leave(a: Instance, b: Instance, on_a: httpx.Client, zed: str, cleo: str) -> None:
    # A post of Zed's that reaches Cleo on B (she follows him now), before he leaves A.
    a.run("create_post(me('zed'), PostDraft(body='Zed, still here marker-zedlater'))")
    by_zed = (
        "SELECT c.id FROM content_post c JOIN accounts_person p ON p.id = c.author_id "
        "WHERE c.body_html LIKE ? AND p.uri = ?"
    )
    post = wait_for(lambda: b.query(by_zed, ("%marker-zedlater%", zed)), "Zed's post on B")
    offer = on_a.get("/settings/move/delete/").text
    assert "/download/" in offer  # the finished archive is offered first
    gone = _submit(
        on_a,
        "/settings/move/delete/",
        "/settings/move/delete/",
        data={"handle": "zed", "password": PASSWORD},
    )
    assert gone.status_code == 302
    assert a.get("/@zed/").status_code == 404
    # B is told (Delete of the actor): Zed of A is gone there too, and so is his post.
    wait_for(
        lambda: b.query("SELECT suspended_at FROM accounts_person WHERE uri = ?", (zed,))[0][0],
        "the Delete on B",
    )
    # As on Mastodon, the account is gone there too: its posts are tombstones, its ties ended.
    wait_for(
        lambda: httpx.get(f"{b.url}/posts/{post[0][0]}/", timeout=20).status_code in (404, 410),
        "Zed's post gone from B",
    )
    assert _status(b, cleo, zed) is None
