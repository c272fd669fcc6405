"""An OPML import refuses the addresses that following a feed refuses, with the same reason."""

import pytest
from django.urls import reverse

from connective.feeds.models import Feed, Subscription
from connective.feeds.services.opml import start_import
from connective.feeds.services.polling import poll_feed
from connective.feeds.services.subscribe import SubscribeError, subscribe
from tests.conftest import make_person

pytestmark = pytest.mark.django_db

REFUSED = [
    ("http://127.0.0.1:8000/@joao/feed/", "port 8000 is not allowed"),
    ("http://example.org:6379/feed", "port 6379 is not allowed"),
    ("http://127.0.0.1/feed", "127.0.0.1 is not a public internet address"),
    ("http://10.0.0.1/feed", "10.0.0.1 is not a public internet address"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is not a public"),
    ("http://100.64.0.1/feed", "100.64.0.1 is not a public"),
    ("http://[::1]/feed", "::1 is not a public internet address"),
    ("http://[::]/feed", ":: is not a public internet address"),
    ("http://0.0.0.0/feed", "0.0.0.0 is not a public internet address"),
    ("http://[::ffff:127.0.0.1]/feed", "127.0.0.1 is not a public internet address"),
    ("http://[2002:7f00:1::]/feed", "127.0.0.1 is not a public internet address"),
    ("http://printer.local/feed", "printer.local is a local name"),
    ("http://localhost/feed", "localhost is a local name"),
    ("http://feeds.internal/rss", "feeds.internal is a local name"),
    # refused for their form already (core.uris), by both
    ("http://2130706433/feed", "Give a web address"),
    ("http://0x7f.1/feed", "Give a web address"),
    ("http://localhost./feed", "Give a web address"),
    ("http://user@example.org/feed", "Give a web address"),
    ("ftp://example.org/feed", "Give a web address"),
]


def _opml(*urls: str) -> bytes:
    outlines = "".join(
        f'<outline type="rss" text="F{n}" xmlUrl="{u}"/>' for n, u in enumerate(urls)
    )
    return f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>'.encode()


def _direct_follow_reason(url: str) -> str:
    with pytest.raises(SubscribeError) as refused:
        subscribe(make_person("direct"), url)
    return str(refused.value)


@pytest.mark.parametrize(("url", "reason"), REFUSED)
def test_an_imported_address_a_direct_follow_refuses_is_rejected_with_the_same_reason(url, reason):
    ana = make_person("ana")
    job = start_import(ana, _opml(url))
    job.refresh_from_db()
    [result] = job.results
    assert result["outcome"] == "rejected"
    assert reason in result["reason"]
    assert result["reason"] == _direct_follow_reason(url)
    assert not Feed.objects.exists()
    assert not Subscription.objects.exists()


def test_a_list_with_good_and_refused_addresses_adds_only_the_good_ones(bare_trap):
    ana = make_person("ana")
    job = start_import(ana, _opml("https://blog.example.org/feed.xml", bare_trap.url("/feed")))
    job.refresh_from_db()
    outcomes = {r["url"]: (r["outcome"], r["reason"]) for r in job.results}
    assert outcomes["https://blog.example.org/feed.xml"] == ("added", "")
    assert outcomes[bare_trap.url("/feed")] == (
        "rejected",
        f"URL not allowed: port {bare_trap.port} is not allowed",
    )
    assert list(Feed.objects.values_list("url", flat=True)) == ["https://blog.example.org/feed.xml"]
    assert bare_trap.hits == []


def test_the_import_report_shows_the_reason(ana, ana_client):
    job = start_import(ana, _opml("http://127.0.0.1:8000/@joao/feed/"))
    html = ana_client.get(reverse("feeds:opml_job", args=[job.pk])).content.decode()
    assert "Rejected: URL not allowed: port 8000 is not allowed" in html
    assert "0 added" in html


def test_following_a_stored_feed_with_a_refused_address_is_refused():
    """A feed row left by an import made before the check does not let a follow skip it."""
    from django.utils import timezone

    Feed.objects.create(url="http://127.0.0.1:8000/@joao/feed/", next_poll_at=timezone.now())
    with pytest.raises(SubscribeError, match="port 8000 is not allowed"):
        subscribe(make_person("ana"), "http://127.0.0.1:8000/@joao/feed/")
    assert not Subscription.objects.exists()


def test_a_feed_that_was_tried_and_failed_is_not_shown_as_not_checked(trap, ana, ana_client):
    """Its line says when it was last tried, beside "Temporarily failing: <reason>"."""
    from django.utils import timezone

    trap.serve("/feed.xml", "down", status=500)
    feed = Feed.objects.create(url=trap.url("/feed.xml"), next_poll_at=timezone.now())
    Subscription.objects.create(person=ana, feed=feed)
    poll_feed(feed.pk)  # as the worker does after an import
    feed.refresh_from_db()
    assert feed.status == Feed.Status.FAILING and feed.last_success_at is None
    html = ana_client.get(reverse("feeds:settings")).content.decode()
    assert "Temporarily failing: the server answered 500" in html
    assert "Not checked yet" not in html
    assert "Tried " in html and "ago, never fetched" in html
