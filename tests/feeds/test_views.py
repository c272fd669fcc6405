"""The feeds settings page, OPML import and export, re-sharing an item: through the views."""

import pytest
from django.urls import reverse

from connective.content.models import Kind, Post, Useful
from connective.content.services.posts import PostDraft, create_post
from connective.feeds.models import Feed, FeedItem, OpmlImport, Subscription
from connective.feeds.services.subscribe import subscribe
from tests.feeds.conftest import RSS, corpus, rss

pytestmark = pytest.mark.django_db

SETTINGS = "/settings/feeds/"


def test_the_settings_page_lists_my_feeds_with_their_health(trap, ana, ana_client):
    trap.serve("/feed.xml", corpus("rss20.xml"), content_type=RSS)
    sub = subscribe(ana, trap.url("/feed.xml"))
    Feed.objects.filter(pk=sub.feed_id).update(
        status="failing", last_error="the server answered 500"
    )
    page = ana_client.get(SETTINGS)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ana&#x27;s Learning Blog" in html or "Ana's Learning Blog" in html
    assert "Temporarily failing: the server answered 500" in html
    assert page["Cache-Control"].startswith("private")


def test_the_settings_page_is_one_of_the_settings_tabs(ana_client):
    page = ana_client.get(SETTINGS).content.decode()
    assert page.count("<h1>") == 1 and "<h1>Settings</h1>" in page
    assert '<a href="/settings/feeds/" aria-current="page">Feeds</a>' in page


def test_subscribe_by_form_then_pause_resume_and_unsubscribe(trap, ana, ana_client):
    trap.serve("/feed.xml", corpus("atom10.xml"), content_type="application/atom+xml")
    answer = ana_client.post(
        reverse("feeds:subscribe"), {"url": trap.url("/feed.xml"), "topic": "Rhizo"}
    )
    assert answer.status_code == 302
    sub = Subscription.objects.get(person=ana)
    assert sub.topic.name == "Rhizo"
    ana_client.post(reverse("feeds:pause", args=[sub.pk]), {"paused": "1"})
    sub.refresh_from_db()
    assert sub.paused
    ana_client.post(reverse("feeds:pause", args=[sub.pk]), {"paused": "0"})
    sub.refresh_from_db()
    assert not sub.paused
    ana_client.post(reverse("feeds:unsubscribe", args=[sub.pk]))
    assert not Subscription.objects.exists()
    assert Feed.objects.count() == 1  # the feed stays for others; nobody polls it now


def test_a_bad_address_shows_the_reason_and_changes_nothing(ana_client):
    answer = ana_client.post(reverse("feeds:subscribe"), {"url": "javascript:alert(1)"})
    assert answer.status_code == 400
    assert "http:// or https://" in answer.content.decode()
    answer = ana_client.post(reverse("feeds:subscribe"), {"url": "http://10.0.0.1/feed"})
    assert answer.status_code == 400
    assert "not allowed" in answer.content.decode()
    assert not Feed.objects.exists()


def test_someone_elses_subscription_is_a_404(trap, ana, ben_client):
    trap.serve("/f", rss([("a", "A")]), content_type=RSS)
    sub = subscribe(ana, trap.url("/f"))
    assert ben_client.post(reverse("feeds:unsubscribe", args=[sub.pk])).status_code == 404
    assert (
        ben_client.post(reverse("feeds:pause", args=[sub.pk]), {"paused": "1"}).status_code == 404
    )
    assert Subscription.objects.filter(pk=sub.pk, paused=False).exists()


def test_items_can_be_marked_useful_replied_to_and_reshared_as_a_resource(
    trap, ana, ben, ben_client
):
    trap.serve("/feed.xml", corpus("rss20.xml"), content_type=RSS)
    subscribe(ben, trap.url("/feed.xml"))
    item = FeedItem.objects.get(title="Week 2: networks of people")
    page = ben_client.get(reverse("feeds:item", args=[item.pk]))
    assert page.status_code == 200 and "Week 2: networks of people" in page.content.decode()
    answer = ben_client.post(
        reverse("feeds:item_act", args=[item.pk]), {"action": "useful", "next": "/home/"}
    )
    item.refresh_from_db()
    post = item.post
    assert answer.status_code == 302 and answer["Location"] == f"/home/#post-{post.pk}"
    assert post is not None and Useful.objects.filter(person=ben, post=post).exists()
    assert post.useful_count == 1
    opened = ben_client.post(reverse("feeds:item_act", args=[item.pk]), {"action": "reply"})
    assert opened["Location"] == f"{post.get_absolute_url()}#discussion-heading"
    assert Post.objects.filter(author=post.author).count() == 1  # still one post for the item
    # The item's page is now its post's page, where the reply goes.
    assert ben_client.get(reverse("feeds:item", args=[item.pk]))["Location"] == (
        post.get_absolute_url()
    )
    reply = create_post(ben, PostDraft(body="Great read", in_reply_to=post))
    assert reply.in_reply_to == post
    form = ben_client.get(reverse("feeds:item_reshare", args=[item.pk]))
    assert form.status_code == 200
    answer = ben_client.post(
        reverse("feeds:item_reshare", args=[item.pk]),
        {
            "title": "Networks of people, by Ana",
            "body": "Worth it",
            "licence": "cc0",
            "topics": "networks",
        },
    )
    assert answer.status_code == 302
    mine = Post.objects.get(author=ben, kind=Kind.RESOURCE)
    assert mine.link_url == "https://ana.example.org/2026/11/week-2"
    assert mine.licence == "cc-by-sa"  # the feed's licence is kept, whatever the form said
    # The post made of the item offers the same form.
    assert ben_client.get(reverse("feeds:reshare", args=[post.pk])).status_code == 200


def test_an_unknown_action_on_an_item_is_refused_and_changes_nothing(trap, ben, ben_client):
    trap.serve("/feed.xml", corpus("rss20.xml"), content_type=RSS)
    subscribe(ben, trap.url("/feed.xml"))
    item = FeedItem.objects.first()
    answer = ben_client.post(reverse("feeds:item_act", args=[item.pk]), {"action": "boost"})
    assert answer.status_code == 400 and "Useful or Reply" in answer.content.decode()
    assert not Post.objects.exists()
    missing = ben_client.post(reverse("feeds:item_act", args=[999999]), {"action": "useful"})
    assert missing.status_code == 404
    assert ben_client.get(reverse("feeds:item_reshare", args=[999999])).status_code == 404


def test_reshare_of_an_ordinary_post_is_a_404(ana, ben_client):
    post = create_post(ana, PostDraft(body="hello"))
    assert ben_client.get(reverse("feeds:reshare", args=[post.pk])).status_code == 404


def test_opml_import_reports_added_existing_and_rejected(trap, ana, ana_client):
    trap.serve("/f", rss([("a", "A")]), content_type=RSS)
    subscribe(ana, trap.url("/f"))
    opml = f"""<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
      <outline text="Mine" type="rss" xmlUrl="{trap.url("/f")}"/>
      <outline text="New" type="rss" xmlUrl="https://blog.example.org/feed"/>
      <outline text="Bad" type="rss" xmlUrl="ftp://files.example.org/feed"/>
      <outline text="Loop" type="include" url="https://lists.example.org/other.opml"/>
    </body></opml>""".encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("subs.opml", opml, content_type="text/x-opml")
    answer = ana_client.post(reverse("feeds:opml_import"), {"file": upload})
    assert answer.status_code == 302
    job = OpmlImport.objects.get(person=ana)
    assert job.status == OpmlImport.Status.DONE
    page = ana_client.get(answer["Location"]).content.decode()
    assert "1 added, 1 already there, 2 rejected" in page
    assert "includes are not followed" in page
    partial = ana_client.get(answer["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert 'id="opml-progress"' in partial and "<html" not in partial
    assert Subscription.objects.filter(person=ana).count() == 2


def test_opml_export_lists_my_feeds(trap, ana, ana_client):
    trap.serve("/f", corpus("rss20.xml"), content_type=RSS)
    subscribe(ana, trap.url("/f"))
    answer = ana_client.get(reverse("feeds:opml_export"))
    assert answer["Content-Type"].startswith("text/x-opml")
    body = answer.content.decode()
    assert f'xmlUrl="{trap.url("/f")}"' in body
    assert 'htmlUrl="https://ana.example.org/"' in body


def test_pages_need_a_login(client):
    assert client.get(SETTINGS).status_code == 302
    assert client.post(reverse("feeds:subscribe"), {"url": "https://x.example"}).status_code == 302


def test_a_long_item_shows_its_first_words_in_the_stream_and_all_of_it_on_its_page(ana, ana_client):
    from tests.feeds.conftest import feed_item

    words = " ".join(f"word{n}" for n in range(400))
    item = feed_item("A long read", body=f"<p>{words}</p>")
    Subscription.objects.create(person=ana, feed=item.feed)
    stream = ana_client.get("/home/?from=web").content.decode()
    assert "word59 …" in stream and "word60" not in stream
    page = ana_client.get(reverse("feeds:item", args=[item.pk])).content.decode()
    assert "word399" in page
    assert '<h1 class="card__title"' in page  # the item is the page's heading


def test_the_author_of_posts_made_of_items_leads_to_the_feeds_site(trap, ana, ana_client):
    from connective.feeds.services.materialize import post_for_item

    trap.serve("/feed.xml", corpus("rss20.xml"), content_type=RSS)
    subscribe(ana, trap.url("/feed.xml"))
    post = post_for_item(FeedItem.objects.first())
    answer = ana_client.get(post.author.get_absolute_url())
    assert answer.status_code == 302 and answer["Location"] == "https://ana.example.org/"
    page = ana_client.get(post.get_absolute_url()).content.decode()
    assert "From the web" in page and "Open the resource" not in page and "· Unlisted" not in page
    assert '<option value="public" selected>' in page  # a reply to it starts public
