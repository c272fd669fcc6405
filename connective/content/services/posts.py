"""Write, edit and delete posts; reply; every side effect of posting happens here."""

import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.text import get_valid_filename

from connective.accounts.models import Person
from connective.content.licences import LICENCES
from connective.content.models import Kind, Post, State, Visibility
from connective.content.services.boosts import remove_boosts
from connective.content.services.render import mentioned_people, render_body
from connective.core import events
from connective.core.uris import absolute_uri, is_web_url
from connective.network.services.connections import record_interaction
from connective.network.services.relations import is_blocked_between, wants_to_hear_from
from connective.notifications.models import Notification
from connective.notifications.services.notify import notify
from connective.topics.normalize import InvalidTopic, hashtags
from connective.topics.services.resolve import get_or_create_topics, validate_labels

LIMITS = {"title": 200, "note": 5000, "article": 100_000, "resource": 5000, "url": 2000}


class PostError(Exception):
    """A post that cannot be stored; `field` names the form field at fault, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class PostDraft:
    """What a person wants to post, before it is checked."""

    kind: str = Kind.NOTE
    body: str = ""
    title: str = ""
    link_url: str = ""
    file: UploadedFile | None = None
    licence: str = ""
    visibility: str = Visibility.PUBLIC
    topics: list[str] = field(default_factory=list)
    in_reply_to: Post | None = None
    state: str = State.PUBLISHED
    publish_at: datetime | None = None
    space: Any = None  # a spaces.Space: the post starts a thread there (replies inherit it)


def check_draft(draft: PostDraft, has_file: bool = False) -> list[str]:
    """Raise PostError for a draft that cannot be stored; returns its topic labels.

    `has_file` says the post being edited already carries a file.
    """
    if draft.kind not in Kind.values:
        raise PostError("Unknown kind of post.", "kind")
    if draft.visibility not in Visibility.values:
        raise PostError("Choose who can see this.", "visibility")
    body_limit = LIMITS[draft.kind]
    if len(draft.body) > body_limit:
        raise PostError(f"Keep it under {body_limit:,} characters.", "body")
    if len(draft.title) > LIMITS["title"]:
        raise PostError(f"Titles are at most {LIMITS['title']} characters.", "title")
    _check_link(draft.link_url)
    _check_file(draft)
    _check_kind_fields(draft, has_file)
    try:
        return validate_labels([*draft.topics, *hashtags(draft.body)])
    except InvalidTopic as exc:
        raise PostError(str(exc), "topics") from exc


def _check_link(url: str) -> None:
    """Only plain http(s) addresses with a host: no javascript:, data: or user:password@."""
    url = url.strip()
    if not url:
        return
    if len(url) > LIMITS["url"]:
        raise PostError(f"Addresses are at most {LIMITS['url']:,} characters.", "link_url")
    if not is_web_url(url):
        raise PostError("Give a web address starting with http:// or https://.", "link_url")


def _check_file(draft: PostDraft) -> None:
    if not draft.file:
        return
    if draft.kind != Kind.RESOURCE:
        raise PostError("Only resources can carry a file.", "file")
    limit = settings.RESOURCE_FILE_MAX_BYTES
    if draft.file.size is None or draft.file.size > limit:
        raise PostError(f"Files can be at most {limit // (1024 * 1024)} MB.", "file")


def _check_kind_fields(draft: PostDraft, has_file: bool = False) -> None:
    if draft.kind == Kind.NOTE and not draft.body.strip():
        raise PostError("Write something first.", "body")
    if draft.kind == Kind.ARTICLE:
        if not draft.title.strip():
            raise PostError("An article needs a title.", "title")
        if not draft.body.strip():
            raise PostError("An article needs a body.", "body")
    if draft.kind == Kind.RESOURCE:
        if not draft.title.strip():
            raise PostError("A resource needs a title.", "title")
        if not draft.link_url.strip() and not draft.file and not has_file:
            raise PostError("Give the resource's address or upload a file.", "link_url")
        if draft.licence not in LICENCES:
            raise PostError("Choose one of the listed licences.", "licence")
    if draft.kind != Kind.RESOURCE and draft.licence and draft.licence not in LICENCES:
        raise PostError("Choose one of the listed licences.", "licence")


@transaction.atomic
def create_post(author: Person, draft: PostDraft) -> Post:
    """Store a post with its topics and mentions; publish it now unless it is a draft or
    scheduled (then `publish_post` does, later)."""
    labels = check_draft(draft)
    parent = _check_parent(author, draft.in_reply_to)
    _check_state(draft, parent)
    people = [p for p in mentioned_people(draft.body) if not is_blocked_between(author, p)]
    post = Post(
        author=author,
        kind=draft.kind,
        title=draft.title.strip(),
        body=draft.body,
        body_html=render_body(draft.body, people),
        link_url=draft.link_url.strip(),
        licence=draft.licence,
        visibility=draft.visibility,
        in_reply_to=parent,
        thread_root=(parent.thread_root or parent) if parent else None,
        space=parent.space if parent else draft.space,
        state=draft.state,
        publish_at=draft.publish_at if draft.state == State.SCHEDULED else None,
        created_at=timezone.now(),
    )
    if draft.file:
        store_file(post, draft.file)
    post.save()
    post.uri = absolute_uri(post.get_absolute_url())
    post.save(update_fields=["uri"])
    post.topics.set(get_or_create_topics(labels))
    post.mentions.set(_addressed(people, parent, author))
    if post.state == State.PUBLISHED:
        after_publish(post)
    return post


def _check_state(draft: PostDraft, parent: Post | None) -> None:
    """Drafts and scheduled posts are top-level, and a schedule lies in the future."""
    if draft.state not in State.values:
        raise PostError("Choose whether to publish now, keep a draft or schedule.", "state")
    if draft.state == State.PUBLISHED:
        return
    if parent is not None:
        raise PostError("A reply is published at once; it cannot be a draft.", "state")
    if draft.state == State.SCHEDULED and (
        draft.publish_at is None or draft.publish_at <= timezone.now()
    ):
        raise PostError("Choose a publication time in the future.", "publish_at")


def publish_post(post: Post) -> Post:
    """Publish a draft or scheduled post now: it takes its place in streams as of this moment,
    and the people it concerns hear of it. Publishing a published post changes nothing."""
    return _publish(post.pk) or Post.objects.get(pk=post.pk)


@transaction.atomic
def _publish(pk: int) -> Post | None:
    """Publish the post `pk` under a row lock; None if it was not waiting to be published."""
    post = Post.objects.select_for_update().filter(pk=pk).first()
    if post is None or post.state == State.PUBLISHED or post.deleted_at is not None:
        return None
    post.state, post.publish_at, post.created_at = State.PUBLISHED, None, timezone.now()
    post.save(update_fields=["state", "publish_at", "created_at"])
    after_publish(post)
    return post


def _addressed(people: list[Person], parent: Post | None, author: Person) -> list[Person]:
    """Who a post is addressed to: the people it mentions and, for a reply, whom it answers.

    So a reply for "only me and people I mention" still reaches the person it replies to.
    """
    if parent is None or parent.author_id == author.pk:
        return people
    if any(p.pk == parent.author_id for p in people):
        return people
    return [*people, parent.author]


def download_name(name: str) -> str:
    """A file name safe to show and to send in Content-Disposition (SECURITY T-23)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    try:
        clean = get_valid_filename(base)
    except SuspiciousFileOperation:  # the name cleaned down to nothing
        clean = ""
    clean = clean.lstrip(".")[-120:]
    return clean or "file"


def store_file(post: Post, upload: UploadedFile) -> None:
    """Keep the upload under a random name (never guessable from /media/), its own name aside."""
    if post.file:
        post.file.delete(save=False)
    post.file_name = download_name(upload.name or "file")
    post.file.save(f"{secrets.token_urlsafe(18)}.bin", upload, save=False)


def _check_parent(author: Person, parent: Post | None) -> Post | None:
    """A reply must be to a post the author can see (hidden looks like missing)."""
    if parent is None:
        return None
    if not Post.objects.visible_to(author).filter(pk=parent.pk).exists():
        raise PostError("That post does not exist or you cannot see it.", "in_reply_to")
    if is_blocked_between(author, parent.author):
        raise PostError("That post does not exist or you cannot see it.", "in_reply_to")
    root = parent.thread_root or parent
    if root.locked_at is not None:
        raise PostError("This thread is closed to new replies.", "in_reply_to")
    if parent.space is not None and not parent.space.is_member(author):
        raise PostError("Join the space to reply in it.", "in_reply_to")
    return parent


def after_publish(post: Post) -> None:
    """What publishing does: count the reply, notify, record interactions, tell other apps."""
    author, parent = post.author, post.in_reply_to
    if parent is not None:
        _count_reply(post, +1)
        record_interaction(author, parent.author)
        _tell(parent.author, post, Notification.Kind.REPLY)
    for person in post.mentions.all():
        if parent is not None and person.pk == parent.author_id:
            continue
        record_interaction(author, person)
        _tell(person, post, Notification.Kind.MENTION)
    events.announce(events.POST_PUBLISHED, post=post)


def _counted(post: Post) -> bool:
    """Whether a reply counts in the reply_count of the posts above it: only replies anyone may
    see do, so the number on a card never reveals replies hidden from its reader (nor a
    moderator's hide). A reader who may see more (network or private replies) sees the same
    number: a per-reader count would cost every list a visibility query for every card."""
    return post.visibility in (Visibility.PUBLIC, Visibility.UNLISTED) and post.hidden_at is None


@transaction.atomic
def set_hidden(post: Post, by: Person | None, reason: str = "") -> Post:
    """Hide a post for a moderator `by` with `reason`, or show it again (`by` None).

    A hidden reply stops counting in the reply_count above it, and counts again when shown.
    """
    was_counted = _counted(post)
    post.hidden_at = timezone.now() if by is not None else None
    post.hidden_reason, post.hidden_by = (reason, by) if by is not None else ("", None)
    Post.objects.filter(pk=post.pk).update(
        hidden_at=post.hidden_at, hidden_reason=post.hidden_reason, hidden_by=post.hidden_by
    )
    if was_counted != _counted(post):
        _count_reply(post, -1 if was_counted else +1, force=True)
    return post


def _count_reply(post: Post, delta: int, force: bool = False) -> None:
    """Move the reply count of every post above this reply by `delta` if it counts (or `force`).

    A post's reply_count is every reply below it, however deep, that counts (`_counted`): "2
    replies" on a card is what its thread shows, a reply to a reply included. Only the reply
    itself moves: replies below a hidden or deleted one still show, so they still count.
    """
    if not post.in_reply_to_id or not (force or _counted(post)):
        return
    above = Post.objects.filter(pk__in=_ancestor_ids(post))
    if delta < 0:
        above = above.filter(reply_count__gt=0)
    above.update(reply_count=F("reply_count") + delta)


def uncount_replies(replies: QuerySet[Post]) -> None:
    """Take `replies` (about to become tombstones together, as when an account is deleted) out
    of the reply counts of every post above them, one update per post above."""
    fields = ("pk", "in_reply_to_id", "thread_root_id", "visibility", "hidden_at")
    above: Counter[int] = Counter()
    for reply in replies.filter(in_reply_to__isnull=False).only(*fields):
        if _counted(reply):
            above.update(_ancestor_ids(reply))
    for pk, n in above.items():
        Post.objects.filter(pk=pk, reply_count__gte=n).update(reply_count=F("reply_count") - n)


MAX_ANCESTORS = 1000


def _ancestor_ids(post: Post) -> list[int]:
    """The posts a reply sits below, its parent first: one query a level past the first, none
    for a direct reply to the thread's first post (the most common reply)."""
    ids: list[int] = []
    parent_id = post.in_reply_to_id
    # in_reply_to cannot loop (a post answers an older one), but stay bounded anyway.
    while parent_id is not None and parent_id not in ids and len(ids) < MAX_ANCESTORS:
        ids.append(parent_id)
        if parent_id == post.thread_root_id:
            break
        above = Post.objects.filter(pk=parent_id).values_list("in_reply_to_id", flat=True)
        parent_id = above.first()
    return ids


def _tell(person: Person, post: Post, kind: str) -> None:
    """Notify `person` about `post`, with an excerpt, only if they may see the post (T-28)."""
    if not wants_to_hear_from(person, post.author):
        return
    if not Post.objects.visible_to(person).filter(pk=post.pk).exists():
        return
    notify(
        person,
        post.author,
        kind,
        url=post.get_absolute_url(),
        data={"excerpt": post.excerpt(140)},
        object_key=f"post:{post.pk}",
    )


def refresh_notifications(post: Post) -> None:
    """After an edit: excerpts show the new text; those who can no longer see the post lose it."""
    sent = Notification.objects.filter(object_key=f"post:{post.pk}").select_related("recipient")
    for note in sent:
        if Post.objects.visible_to(note.recipient).filter(pk=post.pk).exists():
            note.data = {**note.data, "excerpt": post.excerpt(140)}
            note.save(update_fields=["data"])
        else:
            note.delete()


@transaction.atomic
def edit_post(post: Post, draft: PostDraft) -> Post:
    """Change a post's text, link, file, licence, visibility and topics (kind and thread stay).

    An unpublished post may also change its state: stay a draft, be scheduled or go out now.
    """
    draft.kind = post.kind
    labels = check_draft(draft, has_file=bool(post.file))
    unpublished = post.state != State.PUBLISHED
    if unpublished:
        _check_state(draft, None)
    people = [p for p in mentioned_people(draft.body) if not is_blocked_between(post.author, p)]
    was_counted = _counted(post)
    post.title, post.body, post.licence = draft.title.strip(), draft.body, draft.licence
    post.link_url, post.visibility = draft.link_url.strip(), draft.visibility
    if was_counted != _counted(post):
        _count_reply(post, +1 if _counted(post) else -1, force=True)
    post.body_html = render_body(draft.body, people)
    if draft.file:
        store_file(post, draft.file)
    if unpublished:
        post.state = State.DRAFT if draft.state == State.DRAFT else State.SCHEDULED
        post.publish_at = draft.publish_at if draft.state == State.SCHEDULED else None
    else:
        post.edited_at = timezone.now()
    post.save()
    post.topics.set(get_or_create_topics(labels))
    post.mentions.set(_addressed(people, post.in_reply_to, post.author))
    if unpublished and draft.state == State.PUBLISHED:
        return publish_post(post)
    if post.state == State.PUBLISHED:
        refresh_notifications(post)
        events.announce(events.POST_EDITED, post=post)
    return post


def publish_due(now: datetime | None = None) -> list[Post]:
    """Publish every scheduled post whose time has come, telling each author (a sweep)."""
    now = now or timezone.now()
    due = Post.objects.filter(
        state=State.SCHEDULED, publish_at__lte=now, deleted_at__isnull=True
    ).values_list("pk", flat=True)
    published = []
    for pk in list(due[:200]):
        post = _publish(pk)
        if post is not None:
            notify(
                post.author,
                None,
                Notification.Kind.POST_PUBLISHED,
                url=post.get_absolute_url(),
                data={"title": post.title or post.excerpt(80)},
                object_key=f"published:{post.pk}",
            )
            published.append(post)
    return published


@transaction.atomic
def delete_post(post: Post) -> None:
    """Delete a post: replies stay in the thread, the post itself becomes a tombstone."""
    _count_reply(post, -1)
    if post.file:
        post.file.delete(save=False)
    post.deleted_at = timezone.now()
    post.body = post.body_html = post.title = post.link_url = ""
    post.save()
    post.topics.clear()
    post.mentions.clear()
    remove_boosts(post)
    # What the notifications quoted goes with the post (T-31).
    Notification.objects.filter(object_key__in=[f"post:{post.pk}", f"useful:{post.pk}"]).delete()
    if post.state == State.PUBLISHED:
        events.announce(events.POST_DELETED, post=post)
