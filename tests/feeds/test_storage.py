"""A poll's new items are stored in bulk as FeedItem rows with their search documents: no posts,
one insert per table for the batch, nothing delivered."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from connective.federation.models import Delivery
from connective.feeds.models import FeedItem
from connective.feeds.services import polling
from connective.feeds.services.subscribe import subscribe
from connective.search.models import SearchDocument
from tests.conftest import make_person
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
    assert _inserts(queries.captured_queries, "content_post") == 0  # items are not posts
    assert _inserts(queries.captured_queries, "feeds_feeditem") < 5  # not one per item
    assert _inserts(queries.captured_queries, "search_searchdocument") < 5
    items = FeedItem.objects.filter(feed=feed)
    assert items.count() == 31
    indexed = SearchDocument.objects.filter(source="feeditem", object_id__in=items.values("pk"))
    assert indexed.count() == 31
    note = indexed.get(title="Rhizome note 7")
    assert note.kind == "web" and note.created_at == items.get(title="Rhizome note 7").at
    assert not Delivery.objects.exists()  # feed items are never federated


def test_an_item_seen_twice_in_one_document_is_stored_once(trap):
    trap.serve("/f", rss([("a", "Newest copy"), ("b", "B"), ("a", "Older copy")]), content_type=RSS)
    feed = subscribe(make_person("ana"), trap.url("/f")).feed
    assert sorted(FeedItem.objects.filter(feed=feed).values_list("title", flat=True)) == [
        "B",
        "Newest copy",
    ]


def test_an_item_that_changes_is_indexed_again(trap):
    trap.serve("/f", rss([("a", "Rhizomes")]), content_type=RSS)
    feed = subscribe(make_person("ana"), trap.url("/f")).feed
    trap.serve("/f", rss([("a", "Rhizomes and networks")]), content_type=RSS)
    polling.poll_feed(feed.pk)
    titles = SearchDocument.objects.filter(source="feeditem").values_list("title", flat=True)
    assert list(titles) == ["Rhizomes and networks"]


def test_anyone_finds_an_item_once_even_after_someone_acted_on_it_and_a_reindex(
    trap, client, ben_client, ben
):
    from django.core.management import call_command

    from connective.feeds.services.materialize import post_for_item

    trap.serve("/f", rss([("a", "Rhizomatic learning"), ("b", "Other")]), content_type=RSS)
    feed = subscribe(make_person("ana"), trap.url("/f")).feed
    item = FeedItem.objects.get(feed=feed, title="Rhizomatic learning")
    for who in (client, ben_client):  # anonymous, and someone who does not follow the feed
        page = who.get("/search/", {"q": "rhizomatic"}).content.decode()
        assert f'<a href="/web/{item.pk}/"><mark>Rhizomatic</mark> learning</a>' in page
    post = post_for_item(item)
    call_command("reindex", stdout=open("/dev/null", "w"))  # noqa: SIM115
    docs = SearchDocument.objects.filter(title="Rhizomatic learning")
    assert [(d.source, d.object_id) for d in docs] == [("feeditem", item.pk)]
    page = ben_client.get("/search/", {"q": "rhizomatic", "kind": "web"}).content.decode()
    assert page.count("<mark>Rhizomatic</mark> learning</a>") == 1
    assert f'href="/web/{item.pk}/"' in page and f"/posts/{post.pk}" not in page


def test_an_items_search_text_is_its_words():
    from connective.search.services.feed_items import item_text

    html = (
        '<p>Open <a href="https://x.example/?a=1&amp;b=2" title="a > b">learning</a>, '
        "<strong>together</strong>.</p><ul><li>one</li><li>two &amp; three</li></ul>"
        '<img src="https://x.example/i.png" alt="x">end'
    )
    assert item_text(html) == "Open learning, together. one two & three end"
    assert item_text("") == ""


def test_an_item_is_found_by_its_feeds_name_and_its_snippet_is_its_own_words(client):
    from tests.feeds.conftest import feed_item

    item = feed_item("Week four", body="<p>Notes on assessment.</p>")
    page = client.get("/search/", {"q": "blog"}).content.decode()  # the feed is "A blog"
    assert f'href="/web/{item.pk}/"' in page
    page = client.get("/search/", {"q": "assessment"}).content.decode()
    snippet = re.search(r'class="search-result__snippet">(.*?)</p>', page).group(1)
    assert snippet.startswith("Notes on <mark>assessment</mark>")
    assert "blog" not in snippet  # the site is found, not quoted


def test_an_untitled_item_is_named_by_its_words_as_written():
    from connective.feeds.services.items import item_title
    from connective.feeds.services.parse import ParsedItem

    item = ParsedItem(
        guid="g",
        link="https://blog.example.org/1",
        title="",
        summary_html="<p>Tom &amp; Jerry &lt;3 open <b>education</b></p>",
        categories=[],
        published_at=None,
    )
    assert item_title(item) == "Tom & Jerry <3 open education"
