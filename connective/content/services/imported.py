"""Posts brought from elsewhere (an archive, a Mastodon outbox): stored as their author's with
their original dates, once, and without notifying anyone again."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction

from connective.accounts.models import Person
from connective.content.models import Post, State
from connective.content.services.posts import PostDraft, _store_file, check_draft
from connective.content.services.render import render_body
from connective.core import events
from connective.core.uris import absolute_uri
from connective.topics.services.resolve import get_or_create_topics


def _imported(author: Person):
    # The NOT-empty term matches the partial unique index's condition, so SQLite uses the index.
    return Post.objects.filter(author=author).exclude(imported_from="")


def existing_posts(author: Person, originals: list[str]) -> dict[str, Post]:
    """The author's posts here for these original addresses: imported before, or their own."""
    found: dict[str, Post] = {}
    for start in range(0, len(originals), 500):
        chunk = originals[start : start + 500]
        for post in _imported(author).filter(imported_from__in=chunk):
            found[post.imported_from] = post
        for post in Post.objects.filter(author=author, uri__in=chunk):
            found.setdefault(post.uri or "", post)
    return found


def already_imported(author: Person, originals: list[str]) -> set[str]:
    """Which of these original addresses the author has already imported."""
    return set(existing_posts(author, originals))


def import_post(
    author: Person,
    draft: PostDraft,
    *,
    imported_from: str,
    created_at: datetime,
    edited_at: datetime | None = None,
) -> tuple[Post, bool]:
    """Store `draft` as `author`'s post first published at `imported_from`; (post, created).

    Importing the same original twice returns the first copy. Other apps hear of it as
    imported (search indexes it), not as published: it is not news, so nobody is notified,
    federation does not send it again and courses do not count it as new evidence.
    """
    existing = _imported(author).filter(imported_from=imported_from).order_by().first() or (
        Post.objects.filter(author=author, uri=imported_from).order_by().first()
    )
    if existing is not None:
        return existing, False
    labels = check_draft(draft)
    try:
        with transaction.atomic():
            post = _store(author, draft, imported_from, created_at, edited_at, labels)
    except IntegrityError:  # the same original, imported at the same moment elsewhere
        return _imported(author).get(imported_from=imported_from), False
    return post, True


def _store(author, draft, imported_from, created_at, edited_at, labels) -> Post:
    parent = draft.in_reply_to
    post = Post(
        author=author,
        kind=draft.kind,
        title=draft.title.strip(),
        body=draft.body,
        body_html=render_body(draft.body, []),
        link_url=draft.link_url.strip(),
        licence=draft.licence,
        visibility=draft.visibility,
        in_reply_to=parent,
        thread_root=(parent.thread_root or parent) if parent else None,
        state=draft.state,
        publish_at=draft.publish_at if draft.state == State.SCHEDULED else None,
        created_at=created_at,
        edited_at=edited_at,
        imported_from=imported_from,
    )
    if draft.file:
        _store_file(post, draft.file)
    post.save()
    post.uri = absolute_uri(post.get_absolute_url())
    post.save(update_fields=["uri"])
    post.topics.set(get_or_create_topics(labels))
    if post.state == State.PUBLISHED:
        events.announce(events.POST_IMPORTED, post=post)
    return post
