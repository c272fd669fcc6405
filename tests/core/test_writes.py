"""Plain-statement writes store exactly what save() stores."""

from datetime import timedelta

import pytest
from django.utils import timezone

from connective.core.writes import insert, update_fields
from connective.feeds.models import Feed, FetchLog

pytestmark = pytest.mark.django_db


def test_update_fields_writes_the_named_fields_only():
    feed = Feed.objects.create(url="https://a.example/feed", title="A", next_poll_at=timezone.now())
    later = timezone.now() + timedelta(hours=2)
    feed.next_poll_at, feed.failing_notified, feed.claimed_until = later, True, None
    feed.title = "not written"
    assert update_fields(feed, ["next_poll_at", "failing_notified", "claimed_until"]) == 1
    stored = Feed.objects.get(pk=feed.pk)
    assert stored.next_poll_at == later and stored.failing_notified is True
    assert stored.claimed_until is None and stored.title == "A"


def test_insert_sets_the_key_and_auto_fields_as_create_does():
    feed = Feed.objects.create(url="https://a.example/feed", next_poll_at=timezone.now())
    before = timezone.now()
    entry = insert(FetchLog(feed=feed, outcome=FetchLog.Outcome.NEW, status_code=200, size=5))
    assert entry.pk is not None and not entry._state.adding
    stored = FetchLog.objects.get(pk=entry.pk)
    assert stored.at >= before and stored.at == entry.at  # auto_now_add filled in
    assert (stored.outcome, stored.status_code, stored.size, stored.error) == ("new", 200, 5, "")
    second = insert(FetchLog(feed=feed, outcome=FetchLog.Outcome.ERROR))
    assert second.pk > entry.pk and FetchLog.objects.count() == 2
