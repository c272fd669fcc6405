"""The error pages stand alone (404.html and the pages that extend it): the same small frame
whoever asks, without the site's search, menus or footer (SECURITY T-30)."""

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import Client

from tests.web.helpers import assert_error_frame

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Rate-limit counters live in the cache, which outlives each test's database."""
    cache.clear()


def test_a_missing_page_has_the_error_frame(ana_client):
    response = ana_client.get("/no-such-page/")
    assert response.status_code == 404
    assert_error_frame(response.content.decode())


def test_t33_allauth_rate_limit_answers_with_the_standalone_429_page(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "1/m/ip"}
    client = Client()
    for expected in (302, 429):
        response = client.post("/accounts/password/reset/", {"email": "someone@example.org"})
        assert response.status_code == expected
    page = response.content.decode()
    assert_error_frame(page)
    assert "Too many requests" in page and "Please wait a minute and try again." in page
    assert response["Retry-After"] == "60"


def test_the_429_page_says_how_long_to_wait_when_it_is_known():
    page = render_to_string("429.html", {"seconds": 300})
    assert_error_frame(page)
    assert "Please wait 300 seconds and try again." in page
