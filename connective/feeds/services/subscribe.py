"""Subscribe by pasting a site or feed address (autodiscovery), pause, unsubscribe."""

from __future__ import annotations

import time

from django.db import IntegrityError, transaction
from django.utils import timezone

from connective.accounts.models import Person
from connective.core import http
from connective.core.http import Fetched, FetchError
from connective.core.uris import is_web_url
from connective.feeds.models import Feed, Subscription
from connective.feeds.services.items import record_existing_evidence
from connective.feeds.services.parse import (
    FeedInvalid,
    ParsedFeed,
    discover_feeds,
    looks_like_feed,
    parse_feed,
)
from connective.feeds.services.polling import fetch_feed, record_success
from connective.network.models import Connection
from connective.topics.models import Topic
from connective.topics.normalize import InvalidTopic
from connective.topics.services.resolve import get_or_create_topics, validate_labels

MAX_URL = 400
MAX_SUBSCRIPTIONS = 1000


class SubscribeError(Exception):
    """The subscription cannot be made; str() says why, `field` names the form field."""

    def __init__(self, message: str, field: str = "url") -> None:
        super().__init__(message)
        self.field = field


def check_feed_url(url: str) -> str:
    """The address, stripped, if it can be a feed address at all."""
    url = (url or "").strip()
    if not url:
        raise SubscribeError("Paste the address of a site or of its feed.")
    if len(url) > MAX_URL:
        raise SubscribeError(f"Addresses are at most {MAX_URL} characters.")
    if not is_web_url(url):
        raise SubscribeError("Give a web address starting with http:// or https://.")
    return url


def check_feed_address(url: str) -> str:
    """The address, stripped, if a fetch of it would not be refused before connecting.

    The outbound policy of `core.http` (T-10, T-12): http(s) only, no user name or password,
    allowed ports only, no local names (`localhost.`, `*.local`…), and no address written in
    numbers (`127.0.0.1`, `[::1]`, `2130706433`, `0x7f.1`…) that is not public. Following a
    feed and importing an OPML list both check this first, so both refuse with the same reason.
    Host names are not resolved here (an import of 500 outlines must not wait on 500 DNS
    lookups, nor tie up the fetcher's resolver threads); the fetch resolves them and refuses a
    private answer then.
    """
    url = check_feed_url(url)
    try:
        http.check_url_offline(url)
    except FetchError as exc:
        raise SubscribeError(str(exc)) from exc
    return url


def subscribe(
    person: Person,
    url: str,
    *,
    attached_person: Person | None = None,
    topic: str = "",
    own_blog: bool = False,
    title: str = "",
) -> Subscription:
    """Follow the feed at url (or the one the page at url advertises)."""
    url = check_feed_address(url)
    _check_attached(person, attached_person)
    topic_row = _topic(topic)
    if Subscription.objects.filter(person=person).count() >= MAX_SUBSCRIPTIONS:
        raise SubscribeError(f"You can follow at most {MAX_SUBSCRIPTIONS} feeds.")
    feed = find_or_fetch_feed(url)
    sub, created = Subscription.objects.get_or_create(
        person=person,
        feed=feed,
        defaults={
            "attached_person": attached_person,
            "topic": topic_row,
            "own_blog": own_blog,
            "title": title.strip()[:200],
        },
    )
    if not created:
        raise SubscribeError(f"You already follow “{sub.name}”.")
    if own_blog:
        record_existing_evidence(sub)
    return sub


def find_or_fetch_feed(url: str) -> Feed:
    """The Feed for url: known already, or fetched (discovering it from a page) and stored."""
    known = Feed.objects.filter(url=url).first()
    if known is not None:
        return known
    started = time.monotonic()
    got = _fetch(url)
    if not looks_like_feed(got.content_type, got.content):
        found = discover_feeds(got.content, got.url)
        if not found:
            raise SubscribeError("No feed found at that address, nor advertised by its page.")
        feed_url = check_feed_address(found[0][:MAX_URL])  # a page may point anywhere
        known = Feed.objects.filter(url=feed_url).first()
        if known is not None:
            return known
        got = _fetch(feed_url)
    else:
        feed_url = url
    parsed = _parse(got)
    return _store_new(feed_url, got, parsed, started)


def _fetch(url: str) -> Fetched:
    try:
        got = fetch_feed(url)
    except FetchError as exc:
        raise SubscribeError(f"That address could not be fetched: {exc}.") from exc
    if got.status >= 400:
        raise SubscribeError(
            f"That address could not be fetched: the server answered {got.status}."
        )
    return got


def _parse(got: Fetched) -> ParsedFeed:
    try:
        return parse_feed(got.content, got.url, got.content_type)
    except FeedInvalid as exc:
        raise SubscribeError(f"That is not a feed we can read: {exc}.") from exc


def _store_new(url: str, got: Fetched, parsed: ParsedFeed, started: float) -> Feed:
    """Create the Feed and store its first items (this fetch is its first poll)."""
    try:
        with transaction.atomic():
            feed = Feed.objects.create(
                url=url, title=parsed.title, next_poll_at=timezone.now(), claimed_until=None
            )
    except IntegrityError:  # someone else added it meanwhile
        return Feed.objects.get(url=url)
    record_success(feed, got, parsed, started=started)
    return feed


def _check_attached(person: Person, other: Person | None) -> None:
    """A feed can be attached only to someone in my network."""
    if other is None:
        return
    active = Connection.objects.filter(status=Connection.Status.ACTIVE)
    linked = (
        active.filter(owner=person, target=other).exists()
        or active.filter(owner=other, target=person).exists()
    )
    if not linked:
        raise SubscribeError("Choose someone in your network.", "attached_person")


def _topic(label: str) -> Topic | None:
    label = (label or "").strip()
    if not label:
        return None
    try:
        return get_or_create_topics(validate_labels([label]))[0]
    except (InvalidTopic, IndexError) as exc:
        raise SubscribeError(str(exc) or "That topic cannot be used.", "topic") from exc


def set_paused(sub: Subscription, paused: bool) -> Subscription:
    """Pause or resume a subscription (a feed nobody follows unpaused is not polled)."""
    sub.paused = paused
    sub.save(update_fields=["paused"])
    return sub


def unsubscribe(sub: Subscription) -> None:
    """Stop following; the feed row stays (others may follow it) and is polled only if followed."""
    sub.delete()
