"""Boosting a post: who may, what it records and announces, what the author hears, the toggle."""

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connective.content.models import Boost, Post, Visibility
from connective.content.services.boosts import (
    BoostError,
    boost_post,
    boosted_ids,
    unboost_post,
)
from connective.content.services.posts import delete_post
from connective.core import events
from connective.network.models import Block, Mute
from connective.notifications.models import Notification
from tests.content.conftest import connect, post

pytestmark = pytest.mark.django_db


def test_boost_is_recorded_once_and_the_author_is_told(ana, ben):
    item = post(ana, "Worth sharing")
    boost = boost_post(ben, item)
    assert boost is not None and boost.uri.startswith(ben.uri + "#boosts/")
    assert boost_post(ben, item) is None
    assert Boost.objects.filter(person=ben, post=item).count() == 1
    note = Notification.objects.get(recipient=ana, kind=Notification.Kind.BOOST)
    assert note.actor == ben and note.url == item.get_absolute_url()


def test_unboost_removes_the_boost_and_its_notification(ana, ben):
    item = post(ana, "Worth sharing")
    boost_post(ben, item)
    assert unboost_post(ben, item)
    assert not Boost.objects.exists()
    assert not Notification.objects.filter(kind=Notification.Kind.BOOST).exists()
    assert not unboost_post(ben, item)


def test_boost_and_unboost_are_announced(ana, ben):
    seen = []

    def boosted(boost):
        seen.append(("boosted", boost.person_id, boost.post_id))

    def unboosted(boost):
        seen.append(("unboosted", boost.person_id, boost.post_id))

    events.subscribe(events.POST_BOOSTED, boosted)
    events.subscribe(events.POST_UNBOOSTED, unboosted)
    try:
        item = post(ana, "Worth sharing")
        boost_post(ben, item)
        unboost_post(ben, item)
    finally:
        events._subscribers[events.POST_BOOSTED].remove(boosted)
        events._subscribers[events.POST_UNBOOSTED].remove(unboosted)
    assert seen == [("boosted", ben.pk, item.pk), ("unboosted", ben.pk, item.pk)]


@pytest.mark.parametrize("visibility", [Visibility.NETWORK, Visibility.PRIVATE])
def test_network_and_private_posts_cannot_be_boosted_even_by_their_author(ana, ben, visibility):
    connect(ben, ana)
    item = post(ana, "Just for us @ben", visibility=visibility)
    for person in (ana, ben):
        with pytest.raises(BoostError, match="public and unlisted"):
            boost_post(person, item)
    assert not Boost.objects.exists()


def test_own_public_and_unlisted_posts_may_be_boosted(ana):
    assert boost_post(ana, post(ana, "Mine", visibility=Visibility.UNLISTED)) is not None
    assert not Notification.objects.filter(kind=Notification.Kind.BOOST).exists()


def test_a_post_you_cannot_see_cannot_be_boosted(ana, ben):
    Block.objects.create(owner=ana, target=ben)
    with pytest.raises(BoostError, match="cannot see"):
        boost_post(ben, post(ana, "Not for Ben"))
    deleted = post(ana, "Gone")
    delete_post(deleted)
    with pytest.raises(BoostError):
        boost_post(ben, deleted)


def test_muted_and_blocked_boosters_do_not_notify(ana, ben, chloe):
    Mute.objects.create(owner=ana, target=ben)
    item = post(ana, "Worth sharing")
    boost_post(ben, item)
    assert Boost.objects.filter(person=ben).exists()
    assert not Notification.objects.filter(kind=Notification.Kind.BOOST).exists()


def test_deleting_the_post_removes_its_boosts_and_their_notifications(ana, ben, chloe):
    item = post(ana, "Soon gone")
    boost_post(ben, item)
    boost_post(chloe, item)
    delete_post(item)
    assert not Boost.objects.exists()
    assert not Notification.objects.filter(kind=Notification.Kind.BOOST).exists()


def test_boosted_ids_answers_for_a_page_in_one_query(ana, ben, django_assert_num_queries):
    posts = [post(ana, f"Note {n}") for n in range(3)]
    boost_post(ben, posts[1])
    with django_assert_num_queries(1):
        assert boosted_ids(ben, [p.pk for p in posts]) == {posts[1].pk}


# --- the toggle ----------------------------------------------------------------------------


def test_boost_button_works_without_javascript(ana, ben_client, ben):
    item = post(ana, "Worth sharing")
    response = ben_client.post(
        f"/posts/{item.pk}/boost/", {"action": "boost", "next": "/home/#post-1"}
    )
    assert response.status_code == 302 and response["Location"] == "/home/#post-1"
    assert Boost.objects.filter(person=ben, post=item).exists()
    response = ben_client.post(f"/posts/{item.pk}/boost/", {"action": "unboost"})
    assert response["Location"] == item.get_absolute_url()
    assert not Boost.objects.exists()


@pytest.mark.parametrize("action", ["toggle", "BOOST", "delete", None])
def test_an_unknown_boost_action_is_a_400_and_keeps_the_boost(ana, ben, ben_client, action):
    item = post(ana, "Worth sharing")
    ben_client.post(f"/posts/{item.pk}/boost/", {"action": "boost"})
    data = {} if action is None else {"action": action}  # None: no action at all
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = ben_client.post(f"/posts/{item.pk}/boost/", data, **headers)
        assert response.status_code == 400
        assert response.content.decode() == "Choose boost or unboost."
    assert Boost.objects.filter(person=ben, post=item).count() == 1


def test_boost_toggle_refuses_an_outside_next(ana, ben_client):
    item = post(ana, "Worth sharing")
    response = ben_client.post(
        f"/posts/{item.pk}/boost/", {"action": "boost", "next": "//evil.example/"}
    )
    assert response["Location"] == item.get_absolute_url()


def test_htmx_card_toggle_answers_with_the_pressed_button(ana, ben, ben_client):
    item = post(ana, "Worth sharing")
    response = ben_client.post(
        f"/posts/{item.pk}/boost/",
        {"action": "boost", "where": "card", "next": "/home/"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert f'id="boost-{item.pk}"' in html and 'aria-pressed="true"' in html
    assert 'name="action" value="unboost"' in html and 'value="/home/"' in html
    assert "private" in response["Cache-Control"]


def test_htmx_page_toggle_answers_with_the_boosters(ana, ben, ben_client):
    item = post(ana, "Worth sharing")
    response = ben_client.post(
        f"/posts/{item.pk}/boost/", {"action": "boost"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert f'id="boost-{item.pk}"' in html and "Boosted by" in html and "Ben Okafor" in html
    assert 'aria-pressed="true"' in html


def test_boosting_a_private_post_shows_a_clear_error(ana, ben, ben_client):
    item = post(ana, "For Ben @ben", visibility=Visibility.PRIVATE)
    response = ben_client.post(f"/posts/{item.pk}/boost/", {"action": "boost"}, follow=True)
    assert "Only public and unlisted posts can be boosted." in response.content.decode()
    assert not Boost.objects.exists()


def test_boost_of_a_hidden_or_missing_post_is_the_same_404(ana, ben_client):
    hidden = post(ana, "Secret", visibility=Visibility.PRIVATE)
    a = ben_client.post(f"/posts/{hidden.pk}/boost/", {"action": "boost"})
    b = ben_client.post(f"/posts/{hidden.pk + 1000}/boost/", {"action": "boost"})
    assert a.status_code == b.status_code == 404 and a.content == b.content


def test_anonymous_boost_is_sent_to_log_in_and_get_is_refused(ana, ben_client):
    item = post(ana, "Worth sharing")
    assert Client().post(f"/posts/{item.pk}/boost/").status_code == 302
    assert ben_client.get(f"/posts/{item.pk}/boost/").status_code == 405
    assert not Boost.objects.exists()


def test_cards_show_the_boost_button_to_signed_in_viewers_only(ana, ben, ben_client, client):
    item = post(ana, "Worth sharing on the profile")
    boost_post(ben, item)
    html = ben_client.get("/@ana/").content.decode()
    assert f'action="/posts/{item.pk}/boost/"' in html and 'aria-pressed="true"' in html
    assert "/boost/" not in client.get("/@ana/").content.decode()


def test_cards_of_network_posts_have_no_boost_button(ana, ben, ben_client):
    connect(ben, ana)
    post(ana, "Network only", visibility=Visibility.NETWORK)
    assert "/boost/" not in ben_client.get("/@ana/").content.decode()


# --- the visibility rule for boosts, against a reference --------------------------------------

CASES = st.fixed_dictionaries(
    {
        "visibility": st.sampled_from([Visibility.PUBLIC, Visibility.UNLISTED]),
        "viewer": st.sampled_from(["anonymous", "booster", "other"]),
        "post_state": st.sampled_from(["ok", "deleted", "hidden"]),
        "suspended": st.sampled_from(["none", "author", "booster"]),
        "block": st.sampled_from(
            [
                "none",
                "author_blocks_viewer",
                "viewer_blocks_author",
                "booster_blocks_viewer",
                "viewer_blocks_booster",
            ]
        ),
    }
)


def may_see_boost(case: dict) -> bool:
    """A boost is seen only when its post is, its booster is not suspended, and nobody in it
    blocks the viewer or is blocked by them."""
    if case["post_state"] != "ok" or case["suspended"] != "none":
        return False
    if case["viewer"] == "anonymous":
        return True
    if case["viewer"] == "booster":
        return case["block"] not in {"author_blocks_viewer", "viewer_blocks_author"}
    return case["block"] == "none"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=CASES)
def test_t28_boost_visibility_matches_the_reference(ana, ben, chloe, case):
    with transaction.atomic():
        item = post(ana, "Boost me", visibility=case["visibility"])
        boost = boost_post(ben, item)
        viewer = {"anonymous": None, "booster": ben, "other": chloe}[case["viewer"]]
        now = timezone.now()
        if case["post_state"] == "deleted":
            Post.objects.filter(pk=item.pk).update(deleted_at=now)
        elif case["post_state"] == "hidden":
            Post.objects.filter(pk=item.pk).update(hidden_at=now)
        suspended = {"author": ana, "booster": ben}.get(case["suspended"])
        if suspended is not None:
            type(suspended).objects.filter(pk=suspended.pk).update(suspended_at=now)
        people = {"author": ana, "booster": ben, "viewer": viewer}
        if viewer is not None and case["block"] != "none":
            owner, target = case["block"].split("_blocks_")
            if people[owner] != people[target]:
                Block.objects.create(owner=people[owner], target=people[target])
        found = Boost.objects.visible_to(viewer).filter(pk=boost.pk).exists()
        assert found == may_see_boost(case)
        transaction.set_rollback(True)


def test_boosts_never_count_as_posts(ana, ben):
    """Topics, search, discovery, courses and feeds list Posts: a boost adds no Post row."""
    item = post(ana, "On a topic", topics=["pedagogy"])
    before = Post.objects.count()
    boost_post(ben, item)
    assert Post.objects.count() == before
    assert list(Post.objects.filter(author=ben)) == []


def test_t34_posts_of_suspended_people_cannot_be_boosted_and_their_boosts_vanish(ana, ben, chloe):
    item = post(ana, "Soon suspended")
    boost = boost_post(ben, item)
    type(ana).objects.filter(pk=ana.pk).update(suspended_at=timezone.now())
    ana.refresh_from_db()
    with pytest.raises(BoostError):
        boost_post(chloe, item)
    assert not Boost.objects.visible_to(chloe).filter(pk=boost.pk).exists()
    assert not Boost.objects.visible_to(None).exists()


def test_a_refused_card_boost_keeps_one_message_inside_the_swapped_form(ana, ben, ben_client):
    item = post(ana, "For Ben @ben", visibility=Visibility.PRIVATE)
    html = ben_client.post(
        f"/posts/{item.pk}/boost/",
        {"action": "boost", "where": "card", "next": "/home/"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert html.startswith("<form") and html.endswith("</form>")
    assert html.count('role="alert"') == 1


def test_a_post_in_a_space_says_why_it_cannot_be_boosted(ana, ben):
    from connective.spaces.models import Space

    space = Space.objects.create(name="Maths", slug="maths", created_by=ana)
    item = post(ana, "In a thread")
    Post.objects.filter(pk=item.pk).update(space=space)
    item.refresh_from_db()
    with pytest.raises(BoostError, match="Posts in spaces are read in their thread"):
        boost_post(ben, item)
