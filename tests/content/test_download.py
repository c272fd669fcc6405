"""Downloading a resource's file: only through the post, always as an opaque attachment."""

import os

import pytest

from connective.content.models import Kind, Post
from connective.content.services.posts import download_name
from tests.content.conftest import post, upload

pytestmark = pytest.mark.django_db


def _resource(author, name="notes.pdf", content=b"%PDF notes"):
    return post(
        author, "", kind=Kind.RESOURCE, title="Notes", licence="cc0", file=upload(name, content)
    )


def test_download_is_an_opaque_attachment(client, ana):
    item = _resource(ana)
    response = client.get(f"/posts/{item.pk}/file/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF notes"
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'attachment; filename="notes.pdf"'


def test_t23_crafted_file_name_is_made_safe(client, ana, ana_client):
    item = _resource(ana, name='"><img src=x onerror=alert(1)>.pdf')
    assert item.file_name == "img_srcx_onerroralert1.pdf"
    response = client.get(f"/posts/{item.pk}/file/")
    disposition = response["Content-Disposition"]
    assert disposition == 'attachment; filename="img_srcx_onerroralert1.pdf"'
    for bad in ('"><', "<img", "onerror=alert(1)>"):
        assert bad not in disposition
    page = ana_client.get(item.get_absolute_url()).content.decode()
    assert "<img src=x" not in page


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\evil.exe", "evil.exe"),
        (".htaccess", "htaccess"),
        ("..", "file"),
        ("", "file"),
        ("résumé final.pdf", "résumé_final.pdf"),
        ("evil\u202egpj.exe", "evilgpj.exe"),
    ],
)
def test_t23_file_names_are_normalised(raw, safe):
    assert download_name(raw) == safe


def test_non_ascii_file_name_is_encoded_in_the_header(client, ana):
    item = _resource(ana, name="résumé.pdf")
    disposition = client.get(f"/posts/{item.pk}/file/")["Content-Disposition"]
    assert disposition == "attachment; filename*=utf-8''r%C3%A9sum%C3%A9.pdf"


def test_upload_is_not_stored_under_its_own_name(ana):
    item = _resource(ana, name="syllabus.html", content=b"<script>alert(1)</script>")
    assert item.file.name.startswith("resources/")
    assert item.file.name.endswith(".bin")
    assert "syllabus" not in item.file.name


def test_post_without_a_file_has_no_download(client, ana):
    item = post(ana, "just a note")
    assert client.get(f"/posts/{item.pk}/file/").status_code == 404


def test_deleted_resource_file_is_removed_and_not_served(client, ana, ana_client):
    item = _resource(ana)
    path = item.file.path
    ana_client.post(f"/posts/{item.pk}/delete/")
    assert client.get(f"/posts/{item.pk}/file/").status_code == 404
    assert not os.path.exists(path)


def test_file_missing_on_disk_is_a_404_not_a_500(client, ana):
    item = _resource(ana)
    item.file.storage.delete(item.file.name)
    assert client.get(f"/posts/{item.pk}/file/").status_code == 404


def test_download_only_answers_get_and_head(client, ana):
    item = _resource(ana)
    assert client.head(f"/posts/{item.pk}/file/").status_code == 200
    assert client.post(f"/posts/{item.pk}/file/").status_code == 405
    assert Post.objects.get().file
