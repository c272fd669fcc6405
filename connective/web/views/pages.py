"""The landing page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from connective.accounts.viewer import viewer_person
from connective.content.models import Kind, Post
from connective.web.views.topics import active_topics

LANDING_TOPICS = 16


def landing(request: HttpRequest) -> HttpResponse:
    """What Connective is, with a glimpse of public resources; home for people who are logged in."""
    if viewer_person(request):
        return redirect("stream:home")
    resources = (
        Post.objects.visible_to(None)
        .listed()
        .top_level()
        .filter(kind=Kind.RESOURCE)
        .select_related("author")
        .prefetch_related("topics")[:6]
    )
    return render(
        request,
        "web/landing.html",
        {
            "resources": resources,
            "topics": active_topics(None, limit=LANDING_TOPICS),
        },
    )
