"""Helpers for the page tests: posts written through the real service."""

from connective.accounts.models import Person
from connective.content.models import Kind, Post, Visibility
from connective.content.services.posts import PostDraft, create_post
from connective.network.services.connections import Purpose, connect
from connective.topics.services.resolve import get_or_create_topics


def make_post(author: Person, kind: str = Kind.NOTE, **fields) -> Post:
    """A post by `author`; titles, links and licences filled in where the kind needs them."""
    fields.setdefault("body", f"A {kind} by {author.handle}")
    fields.setdefault("visibility", Visibility.PUBLIC)
    if kind in (Kind.ARTICLE, Kind.RESOURCE):
        fields.setdefault("title", f"A {kind} title")
    if kind == Kind.RESOURCE:
        fields.setdefault("link_url", "https://oer.example/item")
        fields.setdefault("licence", "cc-by-sa")
    return create_post(author, PostDraft(kind=kind, **fields))


def set_topics(person: Person, *, interests=(), expertise=(), followed=()) -> None:
    """Give a person interests, expertise and followed topics by label."""
    person.interests.set(get_or_create_topics(interests))
    person.expertise.set(get_or_create_topics(expertise))
    person.followed_topics.set(get_or_create_topics(followed))


def connect_to(owner: Person, target: Person, direction: str = "learn_from", topics=()) -> None:
    """An active connection from owner to target."""
    connect(owner, target, Purpose(direction=direction, topics=list(topics)))


# What the error pages' frame has and the full site template does not, and the other way round.
FRAME = ('class="page page--narrow"', "Go to the start page", "Skip to content")
SITE = ('class="site-search"', 'class="site-footer"', "Log out", "My network")


def assert_error_frame(page: str) -> None:
    """`page` is drawn in the error pages' own frame (404.html), not the site's template."""
    for part in FRAME:
        assert part in page, part
    for part in SITE:
        assert part not in page, part
    assert page.count("<h1") == 1
