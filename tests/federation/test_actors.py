"""Actor documents and collections of local people; keys made on first need."""

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from django.test import RequestFactory
from django.utils import timezone

from connective.accounts.models import Person
from connective.content.models import Post, Visibility
from connective.federation.keys import NotLocal, ensure_keys, key_id
from connective.federation.signatures import sign_request
from connective.federation.views.actors import actor_response
from connective.network.models import Connection
from connective.topics.services.resolve import get_or_create_topics
from tests.conftest import make_person, make_remote_person

pytestmark = pytest.mark.django_db
AP = "application/activity+json"
KEYS = Path(__file__).parent / "fixtures" / "keys"
REMOTE_KEY_ID = "https://remote.example/users/dana#main-key"
LD = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'


def get_ap(client, path, accept=AP):
    return client.get(path, HTTP_ACCEPT=accept)


def test_keys_are_made_once_on_first_need(ana):
    assert ana.public_key_pem == ""
    ensure_keys(ana)
    first = ana.private_key_pem
    key = serialization.load_pem_private_key(first.encode(), password=None)
    assert key.key_size == 2048
    ensure_keys(Person.objects.get(pk=ana.pk))
    assert Person.objects.get(pk=ana.pk).private_key_pem == first
    assert key_id(ana) == f"{ana.uri}#main-key"


def test_keys_are_not_made_for_remote_people(remote):
    with pytest.raises(NotLocal):
        ensure_keys(remote)


@pytest.mark.parametrize("accept", [AP, LD, f"{AP}, application/json;q=0.5"])
def test_actor_document_at_the_person_uri(client, ana, accept):
    response = get_ap(client, "/@ana", accept)
    assert response.status_code == 200
    assert response["Content-Type"] == AP
    assert response["Vary"] == "Accept"
    doc = response.json()
    assert doc["id"] == ana.uri and doc["type"] == "Person"
    assert doc["preferredUsername"] == "ana" and doc["name"] == "Ana Lima"
    assert doc["url"].endswith("/@ana/")
    assert doc["inbox"].endswith("/@ana/inbox/")
    assert doc["endpoints"]["sharedInbox"].endswith("/inbox/")
    assert doc["outbox"].endswith("/@ana/outbox")
    assert doc["publicKey"]["id"] == f"{ana.uri}#main-key"
    assert doc["publicKey"]["owner"] == ana.uri
    assert doc["publicKey"]["publicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")
    assert doc["manuallyApprovesFollowers"] is False
    assert "https://www.w3.org/ns/activitystreams" in doc["@context"]


def test_private_key_never_appears(client, ana):
    for path in ("/@ana", "/@ana/actor"):
        body = get_ap(client, path).content
        ana.refresh_from_db()
        assert ana.private_key_pem
        assert b"PRIVATE KEY" not in body
        assert ana.private_key_pem.splitlines()[1].encode() not in body


def test_browsers_are_sent_to_the_profile_page(client, ana):
    response = client.get("/@ana", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert response.status_code == 302
    assert response["Location"] == "/@ana/"


def test_actor_response_is_for_activitypub_requests_and_local_people_only(ana, remote):
    factory = RequestFactory()
    assert actor_response(factory.get("/@ana/", HTTP_ACCEPT="text/html"), ana) is None
    assert actor_response(factory.get("/@ana/", HTTP_ACCEPT=AP), remote) is None
    response = actor_response(factory.get("/@ana/", HTTP_ACCEPT=AP), ana)
    assert response is not None and json.loads(response.content)["id"] == ana.uri


def test_actor_shows_approval_moves_aliases_and_our_topic_extension(client, ana, ben):
    ana.requires_approval = True
    ana.discoverable = False
    ana.also_known_as = ["https://old.example/users/ana"]
    ana.moved_to = ben
    ana.save()
    ana.interests.set(get_or_create_topics(["Statistics"]))
    ana.expertise.set(get_or_create_topics(["Open licensing"]))
    doc = get_ap(client, "/@ana/actor").json()
    assert doc["manuallyApprovesFollowers"] is True
    assert doc["discoverable"] is False
    assert doc["alsoKnownAs"] == ["https://old.example/users/ana"]
    assert doc["movedTo"] == ben.uri
    assert [t["name"] for t in doc["interests"]] == ["#Statistics"]
    assert doc["interests"][0]["type"] == "Hashtag"
    assert [t["name"] for t in doc["expertise"]] == ["#Open licensing"]
    terms = doc["@context"][-1]
    assert terms["interests"]["@id"] == "connective:interests"


def test_suspended_person_answers_410_with_a_tombstone(client):
    make_person("sam", suspended_at=timezone.now())
    response = get_ap(client, "/@sam")
    assert response.status_code == 410
    assert response.json()["type"] == "Tombstone"
    assert get_ap(client, "/@sam/outbox").status_code == 404


def test_unknown_and_remote_people_have_no_actor_here(client, remote):
    assert get_ap(client, "/@nobody").status_code == 404
    assert get_ap(client, "/@dana@remote.example").status_code == 404
    assert get_ap(client, "/@dana@remote.example/outbox").status_code == 404


def test_outbox_counts_and_pages_public_posts_only(client, ana, ben):
    now = timezone.now()
    public = [
        Post.objects.create(author=ana, body=f"note {i}", created_at=now, uri=None)
        for i in range(3)
    ]
    Post.objects.create(author=ana, body="network", visibility=Visibility.NETWORK, created_at=now)
    Post.objects.create(author=ana, body="private", visibility=Visibility.PRIVATE, created_at=now)
    Post.objects.create(author=ana, body="gone", created_at=now, deleted_at=now)
    Post.objects.create(author=ben, body="ben's", created_at=now)
    outbox = get_ap(client, "/@ana/outbox").json()
    assert outbox["type"] == "OrderedCollection"
    assert outbox["totalItems"] == 3
    page = client.get(outbox["first"].split("testserver")[-1], HTTP_ACCEPT=AP).json()
    assert page["type"] == "OrderedCollectionPage"
    assert len(page["orderedItems"]) == 3
    items = json.dumps(page)
    assert "network" not in items and "private" not in items and "ben's" not in items
    for post in public:
        assert f"/posts/{post.pk}/" in items


def test_outbox_page_with_a_bad_cursor_is_400(client, ana):
    assert get_ap(client, "/@ana/outbox?page=true&cursor=%%%").status_code == 400


def test_followers_and_following_give_counts_not_lists(client, ana, ben, chloe):
    Connection.objects.create(owner=ben, target=ana, direction="learn_from")
    Connection.objects.create(owner=chloe, target=ana, direction="learn_with")
    Connection.objects.create(owner=ana, target=ben, direction="help")
    Connection.objects.create(
        owner=make_remote_person("dana"), target=ana, status=Connection.Status.PENDING
    )
    followers = get_ap(client, "/@ana/followers").json()
    assert followers["type"] == "OrderedCollection"
    assert followers["totalItems"] == 2
    assert "orderedItems" not in followers and "first" not in followers
    assert get_ap(client, "/@ana/following").json()["totalItems"] == 1


def _signed_get(client, path, signer_key="rsa-a", key_id=REMOTE_KEY_ID):
    headers = sign_request(
        "GET", f"http://testserver{path}", {"Accept": AP}, None, key_id, _pem(signer_key)
    )
    meta = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()}
    return client.get(path, **meta)


def _pem(name):
    return (KEYS / f"{name}.private.pem").read_text()


@pytest.fixture
def signer():
    person = make_remote_person("dana")
    person.public_key_pem = (KEYS / "rsa-a.public.pem").read_text()
    person.save()
    return person


def test_authorized_fetch_requires_a_valid_signature(client, ana, signer, settings):
    settings.CONNECTIVE_AUTHORIZED_FETCH = True
    for path in ("/@ana/outbox", "/@ana/followers", "/@ana/following"):
        assert get_ap(client, path).status_code == 401
        assert _signed_get(client, path).status_code == 200
        assert _signed_get(client, path, signer_key="rsa-b").status_code == 401
    bad = client.get("/@ana/outbox", HTTP_ACCEPT=AP, HTTP_SIGNATURE='keyId="x",,,"')
    assert bad.status_code in (400, 401)


def test_actor_documents_stay_readable_with_authorized_fetch(client, ana, settings):
    """Other servers need our key to check our signatures, so the actor is always served."""
    settings.CONNECTIVE_AUTHORIZED_FETCH = True
    assert get_ap(client, "/@ana").status_code == 200


def test_without_the_setting_nothing_needs_signing(client, ana):
    assert get_ap(client, "/@ana/outbox").status_code == 200
