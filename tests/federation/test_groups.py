"""Spaces and courses as Group actors (FEP-1b12): documents, WebFinger, Follow; the instance
actor. What groups send and receive: test_group_delivery.py."""

# ruff: noqa: F401, F811  (fixtures imported from tests.federation.peers)

import inspect
import json

import pytest
from django.conf import settings
from django.core.cache import cache

from connective.accounts.models import Person
from connective.content.models import Post
from connective.core.uris import site_host
from connective.federation.handlers.base import Ignored
from connective.federation.handlers.groups import admit_space_reply, handle_group_announce
from connective.federation.models import Delivery
from connective.federation.services import groups
from connective.federation.wire import Activity
from connective.network.models import Connection
from connective.network.services import relations
from connective.spaces.services.spaces import create_space, edit_space
from connective.spaces.services.threads import reply, start_thread
from tests.courses.conftest import build_course
from tests.federation.peers import act, create, dana, eve, make_peer, note, signed_post
from tests.trap import trap

pytestmark = pytest.mark.django_db
AP = "application/activity+json"
SHARED = "/inbox/"
EVE_KEY = {"key": "rsa-b", "key_id": "https://other.example/users/eve#main-key"}


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Rate-limit counters live in the cache, which outlives each test's database."""
    cache.clear()


@pytest.fixture
def space(ana):
    return create_space(ana, name="Statistics", description="Numbers *together*.")


@pytest.fixture
def closed(ana):
    return create_space(ana, name="Staff room", members_only=True)


def follow(actor, uri, n="1"):
    return act(actor, "Follow", uri, n)


def deliveries(kind=None):
    rows = list(Delivery.objects.order_by("pk"))
    return [d for d in rows if kind is None or d.activity["type"] == kind]


# --- documents ----------------------------------------------------------------------------


def test_open_space_is_a_group_at_its_own_url(client, space):
    response = client.get(f"/spaces/{space.slug}/", HTTP_ACCEPT=AP)
    assert response.status_code == 200
    assert response["Content-Type"] == AP and "Accept" in response["Vary"]
    doc = response.json()
    assert doc["id"] == space.uri and doc["type"] == "Group"
    assert doc["preferredUsername"] == space.slug and doc["name"] == "Statistics"
    assert "<em>together</em>" in doc["summary"]
    assert doc["inbox"].endswith("/inbox/") and doc["endpoints"]["sharedInbox"]
    assert doc["outbox"] == f"{space.uri.rstrip('/')}/outbox"
    assert doc["followers"] == f"{space.uri.rstrip('/')}/followers"
    assert doc["publicKey"]["id"] == f"{space.uri}#main-key"
    assert doc["publicKey"]["owner"] == space.uri
    assert "PRIVATE" not in response.content.decode()


def test_browsers_still_get_the_space_page(client, space, closed):
    response = client.get(f"/spaces/{space.slug}/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"Statistics" in response.content
    assert "Accept" in response["Vary"]
    handle = f"@{space.slug}@{site_host()}"
    assert f"on the fediverse: <code>{handle}</code>" in response.content.decode()
    # A members-only space's actor can be found but refuses follows: its page does not offer
    # an address nobody could follow.
    closed_handle = f"<code>@{closed.slug}@{site_host()}</code>"
    assert closed_handle not in client.get(f"/spaces/{closed.slug}/").content.decode()


def test_the_new_space_form_is_not_taken_for_a_slug(ana_client):
    assert ana_client.get("/spaces/new/").status_code == 200
    assert ana_client.get("/courses/new/").status_code == 200


def test_members_only_space_shows_only_what_its_page_shows_everyone(client, closed, ana):
    start_thread(ana, closed, title="Staff", body="Only us, marker-closed.")
    doc = client.get(f"/spaces/{closed.slug}/", HTTP_ACCEPT=AP).json()
    assert doc["type"] == "Group" and doc["manuallyApprovesFollowers"] is True
    outbox = client.get(f"/spaces/{closed.slug}/outbox", HTTP_ACCEPT=AP)
    assert outbox.json()["totalItems"] == 0 and b"marker-closed" not in outbox.content
    assert client.get("/spaces/nothing-here/", HTTP_ACCEPT=AP).status_code == 404


def test_group_actor_row_is_internal_and_made_once(space):
    first = groups.space_actor(space)
    assert groups.space_actor(space).pk == first.pk
    assert first.actor_type == "Group" and first.user_id is None and first.is_local
    assert first.uri == space.uri and first.handle == f"space.{space.pk}"


def test_space_outbox_lists_announces_of_its_threads(client, space, ana):
    root = start_thread(ana, space, title="Means", body="What is a mean?")
    doc = client.get(f"/spaces/{space.slug}/outbox", HTTP_ACCEPT=AP).json()
    assert doc["type"] == "OrderedCollection" and doc["totalItems"] == 1
    item = doc["orderedItems"][0]
    assert item["type"] == "Announce" and item["actor"] == space.uri
    assert item["object"]["type"] == "Create" and item["object"]["object"]["id"] == root.uri


def test_a_thread_post_names_its_space_as_audience(client, space, closed, ana):
    root = start_thread(ana, space, title="Means", body="What is a mean?")
    doc = client.get(f"/posts/{root.pk}/", HTTP_ACCEPT=AP).json()
    assert doc["audience"] == space.uri


def test_space_followers_collection_counts_only(client, space, dana):
    signed_post(SHARED, follow(dana, space.uri))
    doc = client.get(f"/spaces/{space.slug}/followers", HTTP_ACCEPT=AP).json()
    assert doc["totalItems"] == 1 and "orderedItems" not in doc


def test_group_collections_need_a_signature_under_authorized_fetch(client, space, settings):
    settings.CONNECTIVE_AUTHORIZED_FETCH = True
    for path in ("outbox", "followers"):
        assert client.get(f"/spaces/{space.slug}/{path}", HTTP_ACCEPT=AP).status_code == 401
    # The Group itself stays readable: servers need its key to check its signatures.
    assert client.get(f"/spaces/{space.slug}/", HTTP_ACCEPT=AP).status_code == 200
    assert client.get("/actor", HTTP_ACCEPT=AP).status_code == 200


def test_published_course_is_a_group_and_a_draft_is_not(client, ana):
    course = build_course(ana)
    draft = build_course(ana, title="Later", publish=False)
    doc = client.get(f"/courses/{course.slug}/", HTTP_ACCEPT=AP).json()
    assert doc["type"] == "Group" and doc["id"] == course.uri
    assert doc["preferredUsername"] == f"course.{course.slug}"
    assert client.get(f"/courses/{draft.slug}/", HTTP_ACCEPT=AP).status_code == 404
    page = client.get(f"/courses/{course.slug}/").content.decode()
    assert f"<code>@course.{course.slug}@{site_host()}</code>" in page


def test_a_courses_discussion_space_is_no_group_of_its_own(client, ana, ben):
    """One Group per conversation: the course's outbox holds its space's threads, whoever
    started them, and the space's own address offers ActivityPub clients nothing."""
    from connective.spaces.services.membership import join

    course = build_course(ana)
    join(course.space, ben)
    question = start_thread(ben, course.space, title="A question", body="Hello?")
    slug = course.space.slug
    for path in ("", "outbox", "followers"):
        assert client.get(f"/spaces/{slug}/{path}", HTTP_ACCEPT=AP).status_code == 404
    outbox = client.get(f"/courses/{course.slug}/outbox", HTTP_ACCEPT=AP).json()
    item = outbox["orderedItems"][0]  # the newest thread
    assert item["actor"] == course.uri and item["object"]["object"]["id"] == question.uri
    assert item["object"]["object"]["audience"] == course.uri
    assert client.get(f"/spaces/{slug}/").status_code == 200  # browsers: the page as ever


def test_internal_actor_rows_are_no_profiles_for_activitypub(client, space):
    actor = groups.space_actor(space)
    assert not actor.discoverable
    assert client.get(f"/@{actor.handle}", HTTP_ACCEPT=AP).status_code == 404
    assert client.get(f"/@{actor.handle}/", HTTP_ACCEPT=AP).status_code == 404
    assert client.get(f"/@{actor.handle}/actor").status_code == 404


def test_editing_a_space_updates_its_followers_copy(space, ana, dana):
    edit_space(space, ana, name="Statistics together")  # nobody follows yet: nothing sent
    assert not deliveries("Update")
    signed_post(SHARED, follow(dana, space.uri))
    edit_space(space, ana, name="Statistics and data")
    (update,) = deliveries("Update")
    assert update.activity["actor"] == space.uri and update.inbox_url == dana.shared_inbox_url
    assert update.activity["object"]["name"] == "Statistics and data"
    assert "@context" not in update.activity["object"]


def test_looking_up_our_own_space_goes_to_its_page(ana_client, space):
    response = ana_client.get("/lookup/", {"q": space.uri})
    assert response.status_code == 302 and response["Location"] == f"/spaces/{space.slug}/"
    response = ana_client.get("/lookup/", {"q": f"@{space.slug}@{site_host()}"})
    assert response.status_code == 302 and response["Location"] == f"/spaces/{space.slug}/"
    response = ana_client.get("/lookup/", {"q": space.uri})
    assert response["Location"] == f"/spaces/{space.slug}/"


# --- WebFinger ----------------------------------------------------------------------------


def finger(client, resource):
    return client.get("/.well-known/webfinger", {"resource": resource})


def test_webfinger_finds_a_space_by_its_slug(client, space):
    jrd = finger(client, f"acct:{space.slug}@{site_host()}").json()
    assert jrd["subject"] == f"acct:{space.slug}@{site_host()}"
    self_link = next(link for link in jrd["links"] if link["rel"] == "self")
    assert self_link["href"] == space.uri and self_link["type"] == AP
    by_url = finger(client, space.uri).json()
    assert by_url["subject"] == jrd["subject"]


def test_webfinger_finds_a_course_and_not_a_draft(client, ana):
    course = build_course(ana)
    draft = build_course(ana, title="Later", publish=False)
    jrd = finger(client, f"acct:course.{course.slug}@{site_host()}").json()
    assert jrd["links"][0]["href"] == course.uri
    assert finger(client, f"acct:course.{draft.slug}@{site_host()}").status_code == 404


def test_webfinger_a_person_wins_over_a_space_of_the_same_name(client, ana):
    create_space(ana, name="ana", slug="ana")
    jrd = finger(client, f"acct:ana@{site_host()}").json()
    assert jrd["links"][0]["href"] == ana.uri


def test_webfinger_never_answers_for_internal_actor_handles(client, space):
    groups.space_actor(space)
    assert finger(client, f"acct:space.{space.pk}@{site_host()}").status_code == 404


# --- Follow -------------------------------------------------------------------------------


def test_follow_of_an_open_space_is_accepted_by_the_group(space, dana):
    assert signed_post(SHARED, follow(dana, space.uri)).status_code == 202
    actor = groups.space_actor(space)
    assert Connection.objects.get(owner=dana, target=actor).is_active
    (accept,) = deliveries("Accept")
    assert accept.sender == actor and accept.activity["actor"] == space.uri
    assert accept.activity["object"]["id"] == follow(dana, space.uri)["id"]
    assert accept.inbox_url == dana.inbox_url


def test_follow_of_a_members_only_space_is_rejected(closed, dana):
    assert signed_post(SHARED, follow(dana, closed.uri)).status_code == 202
    assert not Connection.objects.filter(owner=dana).exists()
    (reject,) = deliveries("Reject")
    assert reject.activity["actor"] == closed.uri
    assert reject.activity["object"]["actor"] == dana.uri


def test_follow_of_a_draft_course_changes_nothing(ana, dana):
    draft = build_course(ana, title="Later", publish=False)
    signed_post(SHARED, follow(dana, draft.uri))
    assert not Connection.objects.filter(owner=dana).exists()
    assert not deliveries()  # a draft has no document: nobody could check a Reject


def test_undo_follow_of_a_space_ends_it(space, dana):
    doc = follow(dana, space.uri)
    signed_post(SHARED, doc)
    assert signed_post(SHARED, act(dana, "Undo", doc)).status_code == 202
    assert not Connection.objects.filter(owner=dana).exists()


def test_t09_undo_of_someone_elses_group_follow_is_refused(space, dana, eve):
    doc = follow(dana, space.uri)
    signed_post(SHARED, doc)
    forged = act(eve, "Undo", doc)
    assert signed_post(SHARED, forged, **EVE_KEY).status_code == 403
    assert Connection.objects.filter(owner=dana, target__uri=space.uri).exists()


def test_t08_a_replayed_follow_of_a_space_takes_effect_once(space, dana):
    for _ in range(3):
        assert signed_post(SHARED, follow(dana, space.uri)).status_code == 202
    assert Connection.objects.filter(owner=dana).count() == 1
    assert len(deliveries("Accept")) == 1


def test_the_instance_actor_takes_no_followers(dana):
    signed_post(SHARED, follow(dana, groups.instance_actor().uri))
    assert not Connection.objects.filter(owner=dana).exists()
    assert [d.activity["type"] for d in deliveries()] == ["Reject"]


# --- the instance actor -------------------------------------------------------------------


def test_instance_actor_document_and_webfinger(client):
    doc = client.get("/actor", HTTP_ACCEPT=AP).json()
    assert doc["type"] == "Application" and doc["id"] == f"{settings.CONNECTIVE_SITE_URL}/actor"
    name = site_host().partition(":")[0]  # the host name; the handle's host keeps a port
    assert doc["preferredUsername"] == name
    assert doc["publicKey"]["owner"] == doc["id"]
    jrd = finger(client, f"acct:{name}@{site_host()}").json()
    assert jrd["links"][0]["href"] == doc["id"]
    actor = Person.objects.get(uri=doc["id"])
    assert actor.actor_type == "Application" and actor.user_id is None
