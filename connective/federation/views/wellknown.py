"""Discovery endpoints: WebFinger, host-meta and NodeInfo."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from connective.accounts.models import Person
from connective.core.uris import absolute_uri
from connective.federation.documents.hostmeta import host_meta_xml
from connective.federation.documents.nodeinfo import SCHEMA_21, nodeinfo_21, nodeinfo_links
from connective.federation.documents.webfinger import (
    JRD_TYPE,
    BadResource,
    jrd_for,
    local_handle_for,
)

logger = logging.getLogger("connective.federation")


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


@require_safe
def webfinger(request: HttpRequest) -> HttpResponse:
    """The JRD for `?resource=acct:handle@host` (or one of our profile URLs)."""
    try:
        handle = local_handle_for(request.GET.get("resource", ""))
    except BadResource as exc:
        logger.info("webfinger: bad resource (%s)", exc)
        return _plain(400, f"Bad request: {exc}.")
    person = None
    if handle:
        person = Person.objects.local().active().filter(handle__iexact=handle).first()
    if person is None:
        return _plain(404, "No such person here.")
    template = absolute_uri(reverse("federation:lookup")) + "?q={uri}"
    return json_response(jrd_for(person, template), JRD_TYPE)


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
