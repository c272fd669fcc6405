"""Two real Connective servers federating over loopback (tests/federation/two_instances.py).

Ana and Abe live on instance A, Ben (who approves connections) on instance B. One scenario goes
through follow with approval, a post in each visibility, a reply across, useful (Like), a boost
(Announce), edit, delete, unfollow and block, and checks each step on both sides: in each
instance's own SQLite database (read without Django) and on its pages.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.core.exceptions import ImproperlyConfigured

from connective.core import http
from connective.federation.services.fetch import (
    ObjectRejected,
    check_peer_url,
    insecure_peers_allowed,
)
from tests.federation.two_instances import (
    PEOPLE,
    PYTHON,
    ROOT,
    Instance,
    two_instances,
    wait_for,
)

PRELUDE = (
    PEOPLE
    + """
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import transaction
from connective.accounts.models import Person, User
from connective.content.models import Post
from connective.content.services.posts import PostDraft, create_post, delete_post, edit_post
from connective.content.services.useful import mark_useful
from connective.network.models import Connection
from connective.network.services import connections, relations
from connective.federation.services.resolve import resolve_handle

def session_for(handle):
    user = User.objects.get(username=handle)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key

def post(handle, body, visibility="public", reply_to=None):
    parent = Post.objects.get(uri=reply_to) if reply_to else None
    draft = PostDraft(body=body, visibility=visibility, in_reply_to=parent)
    return create_post(me(handle), draft).uri
result = True
"""
)


def browser(instance: Instance, handle: str | None) -> httpx.Client:
    """An HTTP client for the live server, logged in as `handle` (None: anonymous)."""
    cookies = {"sessionid": instance.run(f"result = session_for({handle!r})")} if handle else {}
    return httpx.Client(base_url=instance.url, cookies=cookies, timeout=20)


def one(instance: Instance, sql: str, *params: Any) -> Any:
    """The single value a query returns (None when there is no row)."""
    rows = instance.query(sql, params)
    return rows[0][0] if rows else None


def post_row(instance: Instance, uri: str) -> tuple[Any, ...] | None:
    """(id, visibility, deleted_at, body_html, in_reply_to_id, useful_count) of a post by uri."""
    rows = instance.query(
        "SELECT id, visibility, deleted_at, body_html, in_reply_to_id, useful_count "
        "FROM content_post WHERE uri = ?",
        (uri,),
    )
    return rows[0] if rows else None


def connection_status(instance: Instance, owner_uri: str, target_uri: str) -> str | None:
    """The status of owner's connection to target on this instance (None: no connection)."""
    return one(
        instance,
        "SELECT c.status FROM network_connection c "
        "JOIN accounts_person o ON o.id = c.owner_id JOIN accounts_person t ON t.id = c.target_id "
        "WHERE o.uri = ? AND t.uri = ?",
        owner_uri,
        target_uri,
    )


def delivered_to(instance: Instance, activity_id: str) -> dict[str, str]:
    """{inbox: state} of the deliveries of one activity."""
    rows = instance.query(
        "SELECT inbox_url, state FROM federation_delivery WHERE activity_id = ?", (activity_id,)
    )
    return dict(rows)


def collection_total(instance: Instance, path: str) -> int:
    """totalItems of an ActivityPub collection on the live server."""
    answer = instance.get(path, headers={"Accept": "application/activity+json"})
    assert answer.status_code == 200, answer.text[:500]
    return int(answer.json()["totalItems"])


def csrf_post(client: httpx.Client, page: str, url: str, **fields: str) -> httpx.Response:
    """Submit the form whose action is `url` on `page`, as a browser would (CSRF token),
    with the form's other `fields`."""
    shown = client.get(page)
    assert shown.status_code == 200, shown.text[:3000]
    html = shown.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token, f"no form on {page}"
    return client.post(url, data={"csrfmiddlewaretoken": token.group(1), **fields})


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> Any:
    """Instances A and B, running, with Ana and Abe on A and Ben (approves connections) on B."""
    with two_instances(Path(tmp_path_factory.mktemp("two_instances"))) as (a, b):
        for inst in (a, b):
            inst.run(PRELUDE)
        uris = {
            "ana": a.run("result = make('ana')"),
            "abe": a.run("result = make('abe')"),
            "ben": b.run("result = make('ben', requires_approval=True)"),
        }
        yield a, b, uris


def test_two_instances_federate(pair) -> None:
    """Follow with approval, visibilities, reply, useful, boost, edit, delete, unfollow, block."""
    a, b, uri = pair
    posts = _follow_and_posts(a, b, uri)
    _unfollow_and_block(a, b, uri, public_post=posts["public"])


def _follow_and_posts(a: Instance, b: Instance, uri: dict[str, str]) -> dict[str, str]:
    ana_a, abe_a = browser(a, "ana"), browser(a, "abe")
    # Ana looks Ben up on A's lookup page, as a user types a handle into the search box.
    found = ana_a.get("/lookup/", params={"q": f"@ben@{b.host}"})
    assert found.status_code == 302, found.text[:500]
    assert one(a, "SELECT domain FROM accounts_person WHERE uri = ?", uri["ben"]) == b.host

    # Follow with approval: both connections wait on both sides until Ben accepts.
    for handle in ("ana", "abe"):
        a.run(
            f"connections.connect(me({handle!r}), resolve_handle('ben@{b.host}'),"
            " connections.Purpose(direction='learn_from'))"
        )
    for handle in ("ana", "abe"):
        wait_for(lambda h=handle: connection_status(b, uri[h], uri["ben"]), f"{handle}'s Follow")
        assert connection_status(a, uri[handle], uri["ben"]) == "pending"
        assert connection_status(b, uri[handle], uri["ben"]) == "pending"
    ben_b = browser(b, "ben")
    assert "Ana" in ben_b.get("/network/requests/").text

    # Ben accepts Ana's request through the requests page's form; Abe's stays pending.
    pk = one(
        b,
        "SELECT c.id FROM network_connection c JOIN accounts_person o ON o.id = c.owner_id "
        "WHERE o.uri = ?",
        uri["ana"],
    )
    accepted = csrf_post(ben_b, "/network/requests/", f"/network/requests/{pk}/accept/")
    assert accepted.status_code in (302, 303), accepted.text[:500]
    assert connection_status(b, uri["ana"], uri["ben"]) == "active"
    wait_for(lambda: connection_status(a, uri["ana"], uri["ben"]) == "active", "the Accept")
    assert connection_status(a, uri["abe"], uri["ben"]) == "pending"
    assert collection_total(b, "/@ben/followers") == 1  # Ana only: Abe is still waiting
    assert collection_total(a, "/@ana/following") == 1
    assert collection_total(a, "/@abe/following") == 0

    posts = _posts_in_each_visibility(a, b, ana_a, abe_a)
    _reply_useful_boost(a, b, uri, posts, ana_a, abe_a)
    _edit_and_delete(a, b, posts)
    return posts


def _posts_in_each_visibility(
    a: Instance, b: Instance, ana_a: httpx.Client, abe_a: httpx.Client
) -> dict[str, str]:
    posts = {
        vis: b.run(f"result = post('ben', 'Ben {vis} marker-{vis}', {vis!r})")
        for vis in ("public", "unlisted", "network")
    }
    for vis, post_uri in posts.items():
        row = wait_for(lambda u=post_uri: post_row(a, u), f"the {vis} post on A")
        assert row[1] == vis
        assert f"marker-{vis}" in row[3]

    # Followers-only went to Ana's own inbox only (Abe is not accepted; never a shared inbox).
    assert delivered_to(b, posts["network"] + "#create") == {f"{a.url}/@ana/inbox/": "done"}
    assert delivered_to(b, posts["public"] + "#create") == {f"{a.url}/inbox/": "done"}

    anon_a = httpx.Client(base_url=a.url, timeout=20)
    pages = {vis: f"/posts/{post_row(a, u)[0]}/" for vis, u in posts.items()}  # type: ignore[index]
    assert "marker-public" in anon_a.get(pages["public"]).text
    assert anon_a.get(pages["network"]).status_code == 404
    assert "marker-network" in ana_a.get(pages["network"]).text
    assert abe_a.get(pages["network"]).status_code == 404
    assert "marker-network" in ana_a.get("/home/").text
    assert "marker-network" not in abe_a.get("/home/").text
    posts.update({f"page-{k}": v for k, v in pages.items()})
    return posts


def _reply_useful_boost(
    a: Instance,
    b: Instance,
    uri: dict[str, str],
    posts: dict[str, str],
    ana_a: httpx.Client,
    abe_a: httpx.Client,
) -> None:
    # A reply across: Ana (on A) answers Ben's public post; it lands in Ben's thread on B.
    reply = a.run(f"result = post('ana', 'Ana replies marker-reply', reply_to={posts['public']!r})")
    row = wait_for(lambda: post_row(b, reply), "Ana's reply on B")
    assert row[4] == post_row(b, posts["public"])[0]  # type: ignore[index]
    ben_post_b = f"/posts/{post_row(b, posts['public'])[0]}/"  # type: ignore[index]
    assert "marker-reply" in httpx.get(b.url + ben_post_b, timeout=20).text

    # Private (direct): Ben answers Ana only; on A only Ana sees it.
    direct = b.run(f"result = post('ben', 'Only for Ana marker-direct', 'private', {reply!r})")
    row = wait_for(lambda: post_row(a, direct), "the direct reply on A")
    assert row[1] == "private"
    assert delivered_to(b, direct + "#create") == {f"{a.url}/@ana/inbox/": "done"}
    assert "marker-direct" in ana_a.get(f"/posts/{row[0]}/").text
    assert abe_a.get(f"/posts/{row[0]}/").status_code == 404
    assert httpx.get(f"{a.url}/posts/{row[0]}/", timeout=20).status_code == 404

    # Useful ↔ Like: Ana marks Ben's public post useful on A; B counts it.
    a.run(f"mark_useful(me('ana'), Post.objects.get(uri={posts['public']!r}))")
    wait_for(lambda: post_row(b, posts["public"])[5] == 1, "the Like on B")  # type: ignore[index]
    assert one(
        b,
        "SELECT COUNT(*) FROM content_useful u JOIN accounts_person p ON p.id = u.person_id "
        "WHERE p.uri = ?",
        uri["ana"],
    )

    # Boost: we send no Announce of our own yet, so A sends one through its delivery queue,
    # signed with Ana's key; B records the boost.
    a.run(
        "from connective.federation.services import deliver\n"
        "ana = me('ana')\n"
        f"doc = {{'@context': 'https://www.w3.org/ns/activitystreams', 'type': 'Announce',"
        f" 'id': ana.uri + '#announces/1', 'actor': ana.uri, 'object': {posts['public']!r},"
        " 'to': ['https://www.w3.org/ns/activitystreams#Public']}\n"
        "with transaction.atomic():\n"
        f"    deliver.enqueue(doc, ana, [{b.url + '/inbox/'!r}])\n"
    )
    boosts = (
        "SELECT COUNT(*) FROM content_boost x JOIN accounts_person p ON p.id = x.person_id "
        "JOIN content_post c ON c.id = x.post_id WHERE p.uri = ? AND c.uri = ?"
    )
    wait_for(lambda: one(b, boosts, uri["ana"], posts["public"]), "the boost on B")


def _edit_and_delete(a: Instance, b: Instance, posts: dict[str, str]) -> None:
    # Edit → Update: A's copy gets the new text and shows it.
    b.run(
        f"p = Post.objects.get(uri={posts['public']!r})\n"
        "edit_post(p, PostDraft(body='Ben public, edited marker-edited', visibility='public'))"
    )
    wait_for(lambda: "marker-edited" in post_row(a, posts["public"])[3], "the Update on A")  # type: ignore[index]
    assert "marker-edited" in httpx.get(a.url + posts["page-public"], timeout=20).text

    # Delete → Tombstone: A's copy is deleted and its text is gone from the page.
    b.run(f"delete_post(Post.objects.get(uri={posts['unlisted']!r}))")
    wait_for(lambda: post_row(a, posts["unlisted"])[2], "the Delete on A")  # type: ignore[index]
    assert "marker-unlisted" not in httpx.get(a.url + posts["page-unlisted"], timeout=20).text


def _unfollow_and_block(a: Instance, b: Instance, uri: dict[str, str], public_post: str) -> None:
    # Unfollow → Undo{Follow}: the connection ends on both sides; Ben's next followers-only
    # post goes nowhere.
    a.run(f"connections.remove(me('ana'), Person.objects.get(uri={uri['ben']!r}))")
    assert connection_status(a, uri["ana"], uri["ben"]) is None
    wait_for(lambda: connection_status(b, uri["ana"], uri["ben"]) is None, "the Undo on B")
    assert collection_total(b, "/@ben/followers") == 0
    later = b.run("result = post('ben', 'After Ana left marker-later', 'network')")
    assert delivered_to(b, later + "#create") == {}

    # Block: Ben blocks Abe (whose request is pending). On B the request ends and the Block is
    # delivered to A.
    b.run(f"relations.block(me('ben'), Person.objects.get(uri={uri['abe']!r}))")
    assert connection_status(b, uri["abe"], uri["ben"]) is None
    block_id = one(
        b,
        "SELECT activity_id FROM federation_delivery WHERE activity_id LIKE ?",
        uri["ben"] + "#blocks/%",
    )
    assert block_id, "no Block was sent"
    wait_for(lambda: delivered_to(b, block_id) == {f"{a.url}/@abe/inbox/": "done"}, "the Block")
    assert one(
        b,
        "SELECT COUNT(*) FROM network_block k JOIN accounts_person t ON t.id = k.target_id "
        "WHERE t.uri = ?",
        uri["abe"],
    )
    # Abe can no longer reach Ben: his Like (sent from A, which still shows him the public post)
    # is delivered but not recorded on B.
    like = a.run(
        f"mark_useful(me('abe'), Post.objects.get(uri={public_post!r}))\n"
        "result = me('abe').uri + '#likes/' + str(Post.objects.get(uri="
        f"{public_post!r}).pk)"
    )
    sent = delivered_to(a, like)  # B may answer 202 (ignored) or refuse it: either way, sent
    assert list(sent) == [f"{b.url}/@ben/inbox/"] and sent[f"{b.url}/@ben/inbox/"] != "pending"
    assert post_row(b, public_post)[5] == 1  # type: ignore[index]  # Ana's mark only
    # As Mastodon does, the blocked person's request to the blocker ends on their own server too.
    wait_for(
        lambda: connection_status(a, uri["abe"], uri["ben"]) is None, "Abe's request ended on A"
    )


def test_allowances_are_off_by_default(settings) -> None:
    """Without the test-only settings, plain http and loopback peers are refused."""
    assert getattr(settings, "CONNECTIVE_FEDERATION_ALLOW_HTTP", False) is False
    assert not getattr(settings, "CONNECTIVE_HTTP_ALLOW_LOOPBACK_PORTS", ())
    with pytest.raises(ObjectRejected):
        check_peer_url("http://127.0.0.1:8001/@ben")
    with pytest.raises(http.URLNotAllowed):
        http.check_url("http://127.0.0.1:8001/@ben")


def test_allowances_are_refused_when_debug_is_off(settings) -> None:
    """Set but with DEBUG (and TESTING) off, the allowances do nothing or refuse to start."""
    settings.DEBUG = False
    settings.TESTING = False
    settings.CONNECTIVE_FEDERATION_ALLOW_HTTP = True
    settings.CONNECTIVE_HTTP_ALLOW_LOOPBACK_PORTS = frozenset({8001})
    assert not insecure_peers_allowed()
    with pytest.raises(ObjectRejected):
        check_peer_url("http://127.0.0.1:8001/@ben")
    with pytest.raises(http.URLNotAllowed):
        http.check_url("http://127.0.0.1:8001/@ben")
    with pytest.raises(ImproperlyConfigured), http.allow_loopback(8002):
        pass


def test_two_instance_server_refuses_to_start_without_debug(tmp_path) -> None:
    """The servers' entry point will not turn the allowances on unless DEBUG is on."""
    done = subprocess.run(
        [PYTHON, str(ROOT / "tests/federation/two_instances.py"), "run"],
        env={"PATH": "/usr/bin:/bin", "CONNECTIVE_VAR_DIR": str(tmp_path)},
        cwd=ROOT,
        input=b"",
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert b"CONNECTIVE_DEBUG=1" in done.stderr
