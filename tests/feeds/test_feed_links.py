"""Pages advertise the feeds they have: <link rel="alternate"> in the head and a visible line."""

import lxml.html
import pytest
from django.template import Context, Template
from django.test import Client

from connective.courses.models import Course
from connective.spaces.models import Space
from connective.topics.services.resolve import get_or_create_topics
from tests.conftest import client_for
from tests.courses.conftest import build_course

pytestmark = pytest.mark.django_db

RSS, ATOM = "application/rss+xml", "application/atom+xml"


def _advertised(html: str) -> tuple[list[str], list[str]]:
    """(hrefs of the head's alternate links, hrefs of the visible feed line's links)."""
    doc = lxml.html.fromstring(html)
    head = doc.xpath("//head/link[@rel='alternate']/@href")
    visible = doc.xpath("//body//p[contains(@class, 'feed-link')]//a/@href")
    return head, visible


def _all_answer_as_feeds(hrefs: list[str]) -> None:
    for href in hrefs:
        answer = Client().get(href)
        assert answer.status_code == 200, href
        assert answer["Content-Type"].startswith((RSS, ATOM)), href


def test_a_topic_page_advertises_its_feed_in_the_head_and_visibly():
    get_or_create_topics(["Open Education"])
    html = Client().get("/topics/openeducation/").content.decode()
    head, visible = _advertised(html)
    wanted = ["/feeds/topics/openeducation.rss", "/feeds/topics/openeducation.atom"]
    assert head == visible == wanted
    assert "Feed of public posts on Open Education:" in html
    _all_answer_as_feeds(wanted)


def test_a_published_course_page_advertises_its_announcements_feed(ana):
    course = build_course(ana)
    html = Client().get(course.get_absolute_url()).content.decode()
    head, visible = _advertised(html)
    wanted = [f"/feeds/courses/{course.slug}/announcements.{f}" for f in ("rss", "atom")]
    assert head == visible == wanted
    assert "Feed of announcements:" in html
    _all_answer_as_feeds(wanted)


def test_a_draft_course_advertises_no_feed(ana):
    course = build_course(ana, publish=False)
    html = client_for(ana).get(course.get_absolute_url()).content.decode()
    assert _advertised(html) == ([], [])


def test_a_course_in_a_members_only_space_advertises_no_feed(ana):
    """Its feed answers 404, so the page must not point at it."""
    course = build_course(ana)
    Space.objects.filter(pk=course.space_id).update(members_only=True)
    html = client_for(ana).get(course.get_absolute_url()).content.decode()
    assert _advertised(html) == ([], [])
    assert Client().get(f"/feeds/courses/{course.slug}/announcements.rss").status_code == 404


def test_the_visible_line_names_each_feed_for_screen_readers(ana):
    topic = get_or_create_topics(["Open Education"])[0]
    html = Template("{% load feed_tags %}{% feed_link topic=t %}").render(Context({"t": topic}))
    link = lxml.html.fromstring(html).xpath("//a")[0]
    assert link.get("type") == RSS
    assert link.text_content() == "RSS: #Open Education"
    assert link.xpath("span[@class='visually-hidden']")


def test_the_visible_line_offers_a_persons_three_feeds_and_nothing_for_a_closed_space(ana):
    closed = Space.objects.create(slug="closed", name="Closed", created_by=ana, members_only=True)
    html = Template("{% load feed_tags %}{% feed_link person=p %}{% feed_link space=s %}").render(
        Context({"p": ana, "s": closed})
    )
    hrefs = lxml.html.fromstring(f"<div>{html}</div>").xpath("//a/@href")
    assert len(hrefs) == 6 and "/feeds/people/ana/blog.atom" in hrefs
    assert "closed" not in html
    _all_answer_as_feeds(hrefs)


def test_a_course_without_its_space_has_no_feed(ana):
    course = build_course(ana)
    Course.objects.filter(pk=course.pk).update(space=None)
    course.refresh_from_db()
    html = Template("{% load feed_tags %}{% feed_links course=c %}{% feed_link course=c %}")
    assert html.render(Context({"c": course})) == ""


def test_a_profile_and_an_open_space_show_their_feeds_visibly(ana):
    open_space = Space.objects.create(slug="circle", name="Reading circle", created_by=ana)
    for url in (ana.get_absolute_url(), open_space.get_absolute_url()):
        head, visible = _advertised(Client().get(url).content.decode())
        assert visible and visible == head, url
        _all_answer_as_feeds(visible)


def test_a_members_only_space_offers_no_feed_and_no_fediverse_address(ana):
    closed = Space.objects.create(
        slug="staff", name="Staff room", members_only=True, created_by=ana
    )
    html = client_for(ana).get(closed.get_absolute_url()).content.decode()
    assert _advertised(html) == ([], [])
    assert "on the fediverse" not in html
