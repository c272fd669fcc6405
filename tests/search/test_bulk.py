"""The bulk path (`connective reindex`, `index_docs`) makes the documents the one-object path
makes, and filters asked of the full-text index (facets) narrow exactly as a filter should."""

import pytest
from django.db import connection
from django.utils import timezone

from connective.accounts.services.profile import ProfileChange, update_profile
from connective.content.models import Kind, Visibility
from connective.search.models import DocKind, SearchDocument, Source
from connective.search.services import bulk, index, query
from connective.search.services.documents import Doc, facet_text
from connective.search.services.query import search
from connective.topics.models import Topic
from tests.content.conftest import upload
from tests.search.conftest import post

pytestmark = pytest.mark.django_db

FIELDS = ("kind", "title", "topic_text", "body", "facets", "author_id", "licence", "created_at")


def _snapshot() -> dict:
    """Every document's fields (its topics are in `topic_text` and `facets`), keyed by its
    object (ids and times vary)."""
    out = {}
    for doc in SearchDocument.objects.all():
        out[(doc.source, doc.object_id)] = {name: getattr(doc, name) for name in FIELDS}
    return out


def _topic_ids(doc: SearchDocument) -> list[int]:
    """The topics a document carries, read from its facet tokens ("topic7")."""
    return [int(token[5:]) for token in doc.facets.split() if token.startswith("topic")]


def _varied_content(ana, ben):
    """Every kind of document but feed items (feed_items.py), with markup, links, files,
    licences and shared topics."""
    from connective.courses.models import Course
    from connective.courses.services.authoring import CourseDraft, create_course
    from connective.spaces.services.spaces import create_space

    update_profile(
        ana,
        ProfileChange(
            display_name="Ana Lima",
            bio="Teacher of *statistics* &amp; <b>data</b>.",
            interests=["open licensing", "statistics"],
            expertise=["statistics", "pedagogy"],  # shared with interests: one topic token
        ),
    )
    post(ana, "A **note** about [links](https://example.org) and\n\n- lists", topics=["pedagogy"])
    post(ana, "Body of an article.", kind=Kind.ARTICLE, title="Article & title", topics=["oer"])
    post(
        ana,
        "A guide.",
        kind=Kind.RESOURCE,
        title="Licensing",
        link_url="https://oer.example.org/guide",
        licence="cc-by-sa",
        topics=["open licensing", "oer"],
    )
    post(ben, "Slides.", kind=Kind.RESOURCE, title="Slides", file=upload(), licence="cc0")
    post(ben, "Only my connections", visibility=Visibility.NETWORK)
    post(ben, "A draft", state="draft")
    create_space(ana, name="Statistics circle", description="We read <i>papers</i>")
    course = create_course(ana, CourseDraft(title="Open pedagogy", summary="Six weeks"))
    Course.objects.filter(pk=course.pk).update(state=Course.State.PUBLISHED)
    course.refresh_from_db()
    index.index_course(course)


def test_reindex_makes_the_documents_the_services_made(ana, ben):
    _varied_content(ana, ben)
    before = _snapshot()
    assert {key[0] for key in before} == {"person", "post", "space", "course"}
    counts = index.reindex_all()
    assert _snapshot() == before
    assert counts["post"] == len([key for key in before if key[0] == Source.POST])
    person = SearchDocument.objects.get(source=Source.PERSON, object_id=ana.pk)
    both = {t.pk for t in [*ana.interests.all(), *ana.expertise.all()]}
    assert _topic_ids(person) == sorted(both) and len(both) == 3


def test_reindex_twice_changes_nothing(ana, ben):
    _varied_content(ana, ben)
    index.reindex_all()
    once = _snapshot()
    index.reindex_all()
    assert _snapshot() == once
    hits = search(ben, "licensing", kind=DocKind.RESOURCE).hits
    assert [h.obj.title for h in hits] == ["Licensing"]


def test_reindex_reads_in_batches(ana, ben, monkeypatch):
    monkeypatch.setattr(bulk, "BATCH", 2)
    for n in range(5):
        post(ana, f"Numbered note {n}", topics=[f"topic {n % 2}"])
    before = _snapshot()
    index.reindex_all()
    assert _snapshot() == before


def test_index_docs_replaces_an_objects_document_without_reading_it(ana, ben):
    item = post(ana, "Words from the post itself", topics=["pedagogy"])
    topic = Topic.objects.create(key="oer", name="OER")
    doc = Doc(
        source=Source.POST,
        object_id=item.pk,
        kind=DocKind.WEB,
        title="Given title",
        body="Given words",
        created_at=timezone.now(),
        topics=[topic, topic],
        author_id=ana.pk,
    )
    index.index_docs([doc])
    row = SearchDocument.objects.get(source=Source.POST, object_id=item.pk)
    assert (row.title, row.kind, row.facets) == ("Given title", "web", f"kindweb topic{topic.pk}")
    assert [h.obj for h in search(ben, "given", topic=topic).hits] == [item]
    assert [h.obj for h in search(ben, "given").hits] == [item]
    assert search(ben, "itself").hits == []


def test_facet_tokens_are_letters_and_digits():
    assert facet_text("resource", "cc-by-nc-sa", [3, 12]) == (
        "kindresource licenceccbyncsa topic3 topic12"
    )


def test_a_facet_token_is_never_a_word_someone_finds(ana, ben):
    item = post(
        ana,
        "A resource",
        kind=Kind.RESOURCE,
        title="T",
        link_url="https://x.example/",
        licence="cc0",
    )
    assert search(ben, "kindresource").hits == []
    assert [h.obj for h in search(ben, "resource").hits] == [item]


@pytest.fixture
def library(ana, ben):
    """Resources under several licences and topics, notes and articles sharing one word."""
    licences = ["cc-by", "cc-by-sa", "cc0", "pdm"]
    topics = ["oer", "statistics", "pedagogy"]
    for n in range(24):
        kind = [Kind.NOTE, Kind.ARTICLE, Kind.RESOURCE][n % 3]
        extra = {}
        if kind == Kind.RESOURCE:
            extra = {"link_url": f"https://oer.example/{n}", "licence": licences[n % 4]}
        if kind != Kind.NOTE:
            extra["title"] = f"Shared word {n}"
        post(
            [ana, ben][n % 2], f"Shared word number {n}", kind=kind, topics=[topics[n % 3]], **extra
        )
    return Topic.objects.filter(key__in=topics)


def _everything(viewer):
    return search(viewer, "shared", limit=query.MAX_LIMIT).hits


def test_a_filtered_search_is_the_unfiltered_one_filtered(ana, ben, library):
    every = _everything(ben)
    assert len(every) == 24
    for code in ["cc-by", "cc-by-sa", "cc0"]:
        got = search(ben, "shared", licence=code, limit=query.MAX_LIMIT).hits
        assert [h.doc.pk for h in got] == [h.doc.pk for h in every if h.doc.licence == code]
        assert got
    for topic in library:
        got = search(ben, "shared", topic=topic, limit=query.MAX_LIMIT).hits
        want = [h.doc.pk for h in every if topic.pk in _topic_ids(h.doc)]
        assert [h.doc.pk for h in got] == want and want
    for kind in [DocKind.NOTE, DocKind.ARTICLE, DocKind.RESOURCE]:
        got = search(ben, "shared", kind=kind, limit=query.MAX_LIMIT).hits
        assert [h.doc.pk for h in got] == [h.doc.pk for h in every if h.kind == kind]


def test_the_kind_filter_past_a_full_window_asks_the_index(ana, ben, library, monkeypatch):
    """With more matches than the window holds, a kind's own window is taken through its facet
    (and the licence and topic facets together)."""
    every = _everything(ben)
    monkeypatch.setattr(query, "FACET_CAP", 3)
    notes = search(ben, "shared", kind=DocKind.NOTE, limit=10)
    assert notes.capped
    newest = sorted((h.doc.pk for h in every if h.kind == DocKind.NOTE), reverse=True)[:3]
    assert sorted(h.doc.pk for h in notes.hits) == sorted(newest)
    got = search(ben, "shared", kind=DocKind.RESOURCE, topic=library.get(key="pedagogy"))
    want = [h.doc.pk for h in every if h.kind == DocKind.RESOURCE]
    assert got.capped and [h.doc.pk for h in got.hits] == want[: len(got.hits)]


def test_the_index_follows_changes_after_a_rebuild(ana, ben):
    """The rebuild sets SQLite's full-text triggers aside and makes them again."""
    from connective.content.services.posts import PostDraft, delete_post, edit_post

    kept = post(ana, "Kept words")
    index.reindex_all()
    assert [h.obj for h in search(ben, "kept").hits] == [kept]
    fresh = post(ana, "Fresh words")
    edit_post(kept, PostDraft(body="Changed words"))
    assert [h.obj for h in search(ben, "fresh").hits] == [fresh]
    assert search(ben, "kept").hits == [] and [h.obj for h in search(ben, "changed").hits]
    delete_post(fresh)
    assert search(ben, "fresh").hits == []


def test_a_failed_rebuild(ana, ben, monkeypatch):
    """SQLite keeps the old index (one transaction); PostgreSQL commits a batch at a time (so
    writers never wait) and the next rebuild completes it. Either way the index follows."""
    item = post(ana, "Surviving words")

    def broken() -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(bulk, "rebuild_posts", broken)
    with pytest.raises(RuntimeError):
        index.reindex_all()
    if connection.vendor == "sqlite":
        assert [h.obj for h in search(ben, "surviving").hits] == [item]
    later = post(ana, "Later words")
    assert [h.obj for h in search(ben, "later").hits] == [later]
    monkeypatch.undo()
    index.reindex_all()
    assert [h.obj for h in search(ben, "surviving").hits] == [item]
    assert [h.obj for h in search(ben, "later").hits] == [later]


def test_documents_written_during_a_rebuild_stay(ana, ben, monkeypatch):
    """PostgreSQL: a post published while the rebuild runs is indexed by its service; the
    rebuild's batch that reads it again leaves that document as it is."""
    rebuild_people = bulk.rebuild_people
    made = []

    def publishing_meanwhile() -> int:
        made.append(post(ana, "Published meanwhile", topics=["pedagogy"]))
        return rebuild_people()

    monkeypatch.setattr(bulk, "rebuild_people", publishing_meanwhile)
    index.reindex_all()
    assert [h.obj for h in search(ben, "meanwhile").hits] == made
    doc = SearchDocument.objects.get(source=Source.POST, object_id=made[0].pk)
    assert _topic_ids(doc) == [Topic.objects.get(key="pedagogy").pk]


def test_several_words_among_the_newest_documents(ana, ben, monkeypatch):
    """PostgreSQL looks for the words among the newest documents first and walks them when they
    are dense there (a walk it cannot turn into a full-text index scan); what it finds is what
    the full-text index would give: the newest matches, filters applied."""
    from connective.search.services.backends import PostgresBackend

    monkeypatch.setattr(PostgresBackend, "PROBE", 2)
    monkeypatch.setattr(query, "FACET_CAP", 3)
    walked = []
    among_newest = PostgresBackend._among_newest

    def spy(self, *args):
        found = among_newest(self, *args)
        walked.append(len(found))
        return found

    monkeypatch.setattr(PostgresBackend, "_among_newest", spy)
    for n in range(6):
        post(ana, f"Peer review without the other word {n}")
    made = []
    for n in range(6):
        extra = {"kind": Kind.RESOURCE, "title": f"R{n}", "link_url": f"https://r.example/{n}"}
        made.append(post(ana, f"Open peer review, part {n}", licence="cc-by", **extra))
    newest = {item.pk for item in made[-3:]}
    for q in ["open review", '"peer review" open']:
        results = search(ben, q, licence="cc-by", kind=DocKind.RESOURCE)
        assert results.capped and {h.obj.pk for h in results.hits} == newest
    if connection.vendor == "postgresql":
        assert 4 in walked, "the newest documents held enough matches"


def test_words_only_in_old_documents_come_from_the_index(ana, ben, monkeypatch):
    """A word none of the newest documents holds (a first name among the oldest profiles) is
    not looked for by walking back through everything newer: PostgreSQL asks the full-text
    index, and finds the same newest matches."""
    from connective.search.services.backends import PostgresBackend

    monkeypatch.setattr(PostgresBackend, "PROBE", 2)
    monkeypatch.setattr(query, "FACET_CAP", 2)
    walks = []
    among_newest = PostgresBackend._among_newest

    def spy(self, qs, count, *args):
        walks.append(count)
        return among_newest(self, qs, count, *args)

    monkeypatch.setattr(PostgresBackend, "_among_newest", spy)
    old = [post(ana, f"Marginalia number {n}") for n in range(4)]
    for n in range(5):
        post(ana, f"Something newer {n}")
    results = search(ben, "marginalia")
    assert results.capped and [h.obj for h in results.hits] == old[::-1][:2]
    if connection.vendor == "postgresql":
        assert walks == [2], "only the probe walked: none of the newest matched"


def test_one_rebuild_at_a_time(ana, monkeypatch):
    """PostgreSQL: while a rebuild runs, another cannot take the rebuild's lock (it waits); two
    at once made the second fail at commit on the first's topic links. SQLite has one writer."""
    seen = []
    rebuild_people = bulk.rebuild_people

    def observed() -> int:
        if connection.vendor == "postgresql":
            seen.append(_lock_free_elsewhere())
        return rebuild_people()

    monkeypatch.setattr(bulk, "rebuild_people", observed)
    index.reindex_all()
    assert seen == ([False] if connection.vendor == "postgresql" else [])


def _lock_free_elsewhere() -> bool:
    """Whether another connection could take the rebuild's lock now."""
    import psycopg

    settings = connection.settings_dict
    other = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        password=settings["PASSWORD"] or None,
        autocommit=True,
    )
    with other:
        row = other.execute("SELECT pg_try_advisory_lock(%s)", [bulk.REBUILD_LOCK]).fetchone()
        return bool(row and row[0])
