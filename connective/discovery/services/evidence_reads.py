"""What the expert finder reads, each query built by the ORM once per shape (core/prepared.py).

An expert finder's request asks a dozen queries whose SQL depends only on their shape (a
viewer or none, a list of people or everyone); building and compiling them (the visibility
rule twice among them) cost the ORM about as much as SQLite spent running them. Ids and lists
of ids travel as parameters (`IdArray`, one parameter whatever its length), so each shape is
compiled once per process and then run with each request's values. The SQL still comes from
the ORM and `Post.objects.visible_to`, so a change to the rule is picked up at start-up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.apps import apps
from django.db import connection
from django.db.models import Count, Q, QuerySet

from connective.accounts.models import Person
from connective.content.models import Post
from connective.core.idlist import IdArray
from connective.core.prepared import Statements
from connective.discovery.models import DiscoveryPreference
from connective.network.models import Block, Connection, Direction

_STATEMENTS = Statements(limit=64)
Build = Callable[[Mapping[str, Any]], QuerySet]


def _rows(shape: tuple, build: Build, values: Mapping[str, Any]) -> list[tuple]:
    """The rows of `build(values)`, through the statement prepared for `shape`."""
    using = connection.alias
    prepared = _STATEMENTS.get(shape, build, values, using)
    if prepared is None:
        return [tuple(row) for row in build(values)]
    return prepared.fetch(values, using)


def _viewer(values: Mapping[str, Any]) -> Person | None:
    pk = values.get("viewer")
    return None if pk is None else Person(pk=pk)


def _scoped(values: dict[str, Any], viewer: Person | None, ids: list[int] | None) -> tuple:
    """Add the viewer and the people to `values`; the shape part they make."""
    if viewer is not None:
        values["viewer"] = viewer.pk
    if ids is not None:
        values["ids"] = IdArray(ids)
    return (viewer is None, ids is None)


def opted_out() -> QuerySet[DiscoveryPreference, Any]:
    """People who asked not to be suggested, as a subquery of person ids."""
    return DiscoveryPreference.objects.filter(suggest_me=False).values("person_id")


def suggestable(viewer: Person | None) -> QuerySet[Person]:
    """Everyone the finder may ever list to `viewer` (before scope): see experts.py."""
    qs = Person.objects.active().exclude(actor_type="Feed").exclude(pk__in=opted_out())
    if viewer is not None:
        blocks = Block.objects.filter(Q(owner_id=viewer.pk) | Q(target_id=viewer.pk))
        qs = (
            qs.exclude(pk=viewer.pk)
            .exclude(pk__in=blocks.values("target_id"))
            .exclude(pk__in=blocks.values("owner_id"))
        )
    return qs


def suggestable_rows(viewer: Person | None, ids: list[int]) -> list[tuple[int, str, str, bool]]:
    """(pk, handle, domain, discoverable) of those of `ids` the finder may list to `viewer`."""
    values: dict[str, Any] = {"ids": IdArray(ids)}
    shape = _scoped(values, viewer, None)

    def build(v: Mapping[str, Any]) -> QuerySet:
        people = suggestable(_viewer(v)).filter(pk__in_ids=v["ids"]).order_by()
        return people.values_list("pk", "handle", "domain", "discoverable")

    return _rows(("suggestable", *shape), build, values)


def newest_on_topic(topic_id: int, limit: int) -> list[int]:
    """The newest `limit` posts on a topic, newest first, from the (topic, post) index alone."""

    def build(v: Mapping[str, Any]) -> QuerySet:
        links = Post.topics.through.objects.filter(topic_id=v["topic"]).order_by("-post_id")
        return links.values_list("post_id")[:limit]

    return [row[0] for row in _rows(("newest-on-topic", limit), build, {"topic": topic_id})]


def visible_posts(viewer: Person | None, post_ids: list[int]) -> list[tuple[int, str, int]]:
    """(author, kind, useful count) of those of `post_ids` the viewer may see."""
    values: dict[str, Any] = {"posts": IdArray(post_ids)}
    shape = _scoped(values, viewer, None)

    def build(v: Mapping[str, Any]) -> QuerySet:
        posts = Post.objects.visible_to(_viewer(v)).filter(pk__in_ids=v["posts"]).order_by()
        return posts.values_list("author_id", "kind", "useful_count")

    return _rows(("visible-posts", *shape), build, values)


def declared(topic_ids: list[int], ids: list[int] | None) -> set[int]:
    """Who says they can help with one of the topics (among `ids`, if given)."""
    values: dict[str, Any] = {"topics": IdArray(topic_ids)}
    shape = _scoped(values, None, ids)

    def build(v: Mapping[str, Any]) -> QuerySet:
        rows = Person.expertise.through.objects.filter(topic_id__in_ids=v["topics"])
        if "ids" in v:
            rows = rows.filter(person_id__in_ids=v["ids"])
        return rows.order_by().values_list("person_id")

    return {row[0] for row in _rows(("declared", *shape), build, values)}


def post_counts(
    viewer: Person | None, topic_ids: list[int], ids: list[int] | None
) -> list[tuple[int, str, int, int]]:
    """(author, kind, posts, posts marked useful) of the visible posts on the topics.

    The posts on the topics are found first, in a subquery the indexes answer alone (each
    author's posts, then each one's topic link); only those rows are read for the visibility
    rule. Joined in one query, every post of the authors was read (19,000 rows for the 1,700 on
    a popular topic of a shortlist)."""
    values: dict[str, Any] = {"topics": IdArray(topic_ids)}
    shape = _scoped(values, viewer, ids)

    def build(v: Mapping[str, Any]) -> QuerySet:
        on_topics = Post.objects.filter(topics__in_ids=v["topics"])
        if "ids" in v:
            on_topics = on_topics.filter(author_id__in_ids=v["ids"])
        posts = Post.objects.visible_to(_viewer(v)).filter(pk__in=on_topics.values("pk"))
        useful = Count("pk", filter=Q(useful_count__gt=0))
        grouped = posts.order_by().values("author_id", "kind")
        return grouped.annotate(n=Count("pk"), useful=useful).values_list(
            "author_id", "kind", "n", "useful"
        )

    return _rows(("post-counts", *shape), build, values)


def statements(topic_ids: list[int], ids: list[int] | None) -> dict[int, int]:
    """Valid statements of participation per person for courses on the topics.

    Credentials and courses are built alongside discovery; if either model is missing there is
    simply no such evidence.
    """
    try:
        statement = apps.get_model("credentials", "Statement")
        course = apps.get_model("courses", "Course")
    except LookupError:
        return {}
    values: dict[str, Any] = {"topics": IdArray(topic_ids)}
    shape = _scoped(values, None, ids)

    def build(v: Mapping[str, Any]) -> QuerySet:
        courses = course.objects.filter(topics__in_ids=v["topics"], uri__isnull=False)
        rows = statement.objects.filter(
            revoked_at__isnull=True, source_uri__in=courses.values("uri")
        )
        if "ids" in v:
            rows = rows.filter(recipient_id__in_ids=v["ids"])
        counted = rows.order_by().values("recipient_id").annotate(n=Count("pk", distinct=True))
        return counted.values_list("recipient_id", "n")

    return dict(_rows(("statements", *shape), build, values))


def learner_ties(
    viewer: Person, network: set[int], topic_ids: list[int], ids: list[int] | None
) -> list[tuple[int, int]]:
    """(target, owner) of the active learn-from ties on the topics from the viewer's network
    (to people among `ids`, if given), never to the viewer, suspended owners left out."""
    values: dict[str, Any] = {"net": IdArray(network), "topics": IdArray(topic_ids)}
    shape = _scoped(values, viewer, ids)

    def build(v: Mapping[str, Any]) -> QuerySet:
        rows = (
            Connection.objects.active()
            .order_by()
            .filter(
                owner_id__in_ids=v["net"],
                direction=Direction.LEARN_FROM,
                topics__in_ids=v["topics"],
                owner__suspended_at__isnull=True,
            )
            .exclude(target_id=v["viewer"])
        )
        if "ids" in v:
            rows = rows.filter(target_id__in_ids=v["ids"])
        return rows.values_list("target_id", "owner_id")

    return _rows(("learner-ties", *shape), build, values)
