"""The expert finder page: who can help me with X, and why."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from connective.accounts.viewer import current_person
from connective.discovery.services.evidence import WEIGHTS, resolve_topics
from connective.discovery.services.experts import find_experts
from connective.discovery.views.common import private
from connective.topics.models import Topic
from connective.topics.normalize import InvalidTopic, topic_key

MAX_QUERY_LENGTH = 100
MAX_TOPIC_LENGTH = 200


def _topic(raw: str) -> Topic | None:
    """The topic a `?topic=` names (however it is written), or None if there is none."""
    try:
        key = topic_key(raw[:MAX_TOPIC_LENGTH])
    except InvalidTopic:
        return None
    return Topic.objects.filter(key=key).first()


def _unknown_topic(request: HttpRequest, context: dict[str, Any], raw: str) -> HttpResponse:
    """The finder's own page, saying there is no such topic and what else to try (a 404)."""
    words = " ".join(raw.split())[:MAX_QUERY_LENGTH]
    context.update(
        q=words,
        unknown_topic=words,
        similar=resolve_topics(words) if words else [],
    )
    return private(render(request, "discovery/experts.html", context, status=404))


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
    raw_topic = request.GET.get("topic", "").strip()
    if raw_topic:
        topic = _topic(raw_topic)
        if topic is None:
            return _unknown_topic(request, context, raw_topic)
        topics = [topic]
        context["q"] = topic.name
    else:
        topics = resolve_topics(query)
    context["topics"] = topics
    context["asked"] = bool(query.strip() or topics)
    context["experts"] = find_experts(viewer, topics)
    return private(render(request, "discovery/experts.html", context))
