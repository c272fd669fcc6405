"""What the home page shows beside each post and in its sidebar, loaded in few, cheap queries.

The queries are prepared once per shape (prepared.py): for queries this small, the ORM's
building and compiling cost more than the database's work.
"""

from collections.abc import Mapping
from typing import Any, NamedTuple

from django.db.models import QuerySet, Value

from connective.accounts.models import Person
from connective.content.models import Post
from connective.core.prepared import Statements

PostTopic = Post.topics.through
STATEMENTS = Statements()

# What a card shows of its author: loading the rest of each Person would only cost time.
CARD_AUTHOR_FIELDS = ("id", "handle", "domain", "display_name", "avatar", "actor_type")


class TopicLabel(NamedTuple):
    """What a chip or a filter option shows of a topic (lighter than a Topic instance)."""

    pk: int
    key: str
    name: str


def load_cards(rows: list[Post]) -> None:
    """Give each post its author (and a boosted one its booster, as `boosted_by`) and, as
    `topic_list`, its topics' labels (two queries in all).

    Written out rather than `prefetch_related_objects`, whose machinery (a model instance
    for every topic and every link) cost more than the two queries themselves. Authors come
    by their own query, not a join: PostgreSQL misjudges a join on the stream's filtered rows
    as one row and scans the people table once per post (docs/performance.md).
    """
    if not rows:
        return
    people = {post.author_id for post in rows}
    people.update(post.boosted_by_id for post in rows if hasattr(post, "boosted_by_id"))
    authors = {person.pk: person for person in _authors(people)}
    topics: dict[int, list[TopicLabel]] = {post.pk: [] for post in rows}
    for post_id, pk, key, name in _topic_rows(sorted(topics)):
        topics[post_id].append(TopicLabel(pk, key, name))
    set_author = Post.author.field.set_cached_value
    for post in rows:
        set_author(post, authors[post.author_id])
        if hasattr(post, "boosted_by_id"):  # shown because someone boosted it (boosts.py)
            post.boosted_by = authors[post.boosted_by_id]  # type: ignore[attr-defined]
        post.topic_list = topics[post.pk]  # type: ignore[attr-defined]


def _numbered(prefix: str, ids: list[int]) -> dict[str, Any]:
    return {f"{prefix}{n:02d}": pk for n, pk in enumerate(ids)}


def _authors(ids: set[int]) -> list[Person]:
    """The people with these ids, with only what a card shows of them."""
    values = _numbered("a", sorted(ids))

    def build(marks: Mapping[str, Any]) -> QuerySet:
        return Person.objects.only(*CARD_AUTHOR_FIELDS).filter(pk__in=list(marks.values()))

    using = Person.objects.db
    prepared = STATEMENTS.get(("authors", len(values)), build, values, using)
    if prepared is None:
        return list(build(values))
    return prepared.run(Person, values, using)


def _topic_rows(post_ids: list[int]) -> list[tuple]:
    """(post id, topic id, key, name) for these posts' topics, by key."""
    values = _numbered("p", post_ids)

    def build(marks: Mapping[str, Any]) -> QuerySet:
        links = PostTopic.objects.filter(post_id__in=list(marks.values())).order_by("topic__key")
        return links.values_list("post_id", "topic_id", "topic__key", "topic__name")

    using = PostTopic.objects.db
    prepared = STATEMENTS.get(("topics", len(values)), build, values, using)
    if prepared is None:
        return list(build(values))
    return prepared.fetch(values, using)


def learning_goals(viewer: Person) -> tuple[list[TopicLabel], list[TopicLabel]]:
    """(the topics I am learning, the topics I follow), each by key, in one query."""
    values = {"viewer": viewer.pk}
    using = Person.objects.db
    prepared = STATEMENTS.get(("goals",), _goals_query, values, using)
    rows = list(_goals_query(values)) if prepared is None else prepared.fetch(values, using)
    ordered = sorted(rows, key=lambda row: row[2])
    return (
        [TopicLabel(*row[1:]) for row in ordered if row[0] == 1],
        [TopicLabel(*row[1:]) for row in ordered if row[0] == 2],
    )


def _goals_query(values: Mapping[str, Any]) -> QuerySet:
    """Both topic lists of one person, marked 1 (learning) and 2 (following)."""
    columns = ("which", "topic_id", "topic__key", "topic__name")
    learning = Person.interests.through.objects.filter(person_id=values["viewer"])
    following = Person.followed_topics.through.objects.filter(person_id=values["viewer"])
    rows = learning.annotate(which=Value(1)).values_list(*columns).order_by()
    return rows.union(following.annotate(which=Value(2)).values_list(*columns).order_by(), all=True)
