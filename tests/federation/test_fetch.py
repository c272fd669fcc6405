"""fetch_object: only ActivityPub documents, only from their own id, within limits (T-03, T-05,
T-07, T-10, T-14, T-18, T-20)."""

import json

import pytest
from django.conf import settings as django_settings

from connective.core.http import URLNotAllowed
from connective.federation.services.fetch import (
    AP_MEDIA_TYPES,
    ObjectGone,
    ObjectRejected,
    fetch_object,
    normalise_url,
)
from tests.trap import bare_trap, trap  # noqa: F401

AP = "application/activity+json"
# Our fetches are signed by the instance actor, whose row (and key) lives in the database.
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _http_peers(settings):
    settings.CONNECTIVE_FEDERATION_ALLOW_HTTP = True


def note(server, path="/notes/1", **extra):
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": server.url(path),
        "type": "Note",
        "content": "hello",
        **extra,
    }


def test_fetches_a_document_from_its_own_id(trap):  # noqa: F811
    trap.serve("/notes/1", json.dumps(note(trap)), content_type=AP)
    doc = fetch_object(trap.url("/notes/1"))
    assert doc["content"] == "hello"
    hit = trap.hits[0]
    assert AP in hit.headers["Accept"]
    signature = hit.headers["Signature"]
    assert f'keyId="{django_settings.CONNECTIVE_SITE_URL}/actor#main-key"' in signature
    assert 'headers="(request-target) host date"' in signature


def test_unsigned_when_signed_fetches_are_off(trap, settings):  # noqa: F811
    settings.CONNECTIVE_SIGNED_FETCH = False
    trap.serve("/notes/1", json.dumps(note(trap)), content_type=AP)
    fetch_object(trap.url("/notes/1"))
    assert "Signature" not in trap.hits[0].headers


@pytest.mark.parametrize(
    "content_type",
    [
        AP,
        'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
        f"{AP}; charset=utf-8",
    ],
)
def test_activitypub_media_types_are_accepted(trap, content_type):  # noqa: F811
    trap.serve("/notes/1", json.dumps(note(trap)), content_type=content_type)
    assert fetch_object(trap.url("/notes/1"))["type"] == "Note"


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "application/octet-stream", "text/html; charset=utf-8", "image/png", ""],
)
def test_t05_other_media_types_are_refused(trap, content_type):  # noqa: F811
    """An uploaded evil.json served as a file is not an ActivityPub object."""
    trap.serve(
        "/media/evil.json", json.dumps(note(trap, "/media/evil.json")), content_type=content_type
    )
    with pytest.raises(ObjectRejected, match="not an ActivityPub document"):
        fetch_object(trap.url("/media/evil.json"))
    assert "application/json" not in AP_MEDIA_TYPES


def test_t03_id_must_equal_the_url(trap):  # noqa: F811
    trap.serve("/notes/1", json.dumps(note(trap, "/notes/2")), content_type=AP)
    trap.serve(
        "/notes/3",
        json.dumps(note(trap) | {"id": "https://other.example/notes/3"}),
        content_type=AP,
    )
    trap.serve("/notes/4", json.dumps({"type": "Note"}), content_type=AP)
    for path in ("/notes/1", "/notes/3", "/notes/4"):
        with pytest.raises(ObjectRejected):
            fetch_object(trap.url(path))


def test_t03_id_must_equal_the_final_url_after_redirects(trap):  # noqa: F811
    trap.redirect("/notes/1", trap.url("/elsewhere/1"))
    trap.serve("/elsewhere/1", json.dumps(note(trap, "/notes/1")), content_type=AP)
    with pytest.raises(ObjectRejected, match="id"):
        fetch_object(trap.url("/notes/1"))
    trap.serve("/elsewhere/2", json.dumps(note(trap, "/elsewhere/2")), content_type=AP)
    trap.redirect("/notes/2", trap.url("/elsewhere/2"))
    assert fetch_object(trap.url("/notes/2"))["id"] == trap.url("/elsewhere/2")


def test_t03_redirect_to_another_host_claiming_the_original_id_is_refused(trap):  # noqa: F811
    other = trap.url("/notes/1", host="127.0.0.1").replace("127.0.0.1", "localhost")
    trap.redirect("/notes/1", trap.url("/moved/1"))
    trap.serve("/moved/1", json.dumps(note(trap) | {"id": other}), content_type=AP)
    with pytest.raises(ObjectRejected):
        fetch_object(trap.url("/notes/1"))


def test_urls_are_compared_after_normalising():
    assert (
        normalise_url("HTTPS://Peer.Example:443/users/a#main-key") == "https://peer.example/users/a"
    )
    assert normalise_url("https://peer.example") == "https://peer.example/"
    assert normalise_url("https://peer.example/?author=1") == "https://peer.example/?author=1"
    assert normalise_url("https://peer.example/users/A") != normalise_url(
        "https://peer.example/users/a"
    )


def test_gone_and_missing_objects(trap):  # noqa: F811
    trap.serve("/notes/9", json.dumps({"type": "Tombstone"}), status=410, content_type=AP)
    with pytest.raises(ObjectGone):
        fetch_object(trap.url("/notes/9"))
    with pytest.raises(ObjectGone):
        fetch_object(trap.url("/notes/404"))
    trap.serve("/notes/500", "oops", status=500)
    with pytest.raises(ObjectRejected, match="500"):
        fetch_object(trap.url("/notes/500"))


def test_t14_oversize_documents_are_refused(trap):  # noqa: F811
    big = note(trap) | {"content": "x" * (3 * 1024 * 1024)}
    trap.serve("/notes/1", json.dumps(big), content_type=AP)
    with pytest.raises(Exception, match="larger"):
        fetch_object(trap.url("/notes/1"))


@pytest.mark.parametrize(
    "body",
    [b"[" * 2000 + b"]" * 2000, b'{"id": 1, "id": 2}', b"\xff\xfe", b'{"n": ' + b"9" * 5000 + b"}"],
)
def test_t18_abusive_json_is_refused(trap, body):  # noqa: F811
    trap.serve("/notes/1", body, content_type=AP)
    with pytest.raises(ObjectRejected, match="not usable"):
        fetch_object(trap.url("/notes/1"))


def test_t07_jsonld_rewiring_is_refused(trap):  # noqa: F811
    doc = note(trap) | {"@graph": [{"type": "Note", "id": "https://victim.example/1"}]}
    trap.serve("/notes/1", json.dumps(doc), content_type=AP)
    with pytest.raises(ObjectRejected, match="@graph"):
        fetch_object(trap.url("/notes/1"))


def test_t20_contexts_are_never_fetched(trap):  # noqa: F811
    doc = note(trap) | {
        "@context": [trap.url("/context.jsonld"), "http://169.254.169.254/latest/meta-data/"]
    }
    trap.serve("/notes/1", json.dumps(doc), content_type=AP)
    assert fetch_object(trap.url("/notes/1"))["id"] == trap.url("/notes/1")
    assert trap.hits_for("/context.jsonld") == 0
    assert len(trap.hits) == 1


def test_t10_private_addresses_are_refused_before_connecting(bare_trap):  # noqa: F811
    for url in (
        bare_trap.url("/notes/1"),
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/x",
        "http://2130706433/x",
        "http://localhost./x",
    ):
        with pytest.raises((URLNotAllowed, ObjectRejected)):
            fetch_object(url)
    assert bare_trap.hits == []


def test_plain_http_needs_the_test_setting(settings, bare_trap):  # noqa: F811
    settings.CONNECTIVE_FEDERATION_ALLOW_HTTP = False
    with pytest.raises(ObjectRejected, match="https"):
        fetch_object(bare_trap.url("/notes/1"))
    for scheme in ("ftp://peer.example/x", "file:///etc/passwd", "data:text/plain,x"):
        with pytest.raises(ObjectRejected):
            fetch_object(scheme)
    assert bare_trap.hits == []


@pytest.mark.django_db
def test_authorized_fetch_signs_the_get(trap, ana):  # noqa: F811
    from django.utils import timezone

    from connective.federation.signatures import verify_request

    trap.serve("/notes/1", json.dumps(note(trap)), content_type=AP)
    fetch_object(trap.url("/notes/1"), signed_by=ana)
    hit = trap.hits[0]
    assert f'keyId="{ana.uri}#main-key"' in hit.headers["Signature"]
    ana.refresh_from_db()
    verify_request(
        "GET", "/notes/1", hit.headers, b"", ana.public_key_pem, now=timezone.now(), scheme="http"
    )


def test_our_fetches_are_signed_by_the_instance_actor(trap):  # noqa: F811
    """Servers in authorized-fetch mode check this signature against the key at /actor."""
    from django.utils import timezone

    from connective.federation.services.groups import instance_actor
    from connective.federation.signatures import verify_request

    trap.serve("/users/zoe", json.dumps(note(trap, "/users/zoe")), content_type=AP)
    fetch_object(trap.url("/users/zoe"))
    hit = trap.hits[0]
    actor = instance_actor()
    assert actor.actor_type == "Application" and actor.user_id is None
    verify_request(
        "GET",
        "/users/zoe",
        hit.headers,
        b"",
        actor.public_key_pem,
        now=timezone.now(),
        scheme="http",
    )
