"""SECURITY items for spaces: Markdown in threads, replies, descriptions and reasons (T-22, T-24),
names isolated (T-26), per-viewer pages kept out of shared caches (T-29)."""

import re
import time

import pytest
from django.urls import reverse

from connective.spaces.services.membership import join
from connective.spaces.services.moderation import hide
from connective.spaces.services.spaces import create_space
from connective.spaces.services.threads import reply, start_thread
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

VECTORS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "<svg><animate onbegin=alert(1) attributeName=x></svg>",
    "<style>@import 'https://evil.example/x.css';</style>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
]
FORBIDDEN = ["<script", "<img", "<svg", "<style", "<iframe", "<noscript"]
BAD_LINK = re.compile(r"<a\b[^>]*href=\"\s*(javascript|data):", re.IGNORECASE)


def _clean(page: str) -> None:
    body = page.split("<main", 1)[-1]
    for bad in FORBIDDEN:
        assert bad not in body, bad
    assert not BAD_LINK.search(body)


@pytest.mark.parametrize("vector", VECTORS)
def test_t22_thread_reply_description_and_reason_are_sanitised(vector, ana, ben, client):
    space = create_space(ana, name=f"S {vector}"[:120], description=vector)
    join(space, ben)
    root = start_thread(ana, space, title=vector[:200], body=vector)
    hidden = reply(ben, root, body=vector)
    reply(ben, root, body=f"again {vector}")
    hide(hidden, ana, f"reason {vector}")
    url = reverse("spaces:thread", args=[space.slug, root.pk])
    for page_url in (url, space.get_absolute_url(), reverse("spaces:index")):
        _clean(client.get(page_url).content.decode())
    _clean(client_for(ana).get(reverse("spaces:log", args=[space.slug])).content.decode())


def test_t24_deep_nesting_in_a_thread_renders_quickly_and_capped(space, ana, client):
    body = ">" * 2400 + " deep\n\n" + "- " * 1200 + "list"
    started = time.monotonic()
    root = start_thread(ana, space, title="Deep", body=body)
    page = client.get(reverse("spaces:thread", args=[space.slug, root.pk])).content.decode()
    assert time.monotonic() - started < 5
    assert page.count("<blockquote") < 50


def test_t26_names_are_isolated(ana, client):
    space = create_space(ana, name="\u202eevil name")
    page = client.get(space.get_absolute_url()).content.decode()
    assert "<bdi>\u202eevil name</bdi>" in page


def test_t29_space_and_thread_pages_are_private_to_caches(space, ana, client):
    root = start_thread(ana, space, title="Hi", body="x")
    for url in (
        reverse("spaces:index"),
        space.get_absolute_url(),
        reverse("spaces:thread", args=[space.slug, root.pk]),
    ):
        response = client.get(url)
        assert "private" in response["Cache-Control"]
        assert "Cookie" in response["Vary"]
