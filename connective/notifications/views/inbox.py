"""The notification list."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from connective.accounts.viewer import current_person
from connective.core.pagination import BadCursor, paginate
from connective.core.uris import is_web_url
from connective.notifications.models import Notification
from connective.notifications.services.notify import mark_all_read

PAGE_SIZE = 30


def safe_link(url: str) -> str:
    """`url` if it is a local path or an http(s) address, else "" (never javascript: and kin)."""
    if url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return url if is_web_url(url) else ""


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """My notifications, newest first, by cursor; unread ones are marked."""
    person = current_person(request)
    qs = Notification.objects.filter(recipient=person).select_related("actor")
    try:
        page = paginate(qs, request.GET.get("cursor") or None, size=PAGE_SIZE)
    except BadCursor:
        return HttpResponse("That page link is not valid.", status=400, content_type="text/plain")
    for n in page.items:
        n.link = safe_link(n.url)
    return render(request, "notifications/index.html", {"page": page, "nav": "notifications"})


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark every notification read."""
    mark_all_read(current_person(request))
    return redirect("notifications:index")
