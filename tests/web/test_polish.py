"""Small wording fixes on the web pages a walkthrough found confusing."""

import re

import pytest
from django.test import Client

from connective.topics.services.resolve import get_or_create_topics
from tests.web.helpers import set_topics

pytestmark = pytest.mark.django_db


def _tile_meta(html: str, name: str) -> str:
    """The counts line under the topic called `name` on the topics index."""
    found = re.search(rf">{name}</a>\s*<p class=\"meta\">(.*?)</p>", html, re.S)
    assert found, html
    return found.group(1)


def test_topics_index_says_its_helpers_are_the_people_who_say_they_can_help(ana, ben):
    """The index counts declared expertise, the topic page lists anyone with evidence: the
    index's words must not read as the page's list."""
    get_or_create_topics(["Maths", "Physics"])
    set_topics(ana, expertise=["Maths", "Physics"])
    set_topics(ben, expertise=["Maths"])
    html = Client().get("/topics/").content.decode()
    assert _tile_meta(html, "Maths") == "2 say they can help"
    assert _tile_meta(html, "Physics") == "1 says they can help"
