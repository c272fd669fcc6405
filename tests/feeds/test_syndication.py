"""Feeds out: RSS and Atom of public content only (T-28)."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

from connective.content.models import Visibility
from connective.content.services.posts import PostDraft, create_post
from connective.spaces.models import Space
from connective.topics.models import Topic

pytestmark = pytest.mark.django_db


def _post(author, title, visibility=Visibility.PUBLIC, kind="article", **kw):
    draft = PostDraft(
        kind=kind, title=title, body=f"Body of {title}", topics=["openlearning"], **kw
    )
    draft.visibility = visibility
    if kind == "resource":
        draft.link_url, draft.licence = "https://oer.example.org/x", kw.get("licence") or "cc-by"
    return create_post(author, draft)


def _urls(ana, space=None):
    urls = []
    for kind in ("person", "blog", "resources"):
        urls += [
            reverse(f"feeds:{kind}_{f}", kwargs={"handle": ana.handle}) for f in ("rss", "atom")
        ]
    urls += [reverse(f"feeds:topic_{f}", kwargs={"key": "openlearning"}) for f in ("rss", "atom")]
    if space is not None:
        urls += [reverse(f"feeds:space_{f}", kwargs={"slug": space.slug}) for f in ("rss", "atom")]
    return urls


def test_t28_only_public_posts_appear_in_any_feed(ana, ben):
    space = Space.objects.create(slug="open", name="Open space", created_by=ana)
    closed = Space.objects.create(slug="closed", name="Closed", created_by=ana, members_only=True)
    for kind in ("article", "resource"):
        _post(ana, f"PUBLIC-{kind}", kind=kind)
        _post(ana, f"NETWORK-{kind}", Visibility.NETWORK, kind=kind)
        _post(ana, f"PRIVATE-{kind}", Visibility.PRIVATE, kind=kind)
        _post(ana, f"UNLISTED-{kind}", Visibility.UNLISTED, kind=kind)
        _post(ana, f"DRAFT-{kind}", kind=kind, state="draft")
        _post(ana, f"SPACE-{kind}", kind=kind, space=space)
    from connective.spaces.models import Membership

    Membership.objects.create(space=closed, person=ana, role="moderator")
    _post(ana, "MEMBERS-ONLY-article", space=closed)
    anonymous = Client()
    for url in _urls(ana, space):
        answer = anonymous.get(url)
        assert answer.status_code == 200, url
        body = answer.content.decode()
        ET.fromstring(answer.content)  # well-formed
        for secret in ("NETWORK", "PRIVATE", "UNLISTED", "DRAFT", "MEMBERS-ONLY"):
            assert secret not in body, (url, secret)
    blog = anonymous.get(reverse("feeds:blog_rss", kwargs={"handle": "ana"})).content.decode()
    assert "PUBLIC-article" in blog and "PUBLIC-resource" not in blog
    space_feed = anonymous.get(
        reverse("feeds:space_atom", kwargs={"slug": "open"})
    ).content.decode()
    assert "SPACE-article" in space_feed


def test_resources_carry_their_licence(ana):
    _post(ana, "A licensed resource", kind="resource", licence="cc-by-sa")
    rss = Client().get(reverse("feeds:resources_rss", kwargs={"handle": "ana"})).content.decode()
    assert "<creativeCommons:license>https://creativecommons.org/licenses/by-sa/4.0/" in rss
    atom = Client().get(reverse("feeds:resources_atom", kwargs={"handle": "ana"})).content.decode()
    assert '<link href="https://creativecommons.org/licenses/by-sa/4.0/" rel="license"/>' in atom


def test_links_are_absolute_from_the_site_url_not_the_host_header(ana, settings):
    _post(ana, "Hello")
    settings.CONNECTIVE_SITE_URL = "https://learn.example.org"
    rss = Client().get(reverse("feeds:person_rss", kwargs={"handle": "ana"}))
    body = rss.content.decode()
    assert "<link>https://learn.example.org/@ana/</link>" in body
    assert "testserver" not in body


def test_missing_and_hidden_give_the_same_404(ana):
    Space.objects.create(slug="closed", name="Closed", members_only=True)
    client = Client()
    missing = client.get(reverse("feeds:space_rss", kwargs={"slug": "nope"}))
    hidden = client.get(reverse("feeds:space_rss", kwargs={"slug": "closed"}))
    assert missing.status_code == hidden.status_code == 404
    assert missing.content == hidden.content
    assert client.get(reverse("feeds:person_rss", kwargs={"handle": "nobody"})).status_code == 404
    assert client.get(reverse("feeds:topic_rss", kwargs={"key": "nothing"})).status_code == 404


def test_feed_links_tag_advertises_the_feeds(ana):
    from django.template import Context, Template

    Topic.objects.create(key="openlearning", name="OpenLearning")
    html = Template("{% load feed_tags %}{% feed_links person=p %}{% feed_links topic=t %}").render(
        Context({"p": ana, "t": Topic.objects.get(key="openlearning")})
    )
    assert html.count('rel="alternate"') == 8
    assert 'href="/feeds/people/ana/blog.atom"' in html
    assert 'type="application/rss+xml"' in html
