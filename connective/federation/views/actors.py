"""Actor documents and a person's collections, served to other servers."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_safe

from connective.accounts.models import Person
from connective.core.pagination import BadCursor
from connective.federation.documents import collections
from connective.federation.documents.actor import person_to_ap, route, tombstone
from connective.federation.signatures import (
    SignatureError,
    SignatureParseError,
    request_key_id,
    verify_request,
)

logger = logging.getLogger("connective.federation")

AP_CONTENT_TYPE = "application/activity+json"


def wants_activitypub(request: HttpRequest) -> bool:
    """Whether the request's Accept asks for an ActivityStreams document."""
    accept = request.headers.get("Accept", "").lower()
    if "application/activity+json" in accept:
        return True
    return "application/ld+json" in accept and "https://www.w3.org/ns/activitystreams" in accept


def ap_response(data: dict[str, Any], status: int = 200) -> HttpResponse:
    """An ActivityStreams JSON response that caches keep apart from the HTML page."""
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type=AP_CONTENT_TYPE, status=status
    )
    response["Vary"] = "Accept"
    return response


def refuse_unsigned(request: HttpRequest) -> HttpResponse | None:
    """With CONNECTIVE_AUTHORIZED_FETCH on: 401 (400 if unreadable) unless the GET is signed.

    The signature must verify with the key of the actor it names (fetched once if unknown).
    """
    if not getattr(settings, "CONNECTIVE_AUTHORIZED_FETCH", False):
        return None
    try:
        signer = signed_by(request)
    except SignatureParseError as exc:
        logger.info("signed fetch refused: %s", exc.reason)
        return HttpResponse("Bad signature.", status=400, content_type="text/plain")
    except SignatureError as exc:
        logger.info("signed fetch refused: %s", exc.reason)
        return HttpResponse("A signed request is required.", status=401, content_type="text/plain")
    logger.debug("signed fetch by %s", signer.uri)
    return None


def signed_by(request: HttpRequest) -> Person:
    """The remote actor whose key signed this GET; SignatureError if none did."""
    from connective.federation.services import remote_objects

    key = request_key_id(request.headers)
    owner = remote_objects.key_owner(key)
    if owner is None or not owner.public_key_pem:
        raise SignatureError("the signing key's owner cannot be found")
    scheme = "https" if settings.CONNECTIVE_SITE_URL.startswith("https") else "http"
    verify_request(
        "GET",
        request.get_full_path(),
        request.headers,
        b"",
        owner.public_key_pem,
        now=timezone.now(),
        scheme=scheme,
    )
    return owner


def actor_document_response(request: HttpRequest, person: Person) -> HttpResponse:
    """The actor document of a local person (410 with a Tombstone once suspended).

    Served even with authorized fetch on: other servers need the key in it to check the
    signatures of the very requests that ask for it (Mastodon does the same).
    """
    if person.suspended_at is not None:
        return ap_response(tombstone(person), status=410)
    return ap_response(person_to_ap(person))


def actor_response(request: HttpRequest, person: Person) -> HttpResponse | None:
    """The actor document if the request asks for ActivityPub and the person is ours, else None.

    The profile view calls this first, so a profile URL is also the actor's id.
    """
    if not person.is_local or not wants_activitypub(request):
        return None
    if person.actor_type != "Person":  # a space's, course's or the instance's own actor row
        raise Http404
    return actor_document_response(request, person)


def _local_person(handle: str) -> Person:
    """A local person by handle, suspended ones included (they answer 410); 404 otherwise."""
    people = Person.objects.local().filter(actor_type="Person")  # not groups' internal rows
    person = people.filter(handle__iexact=handle).first()
    if person is None:
        raise Http404
    return person


@require_safe
def actor(request: HttpRequest, handle: str) -> HttpResponse:
    """/@handle: the actor document for ActivityPub clients, the profile page for browsers."""
    person = _local_person(handle)
    if wants_activitypub(request):
        return actor_document_response(request, person)
    if person.suspended_at is not None:
        raise Http404
    return redirect(person.get_absolute_url())


@require_safe
def actor_json(request: HttpRequest, handle: str) -> HttpResponse:
    """/@handle/actor: the actor document whatever the Accept header says."""
    return actor_document_response(request, _local_person(handle))


def _active_local(request: HttpRequest, handle: str) -> Person:
    person = _local_person(handle)
    if person.suspended_at is not None:
        raise Http404
    return person


@require_safe
def outbox(request: HttpRequest, handle: str) -> HttpResponse:
    """The outbox: public and unlisted posts, paged newest first."""
    person = _active_local(request, handle)
    refused = refuse_unsigned(request)
    if refused is not None:
        return refused
    outbox_id = route("federation:outbox", handle=person.handle)
    if request.GET.get("page") != "true":
        return ap_response(collections.outbox(person, outbox_id))
    try:
        doc = collections.outbox_page(person, outbox_id, request.GET.get("cursor") or None)
    except BadCursor:
        return HttpResponse("That page link is not valid.", status=400, content_type="text/plain")
    return ap_response(doc)


@require_safe
def followers(request: HttpRequest, handle: str) -> HttpResponse:
    """How many people follow (are connected to) the person; the list itself stays private."""
    person = _active_local(request, handle)
    refused = refuse_unsigned(request)
    if refused is not None:
        return refused
    total = collections.follower_count(person)
    return ap_response(
        collections.ordered_collection(route("federation:followers", handle=person.handle), total)
    )


@require_safe
def following(request: HttpRequest, handle: str) -> HttpResponse:
    """How many people the person follows (is connected to); the list stays private."""
    person = _active_local(request, handle)
    refused = refuse_unsigned(request)
    if refused is not None:
        return refused
    total = collections.following_count(person)
    return ap_response(
        collections.ordered_collection(route("federation:following", handle=person.handle), total)
    )
