"""The home stream page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from connective.accounts.models import Person
from connective.accounts.viewer import current_person
from connective.content.models import Kind
from connective.core.htmx import is_htmx
from connective.core.pagination import BadCursor
from connective.feeds.models import Subscription
from connective.stream.services.cards import learning_goals
from connective.stream.services.home import home_page
from connective.topics.models import Topic
from connective.topics.normalize import InvalidTopic, topic_key


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Posts from my connections, feeds and followed topics, newest first, filterable."""
    viewer = current_person(request)
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else ""
    topic = _topic(request.GET.get("topic", ""))
    web = request.GET.get("from") == "web"
    try:
        page = home_page(viewer, request.GET.get("cursor") or None, kind, topic, web)
    except BadCursor:
        return HttpResponse("That page link is not valid.", status=400, content_type="text/plain")
    interests, followed = learning_goals(viewer)
    context = {
        "page": page,
        "kind": kind,
        "topic": topic,
        "web": web,
        "kinds": Kind.choices,
        "nav": "home",
        "interests": interests,
        "followed": followed,
        "feeds_followed": _feeds_followed(viewer) if web and not page.items else "",
    }
    if is_htmx(request) and request.GET.get("cursor"):
        return render(request, "stream/_page.html", context)
    return render(request, "stream/home.html", context)


def _feeds_followed(viewer: Person) -> str:
    """For an empty "From the web": "none" (no feeds followed), "paused" (all paused), or ""."""
    mine = Subscription.objects.filter(person=viewer).order_by()
    states = set(mine.values_list("paused", flat=True).distinct())
    if not states:
        return "none"
    return "paused" if states == {True} else ""


def _topic(raw: str) -> Topic | None:
    """The topic a filter names, however it is written; None for none or an unknown one."""
    if not raw:
        return None
    try:
        key = topic_key(raw[:200])
    except InvalidTopic:
        return None
    return Topic.objects.filter(key=key).first()
