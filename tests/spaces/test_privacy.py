"""Members-only spaces: their threads never reach non-members, from any page spaces owns (T-28)."""

import pytest
from django.test import Client
from django.urls import reverse

from connective.content.models import Post
from connective.notifications.models import Notification
from connective.spaces.models import Thread
from connective.spaces.services.membership import join, leave
from connective.spaces.services.subscriptions import follow_space
from connective.spaces.services.threads import reply, start_thread
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

SECRET = "secret-budget-talk"


@pytest.fixture
def secret(closed, ana):
    return start_thread(ana, closed, title=f"Title {SECRET}", body=f"Body {SECRET}")


def _outsiders(ben):
    return {"anonymous": Client(), "non-member": client_for(ben)}


def test_t28_space_page_shows_name_description_and_join_but_no_threads(closed, secret, ben):
    for who, client in _outsiders(ben).items():
        page = client.get(closed.get_absolute_url()).content.decode()
        assert closed.name in page, who
        assert SECRET not in page, who
        assert "for its members only" in page, who
    assert "Ask to join" in client_for(ben).get(closed.get_absolute_url()).content.decode()


def test_t28_thread_page_is_the_same_404_as_a_missing_thread(closed, secret, ben):
    missing = f"/spaces/{closed.slug}/threads/{secret.pk + 1000}/"
    hidden = f"/spaces/{closed.slug}/threads/{secret.pk}/"
    for who, client in _outsiders(ben).items():
        a, b = client.get(hidden), client.get(missing)
        assert a.status_code == b.status_code == 404, who
        assert a.content == b.content, who


def test_t28_listing_counts_and_excerpts_are_hidden_from_non_members(closed, secret, ana, ben):
    for who, client in _outsiders(ben).items():
        page = client.get(reverse("spaces:index")).content.decode()
        assert closed.name in page, who
        assert SECRET not in page, who
        assert "1 thread" not in page, who
        assert "Threads are visible to members." in page, who
    page = client_for(ana).get(reverse("spaces:index")).content.decode()
    assert "1 thread" in page and SECRET in page


def test_t28_member_sees_the_thread_and_it_goes_when_they_leave(closed, secret, ben):
    join(closed, ben)
    client = client_for(ben)
    assert (
        SECRET
        in client.get(reverse("spaces:thread", args=[closed.slug, secret.pk])).content.decode()
    )
    leave(closed, ben)
    assert client.get(reverse("spaces:thread", args=[closed.slug, secret.pk])).status_code == 404


def test_t28_non_member_posts_to_a_members_only_thread_are_404_without_change(closed, secret, ben):
    client = client_for(ben)
    responses = [
        client.post(
            reverse("spaces:reply", args=[closed.slug, secret.pk]),
            {"body": "x", "parent": secret.pk},
        ),
        client.post(
            reverse("spaces:thread_follow", args=[closed.slug, secret.pk]), {"action": "follow"}
        ),
        client.post(reverse("spaces:moderate", args=[closed.slug, secret.pk]), {"action": "pin"}),
    ]
    assert [r.status_code for r in responses] == [404, 404, 404]
    assert not Post.objects.filter(in_reply_to=secret).exists()
    thread = Thread.objects.get(root=secret)
    assert not thread.subscriptions.filter(person=ben).exists() and not thread.pinned


def test_t28_non_members_cannot_follow_a_members_only_space(closed, ben):
    response = client_for(ben).post(
        reverse("spaces:follow", args=[closed.slug]), {"action": "follow"}
    )
    assert response.status_code == 302
    assert not closed.subscriptions.exists()


def test_t28_no_notification_or_excerpt_after_leaving(closed, secret, ana, ben, chloe):
    join(closed, ben)
    join(closed, chloe)
    follow_space(ben, closed)
    reply(ben, secret, body="I follow this now")
    leave(closed, ben)
    reply(chloe, secret, body=f"After ben left {SECRET}")
    start_thread(chloe, closed, title="New", body=SECRET)
    assert not Notification.objects.filter(recipient=ben).exists()


def test_t28_stream_and_post_page_do_not_leak_members_only_threads(closed, secret, ben):
    """Posts in members-only spaces go through the visibility rule on content's own pages too."""
    client = client_for(ben)
    assert client.get(secret.get_absolute_url()).status_code == 404
    assert SECRET not in client.get(reverse("stream:home")).content.decode()


def test_t28_profile_and_topic_pages_do_not_leak_members_only_threads(closed, ana, ben):
    start_thread(ana, closed, title=f"Topical {SECRET}", body=SECRET, topics=["budgets"])
    reply_root = start_thread(ana, closed, title="Other", body="x")
    join(closed, ben)
    reply(ben, reply_root, body=f"reply {SECRET}")
    leave(closed, ben)
    for client in _outsiders(ben).values():
        for url in (
            ana.get_absolute_url(),
            ben.get_absolute_url(),
            reverse("web:topic", kwargs={"key": "budgets"}),
        ):
            response = client.get(url)
            assert SECRET not in response.content.decode(), url
    member = client_for(ana).get(reverse("web:topic", kwargs={"key": "budgets"}))
    assert SECRET in member.content.decode()
