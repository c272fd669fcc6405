""" "From the web" when the viewer follows no feeds (or only paused ones) says where to add one."""

import pytest

from connective.feeds.models import Subscription
from connective.feeds.services.subscribe import subscribe
from tests.feeds.conftest import RSS, corpus, rss
from tests.stream.conftest import make_post
from tests.trap import trap  # noqa: F401

pytestmark = pytest.mark.django_db

SETTINGS_LINK = '<a href="/settings/feeds/">Settings → Feeds</a>'


def test_from_the_web_without_feeds_says_so_and_links_to_the_feeds_settings(ana, ana_client):
    make_post(ana, "my own note")
    html = ana_client.get("/home/?from=web").content.decode()
    assert "You follow no feeds yet" in html
    assert SETTINGS_LINK in html
    assert "Nothing in your stream matches" not in html


def test_from_the_web_with_a_topic_and_no_feeds_points_to_the_feeds_settings(ana, ana_client):
    html = ana_client.get("/home/?topic=networks&from=web").content.decode()
    assert "You follow no feeds yet" in html and SETTINGS_LINK in html
    assert "clear the topic" not in html


def test_from_the_web_with_every_feed_paused_says_to_resume_one(trap, ana, ana_client):  # noqa: F811
    trap.serve("/feed.xml", corpus("rss20.xml"), content_type=RSS)
    subscribe(ana, trap.url("/feed.xml"))
    Subscription.objects.filter(person=ana).update(paused=True)
    html = ana_client.get("/home/?from=web").content.decode()
    assert "Every feed you follow is paused" in html
    assert "Resume one" in html and SETTINGS_LINK in html


def test_from_the_web_with_feeds_but_no_match_keeps_the_filter_message(trap, ana, ana_client):  # noqa: F811
    """A followed feed with nothing in it yet is not "no feeds": the usual message stays."""
    trap.serve("/feed.xml", rss([], title="Empty blog"), content_type=RSS)
    subscribe(ana, trap.url("/feed.xml"))
    html = ana_client.get("/home/?from=web").content.decode()
    assert "Nothing in your stream matches" in html
    assert "You follow no feeds yet" not in html and SETTINGS_LINK not in html
