"""Change what a person shows about themselves: name, bio, avatar, topics, privacy."""

import logging
import unicodedata
from dataclasses import dataclass

from django.db import transaction

from connective.accounts.models import Person
from connective.accounts.services.avatars import AvatarError, ProcessedAvatar, process_avatar
from connective.core import events
from connective.core.errors import FieldError
from connective.core.html import render_markdown
from connective.topics.normalize import MAX_TOPICS_PER_ITEM, InvalidTopic, split_topics, topic_key
from connective.topics.services.resolve import get_or_create_topics, validate_labels

logger = logging.getLogger("connective.accounts")

MAX_DISPLAY_NAME = 100
MAX_BIO = 5000
MAX_PROFILE_TOPICS = MAX_TOPICS_PER_ITEM


class ProfileError(FieldError):
    """A profile change was refused; `field` names the form field the message belongs to."""


@dataclass(frozen=True)
class ProfileChange:
    """What the profile form submits; topics are labels as the person typed them."""

    display_name: str
    bio: str
    interests: list[str]
    expertise: list[str]


def normalise_display_name(raw: str) -> str:
    """NFC, control characters removed, spaces collapsed (bidi marks stay; pages isolate them)."""
    text = unicodedata.normalize("NFC", raw or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cc")
    return " ".join(text.split())


def clean_display_name(raw: str) -> str:
    """The normalised name; refuses empty or overlong names."""
    text = normalise_display_name(raw)
    if not text:
        raise ProfileError("display_name", "Enter the name you want others to see.")
    if len(text) > MAX_DISPLAY_NAME:
        raise ProfileError(
            "display_name", f"A display name can be at most {MAX_DISPLAY_NAME} characters."
        )
    return text


def clean_bio(raw: str) -> str:
    """The bio's Markdown source, with Windows line ends unified; refuses an overlong bio."""
    text = (raw or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_BIO:
        raise ProfileError("bio", f"A bio can be at most {MAX_BIO} characters.")
    return text


def clean_topic_labels(field: str, labels: list[str]) -> list[str]:
    """Check each label and the count; the error names the label that cannot be a topic."""
    for label in labels:
        try:
            topic_key(label)
        except InvalidTopic as exc:
            raise ProfileError(field, f"“{label}” cannot be a topic. {exc}") from exc
    try:
        return validate_labels(labels, limit=MAX_PROFILE_TOPICS)
    except InvalidTopic as exc:
        raise ProfileError(field, str(exc)) from exc


def parse_topics(raw: str) -> list[str]:
    """Comma-separated topic labels, as typed in a form field."""
    return split_topics(raw or "")


def update_profile(person: Person, change: ProfileChange, avatar_upload=None) -> Person:
    """Validate every field (and the avatar, if given) first, then store them together.

    A ProfileError leaves the person exactly as they were.
    """
    avatar = _checked_avatar(person, avatar_upload) if avatar_upload is not None else None
    display_name = clean_display_name(change.display_name)
    bio = clean_bio(change.bio)
    interests = clean_topic_labels("interests", change.interests)
    expertise = clean_topic_labels("expertise", change.expertise)
    with transaction.atomic():
        person.display_name = display_name
        person.bio = bio
        person.bio_html = render_markdown(bio)
        person.save(update_fields=["display_name", "bio", "bio_html", "updated_at"])
        person.interests.set(get_or_create_topics(interests))
        person.expertise.set(get_or_create_topics(expertise))
        if avatar is not None:
            _store_avatar(person, avatar)
        events.announce(events.PERSON_UPDATED, person=person)
    return person


def topic_labels(topics) -> str:
    """Topics as the comma-separated text the profile form shows."""
    return ", ".join(topic.name for topic in topics)


def _checked_avatar(person: Person, upload) -> ProcessedAvatar:
    try:
        return process_avatar(upload)
    except AvatarError as exc:
        logger.info("avatar refused for %s: %s", person.handle, exc)
        raise ProfileError("avatar", str(exc)) from exc


def _store_avatar(person: Person, avatar: ProcessedAvatar) -> None:
    old = person.avatar.name if person.avatar else ""
    person.avatar.save(avatar.name, avatar.content, save=False)
    person.save(update_fields=["avatar", "updated_at"])
    if old:
        person.avatar.storage.delete(old)


def set_avatar(person: Person, upload) -> Person:
    """Replace the avatar with a checked, re-encoded copy of `upload`; ProfileError if unfit."""
    _store_avatar(person, _checked_avatar(person, upload))
    return person


def remove_avatar(person: Person) -> Person:
    """Go back to the initial-letter avatar, deleting the stored picture."""
    if person.avatar:
        person.avatar.delete(save=False)
        person.save(update_fields=["avatar", "updated_at"])
    return person


def update_privacy(person: Person, *, requires_approval: bool, discoverable: bool) -> Person:
    """Whether new connections wait for approval, and whether search may suggest the person."""
    person.requires_approval = requires_approval
    person.discoverable = discoverable
    person.save(update_fields=["requires_approval", "discoverable", "updated_at"])
    return person
