"""Discovery endpoints: WebFinger, host-meta and NodeInfo."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from connective.accounts.models import Person
from connective.core import throttle
from connective.core.uris import absolute_uri
from connective.federation.documents.group import group_jrd, instance_jrd, instance_name
from connective.federation.documents.hostmeta import host_meta_xml
from connective.federation.documents.nodeinfo import SCHEMA_21, nodeinfo_21, nodeinfo_links
from connective.federation.documents.webfinger import (
    JRD_TYPE,
    BadResource,
    jrd_for,
    local_handle_for,
)
from connective.federation.services import groups

logger = logging.getLogger("connective.federation")
NOT_HERE = "No such account here."  # a person, space or course alike


def json_response(data: Any, content_type: str, status: int = 200) -> HttpResponse:
    """A JSON document anyone (any origin) may read."""
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type=content_type, status=status
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _plain(status: int, text: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/plain; charset=utf-8", status=status)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def too_many(action: str) -> HttpResponse:
    """429 with Retry-After and a sentence (T-33)."""
    seconds = throttle.retry_after(action)
    response = _plain(429, f"Too many requests; try again in {seconds} seconds.")
    response["Retry-After"] = str(seconds)
    return response


@require_safe
def webfinger(request: HttpRequest) -> HttpResponse:
    """The JRD for `?resource=acct:name@host` (or one of our profile URLs): an active person,
    else an open space whose slug is no person's handle (deleted people included: see
    groups.fediverse_name, the space page's own rule), a published course (`course.<slug>`)
    or the instance actor."""
    if throttle.throttled(request, "webfinger"):
        return too_many("webfinger")
    resource = request.GET.get("resource", "")
    try:
        handle = local_handle_for(resource)
    except BadResource as exc:
        logger.info("webfinger: bad resource (%s)", exc)
        return _plain(400, f"Bad request: {exc}.")
    if handle is None and resource.strip().startswith(("https://", "http://")):
        return _group_by_uri(resource.strip())
    person = None
    if handle:
        people = Person.objects.local().active().filter(actor_type="Person")
        person = people.filter(handle__iexact=handle).first()
    if person is None:
        return _group_by_name(handle or "")
    template = absolute_uri(reverse("federation:lookup")) + "?q={uri}"
    return json_response(jrd_for(person, template), JRD_TYPE)


def _group_by_name(name: str) -> HttpResponse:
    """A space, course or the instance actor named like a WebFinger handle (404 if none)."""
    if name.lower() == instance_name().lower():
        return json_response(instance_jrd(groups.instance_actor()), JRD_TYPE)
    group = groups.group_named(name)
    if group is None:
        return _plain(404, NOT_HERE)
    return json_response(group_jrd(group, groups.actor_of(group)), JRD_TYPE)


def _group_by_uri(uri: str) -> HttpResponse:
    """A space's or course's own address as the resource."""
    group = groups.group_at(uri)
    if group is None or not groups.fediverse_name(group):  # the same rule as by name
        return _plain(404, NOT_HERE)
    return json_response(group_jrd(group, groups.actor_of(group)), JRD_TYPE)


@require_safe
def host_meta(request: HttpRequest) -> HttpResponse:
    """The XRD pointing at WebFinger."""
    response = HttpResponse(host_meta_xml(), content_type="application/xrd+xml; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def nodeinfo_index(request: HttpRequest) -> HttpResponse:
    """/.well-known/nodeinfo: where the NodeInfo document is."""
    return json_response(nodeinfo_links(), "application/json")


@require_safe
def nodeinfo(request: HttpRequest) -> HttpResponse:
    """The NodeInfo 2.1 document."""
    return json_response(nodeinfo_21(), f'application/json; profile="{SCHEMA_21}#"')
