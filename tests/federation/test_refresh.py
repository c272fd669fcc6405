"""Remote profiles refresh when viewed or swept; a Move is recorded on refresh."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from connective.accounts.models import Person
from connective.federation.services.refresh import is_stale, refresh_if_stale, sweep
from connective.federation.services.resolve import resolve_actor
from tests.federation.remote_peer import path_of, rebased, serve_actor
from tests.trap import trap  # noqa: F401


@pytest.fixture(autouse=True)
def _http_peers(settings):
    settings.CONNECTIVE_FEDERATION_ALLOW_HTTP = True


def _stale(person, hours=48):
    Person.objects.filter(pk=person.pk).update(fetched_at=timezone.now() - timedelta(hours=hours))
    person.refresh_from_db()
    return person


@pytest.mark.django_db
def test_viewing_a_stale_profile_refreshes_it(trap):  # noqa: F811
    cache.clear()
    doc = rebased("mastodon", trap)
    serve_actor(trap, doc)
    person = _stale(resolve_actor(doc["id"]))
    assert not refresh_if_stale(_fresh(person))
    person = _stale(person)
    doc["name"] = "Zoë (new name)"
    serve_actor(trap, doc)
    assert refresh_if_stale(person) is True
    person.refresh_from_db()
    assert person.display_name == "Zoë (new name)"
    assert not is_stale(person)
    assert refresh_if_stale(person) is False


def _fresh(person):
    Person.objects.filter(pk=person.pk).update(fetched_at=timezone.now())
    person.refresh_from_db()
    return person


@pytest.mark.django_db
def test_a_refresh_records_a_move(trap):  # noqa: F811
    cache.clear()
    old = rebased("pleroma", trap)
    new = rebased("mastodon", trap)
    new["alsoKnownAs"] = [old["id"]]
    serve_actor(trap, old)
    serve_actor(trap, new)
    person = _stale(resolve_actor(old["id"]))
    assert person.moved_to is None
    serve_actor(trap, old | {"movedTo": new["id"]})
    assert sweep() == 1
    person.refresh_from_db()
    assert person.moved_to is not None and person.moved_to.uri == new["id"]


@pytest.mark.django_db
def test_a_failed_refresh_keeps_the_profile_and_backs_off(trap):  # noqa: F811
    cache.clear()
    doc = rebased("mastodon", trap)
    serve_actor(trap, doc)
    person = _stale(resolve_actor(doc["id"]))
    trap.serve(path_of(doc["id"], trap), "down", status=503)
    assert sweep() == 1
    person.refresh_from_db()
    assert person.display_name == "Zoë Díaz :verified:"
    hits = len(trap.hits)
    assert sweep() == 0 and refresh_if_stale(person) is False
    assert len(trap.hits) == hits


@pytest.mark.django_db
def test_local_and_fresh_people_are_not_refreshed(ana, remote):
    cache.clear()
    assert not is_stale(ana)
    assert is_stale(remote)  # never fetched: left to the sweep, not fetched on a page view
    assert refresh_if_stale(remote) is False
    Person.objects.filter(pk=remote.pk).update(fetched_at=timezone.now())
    remote.refresh_from_db()
    assert refresh_if_stale(remote) is False
