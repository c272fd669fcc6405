"""Recommendations: people, unseen resources, spaces, courses; "not interested"."""

from datetime import timedelta

import pytest
from django.test import Client

from connective.content.models import Post
from connective.content.services.useful import mark_useful
from connective.discovery.models import Dismissal
from connective.discovery.services.recommend import (
    SEEN_DAYS,
    courses_for,
    people_for,
    resources_for,
    spaces_for,
)
from connective.spaces.models import Membership, Space
from tests.discovery.helpers import connect_to, make_person, resources, set_topics, topic

pytestmark = pytest.mark.django_db


def _age(post: Post, days: int) -> None:
    Post.objects.filter(pk=post.pk).update(created_at=post.created_at - timedelta(days=days))


@pytest.fixture
def learner(ana, ben, chloe):
    """ana learns open licensing; ben is in her network; chloe is two hops out (via ben)."""
    set_topics(ana, interests=["Open licensing"])
    connect_to(ana, ben, "learn_with")
    connect_to(ben, chloe, "learn_with")
    return ana


def test_people_to_connect_with_are_explained_and_new(learner, ben, chloe):
    set_topics(chloe, expertise=["Open licensing"])
    set_topics(ben, expertise=["Open licensing"])
    found = people_for(learner)
    assert [e.person.handle for e in found] == ["chloe"]  # ben: already connected
    assert found[0].reason == "Says they can help with Open licensing"


def test_dismissed_person_is_not_suggested_again(learner, chloe):
    set_topics(chloe, expertise=["Open licensing"])
    Dismissal.objects.create(person=learner, kind="person", object_id=chloe.pk)
    assert people_for(learner) == []


def test_resources_are_from_my_network_on_my_interests_and_unseen(learner, ben, chloe):
    stranger = make_person("stranger")
    old_from_ben, recent_from_ben = resources(ben, "Open licensing", 2)
    _age(old_from_ben, SEEN_DAYS + 1)
    (from_chloe,) = resources(chloe, "Open licensing", 1)
    (off_topic,) = resources(ben, "Maths", 1)
    _age(off_topic, SEEN_DAYS + 1)
    (from_stranger,) = resources(stranger, "Open licensing", 1)
    (mine,) = resources(learner, "Open licensing", 1)
    (liked,) = resources(chloe, "Open licensing", 1)
    mark_useful(learner, liked)
    found = [r.item for r in resources_for(learner)]
    # recent_from_ben was in the stream; stranger is outside the network; mine/liked are seen
    assert set(found) == {old_from_ben, from_chloe}
    mark_useful(ben, from_chloe)
    found = resources_for(learner)
    assert found[0].item == from_chloe
    assert found[0].reason == (
        "Shared by <bdi>Chloe Martin</bdi>, two hops out; 1 person in your network marked it useful"
    )
    del recent_from_ben, from_stranger, mine


def test_t28_resources_i_may_not_see_are_never_recommended(learner, chloe):
    (hidden,) = resources(chloe, "Open licensing", 1, visibility="network")
    assert resources_for(learner) == []
    assert hidden.pk


def test_unlisted_resources_are_not_recommended(learner, chloe):
    """Unlisted means "not in listings": a recommendation is a listing."""
    (listed,) = resources(chloe, "Open licensing", 1)
    resources(chloe, "Open licensing", 1, visibility="unlisted")
    assert [r.item for r in resources_for(learner)] == [listed]


def test_followed_topic_makes_recent_resources_seen(learner, chloe):
    resources(chloe, "Open licensing", 1)
    set_topics(learner, interests=["Open licensing"], followed=["Open licensing"])
    assert resources_for(learner) == []


def test_spaces_on_my_interests_not_joined(learner, ben):
    lic = topic("Open licensing")
    joined = Space.objects.create(slug="joined", name="Joined")
    fresh = Space.objects.create(slug="fresh", name="Fresh")
    busy = Space.objects.create(slug="busy", name="Busy")
    Space.objects.create(slug="other", name="Other")
    for space in (joined, fresh, busy):
        space.topics.set([lic])
    Membership.objects.create(space=joined, person=learner)
    Membership.objects.create(space=busy, person=ben)
    found = spaces_for(learner)
    assert [r.item.slug for r in found] == ["busy", "fresh"]
    assert found[0].reason == (
        "On Open licensing, which you are learning; 1 person in your network is a member"
    )


def test_members_only_spaces_give_no_hint_of_their_members(learner, ben):
    """Who belongs to a members-only space is for its moderators: no count, no ranking by it, and
    (as on the space list) its last activity is not shown by the order either."""
    from django.utils import timezone

    now = timezone.now()
    yesterday = now - timedelta(days=1)
    open_space = Space.objects.create(slug="open", name="Open", last_activity_at=yesterday)
    closed = Space.objects.create(
        slug="closed", name="Closed", members_only=True, last_activity_at=now
    )
    Space.objects.filter(pk=closed.pk).update(created_at=now - timedelta(days=30))
    for space in (open_space, closed):
        space.topics.set([topic("Open licensing")])
    Membership.objects.create(space=closed, person=ben)
    found = spaces_for(learner)
    assert [r.item.slug for r in found] == ["open", "closed"]
    assert found[1].reason == "On Open licensing, which you are learning"


def test_courses_on_my_interests_not_enrolled(learner):
    from django.utils import timezone

    from connective.courses.models import Course, Enrolment

    lic = topic("Open licensing")
    taking = Course.objects.create(slug="taking", title="Taking", state="published")
    open_one = Course.objects.create(slug="open", title="Open", state="published")
    draft = Course.objects.create(slug="draft", title="Draft")
    for course in (taking, open_one, draft):
        course.topics.set([lic])
    Enrolment.objects.create(course=taking, learner=learner, enrolled_at=timezone.now())
    assert [r.item.slug for r in courses_for(learner)] == ["open"]


def test_closed_courses_are_recommended_only_to_who_may_still_join(learner, ben):
    """A closed course takes no new learners; someone who left it may come back (enrol())."""
    from django.utils import timezone

    from connective.courses.models import Course, Enrolment

    closed = Course.objects.create(
        slug="closed", title="Closed", state="published", closed_at=timezone.now()
    )
    closed.topics.set([topic("Open licensing")])
    assert courses_for(learner) == []
    Enrolment.objects.create(
        course=closed, learner=learner, enrolled_at=timezone.now(), unenrolled_at=timezone.now()
    )
    assert [r.item.slug for r in courses_for(learner)] == ["closed"]


def test_nothing_without_interests(ana):
    assert people_for(ana) == [] and resources_for(ana) == []
    assert spaces_for(ana) == [] and courses_for(ana) == []


# --- pages ---------------------------------------------------------------------------------


def test_discover_page_shows_each_kind_with_reasons(learner, chloe, ana_client):
    set_topics(chloe, expertise=["Open licensing"])
    old = resources(chloe, "Open licensing", 1)[0]
    html = ana_client.get("/discover/").content.decode()
    assert "Says they can help with Open licensing" in html
    assert old.title in html and "two hops out" in html
    assert "Not interested" in html


def test_empty_discover_page_teaches(ana_client):
    html = ana_client.get("/discover/").content.decode()
    assert "Tell us what you are learning" in html


def test_not_interested_hides_one_and_redirects(learner, chloe, ana_client):
    set_topics(chloe, expertise=["Open licensing"])
    response = ana_client.post(
        "/discover/not-interested/", {"kind": "person", "id": chloe.pk, "next": "/discover/"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/discover/"
    assert Dismissal.objects.filter(person=learner, kind="person", object_id=chloe.pk).exists()
    again = ana_client.post("/discover/not-interested/", {"kind": "person", "id": chloe.pk})
    assert again.status_code == 302 and Dismissal.objects.count() == 1
    assert "Chloe" not in ana_client.get("/discover/").content.decode()


def test_not_interested_refuses_an_unsafe_next(learner, chloe, ana_client):
    response = ana_client.post(
        "/discover/not-interested/", {"kind": "person", "id": chloe.pk, "next": "//evil.example"}
    )
    assert response.headers["Location"] == "/discover/"


def test_not_interested_bad_kind_is_400(learner, ana_client):
    response = ana_client.post("/discover/not-interested/", {"kind": "weather", "id": "1"})
    assert response.status_code == 400 and Dismissal.objects.count() == 0


@pytest.mark.parametrize("raw", ["abc", "", "-1", "0", "99999", str(2**70)])
def test_not_interested_invalid_ids_are_404(learner, ana_client, raw):
    response = ana_client.post("/discover/not-interested/", {"kind": "post", "id": raw})
    assert response.status_code == 404 and Dismissal.objects.count() == 0


def test_t28_cannot_dismiss_a_post_i_may_not_see(learner, chloe, ana_client):
    (hidden,) = resources(chloe, "Open licensing", 1, visibility="private")
    response = ana_client.post("/discover/not-interested/", {"kind": "post", "id": hidden.pk})
    assert response.status_code == 404


def test_not_interested_needs_post_and_login(learner, ana_client):
    assert ana_client.get("/discover/not-interested/").status_code == 405
    response = Client().post("/discover/not-interested/", {"kind": "person", "id": 1})
    assert response.status_code == 302 and Dismissal.objects.count() == 0
