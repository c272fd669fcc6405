"""Posts to and from the ActivityStreams wire: plain functions, no federation imports.

`post_to_ap(post)` gives the object (Note, Article, or Page for a resource) without addressing;
the federation app adds `to`/`cc` from the post's visibility. `post_from_ap(obj, author, ...)`
stores or refreshes a remote post from an already checked wire object (anything with the
attributes of `RemoteObject`): sanitised HTML, hashtags as topics, mentions of people we know,
the resource's licence.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from connective.accounts.models import Person
from connective.content.licences import licence_by_url, licence_for
from connective.content.models import Kind, Post, State
from connective.content.services import posts as post_service
from connective.core import events
from connective.core.html import plain_text, sanitize_html
from connective.core.uris import absolute_uri
from connective.topics.normalize import MAX_TOPICS_PER_ITEM, InvalidTopic, topic_key
from connective.topics.services.resolve import get_or_create_topics

AP_TYPES = {Kind.NOTE: "Note", Kind.ARTICLE: "Article", Kind.RESOURCE: "Page"}
LICENCE_CONTEXT = {"license": {"@id": "https://schema.org/license", "@type": "@id"}}


class TagLike(Protocol):
    """A wire tag (Mention, Hashtag)."""

    @property
    def type(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def href(self) -> str: ...


class AttachmentLike(Protocol):
    """A wire attachment."""

    @property
    def type(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def media_type(self) -> str: ...
    @property
    def name(self) -> str: ...


class RemoteObject(Protocol):
    """What post_from_ap reads (connective.federation.wire.PostObject has these attributes)."""

    @property
    def id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def content(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def published(self) -> datetime | None: ...
    @property
    def url(self) -> str: ...
    @property
    def tags(self) -> Sequence[TagLike]: ...
    @property
    def attachments(self) -> Sequence[AttachmentLike]: ...
    @property
    def license(self) -> str: ...


def _licence_line(post: Post) -> str:
    lic = post.licence_info
    if lic is None:
        return ""
    if lic.url:
        return f'<p>Licence: <a href="{lic.url}" rel="license">{lic.label}</a></p>'
    return f"<p>Licence: {lic.label}</p>"


def _tags(post: Post) -> list[dict[str, str]]:
    tags = [
        {
            "type": "Hashtag",
            "name": f"#{topic.name}",
            "href": absolute_uri(reverse("web:topic", kwargs={"key": topic.key})),
        }
        for topic in post.topics.all()
    ]
    tags += [
        {"type": "Mention", "name": f"@{person.acct}", "href": person.uri}
        for person in post.mentions.all()
    ]
    return tags


def post_to_ap(post: Post) -> dict[str, Any]:
    """The ActivityStreams object for a post (a Tombstone once it is deleted); no addressing."""
    if post.deleted_at is not None:
        return {"id": post.uri, "type": "Tombstone", "deleted": post.deleted_at.isoformat()}
    content = post.body_html
    if post.kind == Kind.RESOURCE:
        content += _licence_line(post)
    obj: dict[str, Any] = {
        "id": post.uri,
        "type": AP_TYPES.get(Kind(post.kind), "Note"),
        "attributedTo": post.author.uri,
        "content": content,
        "mediaType": "text/html",
        "published": post.created_at.isoformat(),
        "url": post.url or post.uri or absolute_uri(post.get_absolute_url()),
        "sensitive": False,
        "tag": _tags(post),
    }
    if post.title:
        obj["name"] = post.title
    if post.edited_at:
        obj["updated"] = post.edited_at.isoformat()
    if post.in_reply_to_id and post.in_reply_to is not None:
        obj["inReplyTo"] = post.in_reply_to.uri
    if post.kind == Kind.RESOURCE:
        obj.update(_resource_fields(post))
    return obj


def _resource_fields(post: Post) -> dict[str, Any]:
    """A resource's link (or file) as an attachment, and its licence (our extension)."""
    out: dict[str, Any] = {}
    href = post.link_url or (absolute_uri(post.get_absolute_url()) if post.file else "")
    if href:
        out["attachment"] = [{"type": "Link", "href": href, "name": post.title}]
    lic = licence_for(post.licence)
    if lic is not None:
        out["license"] = lic.url or lic.code
    return out


def _kind(obj: RemoteObject) -> str:
    if obj.type == "Article":
        return Kind.ARTICLE
    if obj.type == "Page" and (obj.license or obj.attachments):
        return Kind.RESOURCE
    if obj.type == "Page" and obj.name:
        return Kind.ARTICLE
    return Kind.NOTE


def _topic_labels(obj: RemoteObject) -> list[str]:
    seen: dict[str, str] = {}
    for tag in obj.tags:
        if tag.type != "Hashtag" or len(seen) >= MAX_TOPICS_PER_ITEM:
            continue
        label = tag.name.lstrip("#")
        try:
            seen.setdefault(topic_key(label), label)
        except InvalidTopic:
            continue
    return list(seen.values())


def _mentioned(obj: RemoteObject) -> list[Person]:
    hrefs = [t.href for t in obj.tags if t.type == "Mention" and t.href][:20]
    return list(Person.objects.filter(uri__in=hrefs)) if hrefs else []


def _resource_link(obj: RemoteObject) -> str:
    for att in obj.attachments:
        if att.url.startswith(("https://", "http://")) and len(att.url) <= 2000:
            return att.url
    return ""


def _fill(post: Post, obj: RemoteObject) -> None:
    html = obj.content
    if obj.summary and post.kind == Kind.NOTE:
        # A content warning (Mastodon's summary) stays visible above the text.
        html = f"<p><strong>{sanitize_html(obj.summary)}</strong></p>{html}"
    post.body_html = sanitize_html(html)
    post.body = plain_text(post.body_html)[:100_000]
    post.title = plain_text(obj.name)[:200] if post.kind != Kind.NOTE else ""
    post.url = obj.url if obj.url.startswith(("https://", "http://")) else ""
    post.url = post.url[:500]
    if post.kind == Kind.RESOURCE:
        post.link_url = _resource_link(obj)
        lic = licence_by_url(obj.license) if obj.license else None
        post.licence = lic.code if lic else ""


@transaction.atomic
def post_from_ap(
    obj: RemoteObject,
    author: Person,
    *,
    visibility: str,
    in_reply_to: Post | None = None,
) -> Post:
    """Store a remote post (or refresh it, if we have its id), authored by `author`.

    The caller has checked that `author` is the object's attributedTo and may speak for its id.
    """
    existing = Post.objects.filter(uri=obj.id).first()
    if existing is not None:
        return _update(existing, obj, visibility)
    post = Post(
        author=author,
        kind=_kind(obj),
        uri=obj.id,
        visibility=visibility,
        in_reply_to=in_reply_to,
        thread_root=(in_reply_to.thread_root or in_reply_to) if in_reply_to else None,
        space=in_reply_to.space if in_reply_to else None,
        state=State.PUBLISHED,
        created_at=min(obj.published or timezone.now(), timezone.now()),
    )
    _fill(post, obj)
    post.save()
    post.topics.set(get_or_create_topics(_topic_labels(obj)))
    post.mentions.set(_mentioned(obj))
    post_service.after_publish(post)
    return post


def _update(post: Post, obj: RemoteObject, visibility: str) -> Post:
    if post.deleted_at is not None:
        return post
    _fill(post, obj)
    post.visibility = visibility
    post.edited_at = timezone.now()
    post.save()
    post.topics.set(get_or_create_topics(_topic_labels(obj)))
    post.mentions.set(_mentioned(obj))
    post_service.refresh_notifications(post)
    events.announce(events.POST_EDITED, post=post)
    return post


def update_from_ap(post: Post, obj: RemoteObject, visibility: str) -> Post:
    """Apply a remote Update to a post we already have (the caller checked the owner)."""
    with transaction.atomic():
        return _update(post, obj, visibility)
