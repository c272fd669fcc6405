"""Subscribing, polling, de-duplication, schedule and health, against the loopback trap."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from connective.content.models import Kind, Post, Visibility
from connective.feeds.models import Feed, FeedItem, FetchLog, Subscription
from connective.feeds.services import polling
from connective.feeds.services.materialize import post_for_item
from connective.feeds.services.polling import MAX_INTERVAL, MIN_INTERVAL, claim_due, poll_due
from connective.feeds.services.subscribe import SubscribeError, subscribe
from connective.notifications.models import Notification
from connective.search.models import SearchDocument
from tests.conftest import make_person
from tests.feeds.conftest import RSS, corpus, rss

pytestmark = pytest.mark.django_db


def _later(feed: Feed, seconds: int = 1):
    """A moment just after the feed's next poll is due."""
    feed.refresh_from_db()
    return feed.next_poll_at + timedelta(seconds=seconds)


def _conditional(trap, path, body, etag='"v1"'):
    """Serve body with an ETag, and 304 to a request that sends it back."""

    def handler(req, _trap):
        if req.headers.get("If-None-Match") == etag:
            req.send_response(304)
            req.send_header("ETag", etag)
            req.end_headers()
            return
        req.send_response(200)
        req.send_header("Content-Type", RSS)
        req.send_header("ETag", etag)
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    trap.route(path, handler)


def test_subscribing_to_a_feed_stores_its_items_as_rows_not_posts(trap):
    ana = make_person("ana")
    trap.serve("/feed.xml", corpus("rss20.xml"), content_type=RSS)
    sub = subscribe(ana, trap.url("/feed.xml"))
    feed = sub.feed
    assert feed.title == "Ana's Learning Blog"
    assert feed.status == Feed.Status.OK
    items = FeedItem.objects.filter(feed=feed).order_by("at")
    assert [i.title for i in items] == ["Week 1: hello", "Week 2: networks of people"]
    week2 = items[1]
    assert week2.link == "https://ana.example.org/2026/11/week-2"
    assert week2.licence == "cc-by-sa"
    assert "<script" not in week2.body_html and "javascript:" not in week2.body_html
    assert "<strong>networks</strong>" in week2.body_html
    assert week2.post is None and feed.source is None  # nobody acted on an item yet
    assert not Post.objects.exists()
    assert feed.next_poll_at > timezone.now()


def test_acting_on_an_item_makes_it_an_unlisted_resource_by_the_feeds_source(trap):
    trap.serve("/feed.xml", corpus("rss20.xml"), content_type=RSS)
    feed = subscribe(make_person("ana"), trap.url("/feed.xml")).feed
    item = FeedItem.objects.get(feed=feed, title="Week 2: networks of people")
    post = post_for_item(item)
    assert post_for_item(FeedItem.objects.get(pk=item.pk)) == post  # made once
    source = Feed.objects.get(pk=feed.pk).source
    assert source.actor_type == "Feed" and source.user is None and source.inbox_url == ""
    assert post.author == source and post.title == item.title
    assert post.visibility == Visibility.UNLISTED and post.kind == Kind.RESOURCE
    assert post.link_url == item.link and post.licence == "cc-by-sa"
    assert post.body_html == item.body_html and post.created_at == item.at
    assert not Post.objects.visible_to(None).listed().filter(author=source).exists()


def test_subscribing_to_a_page_discovers_its_feed(trap):
    chloe = make_person("chloe")
    page = corpus("page_with_feeds.html").replace(b"/feed.atom", b"/blog/atom.xml")
    trap.serve("/", page, content_type="text/html; charset=utf-8")
    trap.serve("/blog/atom.xml", corpus("atom10.xml"), content_type="application/atom+xml")
    sub = subscribe(chloe, trap.url("/"))
    assert sub.feed.url == trap.url("/blog/atom.xml")
    assert sub.feed.items.count() == 1


def test_a_page_without_feeds_is_refused_with_a_reason(trap):
    trap.serve("/", corpus("not_a_feed.html"), content_type="text/html")
    with pytest.raises(SubscribeError, match="No feed found"):
        subscribe(make_person("ana"), trap.url("/"))
    assert not Feed.objects.exists()


def test_t10_subscribing_to_a_private_address_is_refused_before_connecting(bare_trap, settings):
    settings.CONNECTIVE_HTTP_ALLOWED_PORTS = {80, 443, bare_trap.port}
    with pytest.raises(SubscribeError, match="not allowed"):
        subscribe(make_person("ana"), bare_trap.url("/feed.xml"))
    assert bare_trap.hits == []


def test_one_feed_row_and_one_fetch_whoever_subscribes(trap):
    trap.serve("/feed.xml", corpus("rss20.xml"), content_type=RSS)
    subscribe(make_person("ana"), trap.url("/feed.xml"))
    subscribe(make_person("ben"), trap.url("/feed.xml"))
    assert Feed.objects.count() == 1
    assert trap.hits_for("/feed.xml") == 1
    assert FeedItem.objects.count() == 2


def test_subscribing_twice_is_refused(trap):
    ana = make_person("ana")
    trap.serve("/feed.xml", corpus("rss20.xml"), content_type=RSS)
    subscribe(ana, trap.url("/feed.xml"))
    with pytest.raises(SubscribeError, match="already follow"):
        subscribe(ana, trap.url("/feed.xml"))


def test_conditional_get_answers_a_repoll_with_304(trap):
    _conditional(trap, "/feed.xml", corpus("rss20.xml"))
    feed = subscribe(make_person("ana"), trap.url("/feed.xml")).feed
    assert feed.etag == '"v1"'
    due = _later(feed)
    assert poll_due(due) == [feed.pk]
    assert trap.hits[-1].headers["If-None-Match"] == '"v1"'
    feed.refresh_from_db()  # counted on the feed; the fetch log keeps what brought a document
    assert feed.not_modified_count == 1 and feed.next_poll_at > due
    assert feed.claimed_until is None and feed.status == Feed.Status.OK
    assert list(FetchLog.objects.filter(feed=feed).values_list("outcome", flat=True)) == ["new"]
    assert poll_due(_later(feed)) == [feed.pk]
    feed.refresh_from_db()
    assert feed.not_modified_count == 2
    assert FeedItem.objects.count() == 2


def test_an_updated_item_is_updated_not_duplicated(trap):
    trap.serve("/f", rss([("a", "First"), ("b", "Second")]), content_type=RSS)
    feed = subscribe(make_person("ana"), trap.url("/f")).feed
    acted_on = post_for_item(FeedItem.objects.get(title="First"))
    trap.serve(
        "/f", rss([("c", "Third"), ("a", "First, corrected"), ("b", "Second")]), content_type=RSS
    )
    polling.poll_feed(feed.pk)
    titles = sorted(FeedItem.objects.values_list("title", flat=True))
    assert titles == ["First, corrected", "Second", "Third"]
    acted_on.refresh_from_db()  # the post made of it follows the item
    assert acted_on.title == "First, corrected" and acted_on.edited_at is not None
    assert Post.objects.count() == 1


def test_duplicate_ids_links_and_content_are_stored_once(trap):
    trap.serve("/dup", corpus("duplicate_ids.xml"), content_type=RSS)
    feed = subscribe(make_person("ana"), trap.url("/dup")).feed
    assert feed.items.count() == 2
    polling.poll_feed(feed.pk)
    assert feed.items.count() == 2


def test_the_interval_adapts_within_bounds_and_honours_max_age(trap):
    trap.serve("/f", rss([("a", "A")]), content_type=RSS, headers={"Cache-Control": "max-age=7200"})
    feed = subscribe(make_person("ana"), trap.url("/f")).feed
    for _ in range(12):
        polling.poll_feed(feed.pk)
    feed.refresh_from_db()
    assert feed.interval == MAX_INTERVAL
    trap.serve("/f", rss([("a", "A")]), content_type=RSS, headers={"Cache-Control": "max-age=7200"})
    for n in range(12):
        trap.serve("/f", rss([(f"n{n}", f"New {n}")]), content_type=RSS)
        polling.poll_feed(feed.pk)
    feed.refresh_from_db()
    assert feed.interval == MIN_INTERVAL
    trap.serve(
        "/f", rss([("n11", "New 11")]), content_type=RSS, headers={"Cache-Control": "max-age=7200"}
    )
    polling.poll_feed(feed.pk)
    feed.refresh_from_db()
    assert feed.interval == 7200


def test_a_failing_feed_backs_off_is_marked_and_its_subscribers_told_once(trap):
    ana, ben = make_person("ana"), make_person("ben")
    trap.serve("/f", rss([("a", "A")]), content_type=RSS)
    feed = subscribe(ana, trap.url("/f")).feed
    subscribe(ben, trap.url("/f"))
    trap.serve("/f", "oops", status=500)
    delays = []
    for _ in range(5):
        now = _later(feed)
        assert claim_due(now) == [feed.pk]
        polling.poll_feed(feed.pk, now=now)
        feed.refresh_from_db()
        delays.append((feed.next_poll_at - now).total_seconds())
    assert feed.status == Feed.Status.BROKEN
    assert feed.last_error == "the server answered 500"
    assert delays[-1] > delays[0] * 4
    assert all(MIN_INTERVAL <= d <= MAX_INTERVAL for d in delays)
    sent = Notification.objects.filter(kind=Notification.Kind.FEED_FAILING)
    assert sorted(n.recipient.handle for n in sent) == ["ana", "ben"]
    assert sent[0].data["reason"] == "the server answered 500"
    trap.serve("/f", rss([("a", "A")]), content_type=RSS)
    polling.poll_feed(feed.pk)
    feed.refresh_from_db()
    assert (feed.status, feed.failure_count, feed.last_error) == (Feed.Status.OK, 0, "")


def test_retry_after_is_honoured(trap):
    trap.serve("/f", rss([("a", "A")]), content_type=RSS)
    feed = subscribe(make_person("ana"), trap.url("/f")).feed
    trap.serve("/f", "busy", status=503, headers={"Retry-After": "36000"})
    now = timezone.now()
    polling.poll_feed(feed.pk, now=now)
    feed.refresh_from_db()
    assert feed.next_poll_at - now >= timedelta(seconds=36000)


def test_paused_and_unfollowed_feeds_are_not_polled(trap):
    trap.serve("/f", rss([("a", "A")]), content_type=RSS)
    sub = subscribe(make_person("ana"), trap.url("/f"))
    sub.paused = True
    sub.save()
    assert claim_due(_later(sub.feed)) == []


def test_a_claimed_feed_is_not_claimed_twice_until_its_lease_ends(trap):
    trap.serve("/f", rss([("a", "A")]), content_type=RSS)
    feed = subscribe(make_person("ana"), trap.url("/f")).feed
    now = _later(feed)
    assert claim_due(now) == [feed.pk]
    assert claim_due(now) == []
    assert claim_due(now + polling.LEASE + timedelta(seconds=1)) == [feed.pk]


class Crash(Exception):
    """The worker dies here."""


def test_killed_mid_poll_no_duplicates_and_the_schedule_is_not_lost(trap):
    items = [(f"i{n}", f"Item {n}") for n in range(6)]
    trap.serve("/f", rss(items[:1]), content_type=RSS)
    feed = subscribe(make_person("ana"), trap.url("/f")).feed
    trap.serve("/f", rss(items), content_type=RSS)
    inserts = []

    def die_storing_items(execute, sql, params, many, context):
        # The new items are in; the worker dies as their search documents go in.
        if sql.startswith("INSERT INTO") and "search_searchdocument" in sql[:40]:
            inserts.append(1)
            raise Crash
        return execute(sql, params, many, context)

    now = _later(feed)
    with connection.execute_wrapper(die_storing_items):
        poll_due(now)  # the task dies (the task backend records the failure)
    assert inserts == [1]
    feed.refresh_from_db()
    assert feed.next_poll_at < now  # still due: the schedule moved on only after a whole poll
    assert FeedItem.objects.filter(feed=feed).count() == 1  # the dead poll stored nothing
    assert claim_due(now) == []  # leased while the dead worker's claim lasts
    assert poll_due(now + polling.LEASE + timedelta(seconds=1)) == [feed.pk]
    assert FeedItem.objects.filter(feed=feed).count() == 6
    assert SearchDocument.objects.filter(source="feeditem").count() == 6
    feed.refresh_from_db()
    assert feed.next_poll_at > timezone.now() and feed.claimed_until is None


def test_t13_a_slow_feed_is_marked_temporarily_failing(trap, monkeypatch):
    trap.serve("/f", rss([("a", "A")]), content_type=RSS)
    feed = subscribe(make_person("ana"), trap.url("/f")).feed
    trap.drip("/f", rss([("a", "A")]), delay=0.3)
    monkeypatch.setattr(polling, "FEED_TIMEOUT", 1.0)
    polling.poll_feed(feed.pk)
    feed.refresh_from_db()
    assert feed.status == Feed.Status.FAILING
    assert "too long" in feed.last_error
    assert feed.next_poll_at > timezone.now()


def test_t14_a_compression_bomb_is_an_error_recorded_on_the_feed(trap):
    trap.serve("/f", rss([("a", "A")]), content_type=RSS)
    feed = subscribe(make_person("ana"), trap.url("/f")).feed
    trap.gzip_bomb("/f", decoded_size=16 * 1024 * 1024)
    polling.poll_feed(feed.pk)
    feed.refresh_from_db()
    assert "larger than" in feed.last_error


def test_t16_an_entity_bomb_marks_the_feed_invalid_and_other_feeds_keep_updating(trap):
    ana = make_person("ana")
    trap.serve("/good", rss([("a", "A")]), content_type=RSS)
    trap.serve("/bad", rss([("b", "B")], base="https://bad.example.org"), content_type=RSS)
    good = subscribe(ana, trap.url("/good")).feed
    bad = subscribe(ana, trap.url("/bad")).feed
    trap.serve("/bad", corpus("billion_laughs.xml"), content_type=RSS)
    trap.serve("/good", rss([("a2", "A2"), ("a", "A")]), content_type=RSS)
    now = max(_later(good), _later(bad))
    assert sorted(poll_due(now)) == sorted([good.pk, bad.pk])
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.status == Feed.Status.FAILING and "entities" in bad.last_error
    assert good.status == Feed.Status.OK and good.items.count() == 2


@pytest.mark.parametrize("name", ["invalid.xml", "not_a_feed.html", "external_entity.xml"])
def test_bad_documents_in_the_corpus_give_a_reason_and_never_crash_the_poller(trap, name):
    trap.serve("/f", rss([("a", "A")]), content_type=RSS)
    feed = subscribe(make_person("ana"), trap.url("/f")).feed
    trap.serve("/f", corpus(name), content_type=RSS)
    log = polling.poll_feed(feed.pk)
    assert log.outcome == FetchLog.Outcome.ERROR and log.error
    feed.refresh_from_db()
    assert feed.last_error == log.error


@pytest.mark.parametrize(
    "name",
    [
        "rss091.xml",
        "rss10.rdf",
        "atom10.xml",
        "odd_dates.xml",
        "relative_links.xml",
        "html_titles.xml",
        "wrong_encoding.xml",
    ],
)
def test_every_good_document_in_the_corpus_is_ingested(trap, name):
    trap.serve("/f", corpus(name), content_type="application/xml")
    sub = subscribe(make_person("ana"), trap.url("/f"))
    items = list(sub.feed.items.all())
    assert items
    for item in items:
        assert "<script" not in item.body_html and "onerror" not in item.body_html
        assert "<iframe" not in item.body_html


def test_subscription_attached_to_someone_outside_my_network_is_refused(trap):
    ana, ben = make_person("ana"), make_person("ben")
    trap.serve("/f", rss([("a", "A")]), content_type=RSS)
    with pytest.raises(SubscribeError, match="network"):
        subscribe(ana, trap.url("/f"), attached_person=ben)
    assert not Subscription.objects.exists()


def test_the_fetch_log_keeps_a_feeds_newest_fetches():
    import time

    feed = Feed.objects.create(url="https://a.example/feed", next_poll_at=timezone.now())
    other = Feed.objects.create(url="https://b.example/feed", next_poll_at=timezone.now())
    polling._log(other, FetchLog.Outcome.NOT_MODIFIED, None, time.monotonic())
    made = [
        polling._log(feed, FetchLog.Outcome.NOT_MODIFIED, None, time.monotonic()).pk
        for _ in range(polling.KEEP_LOG + 25)
    ]
    kept = set(FetchLog.objects.filter(feed=feed).values_list("pk", flat=True))
    assert set(made[-polling.KEEP_LOG :]) <= kept  # the newest are all there
    assert len(kept) < polling.KEEP_LOG + 10  # trimmed every tenth entry
    assert FetchLog.objects.filter(feed=other).count() == 1  # another feed's log is its own
