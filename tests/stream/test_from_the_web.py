"""Feed items in the home stream, and the "From the web" filter."""

from datetime import timedelta

import pytest
from django.utils import timezone

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


def _item_rows(feed, count: int, now) -> None:
    """`count` items of `feed`, three sharing each time, as a poll would store them."""
    from connective.feeds.models import FeedItem

    FeedItem.objects.bulk_create(
        FeedItem(
            feed=feed,
            key_hash=f"k{n}",
            content_hash=f"c{n}",
            title=f"Item {n}",
            at=now - timedelta(minutes=n // 3),
        )
        for n in range(count)
    )


def test_paging_through_posts_and_items_with_tied_times_skips_and_repeats_nothing(ana, ben):
    from connective.feeds.models import Feed

    connect(ana, ben)
    now = timezone.now()
    feed = Feed.objects.create(url="https://blog.example.org/feed", next_poll_at=now)
    Subscription.objects.create(person=ana, feed=feed)
    _item_rows(feed, 31, now)
    for n in range(29):
        make_post(ben, f"Ben {n}", at=now - timedelta(minutes=n // 3))
    seen: list[str] = []
    cursor = None
    while True:
        page = home_page(ana, cursor)
        seen += _titles(page)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sorted(seen) == sorted(
        [f"Item {n}" for n in range(31)] + [f"Ben {n}" for n in range(29)]
    )
    assert len(seen) == len(set(seen)) == 60


def test_an_item_someone_acted_on_is_shown_once_as_its_post(trap, ana, ana_client):  # noqa: F811
    from connective.feeds.models import FeedItem
    from connective.feeds.services.materialize import post_for_item

    trap.serve("/feed.xml", corpus("rss20.xml"), content_type=RSS)
    subscribe(ana, trap.url("/feed.xml"))
    item = FeedItem.objects.get(title="Week 2: networks of people")
    post = post_for_item(item)
    page = home_page(ana, None)
    assert _titles(page) == ["Week 2: networks of people", "Week 1: hello"]
    assert page.items[0] == post and page.items[0].feed_item_pk == item.pk
    html = ana_client.get("/home/").content.decode()
    assert f'id="post-{post.pk}"' in html and f'id="item-{item.pk}"' not in html
    assert html.count("Share as a resource") == 2  # both items keep the action
