"""The notification list."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from connective.accounts.viewer import current_person
from connective.core.pagination import BadCursor, paginate
from connective.notifications.models import Notification
from connective.notifications.services.notify import mark_all_read


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """My notifications, newest first; unread ones are marked."""
    person = current_person(request)
    qs = Notification.objects.filter(recipient=person).select_related("actor")
    try:
        page = paginate(qs, request.GET.get("cursor") or None, size=30)
    except BadCursor:
        return HttpResponse("That page link is not valid.", status=400, content_type="text/plain")
    return render(request, "notifications/index.html", {"page": page, "nav": "notifications"})


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark every notification read."""
    mark_all_read(current_person(request))
    return redirect("notifications:index")
