"""Avatar uploads: only real, modest pictures get in, re-encoded under a generated name (T-15)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from connective.accounts.models import Person
from connective.accounts.services.profile import ProfileError, set_avatar
from tests.accounts.conftest import image_bytes

pytestmark = pytest.mark.django_db
URL = "/settings/"


def post_avatar(client, name: str, data: bytes, content_type: str = "image/png"):
    upload = SimpleUploadedFile(name, data, content_type=content_type)
    return client.post(
        URL,
        {"display_name": "Ana Lima", "bio": "", "interests": "", "expertise": "", "avatar": upload},
    )


@pytest.fixture(scope="module")
def bomb_png() -> bytes:
    """A 1-bit 20000×20000 PNG: a few kilobytes on disk, 400 million pixels when decoded."""
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def test_a_good_png_is_accepted_resized_and_renamed(ana, ana_client):
    response = post_avatar(ana_client, "../../etc/me.png", image_bytes(size=(1200, 800)))
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.avatar.name.startswith("avatars/")
    assert "me" not in ana.avatar.name and ".." not in ana.avatar.name
    with Image.open(ana.avatar.path) as stored:
        assert stored.size == (400, 267)
        assert stored.format == "JPEG"


@pytest.mark.parametrize("fmt", ["JPEG", "GIF", "WEBP"])
def test_other_allowed_formats_are_accepted(ana, ana_client, fmt):
    response = post_avatar(ana_client, f"me.{fmt.lower()}", image_bytes(fmt, (120, 90)))
    assert response.status_code == 302
    ana.refresh_from_db()
    with Image.open(ana.avatar.path) as stored:
        assert stored.size == (120, 90)  # small pictures are not enlarged


def test_transparency_is_kept_as_png(ana, ana_client):
    post_avatar(ana_client, "me.png", image_bytes("PNG", (500, 500), mode="RGBA"))
    ana.refresh_from_db()
    assert ana.avatar.name.endswith(".png")


def test_a_new_avatar_replaces_the_old_file(ana, ana_client):
    post_avatar(ana_client, "a.png", image_bytes())
    ana.refresh_from_db()
    old = ana.avatar.path
    post_avatar(ana_client, "b.png", image_bytes())
    ana.refresh_from_db()
    assert ana.avatar.path != old
    assert not ana.avatar.storage.exists(old)


def assert_refused(ana: Person, response, message: str, before: str):
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'id="id_avatar_error"' in page
    ana.refresh_from_db()
    assert ana.avatar.name == before
    assert ana.display_name == "Ana Lima"


@pytest.fixture
def ana_with_avatar(ana, ana_client) -> str:
    ana.display_name = "Ana Lima"
    ana.save()
    post_avatar(ana_client, "start.png", image_bytes())
    ana.refresh_from_db()
    return ana.avatar.name


def test_a_20_mb_upload_is_refused(ana, ana_client, ana_with_avatar):
    data = image_bytes() + b"\0" * (20 * 1024 * 1024)
    response = post_avatar(ana_client, "big.png", data)
    assert_refused(ana, response, "too large", ana_with_avatar)


def test_a_text_file_named_png_is_refused(ana, ana_client, ana_with_avatar):
    response = post_avatar(ana_client, "notes.png", b"just some notes\n" * 20)
    assert_refused(ana, response, "PNG, JPEG, GIF or WebP", ana_with_avatar)


def test_an_svg_is_refused(ana, ana_client, ana_with_avatar):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = post_avatar(ana_client, "me.svg", svg, "image/svg+xml")
    assert_refused(ana, response, "not a picture", ana_with_avatar)


def test_an_svg_named_png_with_an_image_type_is_refused(ana, ana_client, ana_with_avatar):
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>'
    response = post_avatar(ana_client, "me.png", svg, "image/png")
    assert_refused(ana, response, "not a picture", ana_with_avatar)


def test_t15_a_gif_html_polyglot_is_refused(ana, ana_client, ana_with_avatar):
    polyglot = b"GIF89a<html><script>alert(1)</script></html>" + image_bytes("GIF")[6:]
    response = post_avatar(ana_client, "me.gif", polyglot, "image/gif")
    assert_refused(ana, response, "not a picture", ana_with_avatar)


def test_t15_a_decompression_bomb_is_refused(ana, ana_client, ana_with_avatar, bomb_png):
    assert len(bomb_png) < 2 * 1024 * 1024
    response = post_avatar(ana_client, "bomb.png", bomb_png)
    assert_refused(ana, response, "dimensions are too large", ana_with_avatar)


def test_a_picture_over_4096_pixels_wide_is_refused(ana, ana_client, ana_with_avatar):
    response = post_avatar(ana_client, "wide.png", image_bytes("PNG", (5000, 10), mode="L"))
    assert_refused(ana, response, "at most 4096", ana_with_avatar)


def test_a_truncated_png_is_refused(ana, ana_client, ana_with_avatar):
    data = image_bytes(size=(300, 300))
    response = post_avatar(ana_client, "cut.png", data[: len(data) // 2])
    assert_refused(ana, response, "damaged", ana_with_avatar)


def test_an_empty_file_is_refused(ana, ana_client, ana_with_avatar):
    response = post_avatar(ana_client, "empty.png", b"")
    assert response.status_code == 400
    ana.refresh_from_db()
    assert ana.avatar.name == ana_with_avatar


def test_a_refused_avatar_stores_nothing_else_either(ana, ana_client, ana_with_avatar):
    upload = SimpleUploadedFile("notes.png", b"not a picture", content_type="image/png")
    data = {"display_name": "Someone Else", "bio": "new", "interests": "x", "avatar": upload}
    assert ana_client.post(URL, data).status_code == 400
    ana.refresh_from_db()
    assert (ana.display_name, ana.bio, ana.interests.count()) == ("Ana Lima", "", 0)


def test_removing_the_avatar(ana, ana_client, ana_with_avatar):
    ana_client.post(
        URL, {"display_name": "Ana Lima", "remove_avatar": "on", "interests": "", "expertise": ""}
    )
    ana.refresh_from_db()
    assert not ana.avatar


def test_set_avatar_service_refuses_with_a_field(ana):
    with pytest.raises(ProfileError) as caught:
        set_avatar(ana, SimpleUploadedFile("x.png", b"nope"))
    assert caught.value.field == "avatar"
