"""WebFinger (RFC 7033): from `acct:handle@host` or a profile URL to the actor's URI."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings

from connective.accounts.models import Person
from connective.core.uris import absolute_uri, is_local_uri, site_host

AP_TYPE = "application/activity+json"
JRD_TYPE = "application/jrd+json"
# People's handles, spaces' slugs, `course.<slug>` and the instance's host name.
_HANDLE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,252}$")
_PERSON = re.compile(r"^[A-Za-z0-9_]{1,64}$")
MAX_RESOURCE = 600


class BadResource(Exception):
    """A `resource` parameter we cannot read (400)."""


def local_handle_for(resource: str) -> str | None:
    """The local handle a WebFinger resource names, None if it names someone elsewhere.

    Accepts `acct:ana@host`, `ana@host`, `@ana@host`, and our own profile URLs
    (`https://host/@ana`, `https://host/@ana/`); BadResource for anything malformed.
    """
    resource = unquote(resource.strip())
    if not resource or len(resource) > MAX_RESOURCE:
        raise BadResource("resource is missing or too long")
    if resource.startswith(("https://", "http://")):
        return _handle_from_url(resource)
    if resource.lower().startswith("acct:"):
        resource = resource[5:]
    name, sep, host = resource.lstrip("@").partition("@")
    if not sep or not _HANDLE.match(name) or not host or "@" in host:
        raise BadResource("resource is not acct:handle@host")
    if not is_our_host(host):
        return None
    return name


def is_our_host(host: str) -> bool:
    """Whether `host` (as written in a handle) is this instance: its host name, or host:port."""
    host = host.lower().rstrip(".")
    return host in (site_host().lower(), urlsplit(settings.CONNECTIVE_SITE_URL).netloc.lower())


def _handle_from_url(url: str) -> str | None:
    """The handle in one of our own profile/actor URLs."""
    if not is_local_uri(url.rstrip("/")):
        return None
    path = urlsplit(url).path.strip("/")
    if not path.startswith("@") or not _PERSON.match(path[1:]):
        return None
    return path[1:]


def jrd_for(person: Person, lookup_template: str) -> dict[str, Any]:
    """The JSON Resource Descriptor for a local person."""
    profile = absolute_uri(person.get_absolute_url())
    return {
        "subject": f"acct:{person.handle}@{site_host()}",
        "aliases": [person.uri, profile],
        "links": [
            {"rel": "self", "type": AP_TYPE, "href": person.uri},
            {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": profile},
            {"rel": "http://ostatus.org/schema/1.0/subscribe", "template": lookup_template},
        ],
    }


def self_link(jrd: Any) -> str | None:
    """The ActivityPub actor URI in a JRD someone else sent, if any."""
    links = jrd.get("links") if isinstance(jrd, dict) else None
    if not isinstance(links, list):
        return None
    for link in links:
        if not isinstance(link, dict) or link.get("rel") != "self":
            continue
        kind = str(link.get("type", "")).split(";")[0].strip()
        href = link.get("href")
        if isinstance(href, str) and (
            kind == AP_TYPE
            or (kind == "application/ld+json" and "activitystreams" in str(link.get("type")))
        ):
            return href
    return None
