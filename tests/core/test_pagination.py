"""Cursor pagination: opaque cursors that round-trip, and refuse anything we did not make."""

import base64
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from connective.content.models import Post
from connective.content.services.posts import PostDraft, create_post
from connective.core.pagination import (
    MAX_CURSOR_LENGTH,
    BadCursor,
    decode_cursor,
    encode_cursor,
    paginate,
)


def _raw_cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def test_cursor_round_trip():
    stamp = datetime(2025, 3, 14, 15, 9, 26, 535897, tzinfo=UTC)
    cursor = encode_cursor(stamp, 4242)
    assert decode_cursor(cursor) == (stamp, 4242)
    assert len(cursor) <= MAX_CURSOR_LENGTH
    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor!",
        "%%%",
        "A" * (MAX_CURSOR_LENGTH + 1),
        _raw_cursor("2025-01-01T00:00:00+00:00"),
        _raw_cursor("2025-01-01T00:00:00+00:00|12|3"),
        _raw_cursor("yesterday|12"),
        _raw_cursor("2025-01-01T00:00:00+00:00|twelve"),
        base64.urlsafe_b64encode(b"\xff\xfe|12").decode(),
    ],
    ids=["spaces", "percent", "oversized", "no-id", "extra", "bad-date", "bad-id", "not-utf8"],
)
def test_tampered_cursor_is_refused(cursor):
    with pytest.raises(BadCursor):
        decode_cursor(cursor)


def test_oversized_cursor_is_refused_before_decoding():
    valid = encode_cursor(timezone.now(), 1)
    with pytest.raises(BadCursor):
        decode_cursor(valid + "A" * MAX_CURSOR_LENGTH)


@pytest.mark.django_db
def test_pages_follow_each_other_without_gaps_or_repeats(ana):
    posts = [create_post(ana, PostDraft(body=f"note {n}")) for n in range(7)]
    same_moment = timezone.now() - timedelta(days=1)
    Post.objects.filter(pk__in=[p.pk for p in posts[2:5]]).update(created_at=same_moment)
    seen, cursor = [], None
    while True:
        page = paginate(Post.objects.all(), cursor, size=3)
        seen += [p.pk for p in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert sorted(seen) == sorted(p.pk for p in posts)
    assert len(seen) == len(set(seen))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cursor",
    [
        "garbage!!",
        "A" * 500,
        _raw_cursor("2025-01-01T00:00:00+00:00|x"),
        _raw_cursor("2025-01-01T00:00:00+00:00|" + "9" * 30),
    ],
    ids=["garbage", "oversized", "bad-id", "huge-id"],
)
def test_stream_answers_400_or_a_page_never_500_for_a_foreign_cursor(ana_client, cursor):
    response = ana_client.get("/home/", {"cursor": cursor})
    assert response.status_code in {200, 400}
    if cursor in {"garbage!!", "A" * 500}:
        assert response.status_code == 400


def test_cursor_without_a_time_zone_is_refused():
    with pytest.raises(BadCursor):
        decode_cursor(_raw_cursor("2025-01-01T00:00:00|12"))


@pytest.mark.django_db
def test_stream_answers_400_for_a_cursor_date_out_of_range(ana_client):
    cursor = _raw_cursor("9999-12-31T23:59:59-23:59|5")
    assert ana_client.get("/home/", {"cursor": cursor}).status_code == 400
