"""A learner's own blog: a new tagged post in its feed counts as course evidence (issue 6.4)."""

import pytest

from connective.courses.models import Evidence
from connective.courses.services.enrolment import enrol
from connective.feeds.services import polling
from connective.feeds.services.subscribe import subscribe
from tests.courses.conftest import activity, build_course
from tests.feeds.conftest import RSS

pytestmark = pytest.mark.django_db


def _blog(items: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Ben blogs</title>'
        f"<link>https://ben.example.org/</link><description>d</description>{items}</channel></rss>"
    ).encode()


FIRST = (
    "<item><title>Old post</title><link>https://ben.example.org/old</link><guid>old</guid>"
    "<category>pln-position</category><description>written before</description></item>"
)
TAGGED = (
    "<item><title>My position on PLNs</title><link>https://ben.example.org/pln</link>"
    "<guid>pln</guid><pubDate>Wed, 25 Nov 2026 10:00:00 GMT</pubDate>"
    "<category>PLN Position</category><description>Here it is. #pln-resource</description></item>"
)
UNTAGGED = (
    "<item><title>Holidays</title><link>https://ben.example.org/hols</link><guid>hols</guid>"
    "<description>Nothing for the course</description></item>"
)


def test_a_tagged_post_on_my_own_blog_counts_as_evidence(trap, ana, ben, chloe):
    course = build_course(ana)
    enrolment = enrol(course, ben)
    enrol(course, chloe)
    trap.serve("/blog.rss", _blog(FIRST), content_type=RSS)
    sub = subscribe(ben, trap.url("/blog.rss"), own_blog=True)
    subscribe(chloe, trap.url("/blog.rss"))  # chloe reads ben's blog: it is not her evidence
    first = set(Evidence.objects.values_list("url", flat=True))
    trap.serve("/blog.rss", _blog(TAGGED + UNTAGGED + FIRST), content_type=RSS)
    polling.poll_feed(sub.feed_id)
    found = Evidence.objects.filter(enrolment=enrolment, url="https://ben.example.org/pln")
    assert {e.activity for e in found} == {activity(course, "write"), activity(course, "share")}
    assert not Evidence.objects.filter(url="https://ben.example.org/hols").exists()
    assert not Evidence.objects.filter(enrolment__learner=chloe).exists()
    assert "https://ben.example.org/old" in first  # the first poll counts too
    polling.poll_feed(sub.feed_id)
    assert Evidence.objects.filter(url="https://ben.example.org/pln").count() == 2
