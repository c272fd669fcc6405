"""The index follows the services' events; `connective reindex` rebuilds it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from connective.content.services.posts import PostDraft, delete_post, edit_post
from connective.core import events
from connective.portability.services.deletion import delete_account
from connective.search.models import SearchDocument
from connective.search.services import index
from tests.search.conftest import found, post

pytestmark = pytest.mark.django_db


def test_search_subscribes_to_the_events():
    for event in (
        events.POST_PUBLISHED,
        events.POST_EDITED,
        events.PERSON_UPDATED,
        events.PERSON_DELETED,
    ):
        assert any(s.__module__ == index.__name__ for s in events.subscribers(event))


def test_publishing_indexes_and_editing_reindexes(ana, ben):
    item = post(ana, "About watercolours")
    assert found(ben, "watercolours") == [item]
    edit_post(item, PostDraft(body="About charcoal now"))
    assert found(ben, "watercolours") == []
    assert found(ben, "charcoal") == [item]


def test_t31_deleting_removes_from_the_index(ana, ben):
    item = post(ana, "Ephemeral words")
    delete_post(item)
    assert found(ben, "ephemeral") == []
    assert not SearchDocument.objects.filter(source="post", object_id=item.pk).exists()


def test_t31_deleting_an_account_drops_its_profile_and_posts(ana, ben):
    """One delete for the profile and every post, however many; other people's stay."""
    mine = [post(ana, f"Watercolour study {i}") for i in range(3)]
    theirs = post(ben, "Watercolour too")
    table = SearchDocument._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        delete_account(ana)
    left = SearchDocument.objects.filter(author_id=ana.pk)
    assert not left.exists()  # nor the name in the person document
    assert not SearchDocument.objects.filter(
        source="post", object_id__in=[p.pk for p in mine]
    ).exists()
    assert found(ben, "watercolour") == [theirs]
    deletes = [q for q in queries if q["sql"].startswith("DELETE") and table in q["sql"]]
    assert len(deletes) == 1


def test_a_deleted_account_stays_out_of_the_index(ana, ben):
    """Neither a rebuild nor a later profile update brings a deleted account back."""
    delete_account(ana)
    call_command("reindex", stdout=StringIO())
    ana.refresh_from_db()
    index.index_person(ana)
    assert not SearchDocument.objects.filter(source="person", object_id=ana.pk).exists()
    assert SearchDocument.objects.filter(source="person", object_id=ben.pk).exists()


def test_drafts_are_not_indexed_until_published(ana):
    from connective.content.services.posts import publish_post

    draft = post(ana, "Draft thoughts on rubrics", state="draft")
    assert not SearchDocument.objects.filter(object_id=draft.pk, source="post").exists()
    assert found(ana, "rubrics") == []
    publish_post(draft)
    assert found(ana, "rubrics") == [draft]


def test_new_people_are_indexed(db):
    from tests.conftest import make_person

    zoe = make_person("zq", display_name="Zoë Quinn", discoverable=True)
    assert found(None, "quinn") == [zoe]


@pytest.mark.parametrize("words", ["zoe", "zoë", "ZOE", "cafe", "café"])
def test_accents_do_not_matter_on_either_database(ana, ben, words):
    """The handle and the words typed hold no accent; the name and the text do (and the other
    way round)."""
    from tests.conftest import make_person

    zoe = make_person("zq", display_name="Zoë Quinn", discoverable=True)
    note = post(ana, "Notes from the Café Zoë meetup")
    typed = "Zoe" if "z" in words.lower() else "cafe"
    plain = post(ana, f"Plain {typed} words")
    results = found(ben, words)
    assert note in results and plain in results
    assert (zoe in results) == (typed == "Zoe")


def test_reindex_rebuilds_everything(ana, ben):
    item = post(ana, "Rebuilt words")
    SearchDocument.objects.all().delete()
    assert found(ben, "rebuilt") == []
    out = StringIO()
    call_command("reindex", stdout=out)
    assert found(ben, "rebuilt") == [item]
    assert "post: 1 indexed" in out.getvalue() and "person: 2 indexed" in out.getvalue()


def test_reindex_skips_drafts_and_deleted(ana):
    post(ana, "Draft words", state="draft")
    gone = post(ana, "Gone words")
    delete_post(gone)
    counts = index.reindex_all()
    assert counts["post"] == 0


def test_spaces_are_indexed_and_found(ana, ben):
    from connective.spaces.models import Space

    space = Space.objects.create(
        slug="oer",
        name="Open educational resources",
        description="Talk about OER",
        members_only=True,
        created_by=ana,
    )
    index.index_space(space)
    assert found(ben, "educational", kind="space") == [space]
    index.remove_space(space)
    assert found(ben, "educational") == []


def test_spaces_are_indexed_through_their_service(ana, ben):
    from connective.spaces.services.spaces import create_space

    space = create_space(ana, name="Statistics circle", description="We read papers together")
    assert found(ben, "papers", kind="space") == [space]


def test_only_published_courses_are_found(ana, ben):
    from connective.courses.models import Course
    from connective.courses.services.authoring import CourseDraft, create_course

    course = create_course(ana, CourseDraft(title="Open pedagogy basics", summary="Six weeks"))
    assert found(ben, "pedagogy") == [], "a draft course is not searchable"
    Course.objects.filter(pk=course.pk).update(state=Course.State.PUBLISHED)
    course.refresh_from_db()
    index.index_course(course)
    assert found(ben, "pedagogy", kind="course") == [course]
    Course.objects.filter(pk=course.pk).update(state=Course.State.DRAFT)
    assert found(ben, "pedagogy") == [], "the state is checked at query time, not trusted"


def test_imported_posts_are_indexed():
    assert index.index_posts in events.subscribers(events.POSTS_IMPORTED)
