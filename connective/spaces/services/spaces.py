"""Create and edit spaces; name their moderators."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from connective.accounts.models import Person
from connective.core import events
from connective.core.html import render_markdown
from connective.core.uris import absolute_uri
from connective.spaces.errors import SpaceError
from connective.spaces.models import Membership, ModerationAction, Space
from connective.topics.normalize import InvalidTopic
from connective.topics.services.resolve import get_or_create_topics, validate_labels

__all__ = ["SpaceError", "add_moderator", "create_space", "edit_space"]

NAME_MAX = 120
DESCRIPTION_MAX = 5000
SLUG_MAX = 80
RESERVED_SLUGS = frozenset({"new", "mine", "edit"})


@transaction.atomic
def create_space(
    creator: Person,
    *,
    name: str,
    description: str = "",
    topics: Iterable[str] = (),
    members_only: bool = False,
    slug: str | None = None,
) -> Space:
    """A new space with `creator` as its first moderator; search hears of it (SPACE_CHANGED)."""
    name, labels = _check(name, description, topics)
    space = Space(
        slug=_slug_for(name, slug),
        name=name,
        description=description,
        description_html=render_markdown(description),
        members_only=members_only,
        created_by=creator,
        last_activity_at=timezone.now(),
    )
    space.save()
    space.uri = absolute_uri(space.get_absolute_url())
    space.save(update_fields=["uri"])
    space.topics.set(get_or_create_topics(labels))
    Membership.objects.create(space=space, person=creator, role=Membership.Role.MODERATOR)
    events.announce(events.SPACE_CHANGED, space=space)
    return space


@transaction.atomic
def edit_space(
    space: Space,
    editor: Person,
    *,
    name: str,
    description: str = "",
    topics: Iterable[str] = (),
    members_only: bool | None = None,
) -> Space:
    """Change a space's name, description, topics and openness (moderators only; slug stays)."""
    _require_moderator(space, editor)
    name, labels = _check(name, description, topics)
    space.name, space.description = name, description
    space.description_html = render_markdown(description)
    if members_only is not None:
        space.members_only = members_only
    space.save()
    space.topics.set(get_or_create_topics(labels))
    ModerationAction.objects.create(
        space=space, moderator=editor, action=ModerationAction.Action.EDIT
    )
    events.announce(events.SPACE_CHANGED, space=space)
    return space


@transaction.atomic
def add_moderator(space: Space, by: Person, person: Person) -> Membership:
    """Make a member of the space one of its moderators (by a moderator)."""
    _require_moderator(space, by)
    membership = Membership.objects.filter(space=space, person=person).first()
    if membership is None:
        raise SpaceError("Only members of the space can become moderators.", "person")
    if membership.role != Membership.Role.MODERATOR:
        membership.role = Membership.Role.MODERATOR
        membership.save(update_fields=["role"])
        ModerationAction.objects.create(
            space=space, moderator=by, action=ModerationAction.Action.PROMOTE, person=person
        )
    return membership


def _require_moderator(space: Space, person: Person) -> None:
    if not space.is_moderator(person):
        raise SpaceError("Only the space's moderators can do that.")


def _check(name: str, description: str, topics: Iterable[str]) -> tuple[str, list[str]]:
    """The cleaned name and topic labels, or SpaceError naming the field at fault."""
    name = " ".join((name or "").split())
    if not name:
        raise SpaceError("Give the space a name.", "name")
    if len(name) > NAME_MAX:
        raise SpaceError(f"Names are at most {NAME_MAX} characters.", "name")
    if len(description or "") > DESCRIPTION_MAX:
        raise SpaceError(
            f"Keep the description under {DESCRIPTION_MAX:,} characters.", "description"
        )
    try:
        labels = validate_labels(list(topics))
    except InvalidTopic as exc:
        raise SpaceError(str(exc), "topics") from exc
    return name, labels


def _slug_for(name: str, wanted: str | None) -> str:
    """`wanted` if it is a free, valid slug; otherwise one made from the name, numbered if taken."""
    if wanted is not None:
        slug = slugify(wanted)[:SLUG_MAX]
        if not slug or slug != wanted or slug in RESERVED_SLUGS:
            raise SpaceError("Use lower-case letters, digits and hyphens for the address.", "slug")
        if Space.all_objects.filter(slug=slug).exists():  # a space being deleted holds it
            raise SpaceError("That address is taken; choose another.", "slug")
        return slug
    base = slugify(name)[: SLUG_MAX - 6].strip("-") or "space"
    if base in RESERVED_SLUGS:
        base = f"{base}-space"
    slug, n = base, 2
    while Space.all_objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
