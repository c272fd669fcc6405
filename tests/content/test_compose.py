"""Posting through the pages: the composer, each kind of post, and every refusal."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from connective.content.models import Kind, Post
from connective.notifications.models import Notification
from connective.topics.models import Topic
from tests.content.conftest import upload

pytestmark = pytest.mark.django_db


def test_composer_on_the_stream_has_three_tabs_that_work_without_js(ana_client):
    html = ana_client.get("/home/").content.decode()
    assert 'id="composer"' in html
    for kind in ("note", "article", "resource"):
        assert f'href="?compose={kind}"' in html
    assert 'href="?compose=note" aria-current="page"' in html
    assert 'name="kind" value="note"' in html


def test_composer_tab_shows_the_resource_form(ana_client):
    html = ana_client.get("/home/?compose=resource").content.decode()
    assert 'href="?compose=resource" aria-current="page"' in html
    assert 'name="link_url"' in html and 'type="file"' in html
    assert "Creative Commons Attribution-ShareAlike 4.0 (CC BY-SA 4.0)" in html
    assert "Public Domain Mark 1.0" in html
    assert ">All rights reserved</option>" in html


def test_htmx_tab_switch_returns_only_the_composer(ana_client):
    response = ana_client.get(
        "/posts/new/?kind=article&embed=compose&next=/home/", HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="panel composer" id="composer"')
    assert 'href="?compose=article" aria-current="page"' in html
    assert 'name="next" value="/home/"' in html
    assert "<html" not in html


def test_full_page_composer(ana_client):
    html = ana_client.get("/posts/new/?kind=article").content.decode()
    assert html.count("<h1") == 1
    assert 'name="title"' in html
    assert 'href="?kind=article" aria-current="page"' in html


def test_composer_needs_a_login(client):
    response = client.get("/posts/new/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_post_a_note(ana_client, ana):
    response = ana_client.post(
        "/posts/new/", {"kind": "note", "body": "Hello, learners", "visibility": "public"}
    )
    note = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == note.get_absolute_url()
    assert (note.author, note.kind, note.body_html) == (ana, Kind.NOTE, "<p>Hello, learners</p>\n")


def test_composer_goes_back_to_the_stream_but_never_off_site(ana_client):
    data = {"kind": "note", "body": "Hi", "visibility": "public"}
    assert ana_client.post("/posts/new/", {**data, "next": "/home/"})["Location"] == "/home/"
    away = ana_client.post("/posts/new/", {**data, "next": "//evil.example/"})["Location"]
    assert away.startswith("/posts/")


def test_post_an_article(ana_client):
    ana_client.post(
        "/posts/new/",
        {
            "kind": "article",
            "title": "Why PLNs work",
            "body": "# Start\n\nLong text.",
            "topics": "connectivism",
            "visibility": "public",
        },
    )
    article = Post.objects.get()
    assert (article.kind, article.title) == (Kind.ARTICLE, "Why PLNs work")
    assert "<h2>Start</h2>" in article.body_html
    assert [t.key for t in article.topics.all()] == ["connectivism"]


def test_share_a_resource_with_a_link(ana_client, resource_data):
    ana_client.post("/posts/new/", resource_data)
    resource = Post.objects.get()
    assert resource.kind == Kind.RESOURCE
    assert resource.link_url == "https://oer.example.org/licensing"
    assert resource.licence == "cc-by-sa"
    assert not resource.file


def test_share_a_resource_with_an_uploaded_file(ana_client, resource_data):
    data = {**resource_data, "link_url": "", "file": upload("week 1 slides.pdf")}
    ana_client.post("/posts/new/", data)
    resource = Post.objects.get()
    assert resource.file_name == "week_1_slides.pdf"
    assert resource.file.read() == b"%PDF-1.4 slides"
    assert "slides" not in resource.file.name  # stored under a random name, never guessable


def test_hashtags_and_topic_field_make_one_topic(ana_client):
    ana_client.post(
        "/posts/new/",
        {
            "kind": "note",
            "body": "Reading about #OpenEducation today",
            "topics": "open education",
            "visibility": "public",
        },
    )
    note = Post.objects.get()
    assert [t.key for t in note.topics.all()] == ["openeducation"]
    assert Topic.objects.count() == 1
    assert 'href="/topics/openeducation/"' in note.body_html


def test_mentions_link_and_notify(ana_client, ben):
    ana_client.post("/posts/new/", {"kind": "note", "body": "Ask @ben", "visibility": "public"})
    note = Post.objects.get()
    assert f'<a href="{ben.get_absolute_url()}" class="mention">@ben</a>' in note.body_html
    notice = Notification.objects.get(recipient=ben)
    assert notice.kind == Notification.Kind.MENTION
    assert notice.url == note.get_absolute_url()


def _note(client, body):
    return client.post("/posts/new/", {"kind": "note", "body": body, "visibility": "public"})


BAD_INPUT = [
    ({"kind": "note", "body": ""}, "body", "Write something first."),
    ({"kind": "note", "body": "   \n "}, "body", "Write something first."),
    ({"kind": "note", "body": "x" * 5001}, "body", "Keep it under 5,000 characters."),
    ({"kind": "article", "title": "", "body": "text"}, "title", "An article needs a title."),
    ({"kind": "article", "title": "T", "body": ""}, "body", "An article needs a body."),
    (
        {"kind": "resource", "title": "R", "licence": "cc-by"},
        "link_url",
        "Give the resource&#x27;s address or upload a file.",
    ),
    (
        {"kind": "resource", "title": "R", "link_url": "https://a.example", "licence": "cc-by-xyz"},
        "licence",
        "Choose one of the listed licences.",
    ),
    (
        {"kind": "resource", "title": "R", "link_url": "javascript:alert(1)", "licence": "cc0"},
        "link_url",
        "Give a web address starting with http:// or https://.",
    ),
    (
        {"kind": "resource", "title": "R", "link_url": "ftp://files.example/x", "licence": "cc0"},
        "link_url",
        "Give a web address starting with http:// or https://.",
    ),
    (
        {"kind": "note", "body": "hi", "topics": ", ".join(f"topic{n}" for n in range(13))},
        "topics",
        "Choose at most 12 topics.",
    ),
    (
        {"kind": "note", "body": "hi", "topics": "<b>bold</b>"},
        "topics",
        "A topic may contain letters, digits, spaces and hyphens only.",
    ),
    ({"kind": "note", "body": "hi", "visibility": "everyone"}, "visibility", "Select a valid"),
]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    BAD_INPUT,
    ids=[
        "empty-note",
        "blank-note",
        "5001-chars",
        "article-no-title",
        "article-no-body",
        "resource-no-place",
        "unknown-licence",
        "javascript-url",
        "ftp-url",
        "13-topics",
        "html-topic",
        "bad-visibility",
    ],
)
def test_bad_input_gives_a_message_and_stores_nothing(ana_client, data, field, message):
    data = {"visibility": "public", **data}
    response = ana_client.post("/posts/new/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert 'role="alert"' in html
    assert f'aria-invalid="true" aria-describedby="compose-{field}' in html or (
        f'id="compose-{field}_error"' in html and 'aria-invalid="true"' in html
    )
    assert Post.objects.count() == 0
    assert Topic.objects.count() == 0


def test_a_21_mb_file_is_refused(ana_client, resource_data):
    big = SimpleUploadedFile("big.pdf", b"x" * (21 * 1024 * 1024), "application/pdf")
    response = ana_client.post("/posts/new/", {**resource_data, "link_url": "", "file": big})
    assert response.status_code == 400
    assert "Files can be at most 20 MB." in response.content.decode()
    assert Post.objects.count() == 0


def test_t26_a_thousand_hashtags_are_refused_with_a_message(ana_client):
    body = " ".join(f"#t{n}" for n in range(1000))[:5000]
    response = _note(ana_client, body)
    assert response.status_code == 400
    assert "Choose at most 12 topics." in response.content.decode()
    assert Post.objects.count() == 0
    assert Topic.objects.count() == 0


def test_t26_twelve_hashtags_are_fine(ana_client):
    body = " ".join(f"#t{n}" for n in range(12))
    ana_client.post("/posts/new/", {"kind": "note", "body": body, "visibility": "public"})
    assert Post.objects.get().topics.count() == 12


def test_t26_ten_megabytes_of_hashtags_are_refused(ana_client):
    body = "#learning " * (10 * 1024 * 1024 // 10)
    response = _note(ana_client, body)
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert Post.objects.count() == 0


def test_t26_hashtag_text_with_html_is_escaped(ana_client):
    body = "#tag<script>alert(1)</script> and #ok<img src=x onerror=alert(1)>"
    ana_client.post("/posts/new/", {"kind": "note", "body": body, "visibility": "public"})
    note = Post.objects.get()
    assert "<script" not in note.body_html and "<img" not in note.body_html
    assert "&lt;script&gt;" in note.body_html
    page = ana_client.get(note.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert sorted(t.key for t in note.topics.all()) == ["ok", "tag"]


def test_t26_a_long_hashtag_is_capped(ana_client):
    body = "#" + "a" * 4000
    response = _note(ana_client, body)
    assert response.status_code == 302
    assert [len(t.key) for t in Topic.objects.all()] == [64]
