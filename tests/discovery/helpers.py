"""Helpers for the discovery tests: topics, posts, connections through the real services."""

from connective.accounts.models import Person
from connective.content.models import Kind, Post
from connective.content.services.useful import mark_useful
from connective.topics.models import Topic
from connective.topics.services.resolve import get_or_create_topics
from tests.conftest import make_person
from tests.web.helpers import connect_to, make_post, set_topics

__all__ = ["connect_to", "make_person", "make_post", "set_topics"]


def topic(name: str) -> Topic:
    """The topic for a label, created on first use."""
    return get_or_create_topics([name])[0]


def resources(author: Person, label: str, n: int, useful_by: tuple = (), **fields) -> list[Post]:
    """`n` resources by `author` on `label`; the first len(useful_by) marked useful, one each."""
    made = [
        make_post(author, Kind.RESOURCE, title=f"{label} {i}", topics=[label], **fields)
        for i in range(n)
    ]
    for post, person in zip(made, useful_by, strict=False):
        mark_useful(person, post)
    return made
