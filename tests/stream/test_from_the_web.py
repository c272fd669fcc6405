"""Feed items in the home stream, and the "From the web" filter."""

import pytest

from connective.feeds.models import Subscription
from connective.feeds.services.subscribe import subscribe
from connective.stream.services.home import home_page
from tests.feeds.conftest import RSS, corpus
from tests.stream.conftest import connect, make_post
from tests.trap import trap  # noqa: F401

pytestmark = pytest.mark.django_db


def _titles(page) -> list[str]:
    return [post.title or post.body for post in page.items]


def test_items_of_my_feeds_are_in_my_stream_and_not_in_others(trap, ana, ben, chloe):  # noqa: F811
    trap.serve("/feed.xml", corpus("rss20.xml"), content_type=RSS)
    subscribe(ana, trap.url("/feed.xml"))
    connect(ana, ben)
    make_post(ben, "a note from ben")
    mine = _titles(home_page(ana, None))
    assert "Week 2: networks of people" in mine and "a note from ben" in mine
    assert "Week 2: networks of people" not in _titles(home_page(chloe, None))


def test_from_the_web_shows_only_feed_items(trap, ana, ben):  # noqa: F811
    trap.serve("/feed.xml", corpus("rss20.xml"), content_type=RSS)
    subscribe(ana, trap.url("/feed.xml"))
    connect(ana, ben)
    make_post(ben, "a note from ben")
    make_post(ana, "my own note")
    web = _titles(home_page(ana, None, web=True))
    assert web == ["Week 2: networks of people", "Week 1: hello"]


def test_a_paused_feed_leaves_the_stream(trap, ana):  # noqa: F811
    trap.serve("/feed.xml", corpus("rss20.xml"), content_type=RSS)
    subscribe(ana, trap.url("/feed.xml"))
    Subscription.objects.filter(person=ana).update(paused=True)
    assert home_page(ana, None, web=True).items == []


def test_the_home_page_shows_item_cards_with_source_date_summary_and_link(trap, ana, ana_client):  # noqa: F811
    trap.serve("/feed.xml", corpus("rss20.xml"), content_type=RSS)
    subscribe(ana, trap.url("/feed.xml"))
    html = ana_client.get("/home/?from=web").content.decode()
    assert "Ana&#x27;s Learning Blog" in html  # the source
    assert "<time datetime=" in html  # the date
    assert "<strong>networks</strong>" in html and "<script>alert" not in html  # summary
    assert 'href="https://ana.example.org/2026/11/week-2"' in html  # the link
    assert "Share as a resource" in html
    assert '<option value="web" selected>From the web</option>' in html
