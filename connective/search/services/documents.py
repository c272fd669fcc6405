"""What each kind of object contributes to the index: plain text, topics and facet columns."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.html import strip_tags

from connective.accounts.models import Person
from connective.content.models import Kind, Post
from connective.search.models import DocKind, Source

# Feed sources are stored as people of this actor type; their posts are web items.
FEED_ACTOR = "Feed"
# Characters the backends use to mark highlighted words; never allowed into indexed text.
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
_MARKS = re.compile(f"[{MARK_OPEN}{MARK_CLOSE}]")
_SPACE = re.compile(r"\s+")
BODY_LIMIT = 20_000  # characters of body kept per document: enough to find, bounded to rank


@dataclass
class Doc:
    """The fields of one SearchDocument before it is stored."""

    source: str
    object_id: int
    kind: str
    title: str
    body: str
    created_at: datetime
    topics: list[Any] = field(default_factory=list)
    author_id: int | None = None
    licence: str = ""

    @property
    def topic_text(self) -> str:
        """Topic names and keys as words, so "open-licensing" is found by "open licensing"."""
        words = {t.name for t in self.topics} | {t.key.replace("-", " ") for t in self.topics}
        return clean(" ".join(sorted(words)))


def clean(text: str, limit: int = BODY_LIMIT) -> str:
    """Plain text for the index: no marker characters, whitespace collapsed, length bounded."""
    return _SPACE.sub(" ", _MARKS.sub("", text)).strip()[:limit]


# Tags that separate words (blocks and breaks); inline tags (a, strong, em…) do not, so "a
# <a>link</a>." reads "a link." and not "a link .".
_BREAKS = re.compile(
    r"<(?=/?(?:p|br|li|ul|ol|div|h[1-6]|blockquote|pre|table|tr|td|th|hr|img|figure)\b)", re.I
)


def html_text(markup: str) -> str:
    """The words of sanitised HTML, as a reader sees them."""
    return clean(html.unescape(strip_tags(_BREAKS.sub(" <", markup))))


def post_kind(post: Post) -> str:
    """The search kind of a post: web item (from a feed source) or its own kind."""
    if post.author.actor_type == FEED_ACTOR:
        return DocKind.WEB
    kinds: dict[str, str] = {Kind.NOTE: DocKind.NOTE, Kind.ARTICLE: DocKind.ARTICLE}
    return kinds.get(post.kind, DocKind.RESOURCE)


def post_doc(post: Post) -> Doc:
    """A post's document: title, body text, resource source and file name, topics."""
    extra = " ".join(x for x in (post.link_domain, post.file_name) if x)
    body = html_text(post.body_html) if post.body_html else clean(post.body)
    return Doc(
        source=Source.POST,
        object_id=post.pk,
        kind=post_kind(post),
        title=clean(post.title, 300),
        body=clean(f"{body} {extra}"),
        created_at=post.created_at,
        topics=list(post.topics.all()),
        author_id=post.author_id,
        licence=post.licence if post.kind == Kind.RESOURCE else "",
    )


def person_doc(person: Person) -> Doc:
    """A person's document: name and handle, bio, what they learn and can help with."""
    bio = html_text(person.bio_html) if person.bio_html else clean(person.bio)
    return Doc(
        source=Source.PERSON,
        object_id=person.pk,
        kind=DocKind.PERSON,
        title=clean(f"{person.name} {person.handle}", 300),
        body=bio,
        created_at=person.created_at,
        topics=[*person.interests.all(), *person.expertise.all()],
        author_id=person.pk,
    )


def space_doc(space: Any) -> Doc:
    """A space's document: name, description, topics."""
    description = space.description_html or ""
    return Doc(
        source=Source.SPACE,
        object_id=space.pk,
        kind=DocKind.SPACE,
        title=clean(space.name, 300),
        body=html_text(description) if description else clean(space.description),
        created_at=space.last_activity_at or space.created_at,
        topics=list(space.topics.all()),
        author_id=space.created_by_id,
    )


def course_doc(course: Any) -> Doc:
    """A course's document: title, summary, topics (read defensively: built alongside this app)."""
    markup = getattr(course, "summary_html", "") or getattr(course, "description_html", "") or ""
    plain = getattr(course, "summary", "") or getattr(course, "description", "") or ""
    text = html_text(markup) if markup else clean(plain)
    topics = getattr(course, "topics", None)
    author_id = getattr(course, "created_by_id", None) or getattr(course, "owner_id", None)
    return Doc(
        source=Source.COURSE,
        object_id=course.pk,
        kind=DocKind.COURSE,
        title=clean(getattr(course, "title", "") or getattr(course, "name", ""), 300),
        body=text,
        created_at=getattr(course, "published_at", None) or course.created_at,
        topics=list(topics.all()) if topics is not None else [],
        author_id=author_id,
    )
