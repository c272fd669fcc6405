"""Helpers for the stream tests: posts with chosen times and topics, relations, the oracle."""

from datetime import datetime

import pytest
from django.utils import timezone

from connective.content.models import Post
from connective.network.models import Block, Connection, Direction, Mute
from connective.stream.services import home
from connective.topics.models import Topic


def connect(owner, target, active=True) -> Connection:
    """`owner` connected to `target` (no notifications needed here)."""
    return Connection.objects.create(
        owner=owner,
        target=target,
        direction=Direction.LEARN_WITH,
        status=Connection.Status.ACTIVE if active else Connection.Status.PENDING,
    )


def topic(key: str) -> Topic:
    """The topic with this key (created on first use)."""
    return Topic.objects.get_or_create(key=key, defaults={"name": key.title()})[0]


def follow(person, *keys: str) -> None:
    """`person` follows these topics."""
    person.followed_topics.add(*(topic(k) for k in keys))


def mute(owner, target) -> None:
    Mute.objects.create(owner=owner, target=target)


def block(owner, target) -> None:
    Block.objects.create(owner=owner, target=target)


def make_post(author, body="A note", *, topics=(), at: datetime | None = None, **fields) -> Post:
    """A post stored directly, so tests choose its time, kind, visibility and parent."""
    p = Post.objects.create(
        author=author,
        body=body,
        body_html=f"<p>{body}</p>",
        created_at=at or timezone.now(),
        **fields,
    )
    if topics:
        p.topics.set([topic(k) for k in topics])
    return p


def expected_stream(viewer, kind="", on_topic=None) -> list[int]:
    """The stream by its definition, computed the slow way: ids, newest first."""
    active = Connection.objects.filter(status="active")
    following = set(active.filter(owner=viewer).values_list("target_id", flat=True))
    following |= set(active.filter(target=viewer).values_list("owner_id", flat=True))
    followed = set(viewer.followed_topics.values_list("pk", flat=True))
    muted = set(Mute.objects.filter(owner=viewer).values_list("target_id", flat=True))
    out = []
    for p in Post.objects.visible_to(viewer).prefetch_related("topics"):
        topic_ids = {t.pk for t in p.topics.all()}
        mine_or_followed = p.author_id == viewer.pk or p.author_id in following
        if p.in_reply_to_id is not None or p.author_id in muted:
            continue
        if not (mine_or_followed or topic_ids & followed):
            continue
        if (kind and p.kind != kind) or (on_topic and on_topic.pk not in topic_ids):
            continue
        out.append(p)
    out.sort(key=lambda p: (p.created_at, p.pk), reverse=True)
    return [p.pk for p in out]


def walk_pages(viewer, kind="", on_topic=None) -> list[list[int]]:
    """Every page of the home stream, following the cursors."""
    pages, cursor = [], None
    while True:
        page = home.home_page(viewer, cursor, kind, on_topic)
        pages.append([p.pk for p in page.items])
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor


@pytest.fixture(params=["walk", "second-walk", "fallback"])
def window(request, monkeypatch):
    """Run a test through each way a page is found: one index walk, a second, the fallback."""
    if request.param != "walk":
        monkeypatch.setattr(home, "WALK_WINDOW", 2)
    if request.param == "fallback":
        monkeypatch.setattr(home, "MAX_WINDOW", 0)
    return request.param
