"""Leave one server for another and lose nothing: export from A, import into an empty B."""

import io
import json
import zipfile

import pytest

from connective.accounts.models import Person, User
from connective.content.models import Post
from connective.network.models import Connection, Mute
from connective.portability.models import UnresolvedContact
from connective.portability.services.apply import apply_plan, preview
from connective.portability.services.export import write_archive
from connective.portability.services.importing import plan_file
from tests.conftest import make_person

pytestmark = pytest.mark.django_db

B_URL = "https://b.example"


def snapshot(person: Person) -> dict:
    """What must survive the move, field by field, keyed by stable addresses."""
    conns = {
        c.target.uri: (
            c.direction,
            sorted(t.name for t in c.topics.all()),
            c.met_where,
            c.met_url,
            c.note,
            c.created_at,
            c.last_interaction_at,
        )
        for c in Connection.objects.filter(owner=person).select_related("target")
    }
    posts = {
        (p.kind, p.title, p.body): (
            p.licence,
            p.visibility,
            p.state,
            sorted(t.name for t in p.topics.all()),
            p.link_url,
            p.created_at.replace(microsecond=0),
            p.file.read() if p.file else b"",
        )
        for p in Post.objects.filter(author=person, deleted_at__isnull=True)
    }
    return {"connections": conns, "posts": posts}


def move_to_b(settings, rich: Person) -> tuple[Person, bytes]:
    """Export A's learner, then empty the database and make it instance B."""
    before = snapshot(rich)
    out = io.BytesIO()
    write_archive(rich, out)
    known = [(p.handle, p.domain or settings.SITE_HOST, p.uri) for p in Person.objects.all()]
    Post.objects.all().delete()
    Connection.objects.all().delete()
    Person.objects.all().delete()
    User.objects.all().delete()
    settings.CONNECTIVE_SITE_URL = B_URL
    settings.SITE_HOST = "b.example"
    newcomer = make_person("ana")
    for handle, domain, uri in known:  # B has met A's people through federation
        if handle != "ana":
            Person.objects.create(handle=handle, domain=domain, uri=uri)
    return newcomer, out.getvalue(), before  # type: ignore[return-value]


def run_import(person: Person, data: bytes) -> dict:
    plan, zf = plan_file(io.BytesIO(data))
    return apply_plan(person, plan, zf)


def test_round_trip_keeps_purposes_notes_licences_dates_and_files(settings, rich):
    newcomer, data, before = move_to_b(settings, rich)
    report = run_import(newcomer, data)
    after = snapshot(newcomer)
    assert after == before
    assert report["counts"]["connections"] == {"added": 2}
    assert report["counts"]["posts"] == {"added": 4}
    assert Mute.objects.filter(owner=newcomer, target__handle="noisy").exists()
    assert all(p.imported_from for p in Post.objects.filter(author=newcomer))


def test_importing_the_same_archive_twice_adds_nothing(settings, rich):
    newcomer, data, _ = move_to_b(settings, rich)
    run_import(newcomer, data)
    first = snapshot(newcomer)
    counts = (Post.objects.count(), Connection.objects.count(), UnresolvedContact.objects.count())
    report = run_import(newcomer, data)
    assert snapshot(newcomer) == first
    assert counts == (
        Post.objects.count(),
        Connection.objects.count(),
        UnresolvedContact.objects.count(),
    )
    assert report["counts"]["posts"] == {"already": 4}
    assert report["counts"]["connections"] == {"already": 2}


def test_preview_changes_nothing_and_says_what_would_happen(settings, rich):
    newcomer, data, _ = move_to_b(settings, rich)
    plan, _zf = plan_file(io.BytesIO(data))
    result = preview(newcomer, plan)
    assert result["counts"]["posts"] == {"added": 4}
    assert result["counts"]["connections"] == {"added": 2}
    assert not Post.objects.filter(author=newcomer).exists()
    assert not Connection.objects.filter(owner=newcomer).exists()


def test_people_we_cannot_find_are_kept_with_their_purpose(settings, rich):
    newcomer, data, _ = move_to_b(settings, rich)
    Person.objects.filter(handle="dora").delete()  # B never heard of Dora
    report = run_import(newcomer, data)
    kept = UnresolvedContact.objects.get(owner=newcomer)
    assert kept.address == "dora@social.example"
    assert kept.purpose["direction"] == "learn_with" and kept.purpose["topics"] == ["Podcasts"]
    assert report["unresolved"] == ["dora@social.example"]
    assert report["counts"]["connections"] == {"added": 1, "unresolved": 1}


def test_hostile_html_in_an_archive_is_sanitised(settings, rich):
    newcomer, data, _ = move_to_b(settings, rich)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name in source.namelist():
            body = source.read(name)
            if name == "posts.jsonl":
                line = json.loads(body.decode().splitlines()[0])
                line["body"] = '<script>alert(1)</script><img src=x onerror="alert(2)">hi'
                line["id"] = "https://a.example/posts/999/"
                body = body + (json.dumps(line) + "\n").encode()
            zf.writestr(name, body)
    run_import(newcomer, out.getvalue())
    hostile = Post.objects.get(author=newcomer, imported_from="https://a.example/posts/999/")
    assert "<script" not in hostile.body_html and "<img" not in hostile.body_html


def test_exported_statements_still_verify(rich, tmp_path, capsys):
    from django.core.management import call_command

    from connective.credentials.services.issuing import Achievement, EvidenceItem, issue_statement

    achievement = Achievement(
        id="https://connective.test/courses/pln/",
        name="Building your PLN",
        description="A short open course.",
        criteria="Every required activity has evidence.",
        topics=["pln"],
    )
    evidence = [EvidenceItem(id="https://connective.test/posts/1/", name="Post", narrative="")]
    statement = issue_statement(rich, achievement, evidence, "https://connective.test/courses/pln/")
    out = io.BytesIO()
    write_archive(rich, out)
    member = f"statements/{statement.public_id}.json"
    path = tmp_path / "statement.json"
    path.write_bytes(zipfile.ZipFile(out).read(member))
    call_command("verify", str(path), offline=True)
    assert capsys.readouterr().out.strip() == "valid"


def test_posts_from_a_space_come_back_only_for_me(settings, rich, chloe):
    from connective.spaces.services.spaces import create_space
    from connective.spaces.services.threads import start_thread

    space = create_space(chloe, name="Closed circle", members_only=True)
    from connective.spaces.services.membership import join

    join(space, rich)
    start_thread(rich, space, title="Members only", body="Only for the circle")
    out = io.BytesIO()
    write_archive(rich, out)
    outbox = json.loads(zipfile.ZipFile(out).read("outbox.json"))
    assert "Only for the circle" not in json.dumps(outbox)
    newcomer, data, _ = move_to_b(settings, rich)
    run_import(newcomer, out.getvalue())
    imported = Post.objects.get(author=newcomer, title="Members only")
    assert imported.visibility == "private" and imported.space is None


def test_imported_posts_are_in_the_search_index(settings, rich):
    from connective.search.models import SearchDocument, Source

    newcomer, data, _ = move_to_b(settings, rich)
    run_import(newcomer, data)
    published = Post.objects.filter(author=newcomer, state="published")
    indexed = SearchDocument.objects.filter(source=Source.POST, object_id__in=published)
    assert indexed.count() == published.count() == 3


def test_mutes_and_blocks_of_people_not_found_are_reported(settings, rich):
    newcomer, data, _ = move_to_b(settings, rich)
    Person.objects.filter(handle="noisy").delete()  # B never heard of Noisy, nor can it find them
    report = run_import(newcomer, data)
    assert report["counts"]["mutes"] == {"not found": 1}
    assert any("noisy" in note and "mutes" in note for note in report["notes"])
    assert not Mute.objects.filter(owner=newcomer).exists()
