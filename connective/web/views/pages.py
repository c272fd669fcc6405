"""The landing page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from connective.accounts.models import Person
from connective.accounts.viewer import viewer_person
from connective.content.models import Kind, Post


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
            "people_count": Person.objects.local().active().count(),
        },
    )
