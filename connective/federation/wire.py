"""Wire types: typed views of the ActivityStreams JSON we accept.

Each `from_dict` ignores keys it does not know and raises WireError when a required one is missing
or has the wrong shape, so handlers work with checked values instead of raw dictionaries. Pure
code: no Django, no domain imports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

MAX_TEXT = 200_000
MAX_ITEMS = 200


class WireError(ValueError):
    """A document that lacks what its type requires (answered with 400)."""


def _ref(value: Any) -> str:
    """An id from a reference: a string, or an object with an "id" (or a Link's "href")."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        ref = value.get("id") or value.get("href")
        if isinstance(ref, str):
            return ref
    return ""


def _refs(value: Any) -> tuple[str, ...]:
    """A list of ids from a single reference or a list of them (bounded)."""
    items = value if isinstance(value, list) else [value] if value is not None else []
    return tuple(r for r in (_ref(v) for v in items[:MAX_ITEMS]) if r)


def _text(value: Any) -> str:
    return value[:MAX_TEXT] if isinstance(value, str) else ""


def _required(data: dict[str, Any], key: str) -> str:
    value = _ref(data.get(key))
    if not value:
        raise WireError(f"{key!r} is missing")
    return value


def is_http_uri(value: str) -> bool:
    """Whether `value` is an absolute http(s) URI with a host."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def origin(uri: str) -> tuple[str, str]:
    """(scheme, host[:port]) of a URI, lower case: what "same origin" compares."""
    try:
        parts = urlsplit(uri)
        return parts.scheme.lower(), parts.netloc.lower()
    except ValueError:
        return "", ""


def same_origin(a: str, b: str) -> bool:
    """Whether two URIs share scheme and host."""
    return bool(a) and bool(b) and origin(a) == origin(b) and origin(a)[1] != ""


def _type(data: dict[str, Any]) -> str:
    value = data.get("type")
    if isinstance(value, list):  # JSON-LD allows a list of types; take the first string
        value = next((v for v in value if isinstance(v, str)), None)
    if not isinstance(value, str) or not value:
        raise WireError("'type' is missing")
    return value


def parse_time(value: Any) -> datetime | None:
    """An xsd:dateTime as an aware datetime, or None if absent or unreadable."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


@dataclass(frozen=True)
class Activity:
    """An activity: who did what to which object, addressed to whom."""

    id: str
    type: str
    actor: str
    object: Any
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    target: str = ""
    content: str = ""

    @classmethod
    def from_dict(cls, data: Any) -> Activity:
        """Check and read an activity; WireError if id, type or actor is missing."""
        if not isinstance(data, dict):
            raise WireError("an activity must be an object")
        activity_id, actor = _required(data, "id"), _required(data, "actor")
        if not is_http_uri(activity_id) or not is_http_uri(actor):
            raise WireError("id and actor must be http(s) URIs")
        return cls(
            id=activity_id,
            type=_type(data),
            actor=actor,
            object=data.get("object"),
            to=_refs(data.get("to")),
            cc=_refs(data.get("cc")),
            target=_ref(data.get("target")),
            content=_text(data.get("content"))[:5000],
        )

    @property
    def object_id(self) -> str:
        """The id of the object (embedded or referenced), '' if there is none."""
        return _ref(self.object)

    @property
    def object_type(self) -> str | None:
        """The type of an embedded object, None for a bare reference."""
        if isinstance(self.object, dict):
            try:
                return _type(self.object)
            except WireError:
                return None
        return None

    @property
    def embedded(self) -> dict[str, Any] | None:
        """The embedded object, if the object was embedded."""
        return self.object if isinstance(self.object, dict) else None


@dataclass(frozen=True)
class Tag:
    """A Mention, Hashtag or Emoji in an object's `tag` list."""

    type: str
    name: str
    href: str


@dataclass(frozen=True)
class Attachment:
    """A file or link attached to an object."""

    type: str
    url: str
    media_type: str
    name: str


def _tags(value: Any) -> tuple[Tag, ...]:
    items = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
    tags = []
    for item in items[:MAX_ITEMS]:
        if isinstance(item, dict) and isinstance(item.get("type"), str):
            tags.append(Tag(item["type"], _text(item.get("name"))[:200], _ref(item.get("href"))))
    return tuple(tags)


def _attachments(value: Any) -> tuple[Attachment, ...]:
    items = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
    out = []
    for item in items[:MAX_ITEMS]:
        if not isinstance(item, dict):
            continue
        url = item.get("url")
        href = (
            _ref(url[0]) if isinstance(url, list) and url else _ref(url) or _ref(item.get("href"))
        )
        out.append(
            Attachment(
                type=_text(item.get("type")),
                url=href,
                media_type=_text(item.get("mediaType"))[:100],
                name=_text(item.get("name"))[:500],
            )
        )
    return tuple(out)


def _content(data: dict[str, Any]) -> str:
    """`content`, or the first language of `contentMap` (Pleroma and Misskey may send only that)."""
    if isinstance(data.get("content"), str):
        return _text(data["content"])
    content_map = data.get("contentMap")
    if isinstance(content_map, dict):
        return next((_text(v) for v in content_map.values() if isinstance(v, str)), "")
    return ""


@dataclass(frozen=True)
class PostObject:
    """A Note, Article, Page (and kin) as it arrives: what `post_from_ap` reads."""

    id: str
    type: str
    attributed_to: str
    content: str = ""
    name: str = ""
    summary: str = ""
    in_reply_to: str = ""
    published: datetime | None = None
    url: str = ""
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    tags: tuple[Tag, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    sensitive: bool = False
    license: str = ""

    @classmethod
    def from_dict(cls, data: Any) -> PostObject:
        """Check and read a post-like object; WireError if id, type or attributedTo is missing."""
        if not isinstance(data, dict):
            raise WireError("the object must be embedded")
        object_id = _required(data, "id")
        attributed = _refs(data.get("attributedTo"))
        if not attributed:
            raise WireError("'attributedTo' is missing")
        url = data.get("url")
        return cls(
            id=object_id,
            type=_type(data),
            attributed_to=attributed[0],
            content=_content(data),
            name=_text(data.get("name"))[:500],
            summary=_text(data.get("summary"))[:5000],
            in_reply_to=_ref(data.get("inReplyTo")),
            published=parse_time(data.get("published")),
            url=_ref(url[0]) if isinstance(url, list) and url else _ref(url),
            to=_refs(data.get("to")),
            cc=_refs(data.get("cc")),
            tags=_tags(data.get("tag")),
            attachments=_attachments(data.get("attachment")),
            sensitive=data.get("sensitive") is True,
            license=_ref(data.get("license")),
        )
