"""Posts made of items from the web are rate-limited per account (T-33)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from connective.content.models import Post, Useful
from tests.feeds.conftest import feed_item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Rate-limit counters live in the cache, which outlives each test's database."""
    cache.clear()


def act(client, item, action="useful"):
    return client.post(reverse("feeds:item_act", args=[item.pk]), {"action": action})


def share(client, item, title="Mine"):
    data = {"title": title, "body": "Worth it", "licence": "cc0", "topics": "networks"}
    return client.post(reverse("feeds:item_reshare", args=[item.pk]), data)


def test_t33_first_actions_on_items_are_limited_per_account(ben, ben_client, ana_client, settings):
    settings.CONNECTIVE_FEED_ITEM_POST_RATE = "2/m/user"
    first, second, third = (feed_item(f"Item {n}") for n in range(3))
    assert act(ben_client, first).status_code == 302
    assert act(ben_client, second, "reply").status_code == 302
    posts = Post.objects.count()
    refused = act(ben_client, third)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    page = refused.content.decode()
    assert "nothing was saved" in page and "Wait 60 seconds" in page
    assert reverse("feeds:item", args=[third.pk]) in page  # a way back to the item
    # The error pages' standalone frame (404.html), not the site's with its search and menus.
    assert 'class="page page--narrow"' in page and page.count("<h1") == 1
    assert 'class="site-search"' not in page and "Log out" not in page
    third.refresh_from_db()
    assert third.post_id is None and Post.objects.count() == posts
    assert not Useful.objects.filter(person=ben, post__title="Item 2").exists()
    # The rate is the account's: someone else may still act on the item.
    assert act(ana_client, third).status_code == 302


def test_acting_on_an_item_that_is_already_a_post_is_not_limited(
    ben, ben_client, ana_client, settings
):
    settings.CONNECTIVE_FEED_ITEM_POST_RATE = "1/m/user"
    mine, theirs, other = (feed_item(f"Item {n}") for n in range(3))
    assert act(ben_client, mine).status_code == 302
    assert act(ana_client, theirs).status_code == 302  # Ana's action made its post
    assert act(ben_client, theirs).status_code == 302
    assert act(ben_client, mine, "reply").status_code == 302
    theirs.refresh_from_db()
    assert Useful.objects.filter(person=ben, post=theirs.post).exists()
    assert act(ben_client, other).status_code == 429


def test_t33_sharing_items_as_resources_is_limited_per_account(ben, ben_client, settings):
    settings.CONNECTIVE_FEED_ITEM_POST_RATE = "1/m/user"
    first, second = feed_item("First"), feed_item("Second")
    assert share(ben_client, first).status_code == 302
    assert ben_client.get(reverse("feeds:item_reshare", args=[second.pk])).status_code == 200
    refused = share(ben_client, second, title="Typed with care")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    page = refused.content.decode()
    assert "nothing was saved" in page and "Try again in 60 seconds" in page
    assert 'value="Typed with care"' in page  # what was typed is kept to send again
    assert list(Post.objects.filter(author=ben).values_list("title", flat=True)) == ["Mine"]


def test_a_share_with_mistakes_is_not_counted(ben, ben_client, settings):
    settings.CONNECTIVE_FEED_ITEM_POST_RATE = "1/m/user"
    item = feed_item("First")
    bad = ben_client.post(reverse("feeds:item_reshare", args=[item.pk]), {"title": ""})
    assert bad.status_code == 400
    assert share(ben_client, item).status_code == 302
