"""Demo feeds: three demo people's blogs, stored as a first poll would store them, and the
learner following them, so that "From the web" in the demo's stream shows what following
blogs by their feeds does.

The blogs live under `.example`, a name reserved never to resolve: a poll of them could only
fail, and after a few failures tell their followers so. So a demo feed is stored with its items
through the poll's own `store_items` (search indexes them, the learner's stream shows them) and
its next poll is set a century away. Everything else is as for a feed that was fetched: the
items' Useful, Reply and Share buttons, Settings → Feeds, the OPML export.

`load_demo(people)` is idempotent: a feed already stored is left as it is; a follow that
exists, or whose person is missing, is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from connective.accounts.models import Person
from connective.feeds.models import Feed, Subscription
from connective.feeds.services.items import store_items
from connective.feeds.services.parse import ParsedFeed, ParsedItem
from connective.feeds.services.subscribe import subscribe

NEVER = timedelta(days=36_500)  # a demo feed's next poll: see the module's docstring


@dataclass
class DemoPost:
    """One post on a demo blog: its slug, title, text (HTML), topics, and age in days."""

    slug: str
    title: str
    html: str
    topics: tuple[str, ...]
    days_ago: int


@dataclass
class DemoBlog:
    """A demo person's blog: its feed and site, and the learner's topic for following it."""

    handle: str
    feed_url: str
    site_url: str
    title: str
    topic: str
    posts: tuple[DemoPost, ...]


BLOGS = (
    DemoBlog(
        "siobhan",
        "https://siobhan.example/blog/index.xml",
        "https://siobhan.example/blog/",
        "Siobhán's notebook",
        "Open Education",
        (
            DemoPost(
                "fediverse-first-term",
                "A first term on the fediverse with my students",
                "<p>We moved our class discussion off the big platform in September. What I did "
                "not expect: students wrote <em>longer</em> replies once nobody was counting "
                "likes.</p><p>Three things I would do again, and one I would not.</p>",
                ("Fediverse for Educators", "Open Education"),
                3,
            ),
            DemoPost(
                "digital-literacy-is-reading",
                "Digital literacy is mostly slow reading",
                "<p>Every checklist for spotting misinformation ends up saying the same thing: "
                "slow down, read laterally, ask who made this. The skill is old; the speed is "
                "new.</p>",
                ("Digital Literacy",),
                9,
            ),
            DemoPost(
                "open-syllabus",
                "Why my syllabus is public now",
                "<p>Publishing the syllabus under CC BY cost me nothing and brought three "
                "emails from teachers who improved it. Open is a habit, not a licence "
                "file.</p>",
                ("Open Education", "Open Licensing"),
                16,
            ),
        ),
    ),
    DemoBlog(
        "laila",
        "https://laila-writes.example/feed.xml",
        "https://laila-writes.example/",
        "Laila writes",
        "Blogging for Reflection",
        (
            DemoPost(
                "feedback-as-questions",
                "Feedback that asks instead of tells",
                "<p>In the writing centre we try to answer a draft with questions only for the "
                "first ten minutes. <strong>What did you want the reader to feel here?</strong> "
                "does more than any margin note.</p>",
                ("Feedback", "Peer Review"),
                2,
            ),
            DemoPost(
                "blogging-three-languages",
                "Keeping a blog in three languages",
                "<p>I draft in Persian, argue with myself in German and publish in English. The "
                "blog is where the three meet; reflection happens in the translation.</p>",
                ("Blogging for Reflection",),
                11,
            ),
        ),
    ),
    DemoBlog(
        "ayesha",
        "https://ayesha-siddiqui.example/blog/rss.xml",
        "https://ayesha-siddiqui.example/blog/",
        "Open by default",
        "Open Licensing",
        (
            DemoPost(
                "sharealike-translations",
                "ShareAlike and translations: the question I get most",
                "<p>If you translate a CC BY-SA worksheet, your translation is ShareAlike too. "
                "That is the point: the next teacher may adapt yours. Credit the original, "
                "name the licence, link both.</p>",
                ("Open Licensing", "OER"),
                5,
            ),
            DemoPost(
                "finding-oer-that-fits",
                "Finding open resources that actually fit a lesson",
                "<p>Search by the activity, not the topic: <em>card sort</em>, <em>gallery "
                "walk</em>. You will find fewer resources and use more of them.</p>",
                ("Open Education", "Learning Design"),
                13,
            ),
        ),
    ),
)
FOLLOWERS = ("learner",)  # who follows every demo blog, attached to its author


def load_demo(people: dict[str, Person]) -> None:
    """Store the demo blogs (once) and have the demo's followers follow them."""
    now = timezone.now()
    for blog in BLOGS:
        author = people.get(blog.handle)
        if author is None:
            continue
        if not Feed.objects.filter(url=blog.feed_url).exists():
            _store(blog, now)
        for handle in FOLLOWERS:
            follower = people.get(handle)
            if follower is None:
                continue
            if Subscription.objects.filter(person=follower, feed__url=blog.feed_url).exists():
                continue
            subscribe(follower, blog.feed_url, attached_person=author, topic=blog.topic)


def _store(blog: DemoBlog, now) -> Feed:
    """The feed and its items, as its first poll would have stored them."""
    feed = Feed.objects.create(
        url=blog.feed_url,
        site_url=blog.site_url,
        title=blog.title,
        status=Feed.Status.OK,
        next_poll_at=now + NEVER,
        last_polled_at=now - timedelta(hours=1),
        last_success_at=now - timedelta(hours=1),
        last_new_item_at=now - timedelta(days=min(post.days_ago for post in blog.posts)),
    )
    items = [
        ParsedItem(
            guid=f"{blog.site_url}{post.slug}",
            link=f"{blog.site_url}{post.slug}",
            title=post.title,
            summary_html=post.html,
            categories=list(post.topics),
            published_at=now - timedelta(days=post.days_ago),
            base=blog.site_url,
        )
        for post in blog.posts
    ]
    store_items(feed, ParsedFeed(title=blog.title, site_url=blog.site_url, items=items))
    return feed
