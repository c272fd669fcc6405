"""Build the home stream on read (see docs/performance.md for why not fan-out on write).

The stream is the viewer's own posts, posts by people they connected to (active), and posts on
topics they follow: top level, visible to the viewer (`Post.objects.visible_to`), minus muted
authors, newest first, optionally of one kind and on one topic.

How a page is found, so that page 50 costs what page 1 costs and a quiet network is no
table scan:
1. Walk the (created_at, id) index from the cursor over at most WALK_WINDOW posts, checking
   each against the sources; stop at PAGE_SIZE + 1 matches. A busy network fills the page
   within a few hundred posts.
2. If the page is not full, what the first window found tells how dense the stream is here:
   when the rest of the page is likely within MAX_WINDOW posts, walk on that far.
3. Otherwise (a quiet network, a rare filter) fetch the rest of the page from the candidates
   the sources name through their own indexes (the authors' posts, the topics' posts) and
   sort those few.
Each step is bounded, so a page costs at most a fixed number of queries.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce

from connective.accounts.models import Person
from connective.content.models import Post
from connective.core.pagination import PAGE_SIZE, Page, decode_cursor, encode_cursor
from connective.network.models import Connection, Mute
from connective.topics.models import Topic

# Posts (newest first from the cursor) the first walk looks at, and the most a second may.
WALK_WINDOW = 1000
MAX_WINDOW = 20000

PostTopic = Post.topics.through


@dataclass(frozen=True)
class Position:
    """A place in the newest-first (created_at, id) order."""

    created_at: datetime
    pk: int

    def before(self) -> Q:
        """Rows that come after this position (older), with an index-friendly bound."""
        return Q(created_at__lte=self.created_at) & (
            Q(created_at__lt=self.created_at) | Q(created_at=self.created_at, pk__lt=self.pk)
        )

    def up_to(self) -> Q:
        """Rows from the newest down to and including this position."""
        return Q(created_at__gte=self.created_at) & (
            Q(created_at__gt=self.created_at) | Q(created_at=self.created_at, pk__gte=self.pk)
        )


@dataclass(frozen=True)
class Request:
    """Whose stream, filtered how."""

    viewer: Person
    kind: str = ""
    topic: Topic | None = None


def home_queryset(viewer: Person, kind: str = "", topic: Topic | None = None) -> QuerySet[Post]:
    """Top-level posts by me, the people I connected to, and on topics I follow, that I may see."""
    on_followed_topic = Exists(
        PostTopic.objects.filter(post_id=OuterRef("pk"), topic_id__in=_followed_topics(viewer))
    )
    qs = (
        Post.objects.visible_to(viewer)
        # Top level, written so that no index on in_reply_to is considered: most posts are top
        # level, and SQLite would otherwise fetch them all through that index and sort them.
        .alias(parent=Coalesce("in_reply_to_id", Value(0)))
        .filter(parent=0)
        .filter(Q(author_id=viewer.pk) | Q(author_id__in=_following(viewer)) | on_followed_topic)
        .exclude(author_id__in=Mute.objects.filter(owner_id=viewer.pk).values("target_id"))
    )
    if kind:
        qs = qs.filter(kind=kind)
    if topic is not None:
        qs = qs.filter(Exists(PostTopic.objects.filter(post_id=OuterRef("pk"), topic_id=topic.pk)))
    return qs


def home_page(
    viewer: Person, cursor: str | None, kind: str = "", topic: Topic | None = None
) -> Page:
    """One page of the home stream, newest first after `cursor`, with the cards' data loaded."""
    ask = Request(viewer, kind, topic)
    want = PAGE_SIZE + 1
    start = Position(*decode_cursor(cursor)) if cursor else None
    rows, reach = _walk(ask, start, WALK_WINDOW, want)
    if len(rows) < want and reach is not None:
        window = _second_window(len(rows), want)
        if window:
            more, reach = _walk(ask, reach, window, want - len(rows))
            rows += more
    if len(rows) < want and reach is not None:
        rows += _from_sources(ask, reach, want - len(rows))
    more_pages = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    prefetch_related_objects(rows, "topics")
    next_cursor = encode_cursor(rows[-1].created_at, rows[-1].pk) if more_pages else None
    return Page(rows, next_cursor)


def _following(viewer: Person) -> QuerySet:
    active = Connection.objects.filter(owner_id=viewer.pk, status=Connection.Status.ACTIVE)
    return active.values("target_id")


def _followed_topics(viewer: Person) -> QuerySet:
    return Person.followed_topics.through.objects.filter(person_id=viewer.pk).values("topic_id")


def _walk(ask: Request, start: Position | None, window: int, want: int):
    """Up to `want` stream posts among the next `window` posts after `start`.

    Returns (posts, reach): reach is the last position looked at, None at the end of the table.
    """
    qs = Post.objects.filter(kind=ask.kind) if ask.kind else Post.objects.all()
    if start is not None:
        qs = qs.filter(start.before())
    last = qs.order_by("-created_at", "-id").values_list("created_at", "id")[window - 1 : window]
    reach = Position(*last[0]) if last else None
    stream = home_queryset(ask.viewer, ask.kind, ask.topic)
    if start is not None:
        stream = stream.filter(start.before())
    if reach is not None:
        stream = stream.filter(reach.up_to())
    return list(_ordered(stream)[:want]), reach


def _second_window(found: int, want: int) -> int:
    """How far to walk on, judging by the first window's density; 0 means not worth it."""
    if found == 0:
        return 0
    needed = 2 * (want - found) * WALK_WINDOW // found
    return needed if needed <= MAX_WINDOW else 0


def _from_sources(ask: Request, reach: Position, want: int) -> list[Post]:
    """The rest of a page past `reach`, from the candidates the sources name.

    The candidates are one list of post ids (a topic filter's posts; otherwise my posts, my
    connections' posts and my followed topics' posts), so both SQLite and PostgreSQL start
    from it through the sources' indexes instead of walking the whole table.
    """
    viewer = ask.viewer
    if ask.topic is not None:
        candidates = PostTopic.objects.filter(topic_id=ask.topic.pk).values("post_id")
    else:
        by_authors = (
            Post.objects.filter(
                Q(author_id=viewer.pk) | Q(author_id__in=_following(viewer)), reach.before()
            )
            .order_by()
            .values("pk")
        )
        on_topics = PostTopic.objects.filter(topic_id__in=_followed_topics(viewer))
        candidates = by_authors.union(on_topics.values("post_id"))
    qs = home_queryset(viewer, ask.kind, ask.topic).filter(pk__in=candidates)
    return list(_ordered(qs.filter(reach.before()))[:want])


def _ordered(qs: QuerySet[Post]) -> QuerySet[Post]:
    return qs.select_related("author").order_by("-created_at", "-id")
