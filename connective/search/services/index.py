"""Keep the search index in step with content: the one write interface, called by the event
subscribers in SearchConfig.ready() and by `connective reindex`."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Q

from connective.accounts.models import Person
from connective.content.models import Post, State
from connective.search.models import SearchDocument, Source
from connective.search.services import bulk
from connective.search.services.documents import (
    FEED_ACTOR,
    Doc,
    course_doc,
    person_doc,
    post_doc,
    space_doc,
)
from connective.search.services.feed_items import rebuild_feed_items


def _store(doc: Doc) -> SearchDocument:
    """Insert or update the document for `doc`'s object (one row per object)."""
    row, _ = SearchDocument.objects.update_or_create(
        source=doc.source,
        object_id=doc.object_id,
        defaults={
            "kind": doc.kind,
            "title": doc.title,
            "topic_text": doc.topic_text,
            "body": doc.body,
            "facets": doc.facets,
            "author_id": doc.author_id,
            "licence": doc.licence,
            "created_at": doc.created_at,
        },
    )
    return row


def _remove(source: str, object_id: int) -> None:
    SearchDocument.objects.filter(source=source, object_id=object_id).delete()


def _indexable_post(post: Post) -> bool:
    """Only published, undeleted posts are worth indexing; visibility is decided at query time.
    A post made of a feed item is found as its item (feed_items.py)."""
    if post.author.actor_type == FEED_ACTOR:
        return False
    return post.state == State.PUBLISHED and post.deleted_at is None


@transaction.atomic
def index_post(post: Post) -> None:
    """Index a post (or drop it, if it is no longer published)."""
    if _indexable_post(post):
        _store(post_doc(post))
    else:
        remove_post(post)


def index_posts(posts: list[Post]) -> None:
    """Index many new posts at once (an import): bulk inserts, not five queries a post."""
    ids = [post.pk for post in posts if _indexable_post(post)]
    fresh = Post.objects.filter(pk__in=ids).select_related("author").prefetch_related("topics")
    index_docs([post_doc(post) for post in fresh])


def index_docs(docs: list[Doc]) -> None:
    """Index documents made elsewhere, in bulk, replacing any the same objects had: a source
    that builds its documents from rows it already holds (feed items) need not read them again.
    """
    with transaction.atomic():
        for source in {doc.source for doc in docs}:
            ids = [doc.object_id for doc in docs if doc.source == source]
            SearchDocument.objects.filter(source=source, object_id__in=ids).delete()
        bulk.insert_docs(docs)


def remove_post(post: Post) -> None:
    """Drop a post from the index (deleted posts leave nothing behind, T-31)."""
    _remove(Source.POST, post.pk)


@transaction.atomic
def index_person(person: Person) -> None:
    """Index a person's profile (a deleted account's is dropped instead); whether they are
    shown is decided at query time."""
    if person.deleted_at is not None:
        remove_person(person)
        return
    _store(person_doc(person))


def remove_person(person: Person) -> None:
    """Drop a person from the index."""
    _remove(Source.PERSON, person.pk)


def remove_account(person: Person) -> None:
    """Drop a deleted account's profile and all its posts from the index (T-31), in one
    set-based delete however many posts it had: account deletion tombstones the posts without
    announcing each one, and a remote account's posts may be many."""
    SearchDocument.objects.filter(
        Q(source=Source.PERSON, object_id=person.pk) | Q(source=Source.POST, author_id=person.pk)
    ).delete()


@transaction.atomic
def index_space(space: Any) -> None:
    """Index a space's name, description and topics."""
    _store(space_doc(space))


def remove_space(space: Any) -> None:
    """Drop a space from the index."""
    _remove(Source.SPACE, space.pk)


@transaction.atomic
def index_course(course: Any) -> None:
    """Index a published course (others are dropped; the state is checked again at query time)."""
    if getattr(course, "is_published", True):
        _store(course_doc(course))
    else:
        remove_course(course)


def remove_course(course: Any) -> None:
    """Drop a course from the index."""
    _remove(Source.COURSE, course.pk)


def optional_model(app_label: str, name: str) -> Any:
    """A model of an app built alongside this one, or None if it does not exist (yet)."""
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def reindex_all(progress: Any = None) -> dict[str, int]:
    """Rebuild the whole index from the tables; returns how many of each kind were indexed.

    `progress(source, count)` is called after each kind when given. On SQLite one transaction
    (searches find the old documents until the new ones are all in), on PostgreSQL one a batch
    (writers never wait for the rebuild): see `bulk.rebuilding`.
    """
    with bulk.rebuilding():
        bulk.clear()
        return _rebuild_all(progress)


def _rebuild_all(progress: Any) -> dict[str, int]:
    jobs: list[tuple[str, Any]] = [
        (Source.PERSON, bulk.rebuild_people),
        (Source.POST, bulk.rebuild_posts),
        (Source.FEED_ITEM, rebuild_feed_items),
    ]
    for source, label, name, make_doc in _optional_jobs():
        model = optional_model(label, name)
        if model is not None:
            queryset = model.objects.prefetch_related("topics")
            jobs.append((source, lambda q=queryset, f=make_doc: bulk.rebuild_objects(q, f)))
    counts: dict[str, int] = {}
    for source, rebuild in jobs:
        counts[source] = rebuild()
        if progress is not None:
            progress(source, counts[source])
    return counts


def _optional_jobs() -> list[tuple[str, str, str, Any]]:
    return [
        (Source.SPACE, "spaces", "Space", space_doc),
        (Source.COURSE, "courses", "Course", _published_course_doc),
    ]


def _published_course_doc(course: Any) -> Doc | None:
    return course_doc(course) if getattr(course, "is_published", True) else None
