"""Build the home stream on read (see docs/performance.md for why not fan-out on write).

The stream is the viewer's own posts, posts by the people in their network (an active connection
either way: people I connected to, and people who connected with me) and posts on topics they
follow: top level, visible to the viewer (`Post.objects.visible_to`), minus muted authors, newest
first, optionally of one kind or on one topic. The items of the outside feeds they follow are rows
of their own, merged in (feed_items.py); "from the web" shows only those.

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

The boosts of the people in my network come from their own small query (boosts.py) and are
merged with the posts by the time of the boost; one cursor names a place in both (positions.py).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact

from connective.accounts.models import Person
from connective.content.models import Post
from connective.core.pagination import PAGE_SIZE, Page
from connective.core.prepared import Statements
from connective.network.models import Connection, Mute
from connective.stream.services.boosts import home_boosts, merged_page
from connective.stream.services.cards import load_cards
from connective.stream.services.feed_items import home_items
from connective.stream.services.positions import Position, start_from
from connective.topics.models import Topic

# Posts (newest first from the cursor) the first walk looks at, and the most a second may.
WALK_WINDOW = 1000
MAX_WINDOW = 10000
# Candidate ids taken from each source when the walks found too little (see _from_sources).
MAX_CANDIDATES = 5000

PostTopic = Post.topics.through

# The walk's and the window's queries, compiled once per shape (prepared.py).
STATEMENTS = Statements()


@dataclass(frozen=True)
class Request:
    """Whose stream, filtered how."""

    viewer: Person
    kind: str = ""
    topic: Topic | None = None


def home_queryset(
    viewer: Person,
    kind: str = "",
    topic: Topic | None = None,
    within: Q | None = None,
) -> QuerySet[Post]:
    """Top-level posts by me, the people I connected to, and on topics I follow, that I may see.

    `within` narrows it further (a stretch of the time order). Everything is added in one
    `filter()`: each call copies the whole query, and the visibility rule makes it a large one.
    """
    on_followed_topic = Exists(
        PostTopic.objects.filter(post_id=OuterRef("pk"), topic_id__in=_followed_topics(viewer))
    )
    muted = Mute.objects.filter(owner_id=viewer.pk).values("target_id")
    # Top level, written so that no index on in_reply_to is considered: most posts are top
    # level, and SQLite would otherwise fetch them all through that index and sort them.
    top_level = Exact(Coalesce("in_reply_to_id", Value(0)), 0)
    sources = (
        Q(author_id=viewer.pk)
        | Q(author_id__in=_outgoing(viewer))
        | Q(author_id__in=_incoming(viewer))
        | Q(on_followed_topic)
    )
    condition = Q(top_level) & sources & ~Q(author_id__in=muted)
    if kind:
        condition &= Q(kind=kind)
    if topic is not None:
        condition &= Q(Exists(PostTopic.objects.filter(post_id=OuterRef("pk"), topic_id=topic.pk)))
    if within is not None:
        condition &= within
    return Post.objects.visible_to(viewer).filter(condition)


def home_page(
    viewer: Person,
    cursor: str | None,
    kind: str = "",
    topic: Topic | None = None,
    web: bool = False,
) -> Page:
    """One page of the home stream, newest first after `cursor`, with the cards' data loaded:
    the stream's posts, the boosts of the people in my network (boosts.py) and the items of my
    feeds (feed_items.py), merged; with `web`, only the items."""
    ask = Request(viewer, kind, topic)
    want = PAGE_SIZE + 1
    start = start_from(cursor)
    posts = [] if web else _posts_after(ask, start.posts, want)
    shared = [] if web else home_boosts(viewer, start.boosts, want, kind, _pk(topic))
    fetched = home_items(viewer, start.items, want, kind, topic is not None)
    page = merged_page(posts, shared, Post.objects.all(), fetched=fetched)
    load_cards([post for post in page.items if isinstance(post, Post)])
    return page


def _pk(topic: Topic | None) -> int | None:
    return None if topic is None else topic.pk


def _posts_after(ask: Request, start: Position | None, want: int) -> list[Post]:
    """Up to `want` stream posts after `start`, newest first (the three steps above)."""
    rows, reach = _walk(ask, start, WALK_WINDOW, want)
    if len(rows) < want and reach is not None:
        window = _second_window(len(rows), want)
        if window:
            more, reach = _walk(ask, reach, window, want - len(rows))
            rows += more
    if len(rows) < want and reach is not None:
        rows += _from_sources(ask, reach, want - len(rows))
    return rows


def _outgoing(viewer: Person) -> QuerySet:
    """The people I connected to (active)."""
    active = Connection.objects.filter(owner_id=viewer.pk, status=Connection.Status.ACTIVE)
    return active.values("target_id")


def _incoming(viewer: Person) -> QuerySet:
    """The people who connected with me (active)."""
    active = Connection.objects.filter(target_id=viewer.pk, status=Connection.Status.ACTIVE)
    return active.values("owner_id")


def _followed_topics(viewer: Person) -> QuerySet:
    return Person.followed_topics.through.objects.filter(person_id=viewer.pk).values("topic_id")


def _walk(ask: Request, start: Position | None, window: int, want: int):
    """Up to `want` stream posts among the next `window` posts after `start`.

    Returns (posts, reach): reach is the last position looked at, None at the end of the table.
    """
    reach = _window_end(ask.kind, start, window)
    return _stream_between(ask, start, reach, want), reach


def _window_end(kind: str, start: Position | None, window: int) -> Position | None:
    """The `window`-th post (of `kind`) after `start`; None when fewer remain."""
    values: dict[str, Any] = {}
    if start is not None:
        values.update(start_at=start.created_at, start_pk=start.pk)

    def build(marks: Mapping[str, Any]) -> QuerySet:
        qs = Post.objects.filter(kind=kind) if kind else Post.objects.all()
        if marks:
            qs = qs.filter(Position(marks["start_at"], marks["start_pk"]).before())
        return qs.order_by("-created_at", "-id").values_list("created_at", "id")[
            window - 1 : window
        ]

    using = Post.objects.db
    prepared = STATEMENTS.get(("window", kind, window, *values), build, values, using)
    rows = list(build(values)) if prepared is None else prepared.fetch(values, using)
    if not rows:
        return None
    return Position(*rows[0])


def _stream_between(
    ask: Request, start: Position | None, reach: Position | None, want: int
) -> list[Post]:
    """Up to `want` stream posts after `start` down to `reach`, newest first.

    The query is compiled once per shape (prepared.py): building it cost more than running it.
    """
    values: dict[str, Any] = {"viewer": ask.viewer.pk}
    if ask.topic is not None:
        values["topic"] = ask.topic.pk
    for name, position in (("start", start), ("reach", reach)):
        if position is not None:
            values.update({f"{name}_at": position.created_at, f"{name}_pk": position.pk})
    using = Post.objects.db

    def build(marks: Mapping[str, Any]) -> QuerySet[Post]:
        return _stream_query(ask.kind, want, marks)

    shape = ("walk", ask.kind, want, *sorted(values))
    prepared = STATEMENTS.get(shape, build, values, using)
    if prepared is None:
        return list(_stream_query(ask.kind, want, values))
    return prepared.run(Post, values, using)


def _stream_query(kind: str, want: int, values: Mapping[str, Any]) -> QuerySet[Post]:
    """The walk's query from plain values (a viewer's id, a topic's, positions' times and ids)."""
    viewer = Person(pk=values["viewer"])  # the rule needs only the viewer's id
    topic = Topic(pk=values["topic"]) if "topic" in values else None
    within = Q()
    if "start_at" in values:
        within &= Position(values["start_at"], values["start_pk"]).before()
    if "reach_at" in values:
        within &= Position(values["reach_at"], values["reach_pk"]).up_to()
    return _ordered(home_queryset(viewer, kind, topic, within))[:want]


def _second_window(found: int, want: int) -> int:
    """How far to walk on, judging by the first window's density; 0 means not worth it."""
    if found == 0:
        return 0
    needed = 2 * (want - found) * WALK_WINDOW // found
    return needed if needed <= MAX_WINDOW else 0


def _from_sources(ask: Request, reach: Position, want: int) -> list[Post]:
    """The rest of a page past `reach`, from the candidates the sources name.

    The candidate ids are fetched first, through the sources' own indexes, and the page is
    then taken from exactly those rows. Handing the planner a short list (rather than
    subqueries it must guess the size of) keeps both SQLite and PostgreSQL from walking the
    whole table when the network is quiet or empty.
    """
    ids = _candidate_ids(ask, reach)
    if ids == []:
        return []
    # Too many candidates for a parameter list: the stream's own source filter does the work.
    narrowed = reach.before() if ids is None else Q(pk__in=ids) & reach.before()
    qs = home_queryset(ask.viewer, ask.kind, ask.topic, narrowed)
    return list(_ordered(qs)[:want])


def _candidate_ids(ask: Request, reach: Position) -> list[int] | None:
    """Ids of the posts past `reach` that the viewer's sources could contribute.

    None when there are more than MAX_CANDIDATES: a huge topic must not become a parameter
    list the database refuses (SQLite caps bound variables).
    """
    viewer = ask.viewer
    people, topics = _sources(viewer)
    if ask.topic is not None:
        on_topic = PostTopic.objects.filter(topic_id=ask.topic.pk)
        if ask.topic.pk in topics:  # a followed topic: every visible post on it belongs
            return _bounded(on_topic.values_list("post_id", flat=True))
        authored = Post.objects.filter(author_id__in=people, pk__in=on_topic.values("post_id"))
    else:
        authored = Post.objects.filter(author_id__in=people)
    ids = _bounded(authored.filter(reach.before()).values_list("pk", flat=True))
    if ids is not None and ask.topic is None and topics:
        on_topics = PostTopic.objects.filter(topic_id__in=topics)
        more = _bounded(on_topics.values_list("post_id", flat=True))
        ids = None if more is None else _bounded_list(sorted({*ids, *more}))
    return ids


def _bounded(ids: QuerySet) -> list[int] | None:
    """The ids, sorted, or None if there are more than MAX_CANDIDATES."""
    return _bounded_list(sorted(ids.order_by()[: MAX_CANDIDATES + 1]))


def _bounded_list(ids: list[int]) -> list[int] | None:
    return None if len(ids) > MAX_CANDIDATES else ids


def _sources(viewer: Person) -> tuple[list[int], set[int]]:
    """(me and the people in my network, the topics I follow), in one query."""
    outgoing = _outgoing(viewer).order_by().annotate(source=Value("person"))
    incoming = _incoming(viewer).order_by().annotate(source=Value("person"))
    topics = _followed_topics(viewer).order_by().annotate(source=Value("topic"))
    rows = list(
        outgoing.values_list("target_id", "source").union(
            incoming.values_list("owner_id", "source"),
            topics.values_list("topic_id", "source"),
            all=True,
        )
    )
    authors = [viewer.pk] + sorted({pk for pk, source in rows if source == "person" and pk})
    return authors, {pk for pk, source in rows if source == "topic"}


def _ordered(qs: QuerySet[Post]) -> QuerySet[Post]:
    return qs.order_by("-created_at", "-id")
