"""The expert finder page: who can help me with X, and why."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from connective.accounts.viewer import current_person
from connective.discovery.services.evidence import WEIGHTS, resolve_topics
from connective.discovery.services.experts import find_experts
from connective.discovery.views.common import private
from connective.topics.models import Topic
from connective.topics.normalize import InvalidTopic, topic_key

MAX_QUERY_LENGTH = 100


def _topic_or_404(raw: str) -> Topic:
    try:
        key = topic_key(raw[:200])
    except InvalidTopic as exc:
        raise Http404 from exc
    topic = Topic.objects.filter(key=key).first()
    if topic is None:
        raise Http404
    return topic


@login_required
def experts(request: HttpRequest) -> HttpResponse:
    """?topic=<key> or ?q=<free text>: people ranked by evidence, each with the reason."""
    viewer = current_person(request)
    query = request.GET.get("q", "")
    context: dict[str, Any] = {
        "nav": "network",
        "q": query.strip()[:MAX_QUERY_LENGTH],
        "error": "",
        "topics": [],
        "experts": [],
        "weights": WEIGHTS,
        "interests": list(viewer.interests.order_by("name")[:12]),
    }
    if len(query) > MAX_QUERY_LENGTH:
        context["error"] = f"Ask with at most {MAX_QUERY_LENGTH} characters."
        return private(render(request, "discovery/experts.html", context, status=400))
    if request.GET.get("topic"):
        topics = [_topic_or_404(request.GET["topic"])]
        context["q"] = topics[0].name
    else:
        topics = resolve_topics(query)
    context["topics"] = topics
    context["asked"] = bool(query.strip() or topics)
    context["experts"] = find_experts(viewer, topics)
    return private(render(request, "discovery/experts.html", context))
