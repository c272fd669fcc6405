"""Turn labels typed by people into Topic rows."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from connective.topics.models import Topic
from connective.topics.normalize import MAX_TOPICS_PER_ITEM, InvalidTopic, clean_label, topic_key


def validate_labels(labels: Iterable[str], limit: int = MAX_TOPICS_PER_ITEM) -> list[str]:
    """Check labels without touching the database; InvalidTopic says what is wrong."""
    keys: dict[str, str] = {}
    for label in labels:
        key = topic_key(label)
        keys.setdefault(key, clean_label(label))
    if len(keys) > limit:
        raise InvalidTopic(f"Choose at most {limit} topics.")
    return list(keys.values())


def get_or_create_topics(labels: Iterable[str]) -> list[Topic]:
    """The Topic for each label (created on first use), de-duplicated, in order."""
    topics: list[Topic] = []
    seen: set[str] = set()
    for label in labels:
        try:
            key = topic_key(label)
        except InvalidTopic:
            continue
        if key in seen:
            continue
        seen.add(key)
        topics.append(_get_or_create(key, clean_label(label)))
    return topics


def _get_or_create(key: str, name: str) -> Topic:
    topic = Topic.objects.filter(key=key).first()
    if topic:
        return topic
    try:
        with transaction.atomic():
            return Topic.objects.create(key=key, name=name)
    except IntegrityError:
        return Topic.objects.get(key=key)
