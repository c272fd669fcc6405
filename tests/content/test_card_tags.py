"""Cards, chips and avatars written in Python: what they show, and that they escape everything."""

from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template

from connective.content.models import Post
from connective.content.services.posts import PostDraft, create_post
from connective.content.templatetags.card_tags import (
    avatar_html,
    chips_html,
    post_card_html,
    short_time,
)
from connective.spaces.models import Membership, Space
from connective.topics.models import Topic
from tests.conftest import make_person
from tests.content.conftest import post, upload

pytestmark = pytest.mark.django_db

RLO = "\u202e"


def _card(p: Post) -> str:
    return post_card_html(Post.objects.select_related("author").get(pk=p.pk))


def test_t26_author_name_is_escaped_and_isolated_in_bdi(db):
    mallory = make_person("mallory", display_name=f'<script>alert(1)</script>{RLO}"evil')
    html = _card(post(mallory, "Hello"))
    assert "<script>alert(1)" not in html
    assert f"<bdi>&lt;script&gt;alert(1)&lt;/script&gt;{RLO}&quot;evil</bdi>" in html
    # The screen-reader heading of a post without a title names the author the same way.
    assert f"Note by <bdi>&lt;script&gt;alert(1)&lt;/script&gt;{RLO}&quot;evil</bdi>" in html


def test_t22_title_is_escaped_and_body_is_the_sanitised_html(ana):
    p = post(
        ana,
        "Look <img src=x onerror=alert(1)> **here**",
        kind="article",
        title='<img src=x onerror="alert(1)">',
    )
    html = post_card_html(Post.objects.get(pk=p.pk), full=True)
    assert "<img src=x" not in html and 'onerror="alert' not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "<strong>here</strong>" in html  # Markdown, rendered and sanitised when saved


def test_article_in_a_list_shows_plain_text_escaped_once(ana):
    p = post(ana, "Fish & chips **bold** <b>typed</b> " + "word " * 80, kind="article", title="L")
    html = _card(p)
    body = html.split('<div class="card__body">')[1].split("</div>")[0]
    assert body.startswith("Fish &amp; chips bold")  # entities once, not &amp;amp;; no <strong>
    assert "&lt;b&gt;typed&lt;/b&gt;" in body and "<b>" not in body  # typed text stays text
    assert body.endswith("…")


def test_resource_card_shows_licence_source_and_download(ana):
    p = post(
        ana,
        "Slides",
        kind="resource",
        title="Slides",
        link_url='https://oer.example.org/a?b=1&c="2"',
        licence="cc-by-sa",
        file=upload(),
    )
    html = _card(p)
    assert (
        '<a class="licence" href="https://creativecommons.org/licenses/by-sa/4.0/" '
        'rel="license noopener" title="Creative Commons Attribution-ShareAlike 4.0">'
        "CC BY-SA 4.0</a>"
    ) in html
    assert 'href="https://oer.example.org/a?b=1&amp;c=&quot;2&quot;"' in html
    assert ">oer.example.org</a>" in html
    assert f'href="/posts/{p.pk}/file/">Download slides.pdf</a>' in html


def test_all_rights_reserved_has_a_label_without_a_deed(ana):
    p = post(
        ana, "Notes", kind="resource", title="Notes", link_url="https://a.example/", licence="arr"
    )
    assert '<span class="licence" title="All rights reserved">All rights reserved</span>' in (
        _card(p)
    )


def test_card_shows_kind_time_audience_topics_and_counts(ana):
    p = post(ana, "Hello #OpenEducation", visibility="network")
    Post.objects.filter(pk=p.pk).update(reply_count=1)
    html = _card(p)
    assert f'<article class="card card--note" id="post-{p.pk}"' in html
    assert '<span class="kind">Note</span>' in html
    assert f'<a class="muted" href="/posts/{p.pk}/"><time datetime="' in html
    assert ">just now</time>" in html
    assert '<span class="muted">· My network</span>' in html
    assert '<a class="chip" href="/topics/openeducation/">' in html
    assert f'<a href="/posts/{p.pk}/">1 reply</a>' in html
    Post.objects.filter(pk=p.pk).update(reply_count=3, visibility="public")
    html = _card(p)
    assert "3 replies" in html and "My network" not in html


def test_useful_count_only_on_resources_someone_found_useful(ana):
    p = post(
        ana, "Guide", kind="resource", title="Guide", link_url="https://a.example/", licence="cc0"
    )
    assert "found this useful" not in _card(p)
    Post.objects.filter(pk=p.pk).update(useful_count=2)
    assert "<span>2 found this useful</span>" in _card(p)


def test_t26_topic_names_in_chips_are_escaped(db):
    evil = Topic(key="x", name='<b onmouseover="x">Maths</b>')
    html = chips_html([evil], variant="learning", label='Say "hi"')
    assert 'aria-label="Say &quot;hi&quot;"' in html
    assert '<a class="chip chip--learning" href="/topics/x/">' in html
    assert "&lt;b onmouseover=&quot;x&quot;&gt;Maths&lt;/b&gt;" in html
    assert chips_html([]) == ""


def test_avatar_is_an_initial_without_a_picture(ana):
    assert avatar_html(ana, "sm") == '<span class="avatar avatar--sm" aria-hidden="true">A</span>'
    assert avatar_html(ana, "bogus").startswith('<span class="avatar" ')


def test_shared_partials_use_the_same_markup(ana):
    p = post(ana, "Hi #Maths")
    html = Template('{% include "content/_post_card.html" %}').render(Context({"post": p}))
    assert html.strip() == _card(p).strip()
    chips = Template('{% include "web/_chips.html" with label="L" %}').render(
        Context({"topics": p.topics.all()})
    )
    assert chips.strip() == chips_html(p.topics.all(), label="L")


@pytest.mark.parametrize(
    ("age", "text"),
    [
        (timedelta(seconds=5), "just now"),
        (timedelta(minutes=5), "5 min ago"),
        (timedelta(hours=3, minutes=59), "3 h ago"),
        (timedelta(days=3), "25 Nov"),
        (timedelta(days=400), "24 Oct 2025"),
        (timedelta(seconds=-30), "just now"),  # a clock slightly ahead
    ],
)
def test_short_time(age, text):
    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert short_time(now - age, now) == text


def test_kept_cards_change_with_anything_they_show(ana):
    p = post(ana, "Hello #Maths", kind="article", title="First")
    first = _card(p)
    assert _card(p) == first  # kept
    Post.objects.filter(pk=p.pk).update(title="Second", reply_count=2)
    assert ">Second</a>" in _card(p) and "2 replies" in _card(p)
    type(ana).objects.filter(pk=ana.pk).update(display_name="Ana Renamed")
    assert "<bdi>Ana Renamed</bdi>" in _card(p)
    Topic.objects.filter(key="maths").update(name="Mathematics")
    assert ">Mathematics</a>" in _card(p)


def test_a_post_in_a_space_says_where(ana):
    space = Space.objects.create(slug="oer-circle", name="OER <circle>", created_by=ana)
    Membership.objects.create(space=space, person=ana, role="moderator")
    post = create_post(ana, PostDraft(body="Hello", title="Welcome", space=space))
    html = post_card_html(post)
    assert 'in <a href="/spaces/oer-circle/"><bdi>OER &lt;circle&gt;</bdi></a>' in html
