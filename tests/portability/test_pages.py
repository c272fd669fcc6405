"""Export and import from settings, and from the command line."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from connective.content.models import Post
from connective.network.models import Connection
from connective.notifications.models import Notification
from connective.portability.models import ExportJob, ImportJob, JobState, UnresolvedContact
from connective.portability.services import jobs
from tests.conftest import client_for
from tests.federation.remote_peer import rebased, serve_actor, serve_webfinger
from tests.trap import trap  # noqa: F401

pytestmark = pytest.mark.django_db

HEADER = "Account address,Show boosts,Notify on new posts,Languages\n"
FOLLOWING = (HEADER + "ben@elsewhere.example,true,false,\n").encode()


@pytest.fixture
def peer(settings, trap):  # noqa: F811
    """A fake Mastodon server on loopback, knowing zoe (and nobody called ghost)."""
    settings.CONNECTIVE_FEDERATION_ALLOW_HTTP = True
    actor = serve_actor(trap, rebased("mastodon", trap))
    return serve_webfinger(trap, "zoe", actor), trap


def test_export_from_settings_then_download(rich):
    client = client_for(rich)
    page = client.get("/settings/move/")
    assert page.status_code == 200 and "Prepare my archive" in page.content.decode()
    assert client.post("/settings/move/export/").status_code == 302
    job = ExportJob.objects.get(person=rich)
    assert job.state == JobState.DONE  # tasks run in-process in tests
    assert Notification.objects.filter(recipient=rich, kind="export_ready").exists()
    response = client.get(f"/settings/move/export/{job.pk}/download/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    zf = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "manifest.json" in zf.namelist()


def test_nobody_else_can_download_my_archive(rich, ben):
    client_for(rich).post("/settings/move/export/")
    job = ExportJob.objects.get(person=rich)
    assert client_for(ben).get(f"/settings/move/export/{job.pk}/download/").status_code == 404
    assert (
        client_for(ben).get(f"/settings/move/export/{job.pk}/", HTTP_HX_REQUEST="true").status_code
        == 404
    )


def test_export_needs_a_login(client):
    assert client.post("/settings/move/export/").status_code == 302
    assert not ExportJob.objects.exists()


def test_mastodon_follows_become_connections_after_a_preview(ana_client, ana, peer):
    zoe, _server = peer
    ghost = "ghost@127.0.0.1:9"  # nobody may be reached there
    csv_text = HEADER + f"{zoe},true,false,\n{ghost},true,false,\n"
    upload = SimpleUploadedFile("following_accounts.csv", csv_text.encode())
    response = ana_client.post("/settings/move/import/", {"file": upload})
    job = ImportJob.objects.get(person=ana)
    assert response["Location"] == f"/settings/move/import/{job.pk}/"
    assert job.state == JobState.READY and job.source == "mastodon"
    page = ana_client.get(f"/settings/move/import/{job.pk}/").content.decode()
    assert "Nothing has changed yet" in page and "2 to look up" in page
    assert not Connection.objects.exists() and not UnresolvedContact.objects.exists()
    ana_client.post(f"/settings/move/import/{job.pk}/confirm/")
    job.refresh_from_db()
    assert job.state == JobState.DONE
    conn = Connection.objects.get(owner=ana)
    assert conn.target.handle == "zoe" and conn.met_where == "Mastodon"
    assert conn.direction == "learn_from"
    kept = UnresolvedContact.objects.get(owner=ana)
    assert kept.address == ghost and kept.purpose["met_where"] == "Mastodon"
    assert ghost in ana_client.get("/settings/move/").content.decode()
    assert Notification.objects.filter(recipient=ana, kind="import_done").exists()


def test_a_bad_upload_fails_with_its_reason(ana_client, ana):
    ana_client.post(
        "/settings/move/import/", {"file": SimpleUploadedFile("x.zip", b"PK\x03\x04junk")}
    )
    job = ImportJob.objects.get(person=ana)
    assert job.state == JobState.FAILED and "empty or damaged" in job.error
    page = ana_client.get(f"/settings/move/import/{job.pk}/").content.decode()
    assert "Nothing was changed." in page


def test_no_file_is_a_clear_message(ana_client):
    response = ana_client.post("/settings/move/import/", follow=True)
    assert "Choose a file to import." in response.content.decode()


def test_someone_elses_import_is_a_404(ana_client, ana, ben):
    ana_client.post("/settings/move/import/", {"file": SimpleUploadedFile("f.csv", FOLLOWING)})
    job = ImportJob.objects.get(person=ana)
    other = client_for(ben)
    assert other.get(f"/settings/move/import/{job.pk}/").status_code == 404
    assert other.post(f"/settings/move/import/{job.pk}/confirm/").status_code == 404
    assert ImportJob.objects.get(pk=job.pk).state == JobState.READY


def test_confirming_twice_applies_once(ana_client, ana):
    ana_client.post("/settings/move/import/", {"file": SimpleUploadedFile("f.csv", FOLLOWING)})
    job = ImportJob.objects.get(person=ana)
    ana_client.post(f"/settings/move/import/{job.pk}/confirm/")
    ana_client.post(f"/settings/move/import/{job.pk}/confirm/")
    assert Notification.objects.filter(recipient=ana, kind="import_done").count() == 1


def test_a_job_left_behind_by_a_dead_worker_is_resumed(rich):
    job = ExportJob.objects.create(person=rich, state=JobState.RUNNING)
    long_ago = job.created_at.replace(year=2020)
    ExportJob.objects.filter(pk=job.pk).update(created_at=long_ago, touched_at=long_ago)
    assert jobs.resume_stalled() == 1
    assert ExportJob.objects.get(pk=job.pk).state == JobState.DONE


def test_an_import_confirmed_the_next_day_is_not_taken_for_a_stalled_one(ana):
    """Running for a minute, uploaded yesterday: the sweep leaves it alone (no second run)."""
    job = ImportJob.objects.create(person=ana, file_name="f.csv", state=JobState.RUNNING)
    yesterday = timezone.now() - timedelta(days=1)
    ImportJob.objects.filter(pk=job.pk).update(created_at=yesterday)
    assert jobs.resume_stalled() == 0
    assert ImportJob.objects.get(pk=job.pk).state == JobState.RUNNING


def test_a_second_task_for_a_running_export_does_nothing(rich):
    job = ExportJob.objects.create(person=rich, state=JobState.RUNNING)
    jobs.run_export(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and not job.archive


def test_commands_export_and_import(rich, tmp_path, capsys):
    out = tmp_path / "ana.zip"
    call_command("export", user="ana", out=str(out))
    assert "Wrote" in capsys.readouterr().out and zipfile.is_zipfile(out)
    call_command("import", str(out), user="ana", dry_run=True)
    assert "Would import" in capsys.readouterr().out
    before = (Post.objects.count(), Connection.objects.count())
    call_command("import", str(out), user="ana")
    assert "posts already" in capsys.readouterr().out
    assert (Post.objects.count(), Connection.objects.count()) == before


def test_commands_refuse_unknown_people_and_bad_files(ana, tmp_path):
    with pytest.raises(CommandError, match="No local person"):
        call_command("export", user="nobody", out=str(tmp_path / "x.zip"))
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import", str(bad), user="ana")


OPML = b"""<?xml version="1.0"?>
<opml version="2.0"><head><title>Mine</title></head><body>
<outline text="Ana's blog" type="rss" xmlUrl="https://blog.example.org/feed.xml"/>
</body></opml>"""


def test_an_opml_file_adds_feeds(ana_client, ana):
    from connective.feeds.models import Subscription

    ana_client.post("/settings/move/import/", {"file": SimpleUploadedFile("feeds.opml", OPML)})
    job = ImportJob.objects.get(person=ana)
    assert job.state == JobState.READY and job.source == "opml"
    ana_client.post(f"/settings/move/import/{job.pk}/confirm/")
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.report["counts"]["feeds"] == {"in the list": 1}
    assert Subscription.objects.filter(
        person=ana, feed__url="https://blog.example.org/feed.xml"
    ).exists()


def test_the_archive_carries_feeds_as_opml(rich):
    from connective.feeds.services.opml import start_import

    start_import(rich, OPML)
    client = client_for(rich)
    client.post("/settings/move/export/")
    job = ExportJob.objects.get(person=rich)
    data = b"".join(client.get(f"/settings/move/export/{job.pk}/download/").streaming_content)
    assert b"blog.example.org/feed.xml" in zipfile.ZipFile(io.BytesIO(data)).read("feeds.opml")
