"""Remote avatars: fetched through the guarded client, checked and re-encoded like an upload.

A remote `icon` URL is never shown as is (it would let any server track our readers and could
be anything). The bytes are fetched with the avatar size cap, sniffed and re-encoded by the
accounts app's avatar service (T-15: HTML/SVG polyglots and decompression bombs are refused),
and stored under a generated name. Servers whose media we reject are skipped.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django_tasks import task

from connective.accounts.models import Person
from connective.accounts.services.avatars import AvatarError, process_avatar
from connective.core import http
from connective.federation.models import DomainBlock
from connective.federation.services.fetch import fetch_timeout

logger = logging.getLogger("connective.federation")
IMAGE_ACCEPT = "image/png, image/jpeg, image/gif, image/webp"


def domain_candidates(domain: str) -> set[str]:
    """The domain and every parent domain (a block of example.org covers social.example.org)."""
    host = domain.lower().split(":")[0]
    parts = host.split(".")
    return {".".join(parts[i:]) for i in range(len(parts))}


def media_rejected(domain: str) -> bool:
    """Whether an admin chose not to fetch media from this domain."""
    return DomainBlock.objects.filter(
        domain__in=domain_candidates(domain), reject_media=True
    ).exists()


def domain_suspended(domain: str) -> bool:
    """Whether an admin suspended this domain (nobody from it is recorded)."""
    return DomainBlock.objects.filter(
        domain__in=domain_candidates(domain), severity=DomainBlock.Severity.SUSPEND
    ).exists()


def store_remote_avatar(person: Person, url: str) -> bool:
    """Fetch, check and store `url` as the person's avatar; whether it was stored."""
    if person.is_local or media_rejected(person.domain):
        return False
    try:
        fetched = http.fetch(
            url,
            accept=IMAGE_ACCEPT,
            max_bytes=settings.AVATAR_MAX_BYTES,
            timeout=fetch_timeout(),
        )
        if fetched.status != 200:
            raise http.FetchError(f"the server answered {fetched.status}")
        avatar = process_avatar(ContentFile(fetched.content))
    except (http.FetchError, AvatarError) as exc:
        logger.info("remote avatar refused: %s (%s)", exc, url[:200])
        return False
    old = person.avatar.name if person.avatar else ""
    person.avatar.save(avatar.name, avatar.content, save=False)
    Person.objects.filter(pk=person.pk).update(avatar=person.avatar.name)
    if old and old != person.avatar.name:
        person.avatar.storage.delete(old)
    return True


@task()
def fetch_remote_avatar(person_id: int, url: str) -> bool:
    """Background: store a remote person's avatar (safe to run twice)."""
    person = Person.objects.filter(pk=person_id).exclude(domain="").first()
    return store_remote_avatar(person, url) if person is not None else False
