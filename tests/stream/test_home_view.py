"""The home page: filters, cursors, htmx pages, and a query count that does not grow."""

from datetime import timedelta

import pytest
from django.utils import timezone

from connective.content.models import Kind
from tests.conftest import make_person
from tests.stream.conftest import connect, follow, make_post

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/home/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_home_shows_the_stream_with_one_heading(ana, ben, ana_client):
    connect(ana, ben)
    make_post(ben, "Notes on open licensing")
    html = ana_client.get("/home/").content.decode()
    assert html.count("<h1") == 1
    assert "Notes on open licensing" in html


def test_empty_stream_suggests_topics(ana_client):
    html = ana_client.get("/home/").content.decode()
    assert "Your stream is waiting for people and topics" in html


def test_kind_filter_from_the_query_string(ana, ben, ana_client):
    connect(ana, ben)
    make_post(ben, "just a note")
    make_post(ben, "the guide", kind=Kind.RESOURCE, title="A guide", link_url="https://oer.example")
    html = ana_client.get("/home/?kind=resource").content.decode()
    assert "the guide" in html
    assert "just a note" not in html


def test_unknown_kind_shows_everything(ana, ben, ana_client):
    connect(ana, ben)
    make_post(ben, "just a note")
    assert "just a note" in ana_client.get("/home/?kind=<script>").content.decode()


def test_topic_filter_accepts_the_topic_however_written(ana, ben, ana_client):
    connect(ana, ben)
    make_post(ben, "on oer", topics=["openeducation"])
    make_post(ben, "on nothing")
    html = ana_client.get("/home/", {"topic": "#Open Education"}).content.decode()
    assert "on oer" in html
    assert "on nothing" not in html


@pytest.mark.parametrize("cursor", ["garbage!!", "A" * 500, "MjAyNS0wMS0wMXx4"])
def test_bad_cursor_is_a_clear_400(ana_client, cursor):
    response = ana_client.get("/home/", {"cursor": cursor})
    assert response.status_code == 400
    assert b"not valid" in response.content


def test_older_posts_link_leads_to_the_next_page(ana, ben, ana_client):
    connect(ana, ben)
    now = timezone.now()
    for n in range(25):
        make_post(ben, f"post number {n:02d}", at=now - timedelta(minutes=n))
    first = ana_client.get("/home/?kind=note").content.decode()
    assert "post number 19" in first and "post number 20" not in first
    href = first.split('class="pager"')[1].split('href="')[1].split('"')[0]
    assert href.startswith("?kind=note&amp;cursor=")
    second = ana_client.get("/home/" + href.replace("&amp;", "&")).content.decode()
    assert "post number 20" in second and "post number 24" in second
    assert "post number 19" not in second


def test_htmx_asks_for_the_next_page_alone(ana, ben, ana_client):
    connect(ana, ben)
    now = timezone.now()
    for n in range(21):
        make_post(ben, f"post number {n:02d}", at=now - timedelta(minutes=n))
    first = ana_client.get("/home/").content.decode()
    pager = first.split('class="pager"')[1]
    href = pager.split('hx-get="')[1].split('"')[0].replace("&amp;", "&")
    part = ana_client.get("/home/" + href, HTTP_HX_REQUEST="true").content.decode()
    assert "post number 20" in part
    assert "<html" not in part and "<h1" not in part


def _busy_network(viewer, size: int, prefix: str) -> None:
    """`size` posts from four more people, on several topics, some of them resources."""
    people = [make_person(f"{prefix}{n}") for n in range(4)]
    for person in people:
        connect(viewer, person)
    follow(viewer, "oer", "stats")
    now = timezone.now()
    for n in range(size):
        make_post(
            people[n % 4],
            f"post {n}",
            topics=[("oer", "stats", "art")[n % 3], "extra"][: 1 + n % 2],
            at=now - timedelta(minutes=n),
            kind=Kind.RESOURCE if n % 5 == 0 else Kind.NOTE,
        )


# The page itself (session, user, person, topic, unread count, sidebar) and the stream at its
# worst: two walks with their windows, the sources, the candidates, the rows, authors, topics,
# the network's boosts and which of the page's posts I boosted.
MAX_QUERIES = 18


@pytest.mark.parametrize("query", ["", "?kind=note", "?topic=oer"])
def test_query_count_does_not_grow_with_the_stream(
    ana, ana_client, django_assert_max_num_queries, query, window
):
    """A page of 3 posts and a full page from many authors and topics cost the same queries."""
    _busy_network(ana, 3, "few")
    ana_client.get("/home/" + query)  # warm: session, content types
    with django_assert_max_num_queries(MAX_QUERIES) as small:
        assert ana_client.get("/home/" + query).status_code == 200
    _busy_network(ana, 60, "many")
    with django_assert_max_num_queries(MAX_QUERIES) as full:
        assert ana_client.get("/home/" + query).status_code == 200
    if window == "walk":  # the same path through the service: exactly the same queries
        assert len(full.captured_queries) == len(small.captured_queries)
