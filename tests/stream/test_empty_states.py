"""What the stream says when a filter leaves it empty."""

import pytest

from connective.feeds.services.subscribe import subscribe
from tests.feeds.conftest import RSS, corpus
from tests.stream.conftest import topic
from tests.trap import trap  # noqa: F401

pytestmark = pytest.mark.django_db


def test_from_the_web_with_a_topic_says_items_have_none_and_links_to_clear_it(
    trap,  # noqa: F811
    ana,
    ana_client,
):
    trap.serve("/feed.xml", corpus("rss20.xml"), content_type=RSS)
    subscribe(ana, trap.url("/feed.xml"))
    topic("networks")
    html = ana_client.get("/home/?kind=resource&topic=networks&from=web").content.decode()
    assert "Week 2: networks of people" not in html
    assert "Items from the web have no topics" in html
    clear = '<a href="/home/?kind=resource&amp;from=web">clear the topic</a>'
    assert clear in html
    cleared = ana_client.get("/home/?kind=resource&from=web").content.decode()
    assert "Week 2: networks of people" in cleared


def test_other_empty_filters_keep_the_general_message(ana, ana_client):
    topic("networks")
    html = ana_client.get("/home/?topic=networks").content.decode()
    assert "Nothing here with these filters" in html
    assert "Items from the web have no topics" not in html
