"""The stream's composer is rendered once per kind; its CSRF token is still each request's own."""

import re

import pytest
from django.test import Client

from connective.content.models import Post
from connective.content.templatetags import content_tags

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _composer(html: str) -> str:
    return html.split('id="composer"')[1].split("</section>")[0]


def test_composer_token_is_per_request_and_posts(ana, settings):
    settings.DEBUG = False  # the rendered composer is kept
    content_tags._PANELS.clear()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(ana.user)
    second.force_login(ana.user)
    one = _composer(first.get("/home/").content.decode())
    two = _composer(second.get("/home/").content.decode())
    assert content_tags._PANELS, "the composer was kept"
    assert content_tags._CSRF_PLACEHOLDER not in one + two
    token_one, token_two = TOKEN.search(one).group(1), TOKEN.search(two).group(1)
    assert token_one != token_two
    response = second.post(
        "/posts/new/",
        {
            "kind": "note",
            "body": "From the stream",
            "visibility": "public",
            "next": "/home/",
            "csrfmiddlewaretoken": token_two,
        },
    )
    assert response.status_code == 302
    assert Post.objects.filter(body="From the stream").exists()


def test_composer_kind_comes_from_the_query_and_unknown_is_a_note(ana_client, settings):
    settings.DEBUG = False
    content_tags._PANELS.clear()
    assert 'name="title"' in _composer(ana_client.get("/home/?compose=article").content.decode())
    bogus = _composer(ana_client.get("/home/?compose=%3Cscript%3E").content.decode())
    assert 'name="kind" value="note"' in bogus and "<script>" not in bogus
    assert len(content_tags._PANELS) == 2  # article and note: an unknown kind adds no entry
