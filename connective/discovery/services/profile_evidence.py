"""A person's evidence topic by topic, for their profile ("why this person can help with X")."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from django.apps import apps
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from connective.accounts.models import Person
from connective.content.models import Kind, Post
from connective.discovery.services.evidence import (
    MAX_NAMED,
    Evidence,
    load_learners,
    network_ids,
    sentence,
)
from connective.network.models import Connection, Direction
from connective.network.purpose import join_names
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
    words = own_sentence if viewer is not None and viewer.pk == person.pk else sentence
    return [TopicEvidence(t, by_topic[t.pk], words(by_topic[t.pk], t.name, names)) for t in topics]


def own_sentence(item: Evidence, topic_name: str, people: dict[int, Person]) -> SafeString:
    """The sentence as the person reads it about themselves, e.g. "You say you can help with
    maps; shared 2 resources on it; Ben from your network connects to you to learn about it"."""
    parts: list[SafeString] = []
    about = topic_name
    if item.declared:
        parts.append(format_html("you say you can help with {}", about))
        about = "it"
    middle = sentence(replace(item, declared=False, learner_ids=[]), about, people)
    if middle:
        # What is left starts with one of sentence()'s own verbs ("Shared", "Wrote", "Completed").
        parts.append(mark_safe(middle[:1].lower() + middle[1:]))
        about = "it"
    if item.learner_ids:
        parts.append(_learners_to_you(item.learner_ids, people, about))
    text = format_html_join("; ", "{}", ((p,) for p in parts))
    return mark_safe(text[:1].upper() + text[1:]) if text else SafeString("")


def _learners_to_you(learner_ids: list[int], people: dict[int, Person], about: str) -> SafeString:
    """ "Ben and Chloe from your network connect to you to learn about it" (names isolated)."""
    shown = [people[pk] for pk in learner_ids if pk in people][:MAX_NAMED]
    names = [format_html("<bdi>{}</bdi>", p.name) for p in shown]
    others = len(learner_ids) - len(shown)
    if others:
        names.append(SafeString(f"{others} other {'person' if others == 1 else 'people'}"))
    who = mark_safe(join_names(names))  # each part escaped above
    verb = "connects" if len(learner_ids) == 1 else "connect"
    return format_html("{} from your network {} to you to learn about {}", who, verb, about)


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
