"""Following a topic: follow/unfollow, needs POST and login, 404 for unknown topics, safe `next`
(T-25); a missing or unknown action is a 400 that changes nothing."""

import pytest
from django.test import Client

from connective.topics.models import Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(db) -> Topic:
    return Topic.objects.create(key="openeducation", name="Open Education")


def follow_url(key: str = "openeducation") -> str:
    return f"/topics/{key}/follow/"


def test_post_follows_and_unfollows(ana, ana_client, topic):
    response = ana_client.post(follow_url(), {"action": "follow"})
    assert response.status_code == 302
    assert response["Location"] == "/topics/openeducation/"
    assert ana.followed_topics.filter(pk=topic.pk).exists()
    ana_client.post(follow_url(), {"action": "unfollow"})
    assert not ana.followed_topics.exists()


@pytest.mark.parametrize("data", [{}, {"action": ""}, {"action": "bogus"}, {"action": "FOLLOW"}])
def test_a_missing_or_unknown_action_is_a_400_and_keeps_the_follow(ana, ana_client, topic, data):
    ana_client.post(follow_url(), {"action": "follow"})
    response = ana_client.post(follow_url(), data)
    assert response.status_code == 400
    assert response.content.decode() == "Choose follow or unfollow."
    assert ana.followed_topics.filter(pk=topic.pk).exists()
    ana_client.post(follow_url(), {"action": "unfollow"})
    assert ana_client.post(follow_url(), data, HTTP_HX_REQUEST="true").status_code == 400
    assert not ana.followed_topics.exists()


def test_explicit_action_is_idempotent(ana, ana_client, topic):
    ana_client.post(follow_url(), {"action": "follow"})
    ana_client.post(follow_url(), {"action": "follow"})
    assert ana.followed_topics.count() == 1
    ana_client.post(follow_url(), {"action": "unfollow"})
    ana_client.post(follow_url(), {"action": "unfollow"})
    assert ana.followed_topics.count() == 0


def test_unknown_topic_is_404(ana_client):
    follow = {"action": "follow"}
    assert ana_client.post(follow_url("nosuchtopic"), follow).status_code == 404
    assert ana_client.post(follow_url("%21%21%21"), follow).status_code == 404
    assert not Topic.objects.exists()


def test_following_needs_post(ana, ana_client, topic):
    assert ana_client.get(follow_url()).status_code == 405
    assert not ana.followed_topics.exists()


def test_following_needs_login(topic):
    response = Client().post(follow_url())
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_next_on_this_site_is_followed(ana_client, topic):
    data = {"action": "follow", "next": "/home/?topic=openeducation"}
    response = ana_client.post(follow_url(), data)
    assert response["Location"] == "/home/?topic=openeducation"


@pytest.mark.parametrize(
    "evil",
    [
        "//evil.example",
        "https:evil.example",
        "https://evil.example/",
        ' 8"onmouseover=alert(1)',
        "/\\evil.example",
        "home",
    ],
)
def test_t25_follow_next_never_leaves_the_site(ana_client, topic, evil):
    response = ana_client.post(follow_url(), {"action": "follow", "next": evil})
    assert response.status_code == 302
    assert response["Location"] == "/topics/openeducation/"


def test_htmx_gets_the_new_button(ana_client, topic):
    data = {"action": "follow", "next": "//evil.example"}
    response = ana_client.post(follow_url(), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<form")
    assert 'aria-pressed="true"' in html
    assert 'name="action" value="unfollow"' in html
    assert "evil.example" not in html
    assert 'name="next" value="/topics/openeducation/"' in html
    unfollow = {"action": "unfollow"}
    again = ana_client.post(follow_url(), unfollow, HTTP_HX_REQUEST="true").content.decode()
    assert 'aria-pressed="false"' in again
