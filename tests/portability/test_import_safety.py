"""Import safety and wording: whose archive it is, what the preview says, files that are not
what they claim, feeds and counts said once and properly, boosts and `discoverable` carried."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from connective.accounts.models import Person
from connective.content.models import Boost, Post, Visibility
from connective.content.services.boosts import boost_post
from connective.content.services.posts import PostDraft, create_post
from connective.network.models import Connection
from connective.notifications.models import Notification
from connective.portability import format as fmt
from connective.portability.models import ImportJob, JobState
from connective.portability.services.apply import apply_plan, preview
from connective.portability.services.archive import ArchiveError
from connective.portability.services.export import write_archive
from connective.portability.services.importing import plan_file
from tests.portability.test_round_trip import move_to_b, run_import

pytestmark = pytest.mark.django_db


def archive_of(person: Person) -> bytes:
    out = io.BytesIO()
    write_archive(person, out)
    return out.getvalue()


def rewritten(data: bytes, **changes: bytes) -> bytes:
    """The archive with some members replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, changes.get(name, src.read(name)))
    return out.getvalue()


def upload(client, name: str, data: bytes) -> ImportJob:
    client.post("/settings/move/import/", {"file": SimpleUploadedFile(name, data)})
    return ImportJob.objects.latest("pk")


# --- whose archive -----------------------------------------------------------------------


def test_someone_elses_archive_from_this_server_is_refused(client, rich, ben):
    data = archive_of(rich)
    plan, _zf = plan_file(io.BytesIO(data), "ana.zip")
    with pytest.raises(ArchiveError, match="belongs to Ana Lima"):
        preview(ben, plan)
    with pytest.raises(ArchiveError, match="not to you"):
        apply_plan(ben, plan, _zf)
    assert not Post.objects.filter(author=ben, imported_from__gt="").exists()
    client.force_login(ben.user)
    job = upload(client, "ana.zip", data)
    assert job.state == JobState.FAILED and "ana@" in job.error
    page = client.get(f"/settings/move/import/{job.pk}/").content.decode()
    assert "Nothing was changed." in page and "Choose another file" in page


def test_an_archive_naming_an_active_local_account_is_refused_wherever_it_says_it_is_from(
    rich, ben
):
    data = archive_of(rich)
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read(fmt.MANIFEST))
    manifest["instance"] = "https://elsewhere.example/"
    manifest["person"]["acct"] = "ana@elsewhere.example"
    forged = rewritten(data, **{fmt.MANIFEST: json.dumps(manifest).encode()})
    plan, _zf = plan_file(io.BytesIO(forged), "ana.zip")
    with pytest.raises(ArchiveError, match="belongs to"):
        preview(ben, plan)


def test_my_own_archive_imports_again_and_offers_nothing_new(ana_client, rich):
    job = upload(ana_client, "ana.zip", archive_of(rich))
    assert job.state == JobState.READY and job.preview["nothing_new"]
    page = ana_client.get(f"/settings/move/import/{job.pk}/").content.decode()
    assert "A Connective archive of <strong>Ana Lima (ana@" in page
    assert "Nothing new to add" in page and "Choose another file" in page
    assert '<button type="submit">Import</button>' not in page


def test_the_preview_names_the_account_and_says_the_profile_is_merged(settings, rich):
    rich.bio = "I learn in the open."
    rich.save()
    newcomer, data, _ = move_to_b(settings, rich)
    plan, _zf = plan_file(io.BytesIO(data), "ana.zip")
    result = preview(newcomer, plan)
    assert result["account"]["name"] == "Ana Lima"
    assert (
        result["account"]["acct"].startswith("ana@")
        and "b.example" not in result["account"]["acct"]
    )
    assert result["counts"]["profile"] == {"field to merge": 1}
    assert any("bio" in n and "nothing you have written is replaced" in n for n in result["notes"])
    newcomer.bio = "Mine, here."
    newcomer.save()
    assert "profile" not in preview(newcomer, plan)["counts"]
    newcomer.bio = ""
    newcomer.save()
    report = run_import(newcomer, data)
    newcomer.refresh_from_db()
    assert newcomer.bio == "I learn in the open."
    assert report["counts"]["profile"] == {"field merged": 1}
    report = run_import(newcomer, data)
    assert "profile" not in report["counts"]


def test_discoverable_comes_back(settings, rich):
    Person.objects.filter(pk=rich.pk).update(discoverable=False)
    rich.refresh_from_db()
    newcomer, data, _ = move_to_b(settings, rich)
    assert newcomer.discoverable
    plan, _zf = plan_file(io.BytesIO(data), "ana.zip")
    assert any("not found in search" in n for n in preview(newcomer, plan)["notes"])
    run_import(newcomer, data)
    newcomer.refresh_from_db()
    assert newcomer.discoverable is False


def test_connections_made_again_tell_a_local_person_once_and_never_on_reimport(settings, ana, ben):
    from connective.network.models import Direction
    from connective.network.services.connections import Purpose, connect

    connect(ana, ben, Purpose(direction=Direction.LEARN_FROM, topics=["Maps"]))
    data = archive_of(ana)
    Connection.objects.filter(owner=ana).delete()
    Notification.objects.all().delete()
    run_import(ana, data)  # my own archive: ben is connected again, and told so once
    assert Notification.objects.filter(recipient=ben, kind="connection").count() == 1
    report = run_import(ana, data)  # already connected: nothing new is sent
    assert report["counts"]["connections"] == {"already": 1}
    assert Notification.objects.filter(recipient=ben, kind="connection").count() == 1


# --- files that are not what they claim -----------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.zip", b"", "This .zip file is empty or damaged."),
        ("notes.zip", b"just some words", "This .zip file is empty or damaged."),
        ("feeds.opml", b"<!DOCTYPE html><html><body>hi</body></html>", "This file is not OPML"),
        ("notes.txt", b"hello there", "We can read a Connective or Mastodon archive (.zip)"),
        ("page.html", b"<html><body>x</body></html>", "this is a web page (HTML)"),
        ("empty.csv", b"", "The file is empty."),
        ("odd.csv", b"a,b\nc,d\n", "This CSV file is not one of those Mastodon exports"),
    ],
)
def test_each_bad_file_gets_its_own_reason(ana_client, ana, name, data, reason):
    job = upload(ana_client, name, data)
    assert job.state == JobState.FAILED and reason in job.error
    assert "This CSV is not one" not in job.error


def test_an_empty_zip_archive_is_empty(ana):
    out = io.BytesIO()
    zipfile.ZipFile(out, "w").close()
    with pytest.raises(ArchiveError, match="empty or damaged"):
        plan_file(io.BytesIO(out.getvalue()), "x.zip")


def test_an_opml_file_with_no_feeds_says_so(ana):
    empty = b'<?xml version="1.0"?><opml version="2.0"><body></body></opml>'
    with pytest.raises(ArchiveError, match="lists no feeds"):
        plan_file(io.BytesIO(empty), "feeds.opml")


# --- feeds and counts, said once and properly --------------------------------------------


def test_an_archive_without_feeds_promises_none_and_reports_none(settings, rich):
    newcomer, data, _ = move_to_b(settings, rich)
    plan, _zf = plan_file(io.BytesIO(data), "ana.zip")
    result = preview(newcomer, plan)
    assert "feeds" not in result["counts"]
    assert not any("feed" in n for n in result["notes"])
    report = run_import(newcomer, data)
    assert "feeds" not in report["counts"]
    assert not any("feed" in n for n in report["notes"])


def test_statements_are_counted_in_words(rich):
    from connective.portability.services.apply import Tally, _notes

    plan, _zf = plan_file(io.BytesIO(archive_of(rich)), "ana.zip")
    for n, words in (
        (
            1,
            "1 statement of participation stays in the archive, signed by the server that "
            "issued it; anyone can still verify it there.",
        ),
        (
            3,
            "3 statements of participation stay in the archive, signed by the server that "
            "issued them; anyone can still verify them there.",
        ),
    ):
        plan.statements, tally = n, Tally()
        _notes(tally, plan)
        assert words in tally.notes
        assert not any("(s)" in note for note in tally.notes)


def test_feeds_in_a_file_are_announced_in_words_that_agree(rich):
    from connective.portability.services.apply import Tally, _notes

    plan, _zf = plan_file(io.BytesIO(archive_of(rich)), "ana.zip")
    plan.opml = True
    for n, done, words in (
        (
            1,
            False,
            "The feed in the file will be added to your subscriptions, unless you "
            "follow it already; Settings → Feeds shows what happened to it.",
        ),
        (
            2,
            True,
            "The 2 feeds in the file were added to your subscriptions, unless you "
            "follow them already; Settings → Feeds shows what happened to each.",
        ),
    ):
        plan.feeds, tally = n, Tally()
        tally.counts["feeds"] = n
        _notes(tally, plan, done=done)
        assert words in tally.notes


# --- boosts ---------------------------------------------------------------------------------


def test_boosts_are_exported_and_made_again_once(ana, ben):
    post = create_post(ben, PostDraft(body="Worth sharing", visibility=Visibility.UNLISTED))
    boost = boost_post(ana, post)
    assert boost is not None
    old = boost.created_at.replace(year=2024)
    Boost.objects.filter(pk=boost.pk).update(created_at=old)
    data = archive_of(ana)
    zf = zipfile.ZipFile(io.BytesIO(data))
    records = [json.loads(line) for line in zf.read(fmt.BOOSTS).splitlines()]
    assert records == [
        {
            "id": boost.uri,
            "post": post.uri,
            "post_imported_from": None,
            "created_at": old.isoformat(),
        }
    ]
    outbox = json.loads(zf.read(fmt.OUTBOX))
    announce = [i for i in outbox["orderedItems"] if i["type"] == "Announce"]
    assert len(announce) == 1 and announce[0]["object"] == post.uri
    assert announce[0]["published"].startswith("2024-")
    assert announce[0]["cc"][0] == "https://www.w3.org/ns/activitystreams#Public"  # unlisted
    assert outbox["totalItems"] == len(outbox["orderedItems"])
    Boost.objects.all().delete()
    Notification.objects.all().delete()
    plan, _zf = plan_file(io.BytesIO(data), "ana.zip")
    assert preview(ana, plan)["counts"]["boosts"] == {"added": 1}
    report = run_import(ana, data)
    assert report["counts"]["boosts"] == {"added": 1}
    again = Boost.objects.get(person=ana, post=post)
    assert again.created_at == old
    assert not Notification.objects.filter(recipient=ben).exists()  # not news: Ben is not told
    assert run_import(ana, data)["counts"]["boosts"] == {"already": 1}
    assert Boost.objects.filter(person=ana).count() == 1


def test_a_boosted_post_that_cannot_be_found_is_reported(ana):
    record = {"post": "https://127.0.0.1:9/posts/gone", "created_at": "2024-01-01T00:00:00+00:00"}
    data = rewritten(archive_of(ana), **{fmt.BOOSTS: (json.dumps(record) + "\n").encode()})
    report = run_import(ana, data)
    assert report["counts"]["boosts"] == {"not found": 1}
    assert any("127.0.0.1:9/posts/gone" in note for note in report["notes"])
    assert not Boost.objects.exists()


def test_my_own_boosted_post_is_boosted_again_as_its_imported_copy(settings, ana):
    mine = create_post(ana, PostDraft(body="My own, boosted"))
    boost_post(ana, mine)
    newcomer, data, _ = move_to_b(settings, ana)
    report = run_import(newcomer, data)
    assert report["counts"]["boosts"] == {"added": 1}
    copy = Post.objects.get(author=newcomer, body="My own, boosted")
    assert Boost.objects.filter(person=newcomer, post=copy).exists()


def test_a_version_1_archive_without_boosts_still_imports(settings, rich):
    newcomer, data, _ = move_to_b(settings, rich)
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read(fmt.MANIFEST))
    manifest["version"] = 1
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            if name != fmt.BOOSTS:
                dst.writestr(name, src.read(name))
    old = rewritten(out.getvalue(), **{fmt.MANIFEST: json.dumps(manifest).encode()})
    report = run_import(newcomer, old)
    assert report["counts"]["posts"] == {"added": 4} and "boosts" not in report["counts"]


def test_a_local_person_connected_to_me_already_is_not_told_again(ana, ben, chloe):
    from connective.network.models import Direction
    from connective.network.services.connections import Purpose, connect

    connect(ben, ana, Purpose(direction=Direction.LEARN_WITH, topics=["Maps"]))
    connect(ana, ben, Purpose(direction=Direction.LEARN_WITH, topics=["Maps"]))
    connect(ana, chloe, Purpose(direction=Direction.LEARN_FROM, topics=["Maps"]))
    data = archive_of(ana)
    Connection.objects.filter(owner=ana).delete()
    Notification.objects.all().delete()
    report = run_import(ana, data)
    assert report["counts"]["connections"] == {"added": 2}
    assert Connection.objects.filter(owner=ana, target=ben).exists()
    assert not Notification.objects.filter(recipient=ben, kind="connection").exists()
    assert Notification.objects.filter(recipient=chloe, kind="connection").count() == 1


def test_someone_elses_archive_without_its_manifest_is_still_theirs(rich, ben):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive_of(rich))) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            if name != fmt.MANIFEST:  # read as a Mastodon export: its outbox is Ana's
                dst.writestr(name, src.read(name))
    plan, _zf = plan_file(io.BytesIO(out.getvalue()), "ana.zip")
    assert plan.source == "mastodon"
    with pytest.raises(ArchiveError, match="belongs to"):
        preview(ben, plan)
