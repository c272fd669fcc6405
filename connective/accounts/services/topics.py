"""Following topics: a followed topic's posts reach the home stream."""

from connective.accounts.models import Person
from connective.topics.models import Topic


def is_following(person: Person | None, topic: Topic) -> bool:
    """Whether the person follows the topic (nobody follows anything when logged out)."""
    if person is None:
        return False
    return person.followed_topics.filter(pk=topic.pk).exists()


def follow_topic(person: Person, topic: Topic) -> None:
    """Follow the topic (doing it twice is harmless)."""
    person.followed_topics.add(topic)


def unfollow_topic(person: Person, topic: Topic) -> None:
    """Stop following the topic (doing it twice is harmless)."""
    person.followed_topics.remove(topic)


def set_following(person: Person, topic: Topic, following: bool) -> bool:
    """Follow or unfollow as asked (idempotent, so a double submit changes nothing more)."""
    if following:
        follow_topic(person, topic)
    else:
        unfollow_topic(person, topic)
    return following
