"""Posts brought from elsewhere (an archive, a Mastodon outbox): stored as their author's with
their original dates, once, and without notifying anyone again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from connective.accounts.models import Person
from connective.content.models import Post, State
from connective.content.services.posts import PostDraft, check_draft, store_file
from connective.content.services.render import render_body
from connective.core import events
from connective.core.uris import absolute_uri
from connective.topics.normalize import InvalidTopic, topic_key
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


@dataclass
class ImportItem:
    """One post to bring in: what it says and where and when it was first published."""

    draft: PostDraft
    original: str
    created_at: datetime
    edited_at: datetime | None = None
    labels: list[str] | None = None  # its topic labels if the caller already checked the draft


@transaction.atomic
def import_batch(author: Person, items: list[ImportItem]) -> list[Post]:
    """Store `items` as `author`'s posts with their original dates, in bulk, and tell other
    apps once (search indexes them). Each draft's parent, if any, must already be stored.

    Imported posts are not news: nobody is notified, federation does not send them again and
    courses do not count them as new evidence. The caller leaves out what is already here
    (`existing_posts`); the unique (author, original) constraint refuses any double.
    """
    labels = [item.labels if item.labels is not None else check_draft(item.draft) for item in items]
    topics = {t.key: t for t in get_or_create_topics(label for group in labels for label in group)}
    posts = [_unsaved(author, item) for item in items]
    Post.objects.bulk_create(posts)
    for post in posts:
        post.uri = absolute_uri(post.get_absolute_url())
    Post.objects.bulk_update(posts, ["uri"])
    through = Post.topics.through
    links = {
        (post.pk, topics[key].pk)
        for post, group in zip(posts, labels, strict=True)
        for key in _keys(group)
        if key in topics
    }
    through.objects.bulk_create([through(post_id=p, topic_id=t) for p, t in sorted(links)])
    published = [post for post in posts if post.state == State.PUBLISHED]
    if published:
        events.announce(events.POSTS_IMPORTED, posts=published)
    return posts


def _keys(labels: list[str]) -> list[str]:
    keys = []
    for label in labels:
        try:
            keys.append(topic_key(label))
        except InvalidTopic:
            continue
    return keys


def _unsaved(author: Person, item: ImportItem) -> Post:
    draft, parent = item.draft, item.draft.in_reply_to
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
        created_at=item.created_at,
        edited_at=item.edited_at,
        imported_from=item.original,
    )
    if draft.file:
        store_file(post, draft.file)
    return post
