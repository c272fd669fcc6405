"""The demo's spaces, courses, feeds and map: each app loads its own part, once, through its
services."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from connective.accounts.models import Person
from connective.courses.demo import load_demo as load_courses
from connective.demo.services import community
from connective.demo.services.catalog import Catalog
from connective.discovery.demo import load_demo as load_discovery
from connective.feeds.demo import load_demo as load_feeds
from connective.notifications.models import Notification
from connective.spaces.demo import load_demo as load_spaces

# In order: a course's discussion is a space; the map reads everything before it.
LOADERS = (load_spaces, load_courses, load_feeds, load_discovery)


def load_apps(cat: Catalog) -> None:
    """Run every app's demo loader for the demo people (each does nothing the second time)."""
    people = {
        person.handle: person
        for person in Person.objects.local().filter(
            handle__in=cat.handles,
            user__email__endswith="@" + community.DEMO_EMAIL_DOMAIN,
        )
    }
    if not people:
        return
    started = timezone.now()
    for loader in LOADERS:
        with transaction.atomic():
            loader(people)
    # What the loaders' services told people is history by now: the demo's few unread
    # notifications stay the learner's curated ones.
    Notification.objects.filter(created_at__gte=started, read_at__isnull=True).update(
        read_at=timezone.now()
    )
