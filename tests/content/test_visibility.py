"""Who may see a post: one predicate, checked from every page that shows posts (T-28..T-30)."""

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connective.content.models import Kind, Post, Visibility
from connective.network.models import Block
from tests.conftest import client_for
from tests.content.conftest import connect, post, upload

pytestmark = pytest.mark.django_db

LIMITED = [Visibility.NETWORK, Visibility.PRIVATE]


@pytest.fixture
def pedagogy_follower(chloe):
    """Chloe follows the topic but is neither connected to Ana nor mentioned."""
    from connective.topics.services.resolve import get_or_create_topics

    chloe.followed_topics.add(*get_or_create_topics(["pedagogy"]))
    return chloe


def _limited_resource(author, visibility, body="Secret syllabus"):
    return post(
        author,
        body,
        kind=Kind.RESOURCE,
        title=f"Hidden {visibility} resource",
        licence="cc-by",
        file=upload(),
        topics=["pedagogy"],
        visibility=visibility,
    )


def _pages(item):
    """Every page that lists or shows posts and exists so far."""
    return [
        item.get_absolute_url(),
        "/",
        "/home/",
        "/@ana/",
        "/@ana/resources/",
        "/topics/pedagogy/",
        "/topics/pedagogy/?tab=resources",
    ]


def test_t28_control_a_public_resource_shows_on_those_pages(client, ana, pedagogy_follower):
    """Without this, the invisibility tests below could pass on pages that list nothing."""
    item = _limited_resource(ana, Visibility.PUBLIC)
    for url in _pages(item):
        viewer = client_for(pedagogy_follower) if url == "/home/" else client
        assert item.title in viewer.get(url).content.decode(), url


@pytest.mark.parametrize("visibility", LIMITED)
def test_t28_limited_post_is_invisible_to_anonymous_visitors(client, ana, visibility):
    item = _limited_resource(ana, visibility)
    for url in _pages(item):
        response = client.get(url, follow=True)
        assert item.title not in response.content.decode(), url
    assert client.get(item.get_absolute_url()).status_code == 404
    assert client.get(f"/posts/{item.pk}/file/").status_code == 404


@pytest.mark.parametrize("visibility", LIMITED)
def test_t28_limited_post_is_invisible_to_people_not_permitted(ana, pedagogy_follower, visibility):
    item = _limited_resource(ana, visibility)
    viewer = client_for(pedagogy_follower)
    for url in _pages(item):
        assert item.title not in viewer.get(url, follow=True).content.decode(), url
    assert viewer.get(item.get_absolute_url()).status_code == 404
    assert viewer.get(f"/posts/{item.pk}/file/").status_code == 404


def test_t28_network_post_is_visible_to_a_connection(ana, ben):
    item = _limited_resource(ana, Visibility.NETWORK)
    connect(ben, ana)
    viewer = client_for(ben)
    for url in [item.get_absolute_url(), "/home/", "/@ana/"]:
        assert item.title in viewer.get(url).content.decode(), url
    assert viewer.get(f"/posts/{item.pk}/file/").status_code == 200


def test_t28_private_post_is_visible_to_the_people_it_mentions(ana, ben, chloe):
    item = _limited_resource(ana, Visibility.PRIVATE, body="For @ben only")
    assert client_for(ben).get(item.get_absolute_url()).status_code == 200
    assert client_for(ben).get(f"/posts/{item.pk}/file/").status_code == 200
    assert client_for(chloe).get(item.get_absolute_url()).status_code == 404


def test_t28_unlisted_post_opens_by_link_but_is_not_listed(client, ana):
    item = post(
        ana,
        "Unlisted",
        kind=Kind.RESOURCE,
        title="Unlisted resource",
        link_url="https://a.example",
        licence="cc0",
        topics=["pedagogy"],
        visibility=Visibility.UNLISTED,
    )
    assert client.get(item.get_absolute_url()).status_code == 200
    for url in ("/", "/topics/pedagogy/"):
        assert "Unlisted resource" not in client.get(url).content.decode()


def test_t28_author_who_blocks_you_is_invisible(ana, ben):
    item = post(ana, "public words")
    Block.objects.create(owner=ana, target=ben)
    assert client_for(ben).get(item.get_absolute_url()).status_code == 404


# --- the predicate against a reference written from DESIGN.md ---------------------------------

CASES = st.fixed_dictionaries(
    {
        "visibility": st.sampled_from(Visibility.values),
        "viewer": st.sampled_from(["anonymous", "author", "other"]),
        "connection": st.sampled_from(["none", "viewer_to_author", "author_to_viewer", "pending"]),
        "mentioned": st.booleans(),
        "block": st.sampled_from(["none", "author_blocks_viewer", "viewer_blocks_author"]),
        "deleted": st.booleans(),
        "suspended": st.booleans(),
    }
)


def may_see(case: dict) -> bool:
    """The rule as DESIGN.md states it, written plainly."""
    if case["deleted"] or case["suspended"]:
        return False
    if case["viewer"] == "author":
        return True
    open_to_all = case["visibility"] in {Visibility.PUBLIC, Visibility.UNLISTED}
    if case["viewer"] == "anonymous":
        return open_to_all
    if case["block"] == "author_blocks_viewer":
        return False
    if open_to_all:
        return True
    if case["visibility"] == Visibility.NETWORK:
        return case["connection"] in {"viewer_to_author", "author_to_viewer"}
    return case["mentioned"]


def _arrange(case, author, other) -> Post:
    item = Post.objects.create(
        author=author,
        body="case",
        body_html="<p>case</p>",
        visibility=case["visibility"],
        created_at=timezone.now(),
        deleted_at=timezone.now() if case["deleted"] else None,
    )
    if case["mentioned"]:
        item.mentions.add(other)
    if case["connection"] == "viewer_to_author":
        connect(other, author)
    elif case["connection"] == "author_to_viewer":
        connect(author, other)
    elif case["connection"] == "pending":
        connect(other, author, active=False)
    if case["block"] == "author_blocks_viewer":
        Block.objects.create(owner=author, target=other)
    elif case["block"] == "viewer_blocks_author":
        Block.objects.create(owner=other, target=author)
    if case["suspended"]:
        type(author).objects.filter(pk=author.pk).update(suspended_at=timezone.now())
    return item


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=CASES)
def test_t28_visible_to_matches_the_reference(ana, ben, case):
    with transaction.atomic():
        item = _arrange(case, ana, ben)
        viewer = {"anonymous": None, "author": ana, "other": ben}[case["viewer"]]
        expected = may_see(case)
        assert Post.objects.visible_to(viewer).filter(pk=item.pk).exists() == expected
        client = client_for(viewer) if viewer else Client()
        status = client.get(item.get_absolute_url()).status_code
        assert status == 200 if expected else status in {404, 410}
        transaction.set_rollback(True)


# --- T-29 caching and T-30 enumeration ---------------------------------------------------------


def test_t29_limited_post_page_is_private_to_caches(ana_client, client, ana):
    item = post(ana, "just me", visibility=Visibility.PRIVATE)
    response = ana_client.get(item.get_absolute_url())
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    assert client.get(item.get_absolute_url()).status_code == 404


def test_t29_file_download_is_private_to_caches(ana_client, ana):
    item = _limited_resource(ana, Visibility.NETWORK)
    response = ana_client.get(f"/posts/{item.pk}/file/")
    assert "private" in response["Cache-Control"]


ENUMERATION_VARIANTS = [
    ({}, ""),
    ({"HTTP_ACCEPT": "application/json"}, ""),
    ({"HTTP_ACCEPT": "application/activity+json"}, ""),
    ({"HTTP_ACCEPT": "text/html", "HTTP_ACCEPT_LANGUAGE": "de"}, ""),
    ({}, "?format=json"),
    ({"HTTP_HX_REQUEST": "true"}, ""),
]


@pytest.mark.parametrize(("headers", "query"), ENUMERATION_VARIANTS)
@pytest.mark.parametrize("who", ["anonymous", "chloe"])
def test_t30_hidden_and_missing_posts_answer_byte_identically(ana, chloe, who, headers, query):
    hidden = post(ana, "private words", visibility=Visibility.PRIVATE)
    missing_pk = hidden.pk + 1000
    client = client_for(chloe) if who == "chloe" else Client()
    for suffix in ("", "file/", "reply/", "edit/"):
        a = client.get(f"/posts/{hidden.pk}/{suffix}{query}", **headers)
        b = client.get(f"/posts/{missing_pk}/{suffix}{query}", **headers)
        assert a.status_code == b.status_code, suffix
        if who == "chloe" or suffix in {"", "file/"}:
            assert a.status_code == 404
            assert a.content == b.content, suffix
            assert a["Content-Type"] == b["Content-Type"]


def test_t30_format_suffixes_answer_identically(client, ana):
    hidden = post(ana, "private words", visibility=Visibility.PRIVATE)
    for suffix in (".json", ".rss", "/.json"):
        a = client.get(f"/posts/{hidden.pk}{suffix}")
        b = client.get(f"/posts/{hidden.pk + 1000}{suffix}")
        assert (a.status_code, a.content) == (b.status_code, b.content)
