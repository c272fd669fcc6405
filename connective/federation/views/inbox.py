"""The inboxes: a person's (/@<handle>/inbox/) and the shared one (/inbox/). POST only."""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from connective.accounts.models import Person
from connective.core.middleware import lean
from connective.federation.services.inbox import accept
from connective.federation.services.inbox_verify import InboxRefusal, authenticate

log = logging.getLogger("connective.federation.inbox")


def _answer(request: HttpRequest) -> HttpResponse:
    try:
        received = authenticate(request)
        state = accept(received)
    except InboxRefusal as exc:
        log.warning(
            "inbox refused (%s): %s [from %s]",
            exc.status,
            exc.reason,
            request.META.get("REMOTE_ADDR", "?"),
        )
        response = HttpResponse(exc.reason, status=exc.status, content_type="text/plain")
        # Logged above with its reason; Django's request logger need not log it a second time.
        response._has_been_logged = True  # type: ignore[attr-defined]
        return response
    log.info("inbox accepted %s %s: %s", received.activity.type, received.activity.id[:200], state)
    return HttpResponse(status=202)


@lean
@csrf_exempt
@require_POST
def person_inbox(request: HttpRequest, handle: str) -> HttpResponse:
    """A local person's inbox (an unknown person is a 404, before anything is read)."""
    if not Person.objects.local().filter(handle__iexact=handle).exists():
        raise Http404
    return _answer(request)


@lean
@csrf_exempt
@require_POST
def shared_inbox(request: HttpRequest) -> HttpResponse:
    """The instance's shared inbox."""
    return _answer(request)
