"""Remote people: WebFinger → actor → a Person row, from every kind of server (T-03, T-10,
T-19, T-22)."""

import json

import pytest

from connective.accounts.models import Person
from connective.core import events
from connective.federation.documents.remote_actor import BadActor, actor_from_ap
from connective.federation.services.resolve import (
    NotAllowed,
    NotFound,
    ResolveError,
    record_actor,
    resolve_actor,
    resolve_handle,
    resolve_url,
)
from tests.federation.remote_peer import (
    actor_fixture,
    path_of,
    rebased,
    serve_actor,
    serve_webfinger,
)
from tests.trap import bare_trap, trap  # noqa: F401

SOFTWARE = ["mastodon", "pleroma", "misskey", "gotosocial", "peertube", "lemmy", "wordpress"]


@pytest.fixture(autouse=True)
def _http_peers(settings):
    settings.CONNECTIVE_FEDERATION_ALLOW_HTTP = True


@pytest.mark.parametrize("software", SOFTWARE)
def test_every_fixture_actor_is_read(software):
    doc = actor_fixture(software)
    actor = actor_from_ap(doc)
    assert actor.uri == doc["id"]
    assert actor.handle == doc["preferredUsername"]
    assert actor.inbox_url == doc["inbox"]
    assert actor.public_key_pem.startswith("-----BEGIN PUBLIC KEY-----")
    assert actor.domain == actor.uri.split("/")[2]
    assert actor.url.startswith("https://")


def test_mastodon_actor_fields():
    actor = actor_from_ap(actor_fixture("mastodon"))
    assert actor.display_name == "Zoë Díaz :verified:"
    assert actor.shared_inbox_url == "https://mastodon.example/inbox"
    assert actor.followers_url == "https://mastodon.example/users/zoe/followers"
    assert actor.url == "https://mastodon.example/@zoe"
    assert actor.discoverable is True and actor.requires_approval is False
    assert actor.also_known_as == ["https://old.example/users/zoe"]
    assert actor.icon_url.endswith("a1b2c3.png")
    assert "#<span>statistics</span>" in actor.bio_html


def test_software_quirks():
    gts = actor_from_ap(actor_fixture("gotosocial"))
    assert gts.requires_approval is True  # locked account
    assert gts.shared_inbox_url == ""  # no sharedInbox advertised
    assert gts.public_key_pem  # key id …/main-key, not #main-key
    channel = actor_from_ap(actor_fixture("peertube"))
    assert channel.actor_type == "Group"
    assert channel.icon_url.endswith("small.png")  # a list of icons
    lemmy = actor_from_ap(actor_fixture("lemmy"))
    assert lemmy.followers_url == "" and lemmy.url == lemmy.uri
    wordpress = actor_from_ap(actor_fixture("wordpress"))
    assert wordpress.uri == "https://blog.example/?author=1"
    misskey = actor_from_ap(actor_fixture("misskey"))
    assert misskey.display_name == "しゅいろ" and misskey.url == "https://misskey.example/@syuilo"


def test_t22_script_in_remote_bio_is_removed():
    for software in ("pleroma", "lemmy", "gotosocial"):
        bio = actor_from_ap(actor_fixture(software)).bio_html
        assert "<script" not in bio and "onerror" not in bio and "javascript:" not in bio


def test_t26_bidi_override_in_remote_name_is_dropped():
    assert actor_from_ap(actor_fixture("gotosocial")).display_name == "tobi evil"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"type": "Note"}, "not a person"),
        ({"id": "javascript:alert(1)"}, "id"),
        ({"preferredUsername": "<b>x</b>"}, "preferredUsername"),
        ({"preferredUsername": None}, "preferredUsername"),
        ({"inbox": "ftp://mastodon.example/inbox"}, "inbox"),
    ],
)
def test_unusable_actor_documents_are_refused(change, reason):
    doc = actor_fixture("mastodon") | change
    with pytest.raises(BadActor, match=reason):
        actor_from_ap(doc)


def test_a_key_owned_by_someone_else_is_not_recorded():
    doc = actor_fixture("mastodon")
    doc["publicKey"]["owner"] = "https://mastodon.example/users/other"
    assert actor_from_ap(doc).public_key_pem == ""
    doc = actor_fixture("mastodon")
    doc["publicKey"]["id"] = "https://evil.example/key"
    assert actor_from_ap(doc).public_key_pem == ""


@pytest.mark.django_db
def test_record_actor_creates_then_updates_and_announces():
    seen = []

    def listener(person):
        seen.append(person.uri)

    events.subscribe(events.PERSON_CREATED, listener)
    events.subscribe(events.PERSON_UPDATED, listener)
    try:
        person = record_actor(actor_from_ap(actor_fixture("mastodon")))
        assert person.domain == "mastodon.example" and person.handle == "zoe"
        assert person.fetched_at is not None and not person.is_local
        changed = actor_fixture("mastodon") | {"name": "Zoë"}
        again = record_actor(actor_from_ap(changed))
        assert again.pk == person.pk and again.display_name == "Zoë"
        record_actor(actor_from_ap(changed))  # nothing changed: no announcement
    finally:
        events._subscribers[events.PERSON_CREATED].remove(listener)
        events._subscribers[events.PERSON_UPDATED].remove(listener)
    assert seen == [person.uri, person.uri]


@pytest.mark.django_db
def test_a_remote_server_cannot_claim_our_own_people(settings, ana):
    doc = actor_fixture("mastodon") | {"id": ana.uri, "preferredUsername": "ana"}
    with pytest.raises(ResolveError):
        record_actor(actor_from_ap(doc))
    ana.refresh_from_db()
    assert ana.is_local and ana.public_key_pem == ""


@pytest.mark.django_db
def test_resolve_handle_through_webfinger(trap):  # noqa: F811
    doc = rebased("mastodon", trap)
    serve_actor(trap, doc)
    handle = serve_webfinger(trap, "zoe", doc["id"])
    person = resolve_handle(f"@{handle}")
    assert person.uri == doc["id"] and person.handle == "zoe"
    assert person.domain == handle.split("@")[1]
    assert person.public_key_pem.startswith("-----BEGIN PUBLIC KEY-----")
    webfinger = next(hit for hit in trap.hits if hit.path.startswith("/.well-known/webfinger"))
    assert "resource=acct:zoe@" in webfinger.path
    # Known and fresh: no more requests.
    hits = len(trap.hits)
    assert resolve_handle(handle).pk == person.pk
    assert len(trap.hits) == hits


@pytest.mark.django_db
@pytest.mark.parametrize("software", SOFTWARE)
def test_every_fixture_actor_is_fetched_and_recorded(trap, software):  # noqa: F811
    doc = rebased(software, trap)
    serve_actor(trap, doc)
    person = resolve_actor(doc["id"])
    assert Person.objects.get(uri=doc["id"]).pk == person.pk
    assert person.inbox_url == doc["inbox"]


@pytest.mark.django_db
def test_t03_document_naming_another_id_creates_nothing(trap):  # noqa: F811
    doc = rebased("mastodon", trap)
    real_id = doc["id"]
    doc["id"] = real_id.replace("/users/zoe", "/users/other")
    trap.serve(path_of(real_id, trap), json.dumps(doc), content_type="application/activity+json")
    with pytest.raises(ResolveError):
        resolve_actor(real_id)
    assert not Person.objects.filter(domain__startswith="127.0.0.1").exists()


@pytest.mark.django_db
def test_t03_a_refetch_that_names_another_id_updates_nothing(trap):  # noqa: F811
    doc = rebased("mastodon", trap)
    serve_actor(trap, doc)
    person = resolve_actor(doc["id"])
    evil = dict(doc, id="https://other.example/users/zoe", name="Mallory")
    trap.serve(path_of(doc["id"], trap), json.dumps(evil), content_type="application/activity+json")
    with pytest.raises(ResolveError):
        resolve_actor(doc["id"], refresh=True)
    person.refresh_from_db()
    assert person.display_name == "Zoë Díaz :verified:"
    assert not Person.objects.filter(uri="https://other.example/users/zoe").exists()


@pytest.mark.django_db
def test_t03_redirect_to_a_document_claiming_the_first_url_is_refused(trap):  # noqa: F811
    doc = rebased("lemmy", trap)
    real_id = doc["id"]
    doc["id"] = trap.url("/u/bob")
    trap.serve(path_of(real_id, trap), json.dumps(doc), content_type="application/activity+json")
    trap.redirect("/u/bob", real_id)
    with pytest.raises(ResolveError):
        resolve_actor(trap.url("/u/bob"))
    assert Person.objects.filter(domain__startswith="127.0.0.1").count() == 0


@pytest.mark.django_db
def test_t03_a_redirect_is_believed_only_for_the_final_url(trap):  # noqa: F811
    doc = rebased("lemmy", trap)
    serve_actor(trap, doc)
    trap.redirect("/u/bob", doc["id"])
    assert resolve_actor(trap.url("/u/bob")).uri == doc["id"]
    assert not Person.objects.filter(uri=trap.url("/u/bob")).exists()


@pytest.mark.django_db
def test_profile_url_is_followed_to_the_actor_id(trap):  # noqa: F811
    doc = rebased("mastodon", trap)
    serve_actor(trap, doc)
    trap.serve("/@zoe", json.dumps(doc), content_type="application/activity+json")
    person = resolve_url(trap.url("/@zoe"))
    assert person.uri == doc["id"]
    assert trap.hits_for("/users/zoe") == 1  # believed only from its own id


@pytest.mark.django_db
def test_t10_webfinger_to_a_private_address_is_refused(settings, bare_trap):  # noqa: F811
    with pytest.raises(NotAllowed, match="URL not allowed"):
        resolve_handle(f"zoe@127.0.0.1:{bare_trap.port}")
    with pytest.raises(NotAllowed, match="URL not allowed"):
        resolve_handle("zoe@169.254.169.254")
    with pytest.raises(NotAllowed):
        resolve_actor(f"http://127.0.0.1:{bare_trap.port}/users/zoe")
    assert bare_trap.hits == []
    assert not Person.objects.filter(handle="zoe").exists()


@pytest.mark.django_db
def test_t10_plain_http_is_refused_without_the_test_setting(settings, bare_trap):  # noqa: F811
    settings.CONNECTIVE_FEDERATION_ALLOW_HTTP = False
    with pytest.raises(NotAllowed):
        resolve_actor(f"http://127.0.0.1:{bare_trap.port}/users/zoe")
    assert bare_trap.hits == []


@pytest.mark.django_db
def test_unknown_handle_is_not_found(trap):  # noqa: F811
    host = trap.url("").removeprefix("http://").rstrip("/")
    with pytest.raises(NotFound):
        resolve_handle(f"nobody@{host}")


@pytest.mark.parametrize("text", ["zoe", "@zoe@", "zoe@host@x", "a b@host", "@@x.example"])
def test_malformed_handles_are_refused_without_a_request(text):
    with pytest.raises(NotFound):
        resolve_handle(text)


@pytest.mark.django_db
def test_our_own_handle_resolves_locally(ana, settings):
    from connective.core.uris import site_host

    assert resolve_handle(f"@ana@{site_host()}").pk == ana.pk
    assert resolve_actor(ana.uri).pk == ana.pk


@pytest.mark.django_db
def test_move_is_recorded_when_the_new_account_names_the_old(trap):  # noqa: F811
    old = rebased("pleroma", trap)
    new = rebased("mastodon", trap)
    new["alsoKnownAs"] = [old["id"]]
    old["movedTo"] = new["id"]
    serve_actor(trap, old)
    serve_actor(trap, new)
    person = resolve_actor(old["id"])
    assert person.moved_to is not None and person.moved_to.uri == new["id"]


@pytest.mark.django_db
def test_move_without_alias_is_not_recorded(trap):  # noqa: F811
    old = rebased("pleroma", trap)
    new = rebased("mastodon", trap)
    new["alsoKnownAs"] = []
    old["movedTo"] = new["id"]
    serve_actor(trap, old)
    serve_actor(trap, new)
    assert resolve_actor(old["id"]).moved_to is None


@pytest.mark.django_db
def test_t19_move_chains_and_cycles_are_bounded(trap):  # noqa: F811
    """A moved to B moved to A …: one resolution makes at most three requests."""
    a = rebased("pleroma", trap)
    b = rebased("mastodon", trap)
    a["movedTo"], b["movedTo"] = b["id"], a["id"]
    a["alsoKnownAs"], b["alsoKnownAs"] = [b["id"]], [a["id"]]
    serve_actor(trap, a)
    serve_actor(trap, b)
    serve_webfinger(trap, "lain", a["id"])
    resolve_handle(f"lain@{trap.url('').removeprefix('http://').rstrip('/')}")
    assert len(trap.hits) <= 3


# -- avatars and domain blocks ------------------------------------------------------------------


def _png(width=64, height=64):
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (width, height), (30, 90, 140)).save(out, format="PNG")
    return out.getvalue()


def _with_icon(trap, path, body, content_type="image/png"):  # noqa: F811
    doc = rebased("mastodon", trap)
    doc["icon"] = {"type": "Image", "url": trap.url(path)}
    trap.serve(path, body, content_type=content_type)
    serve_actor(trap, doc)
    return doc


@pytest.mark.django_db
def test_remote_avatar_is_fetched_and_reencoded(trap, django_capture_on_commit_callbacks):  # noqa: F811
    doc = _with_icon(trap, "/avatars/zoe.png", _png())
    with django_capture_on_commit_callbacks(execute=True):
        person = resolve_actor(doc["id"])
    person.refresh_from_db()
    assert person.avatar
    assert person.avatar.name.startswith("avatars/") and "zoe" not in person.avatar.name
    assert trap.hits_for("/avatars/zoe.png") == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        b"<html><script>alert(1)</script></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        _png(5000, 5000),
    ],
)
def test_t15_remote_avatar_that_is_not_a_safe_picture_is_refused(
    trap,  # noqa: F811
    django_capture_on_commit_callbacks,
    body,
):
    doc = _with_icon(trap, "/avatars/evil.png", body)
    with django_capture_on_commit_callbacks(execute=True):
        person = resolve_actor(doc["id"])
    person.refresh_from_db()
    assert not person.avatar
    assert person.display_name  # the person is still recorded


@pytest.mark.django_db
def test_media_of_a_rejected_domain_is_not_fetched(trap, django_capture_on_commit_callbacks):  # noqa: F811
    from connective.federation.models import DomainBlock

    DomainBlock.objects.create(
        domain="127.0.0.1", severity=DomainBlock.Severity.SILENCE, reject_media=True
    )
    doc = _with_icon(trap, "/avatars/zoe.png", _png())
    with django_capture_on_commit_callbacks(execute=True):
        resolve_actor(doc["id"])
    assert trap.hits_for("/avatars/zoe.png") == 0


@pytest.mark.django_db
def test_people_of_a_suspended_domain_are_not_recorded(trap):  # noqa: F811
    from connective.federation.models import DomainBlock

    DomainBlock.objects.create(domain="127.0.0.1", severity=DomainBlock.Severity.SUSPEND)
    doc = rebased("mastodon", trap)
    serve_actor(trap, doc)
    with pytest.raises(NotAllowed, match="blocked"):
        resolve_actor(doc["id"])
    assert not Person.objects.filter(uri=doc["id"]).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.2",  # 127.0.0.1 is this test server's own host
        "0.0.0.0",
        "169.254.169.254",
        "10.0.0.8",
        "100.64.0.1",
        "192.168.1.1",
        "2130706433",
        "0x7f.1",
        "localhost.",
        "metadata.internal",
    ],
)
def test_t10_webfinger_hosts_on_private_networks_are_refused(host, bare_trap):  # noqa: F811
    with pytest.raises(NotAllowed, match="URL not allowed"):
        resolve_handle(f"@zoe@{host}")
    assert bare_trap.hits == []
    assert not Person.objects.filter(handle="zoe").exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_recording_of_a_new_actor_makes_one_row():
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database serialises threads by locking tables")
    actor = actor_from_ap(actor_fixture("misskey"))
    barrier = Barrier(6)

    def record(_):
        try:
            barrier.wait()
            return record_actor(actor).pk
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        ids = set(pool.map(record, range(6)))
    assert len(ids) == 1
    assert Person.objects.filter(uri=actor.uri).count() == 1
