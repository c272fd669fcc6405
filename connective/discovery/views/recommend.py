"""Recommendations for my interests, and "not interested"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from connective.accounts.redirects import is_safe_next
from connective.accounts.viewer import current_person
from connective.discovery.services import recommend
from connective.discovery.services.experts import Scope
from connective.discovery.services.preferences import DismissError, NotFound, dismiss
from connective.discovery.views.common import private


@login_required
def discover(request: HttpRequest) -> HttpResponse:
    """People, resources, spaces and courses for what I am learning, each with why."""
    viewer = current_person(request)
    interests = recommend.interests_of(viewer)
    scope = Scope.of(viewer)
    context = {
        "nav": "network",
        "interests": interests,
        "people": recommend.people_for(viewer, interests, scope=scope),
        "resources": recommend.resources_for(viewer, interests, scope=scope),
        "spaces": recommend.spaces_for(viewer, interests, scope=scope),
        "courses": recommend.courses_for(viewer, interests),
        "seen_days": recommend.SEEN_DAYS,
    }
    return private(render(request, "discovery/discover.html", context))


@login_required
@require_POST
def not_interested(request: HttpRequest) -> HttpResponse:
    """Hide one recommendation for good; back to where the person was."""
    viewer = current_person(request)
    try:
        dismiss(viewer, request.POST.get("kind", ""), request.POST.get("id", ""))
    except DismissError as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain")
    except NotFound:
        raise Http404("No such thing.") from None
    messages.success(request, "We will not suggest that again.")
    next_url = request.POST.get("next", "")
    return redirect(next_url if next_url and is_safe_next(next_url) else "discovery:discover")
