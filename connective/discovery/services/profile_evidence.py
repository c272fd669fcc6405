"""A person's evidence topic by topic, for their profile ("why this person can help with X")."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.utils.safestring import SafeString

from connective.accounts.models import Person
from connective.content.models import Kind, Post
from connective.discovery.services.evidence import Evidence, load_learners, network_ids, sentence
from connective.network.models import Connection, Direction
from connective.topics.models import Topic

MAX_TOPICS = 8


@dataclass
class TopicEvidence:
    """One topic a person can help with, and the evidence in words."""

    topic: Topic
    evidence: Evidence
    reason: SafeString


def person_evidence(viewer: Person | None, person: Person) -> list[TopicEvidence]:
    """For each topic `person` says they can help with, what the viewer can see backing it."""
    topics = list(person.expertise.all()[:MAX_TOPICS])
    if not topics:
        return []
    by_topic = {t.pk: Evidence(person.pk, declared=True) for t in topics}
    _posts(viewer, person, by_topic)
    _statements(person, by_topic)
    if viewer is not None:
        _learners(viewer, person, by_topic)
    names = load_learners(by_topic.values())
    return [
        TopicEvidence(t, by_topic[t.pk], sentence(by_topic[t.pk], t.name, names)) for t in topics
    ]


def _posts(viewer: Person | None, person: Person, by_topic: dict[int, Evidence]) -> None:
    """Count the visible posts on each topic by kind, and the resources marked useful."""
    rows = (
        Post.objects.visible_to(viewer)
        .filter(author_id=person.pk, topics__in=list(by_topic))
        .order_by()
        .values_list("topics", "kind", "useful_count", "pk")
        .distinct()
    )
    for topic_id, kind, useful, _pk in rows:
        item = by_topic[topic_id]
        if kind == Kind.RESOURCE:
            item.resources += 1
            item.useful += int(useful > 0)
        elif kind == Kind.ARTICLE:
            item.articles += 1
        else:
            item.notes += 1


def _statements(person: Person, by_topic: dict[int, Evidence]) -> None:
    """Valid statements for courses on each topic (nothing if the models are not there)."""
    try:
        statement = apps.get_model("credentials", "Statement")
        course = apps.get_model("courses", "Course")
    except LookupError:
        return
    uris = statement.objects.filter(recipient_id=person.pk, revoked_at__isnull=True).values(
        "source_uri"
    )
    pairs = (
        course.objects.filter(uri__in=uris, topics__in=list(by_topic))
        .values_list("topics", "pk")
        .distinct()
    )
    for topic_id, _course in pairs:
        by_topic[topic_id].statements += 1


def _learners(viewer: Person, person: Person, by_topic: dict[int, Evidence]) -> None:
    net = network_ids(viewer) - {person.pk}
    if not net:
        return
    rows = (
        Connection.objects.active()
        .order_by()
        .filter(
            owner_id__in=net,
            target_id=person.pk,
            direction=Direction.LEARN_FROM,
            topics__in=list(by_topic),
            owner__suspended_at__isnull=True,
        )
        .values_list("topics", "owner_id")
        .distinct()
    )
    found: dict[int, set[int]] = defaultdict(set)
    for topic_id, owner_id in rows:
        found[topic_id].add(owner_id)
    for topic_id, owners in found.items():
        by_topic[topic_id].learner_ids = sorted(owners)
