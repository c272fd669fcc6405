"""The lookup page finds someone here by the handle people see next to their name."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from connective.accounts.models import Person
from connective.core.uris import site_host
from tests.conftest import make_person, make_remote_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Rate-limit counters live in the cache, which outlives each test's database."""
    cache.clear()


@pytest.fixture
def joao(db) -> Person:
    return make_person("joao", display_name="João Silva")


@pytest.mark.parametrize("q", ["joao", "@joao", "JOAO", " @joao ", "joao@{host}", "@joao@{host}"])
def test_a_local_handle_goes_to_their_profile(ana_client, joao, q):
    response = ana_client.get("/lookup/", {"q": q.format(host=site_host())})
    assert response.status_code == 302
    assert response["Location"] == joao.get_absolute_url()


def test_an_unknown_bare_handle_says_nobody_here_and_how_to_reach_elsewhere(ana_client):
    response = ana_client.get("/lookup/", {"q": "joao"})
    assert response.status_code == 404
    page = response.content.decode()
    assert "Nobody called joao is on this server." in page
    assert "@joao@example.org" in page
    assert "That is not a fediverse address" not in page


def test_a_bare_handle_never_finds_someone_elsewhere(ana_client):
    make_remote_person("zoe", domain="mastodon.example")
    response = ana_client.get("/lookup/", {"q": "zoe"})
    assert response.status_code == 404
    assert b"Nobody called zoe is on this server." in response.content


def test_a_suspended_local_person_is_not_found_by_handle(ana_client, joao):
    Person.objects.filter(pk=joao.pk).update(suspended_at=timezone.now())
    response = ana_client.get("/lookup/", {"q": "joao"})
    assert response.status_code == 404
    assert joao.get_absolute_url().encode() not in response.content


@pytest.mark.parametrize("q", ["open licensing", "@", "joao!", "-joao"])
def test_words_that_are_not_a_handle_are_still_refused(ana_client, joao, q):
    response = ana_client.get("/lookup/", {"q": q})
    assert response.status_code == 404
    assert b"field__error" in response.content
