"""The search page: one box, filters, facets, highlighted results, cursor pages."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from connective.accounts.viewer import viewer_person
from connective.search.forms import FiltersForm
from connective.search.models import DocKind
from connective.search.services.query import BadCursor, Results, search
from connective.search.services.terms import MAX_QUERY_CHARS, QueryTooLong
from connective.topics.models import Topic
from connective.topics.normalize import InvalidTopic, topic_key

# `@ana@example.org`, `ana@example.org` or a web address: someone or something to look up remotely.
HANDLE = re.compile(r"^@?[\w.-]+@[\w-]+(\.[\w-]+)+$")
ADDRESS = re.compile(r"^https?://\S+$", re.IGNORECASE)
FILTER_FIELDS = ("kind", "topic", "licence", "author", "since", "until")


def index(request: HttpRequest) -> HttpResponse:
    """Search everything the viewer may see; a handle or URL goes to the remote lookup."""
    q = request.GET.get("q", "")
    context: dict[str, Any] = {"nav": "search", "q": q.strip(), "error": "", "results": None}
    if len(q) > MAX_QUERY_CHARS:
        context["q"] = q[:MAX_QUERY_CHARS]
        context["error"] = f"Search with at most {MAX_QUERY_CHARS} characters."
        return _page(request, context, FiltersForm(), status=400)
    lookup = _lookup_url(q.strip())
    if lookup:
        return redirect(lookup)
    form = FiltersForm(request.GET)
    if not form.is_valid():
        return _page(request, context, form, status=400)
    filters: dict[str, Any] = {name: form.cleaned_data[name] or None for name in FILTER_FIELDS}
    try:
        results = search(
            viewer_person(request), q, cursor=request.GET.get("cursor") or None, **filters
        )
    except QueryTooLong as exc:  # pragma: no cover - the length check above comes first
        context["error"] = str(exc)
        return _page(request, context, form, status=400)
    except BadCursor:
        context["error"] = "That page of results is no longer available; start again."
        return _page(request, context, form, status=400)
    context["results"] = results
    context["facets"] = _facets(request, results)
    context["next_url"] = _next_url(request, results)
    context["topic_help"] = _topic_help(q.strip()) if request.user.is_authenticated else None
    return _page(request, context, form)


def _page(request: HttpRequest, context: dict[str, Any], form: FiltersForm, status: int = 200):
    context["form"] = form
    return render(request, "search/index.html", context, status=status)


def _lookup_url(q: str) -> str:
    """The federation lookup for a handle or address; '' for ordinary text or no lookup page."""
    if not (HANDLE.match(q) or ADDRESS.match(q)):
        return ""
    try:
        return reverse("federation:lookup") + "?" + urlencode({"q": q})
    except NoReverseMatch:
        return ""


def _topic_help(q: str) -> dict[str, str] | None:
    """When the words are a topic's name: the topic and who can help with it (the expert finder,
    when this server has one), so a search for a topic leads on to people with evidence."""
    try:
        topic = Topic.objects.filter(key=topic_key(q)).first() if q else None
        url = reverse("discovery:experts")
    except (InvalidTopic, NoReverseMatch):
        return None
    if topic is None:
        return None
    return {"name": topic.name, "url": f"{url}?{urlencode({'topic': topic.key})}"}


def _facets(request: HttpRequest, results: Results) -> list[dict[str, Any]]:
    """A link per kind with its count (visible results only), the current one marked."""
    params = request.GET.copy()
    params.pop("cursor", None)
    current = params.get("kind", "")
    links = []
    for value, label in [("", "Everything"), *DocKind.choices]:
        count = results.total if not value else results.facets.get(value, 0)
        if value and not count and value != current:
            continue
        params["kind"] = value
        links.append(
            {
                "label": label,
                "count": f"{count:,}+" if results.capped else f"{count:,}",
                "url": "?" + params.urlencode(),
                "current": value == current,
            }
        )
    return links


def _next_url(request: HttpRequest, results: Results) -> str:
    if not results.next_cursor:
        return ""
    params = request.GET.copy()
    params["cursor"] = results.next_cursor
    return "?" + params.urlencode()
