"""What each kind of object contributes to the index: plain text, topics and facet columns."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.utils.html import strip_tags

from connective.accounts.models import Person
from connective.content.models import Kind, Post
from connective.search.models import DocKind, Source

# Feed sources are stored as people of this actor type; their posts are web items.
FEED_ACTOR = "Feed"
# Characters the backends use to mark highlighted words; never allowed into indexed text.
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
_MARKS = re.compile(f"[{MARK_OPEN}{MARK_CLOSE}]")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")
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
    about: str = ""  # words found beside the topics, never in snippets (a feed item's source)

    @property
    def topic_text(self) -> str:
        """Topic names and keys as words, so "open-licensing" is found by "open licensing"."""
        words = {t.name for t in self.topics} | {t.key.replace("-", " ") for t in self.topics}
        return clean(" ".join([*sorted(words), self.about]))

    @property
    def facets(self) -> str:
        """The filters a search can ask of the full-text index itself, as tokens."""
        return facet_text(self.kind, self.licence, sorted({t.pk for t in self.topics}))


def facet_text(kind: str, licence: str, topic_ids: list[int]) -> str:
    """Tokens for a document's kind, licence and topics, e.g. "kindresource licenceccby topic7".

    Letters and digits only, so the full-text tokenizers keep each whole; matched only in their
    own column (SQLite) or vector (PostgreSQL), so a word someone searches for never meets them.
    """
    tokens = [facet_token("kind", kind)]
    if licence:
        tokens.append(facet_token("licence", licence))
    tokens += [facet_token("topic", str(pk)) for pk in topic_ids]
    return " ".join(tokens)


def facet_token(name: str, value: str) -> str:
    """One facet as a token: its name and its value's letters and digits ("cc-by" -> "ccby")."""
    return name + _NOT_ALNUM.sub("", value.lower())


def clean(text: str, limit: int = BODY_LIMIT) -> str:
    """Plain text for the index: no marker characters, whitespace collapsed, length bounded."""
    if MARK_OPEN in text or MARK_CLOSE in text:  # rare: a plain `in` is far cheaper than sub
        text = _MARKS.sub("", text)
    return " ".join(text.split())[:limit]


# Tags that separate words (blocks and breaks); inline tags (a, strong, em…) do not, so "a
# <a>link</a>." reads "a link." and not "a link .".
_BREAKS = re.compile(
    r"<(?=/?(?:p|br|li|ul|ol|div|h[1-6]|blockquote|pre|table|tr|td|th|hr|img|figure)\b)", re.I
)


def html_text(markup: str) -> str:
    """The words of sanitised HTML, as a reader sees them."""
    return clean(html.unescape(strip_tags(_BREAKS.sub(" <", markup))))


# The columns of a post and of a person a document is made from: the one-object path reads them
# from a model instance, the bulk path (`connective reindex`) from `values()` rows.
POST_FIELDS = (
    "id", "kind", "title", "body", "body_html", "link_url", "file_name", "licence",
    "created_at", "author_id", "author__actor_type",
)  # fmt: skip
PERSON_FIELDS = ("id", "display_name", "handle", "bio", "bio_html", "created_at")


def post_kind(post: Post) -> str:
    """The search kind of a post: web item (from a feed source) or its own kind."""
    return _post_kind(post.kind, post.author.actor_type)


def _post_kind(kind: str, actor_type: str) -> str:
    if actor_type == FEED_ACTOR:
        return DocKind.WEB
    kinds: dict[str, str] = {Kind.NOTE: DocKind.NOTE, Kind.ARTICLE: DocKind.ARTICLE}
    return kinds.get(kind, DocKind.RESOURCE)


def post_doc(post: Post) -> Doc:
    """A post's document: title, body text, resource source and file name, topics."""
    row = {name: getattr(post, name) for name in POST_FIELDS[:-1]}
    row["author__actor_type"] = post.author.actor_type
    return post_row_doc(row, list(post.topics.all()))


def post_row_doc(row: Mapping[str, Any], topics: list[Any]) -> Doc:
    """A post's document from its POST_FIELDS (the one place a post's document is made)."""
    link = row["link_url"]
    domain = (urlsplit(link).hostname or "") if link else ""  # as Post.link_domain
    extra = " ".join(x for x in (domain, row["file_name"]) if x)
    body = html_text(row["body_html"]) if row["body_html"] else clean(row["body"])
    return Doc(
        source=Source.POST,
        object_id=row["id"],
        kind=_post_kind(row["kind"], row["author__actor_type"]),
        title=clean(row["title"], 300),
        body=clean(f"{body} {extra}"),
        created_at=row["created_at"],
        topics=topics,
        author_id=row["author_id"],
        licence=row["licence"] if row["kind"] == Kind.RESOURCE else "",
    )


def person_doc(person: Person) -> Doc:
    """A person's document: name and handle, bio, what they learn and can help with."""
    row = {name: getattr(person, name) for name in PERSON_FIELDS}
    return person_row_doc(row, [*person.interests.all(), *person.expertise.all()])


def person_row_doc(row: Mapping[str, Any], topics: list[Any]) -> Doc:
    """A person's document from their PERSON_FIELDS and their interests and expertise."""
    name = row["display_name"] or row["handle"]  # as Person.name
    return Doc(
        source=Source.PERSON,
        object_id=row["id"],
        kind=DocKind.PERSON,
        title=clean(f"{name} {row['handle']}", 300),
        body=html_text(row["bio_html"]) if row["bio_html"] else clean(row["bio"]),
        created_at=row["created_at"],
        topics=topics,
        author_id=row["id"],
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
