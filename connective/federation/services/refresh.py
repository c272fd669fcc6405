"""Keep remote profiles fresh: refetch an actor older than CONNECTIVE_FEDERATION_REFRESH_HOURS.

Two ways in: viewing a remote profile queues a refresh in the background (never slows the page),
and a periodic sweep refreshes the stalest people in small batches. A refetch goes through
resolve_actor, so the id rule (T-03) holds and a Move (movedTo + alsoKnownAs) is recorded.
A cache entry per person keeps repeated views, or a dead server, from queueing a storm.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from connective.accounts.models import Person
from connective.federation.services.resolve import ResolveError, resolve_actor

logger = logging.getLogger("connective.federation")

DEFAULT_HOURS = 24
SWEEP_BATCH = 50
QUEUED_FOR = 600  # seconds a queued refresh blocks another for the same person
FAILED_FOR = 3600  # seconds a failed refresh waits before the next try


def stale_after() -> timedelta:
    """How old a remote profile may get before it is refetched."""
    return timedelta(hours=getattr(settings, "CONNECTIVE_FEDERATION_REFRESH_HOURS", DEFAULT_HOURS))


def is_stale(person: Person) -> bool:
    """Whether a remote person's copy here is older than allowed (or was never fetched)."""
    if person.is_local:
        return False
    return person.fetched_at is None or person.fetched_at < timezone.now() - stale_after()


def _lock_key(person_id: int) -> str:
    return f"federation:refresh:{person_id}"


def refresh_person(person: Person) -> Person:
    """Refetch a remote person now; on failure keep what we have and back off for a while."""
    try:
        return resolve_actor(person.uri, refresh=True)
    except ResolveError as exc:
        logger.info("refresh of %s failed: %s", person.uri[:200], exc)
        cache.set(_lock_key(person.pk), "failed", FAILED_FOR)
        return person


@task()
def refresh_person_task(person_id: int) -> bool:
    """Background refresh of one remote person (safe to run twice)."""
    person = Person.objects.filter(pk=person_id).exclude(domain="").first()
    if person is None or not is_stale(person):
        return False
    refresh_person(person)
    return True


def refresh_if_stale(person: Person) -> bool:
    """Queue a refresh if the person's copy is stale and none is queued; whether one was.

    People never fetched (made by an import, say) are left to the sweep: a page view should
    not be the first contact with a server nobody has talked to yet.
    """
    if person.fetched_at is None or not is_stale(person) or person.suspended_at is not None:
        return False
    if not cache.add(_lock_key(person.pk), "queued", QUEUED_FOR):
        return False
    refresh_person_task.enqueue(person.pk)
    return True


def sweep(batch: int = SWEEP_BATCH) -> int:
    """Refresh the stalest remote people (a periodic sweep); how many were tried."""
    cutoff = timezone.now() - stale_after()
    due = (
        Person.objects.exclude(domain="")
        .filter(suspended_at__isnull=True)
        .filter(Q(fetched_at__isnull=True) | Q(fetched_at__lt=cutoff))
        .order_by(F("fetched_at").asc(nulls_first=True))[:batch]
    )
    tried = 0
    for person in due:
        if cache.add(_lock_key(person.pk), "queued", QUEUED_FOR):
            refresh_person(person)
            tried += 1
    return tried
