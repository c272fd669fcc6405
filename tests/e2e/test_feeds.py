"""In a real browser: follow a feed served by a test server, read its items in the stream, and
re-share one as a resource (issue 6)."""

import re

import pytest
from playwright.sync_api import expect

from connective.content.models import Kind, Post
from connective.feeds.models import FeedItem
from tests.conftest import make_person
from tests.e2e.helpers import log_in_as
from tests.trap import trap_server

pytestmark = pytest.mark.django_db(transaction=True)

FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Open Pedagogy Notes</title><link>https://op.example.org/</link>
<description>d</description>
<item><title>Renewable assignments</title><link>https://op.example.org/renewable</link>
<guid>renewable</guid><pubDate>Tue, 24 Nov 2026 09:30:00 +0000</pubDate>
<description>&lt;p&gt;Students make things that outlive the course.&lt;/p&gt;</description></item>
</channel></rss>"""


def test_follow_a_feed_read_it_in_the_stream_and_reshare_an_item(page, live_server):
    noor = make_person("noor", display_name="Noor Haddad")
    log_in_as(page, live_server, noor)
    with trap_server() as trap:
        trap.serve("/feed.xml", FEED, content_type="application/rss+xml")
        page.goto("/settings/feeds/")
        page.get_by_label("Site or feed address").fill(trap.url("/feed.xml"))
        page.get_by_role("button", name="Follow").click()
        expect(page.locator(".message")).to_contain_text("You now follow")
        expect(page.locator("main")).to_contain_text("Open Pedagogy Notes")
    page.goto("/home/?from=web")
    card = page.locator("article.card", has_text="Renewable assignments")
    expect(card).to_contain_text("outlive the course")
    expect(card.get_by_role("link", name=re.compile("Read on op.example.org"))).to_be_visible()
    card.get_by_role("link", name="Share as a resource").click()
    page.get_by_label(re.compile("Why it is worth reading")).fill("A good model for our course")
    page.get_by_role("button", name="Share").click()
    expect(page.locator(".message")).to_contain_text("Your resource is shared")
    mine = Post.objects.get(author=noor, kind=Kind.RESOURCE)
    assert mine.link_url == "https://op.example.org/renewable"
    # Replying to an item opens its discussion (the item becomes a post there).
    page.goto("/home/?from=web")
    card = page.locator("article.card", has_text="Renewable assignments")
    card.get_by_role("button", name="Reply").click()
    expect(page.locator("#discussion-heading")).to_have_text("No replies yet")
    page.get_by_label("Your reply").fill("We tried this in week 2: it works.")
    page.get_by_role("button", name="Reply").click()
    expect(page.locator("main")).to_contain_text("We tried this in week 2: it works.")
    item = FeedItem.objects.get(title="Renewable assignments")
    assert item.post is not None and item.post.reply_count == 1
    page.goto("/home/?from=web")  # the item's card is now its post's, and counts the reply
    expect(page.locator("article.card", has_text="Renewable assignments")).to_contain_text(
        "1 reply"
    )
