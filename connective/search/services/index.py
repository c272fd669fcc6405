"""Keep the search index in step with content: the one write interface, called by the event
subscribers in SearchConfig.ready() and by `connective reindex`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.apps import apps
from django.db import transaction

from connective.accounts.models import Person
from connective.content.models import Post, State
from connective.search.models import SearchDocument, Source
from connective.search.services.documents import (
    Doc,
    course_doc,
    person_doc,
    post_doc,
    space_doc,
)

BATCH = 500


def _row(doc: Doc) -> SearchDocument:
    """An unsaved SearchDocument for `doc`."""
    return SearchDocument(
        source=doc.source,
        object_id=doc.object_id,
        kind=doc.kind,
        title=doc.title,
        topic_text=doc.topic_text,
        body=doc.body,
        author_id=doc.author_id,
        licence=doc.licence,
        created_at=doc.created_at,
    )


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
            "author_id": doc.author_id,
            "licence": doc.licence,
            "created_at": doc.created_at,
        },
    )
    row.topics.set(doc.topics)
    return row


def _remove(source: str, object_id: int) -> None:
    SearchDocument.objects.filter(source=source, object_id=object_id).delete()


def _indexable_post(post: Post) -> bool:
    """Only published, undeleted posts are worth indexing; visibility is decided at query time."""
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
    SearchDocument.objects.filter(source=Source.POST, object_id__in=ids).delete()
    fresh = Post.objects.filter(pk__in=ids).select_related("author").prefetch_related("topics")
    _rebuild(fresh, post_doc)


def remove_post(post: Post) -> None:
    """Drop a post from the index (deleted posts leave nothing behind, T-31)."""
    _remove(Source.POST, post.pk)


@transaction.atomic
def index_person(person: Person) -> None:
    """Index a person's profile; whether they are shown is decided at query time."""
    _store(person_doc(person))


def remove_person(person: Person) -> None:
    """Drop a person from the index."""
    _remove(Source.PERSON, person.pk)


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


def _batches(queryset: Any) -> Iterator[list[Any]]:
    """Rows of `queryset` in primary-key batches: memory stays flat however big the table is."""
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def _rebuild(queryset: Any, make_doc: Any) -> int:
    """Insert the documents of every row of `queryset`, a batch per transaction (bulk inserts: a
    rebuild of a million posts must not cost five queries a post)."""
    count = 0
    through = SearchDocument.topics.through
    for batch in _batches(queryset):
        docs = [make_doc(obj) for obj in batch]
        docs = [d for d in docs if d is not None]
        with transaction.atomic():
            rows = SearchDocument.objects.bulk_create([_row(d) for d in docs])
            links = [
                through(searchdocument_id=row.pk, topic_id=topic_id)
                for row, doc in zip(rows, docs, strict=True)
                for topic_id in {
                    topic.pk for topic in doc.topics
                }  # interests and expertise may share one
            ]
            through.objects.bulk_create(links)
        count += len(docs)
    return count


def reindex_all(progress: Any = None) -> dict[str, int]:
    """Rebuild the whole index from the tables; returns how many of each kind were indexed.

    `progress(source, count)` is called after each kind when given.
    """
    with transaction.atomic():
        SearchDocument.objects.all().delete()
    jobs: list[tuple[str, Any, Any]] = [
        (Source.PERSON, Person.objects.prefetch_related("interests", "expertise"), person_doc),
        (
            Source.POST,
            Post.objects.filter(state=State.PUBLISHED, deleted_at__isnull=True)
            .select_related("author")
            .prefetch_related("topics"),
            post_doc,
        ),
    ]
    for source, label, name, make_doc in _optional_jobs():
        model = optional_model(label, name)
        if model is not None:
            jobs.append((source, model.objects.prefetch_related("topics"), make_doc))
    counts: dict[str, int] = {}
    for source, queryset, make_doc in jobs:
        counts[source] = _rebuild(queryset, make_doc)
        if progress is not None:
            progress(source, counts[source])
    return counts


def _optional_jobs() -> Iterable[tuple[str, str, str, Any]]:
    return [
        (Source.SPACE, "spaces", "Space", space_doc),
        (Source.COURSE, "courses", "Course", _published_course_doc),
    ]


def _published_course_doc(course: Any) -> Doc | None:
    return course_doc(course) if getattr(course, "is_published", True) else None
