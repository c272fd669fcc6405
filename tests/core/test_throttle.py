"""The rate limits every app shares (connective.core.throttle, T-33)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import RequestFactory

from connective.core import throttle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Rate-limit counters live in the cache, which outlives each test's database."""
    cache.clear()


def request_from(address, user=None):
    request = RequestFactory().post("/", REMOTE_ADDR=address)
    request.user = user or AnonymousUser()
    return request


def test_each_action_reads_its_own_setting(settings):
    settings.CONNECTIVE_FEED_ITEM_POST_RATE = "5/h/user"
    settings.CONNECTIVE_LOOKUP_RATE = "3/m/ip,2/5m/user"
    assert throttle.retry_after("feed_item_post") == 3600
    assert throttle.retry_after("lookup") == 300  # the longest window


def test_per_account_rates_do_not_apply_to_visitors(settings):
    settings.CONNECTIVE_LOOKUP_RATE = "2/m/ip,1/m/user"
    settings.CONNECTIVE_FEED_ITEM_POST_RATE = "1/m/user"
    assert [throttle.throttled(request_from("10.0.0.1"), "lookup") for _ in range(3)] == [
        False,
        False,
        True,
    ]
    assert not throttle.throttled(request_from("10.0.0.1"), "feed_item_post")


def test_per_account_rates_follow_the_account_across_addresses(ana, ben, settings):
    settings.CONNECTIVE_FEED_ITEM_POST_RATE = "1/m/user"
    assert not throttle.throttled(request_from("10.0.0.1", ana.user), "feed_item_post")
    assert throttle.throttled(request_from("10.0.0.2", ana.user), "feed_item_post")
    assert not throttle.throttled(request_from("10.0.0.1", ben.user), "feed_item_post")
