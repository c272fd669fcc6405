"""NodeInfo 2.1: what software this is and how many people and posts it holds (public only)."""

from __future__ import annotations

from datetime import timedelta
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from django.conf import settings
from django.utils import timezone

from connective.accounts.models import Person
from connective.content.models import Post, Visibility
from connective.core.uris import absolute_uri

SCHEMA_21 = "http://nodeinfo.diaspora.software/ns/schema/2.1"


def software_version() -> str:
    """Connective's installed version."""
    try:
        return version("connective")
    except PackageNotFoundError:  # pragma: no cover - a plain checkout
        return "0"


def nodeinfo_links() -> dict[str, Any]:
    """The /.well-known/nodeinfo discovery document."""
    return {"links": [{"rel": SCHEMA_21, "href": absolute_uri("/nodeinfo/2.1")}]}


def nodeinfo_21() -> dict[str, Any]:
    """The NodeInfo 2.1 document."""
    now = timezone.now()
    people = Person.objects.local().active().filter(user__is_active=True)
    public = Post.objects.visible_to(None).filter(visibility=Visibility.PUBLIC, author__domain="")
    return {
        "version": "2.1",
        "software": {
            "name": "connective",
            "version": software_version(),
            "homepage": absolute_uri("/"),
        },
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": []},
        "openRegistrations": bool(getattr(settings, "CONNECTIVE_OPEN_REGISTRATIONS", True)),
        "usage": {
            "users": {
                "total": people.count(),
                "activeMonth": _active_since(now - timedelta(days=30)),
                "activeHalfyear": _active_since(now - timedelta(days=182)),
            },
            "localPosts": public.count(),
        },
        "metadata": {"nodeName": settings.CONNECTIVE_INSTANCE_NAME},
    }


def _active_since(since) -> int:
    """Local people who published something public since `since`."""
    return (
        Post.objects.visible_to(None)
        .filter(visibility=Visibility.PUBLIC, author__domain="", created_at__gte=since)
        .values("author_id")
        .distinct()
        .count()
    )
