"""A poll's new items are stored in bulk and announced once (posts.fetched): search indexes them,
courses looks at them, nobody delivers them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from connective.content.models import Kind, Post, State, Visibility
from connective.core import events
from connective.courses.models import Evidence
from connective.courses.services.enrolment import enrol
from connective.federation.models import Delivery
from connective.feeds.services import polling
from connective.feeds.services.subscribe import subscribe
from connective.search.models import SearchDocument, Source
from connective.topics.services.resolve import get_or_create_topics
from tests.conftest import make_person
from tests.courses.conftest import activity, build_course
from tests.feeds.conftest import RSS, rss

pytestmark = pytest.mark.django_db


def _inserts(queries, table: str) -> int:
    return sum(1 for q in queries if q["sql"].startswith(f'INSERT INTO "{table}"'))


def test_a_polls_new_items_go_in_by_the_batch_and_search_finds_them(trap):
    trap.serve("/f", rss([("a", "First")]), content_type=RSS)
    feed = subscribe(make_person("ana"), trap.url("/f")).feed
    fresh = [(f"n{n}", f"Rhizome note {n}") for n in range(30)]
    trap.serve("/f", rss([*fresh, ("a", "First")]), content_type=RSS)
    with CaptureQueriesContext(connection) as queries:
        log = polling.poll_feed(feed.pk)
    assert log.new_items == 30
    assert _inserts(queries.captured_queries, "content_post") < 5  # not one per item
    assert _inserts(queries.captured_queries, "feeds_feeditem") < 5
    posts = Post.objects.filter(author=feed.source)
    assert posts.count() == 31
    indexed = SearchDocument.objects.filter(source=Source.POST, object_id__in=posts.values("pk"))
    assert indexed.count() == 31
    assert indexed.filter(title="Rhizome note 7").exists()
    assert not Delivery.objects.exists()  # feed items are never federated


def test_an_item_seen_twice_in_one_document_is_stored_once(trap):
    trap.serve("/f", rss([("a", "Newest copy"), ("b", "B"), ("a", "Older copy")]), content_type=RSS)
    feed = subscribe(make_person("ana"), trap.url("/f")).feed
    assert sorted(Post.objects.filter(author=feed.source).values_list("title", flat=True)) == [
        "B",
        "Newest copy",
    ]


def test_fetched_posts_by_an_enrolled_learner_count_as_evidence(ana, ben):
    """The courses handler of posts.fetched: a post by an enrolled learner counts as a post
    published here would (feed sources never enrol, so for them it stops at one query)."""
    course = build_course(ana)
    enrolment = enrol(course, ben)
    post = Post.objects.create(
        author=ben,
        kind=Kind.RESOURCE,
        title="A resource",
        link_url="https://ben.example.org/r",
        visibility=Visibility.PUBLIC,
        state=State.PUBLISHED,
        created_at="2026-11-25T10:00:00Z",
    )
    post.topics.set(get_or_create_topics(["pln-resource"]))
    events.announce(events.POSTS_FETCHED, posts=[post])
    found = Evidence.objects.filter(enrolment=enrolment, post=post)
    assert [e.activity for e in found] == [activity(course, "share")]
