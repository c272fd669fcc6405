"""Uploaded files are never served as something a browser or a fediverse server would execute."""

import pytest


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    (root / "resources").mkdir(parents=True)
    settings.MEDIA_ROOT = root
    return root


@pytest.mark.django_db
def test_t05_uploaded_json_is_served_as_an_opaque_download(client, media):
    (media / "resources" / "evil.json").write_text('{"type": "Note", "id": "https://x/1"}')
    response = client.get("/media/resources/evil.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["page.html", "pic.svg"])
def test_t15_html_and_svg_uploads_are_never_inline(client, media, name):
    (media / "resources" / name).write_text("<script>alert(1)</script>")
    response = client.get(f"/media/resources/{name}")
    assert response["Content-Type"] == "application/octet-stream"
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_images_are_served_inline(client, media):
    (media / "resources" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    response = client.get("/media/resources/a.png")
    assert response["Content-Type"] == "image/png"
    assert "attachment" not in response.get("Content-Disposition", "")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["../secret_key", "resources/../../etc/passwd", "missing.png"])
def test_paths_outside_media_or_missing_are_404(client, media, path):
    assert client.get(f"/media/{path}").status_code == 404
