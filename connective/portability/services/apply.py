"""Carry out an import plan for a person, all or nothing, and say what happened."""

from __future__ import annotations

import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from connective.accounts.models import Person
from connective.content.models import Post
from connective.content.services.imported import (
    ImportItem,
    already_imported,
    existing_posts,
    import_batch,
)
from connective.feeds.services.opml import OpmlError
from connective.feeds.services.opml import start_import as start_opml_import
from connective.network.models import Block, Connection, Mute
from connective.network.services.connections import ConnectError, connect
from connective.network.services.relations import block, mute
from connective.notifications.models import Notification
from connective.portability.models import UnresolvedContact
from connective.portability.services.archive import read_member
from connective.portability.services.boosts_import import (
    fetch_missing,
    make_boosts,
    preview_boosts,
)
from connective.portability.services.ownership import check_owner, describe
from connective.portability.services.people import (
    Found,
    PeopleFinder,
    split_address,
)
from connective.portability.services.plan import (
    CONNECTION_DATES,
    MAX_FILE_BYTES,
    Contact,
    ImportPlan,
    PostPlan,
)
from connective.portability.services.profile_merge import (
    count_topics,
    plan_merge,
    topics_and_profile,
)
from connective.portability.services.profile_merge import describe as describe_merge

Progress = Callable[[int, int], None]


@dataclass
class Tally:
    """Counts by what happened, for the preview and the report."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    unresolved: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # how long each phase took

    def add(self, group: str, outcome: str, n: int = 1) -> None:
        """Count one more `outcome` (added, already, unresolved…) in `group`."""
        bucket = self.counts.setdefault(group, {})
        bucket[outcome] = bucket.get(outcome, 0) + n

    def as_dict(self, plan: ImportPlan) -> dict[str, Any]:
        """The report stored on the job and shown to the person."""
        return {
            "source": plan.source,
            "account": describe(plan.account),
            "counts": self.counts,
            "unresolved": self.unresolved[:500],
            "rejected": plan.rejected[:500],
            "seconds": self.seconds,
            "rejected_total": len(plan.rejected),
            "notes": self.notes,
        }


def preview(person: Person, plan: ImportPlan) -> dict[str, Any]:
    """What applying the plan would add, merge and skip, without changing anything;
    ArchiveError if the archive is someone else's on this server."""
    check_owner(person, plan)
    tally = Tally()
    connected = set(Connection.objects.filter(owner=person).values_list("target_id", flat=True))
    finder = PeopleFinder()
    finder.preload([(c.acct, c.uri) for c in plan.contacts])
    for contact in plan.contacts:
        found = finder.known(contact.acct, contact.uri)
        if found is None:
            tally.add("connections", "to look up")
        elif found.pk in connected:
            tally.add("connections", "already")
        else:
            tally.add("connections", "added")
    done = already_imported(person, [p.original for p in plan.posts])
    for post in plan.posts:
        tally.add("posts", "already" if post.original in done else "added")
    preview_boosts(person, plan, tally)
    count_topics(person, plan, tally, "to follow")
    if plan.opml and plan.feeds:
        tally.add("feeds", "in the file", plan.feeds)
    merge = plan_merge(person, plan.profile)
    if merge.changed:
        tally.add("profile", _fields(len(merge.changed), "to merge"), len(merge.changed))
        tally.notes.append(describe_merge(merge))
    _notes(tally, plan)
    result = tally.as_dict(plan)
    outcomes = [outcome for group in tally.counts.values() for outcome in group]
    result["nothing_new"] = all(outcome == "already" for outcome in outcomes)
    return result


def _fields(n: int, outcome: str) -> str:
    return f"field{'' if n == 1 else 's'} {outcome}"


def _notes(tally: Tally, plan: ImportPlan, done: bool = False) -> None:
    if plan.opml and plan.feeds and (not done or "feeds" in tally.counts):
        one = plan.feeds == 1
        tally.notes.append(
            f"{'The feed' if one else f'The {plan.feeds} feeds'} in the file "
            f"{'were' if done else 'will be'} added to your subscriptions, unless you "
            f"follow {'it' if one else 'them'} already; Settings → Feeds shows what happened "
            f"to {'it' if one else 'each'}."
        )
    if plan.elsewhere:
        held = " and ".join(
            f"{n} {what if n != 1 else what[:-1]}" for what, n in plan.elsewhere.items()
        )
        tally.notes.append(
            f"The {held} you were part of stay on the server that holds them; the archive "
            "lists them (spaces.json, courses.json with your evidence)."
        )
    if plan.statements:
        if plan.statements == 1:
            said = "1 statement of participation stays in the archive, signed by the server "
            said += "that issued it; anyone can still verify it there."
        else:
            said = f"{plan.statements} statements of participation stay in the archive, signed "
            said += "by the server that issued them; anyone can still verify them there."
        tally.notes.append(said)


def apply_plan(
    person: Person, plan: ImportPlan, zf: zipfile.ZipFile | None, progress: Progress | None = None
) -> dict[str, Any]:
    """Apply the plan in one transaction; a failure leaves everything as it was.

    The people are looked up first, outside the transaction: asking other servers takes
    seconds each, and the transaction (which on SQLite holds the one write lock) lasts only as
    long as the writing. What the lookups record is other servers' people, not this import."""
    check_owner(person, plan)
    tally = Tally()
    total = (len(plan.contacts) + len(plan.mutes) + len(plan.blocks) + len(plan.posts) + 1) + len(
        plan.boosts
    )
    step = _stepper(progress, total)
    started = time.perf_counter()
    finder = PeopleFinder()
    finder.preload([(c.acct, c.uri) for c in plan.contacts])
    for contact in plan.contacts:
        finder.find(contact.acct, contact.uri)
        step()
    for address in [*plan.mutes, *plan.blocks]:
        finder.find(*split_address(address))
        step()
    fetch_missing(person, plan, step)
    looked_up = time.perf_counter()
    with transaction.atomic():
        mine = _Mine.of(person)
        for contact in plan.contacts:
            found = finder.find(contact.acct, contact.uri)
            _connect(person, contact, found, mine, plan.source, tally)
        # when each connection started (and was last active) goes along, as posts keep theirs
        Connection.objects.bulk_update(mine.dated, list(CONNECTION_DATES), batch_size=BATCH)
        _posts(person, plan.posts, zf, tally, step)
        make_boosts(person, plan, tally)
        topics_and_profile(person, plan, tally)
        _relations(person, plan, finder, tally)
        _feeds(person, plan, tally)
    tally.seconds = {
        "look_up": round(looked_up - started, 2),
        "write": round(time.perf_counter() - looked_up, 2),
    }
    _notes(tally, plan, done=True)
    if progress:
        progress(total, total)
    return tally.as_dict(plan)


def _stepper(progress: Progress | None, total: int) -> Callable[[], None]:
    """Count one item; report every 200 items, or after PROGRESS_EVERY seconds without a
    report (looking people up on slow servers is a few items a minute)."""
    done = [0]
    last = [time.monotonic()]

    def step() -> None:
        done[0] += 1
        if progress and (done[0] % 200 == 0 or time.monotonic() - last[0] > PROGRESS_EVERY):
            progress(done[0], total)
            last[0] = time.monotonic()

    return step


PROGRESS_EVERY = 10.0


@dataclass
class _Mine:
    """What the person has already, read once: whom they are connected to, and the addresses
    of the people kept to find."""

    connected: set[int]
    kept: set[str]
    known_by: set[int] = field(default_factory=set)  # who is connected to me already
    dated: list[Connection] = field(default_factory=list)  # re-created, their dates to restore

    @classmethod
    def of(cls, person: Person) -> _Mine:
        return cls(
            set(Connection.objects.filter(owner=person).values_list("target_id", flat=True)),
            set(UnresolvedContact.objects.filter(owner=person).values_list("address", flat=True)),
            set(
                Connection.objects.filter(
                    target=person, status=Connection.Status.ACTIVE
                ).values_list("owner_id", flat=True)
            ),
        )


def _connect(
    person: Person, contact: Contact, found: Found, mine: _Mine, source: str, tally: Tally
) -> None:
    """Re-create one connection with its purpose, or keep the contact as unresolved."""
    target, reason = found
    if target is None or target.pk == person.pk:
        _keep_unresolved(person, contact, source, reason or "that is you", mine)
        tally.add("connections", "unresolved")
        tally.unresolved.append(contact.acct or contact.uri)
        return
    if target.pk in mine.connected:
        tally.add("connections", "already")
        return
    before = timezone.now()
    try:
        conn = connect(person, target, contact.purpose)
    except ConnectError as exc:
        _keep_unresolved(person, contact, source, str(exc), mine)
        tally.add("connections", "unresolved")
        tally.unresolved.append(contact.acct or contact.uri)
        return
    mine.connected.add(target.pk)
    if target.pk in mine.known_by and conn.status == Connection.Status.ACTIVE:
        _unsay_connected(person, target, before)
    if contact.dates:
        for key, value in contact.dates.items():
            if key != "accepted_at" or conn.status == Connection.Status.ACTIVE:
                setattr(conn, key, value)
        mine.dated.append(conn)
    if _address(contact) in mine.kept:  # found at last
        UnresolvedContact.objects.filter(owner=person, address=_address(contact)).delete()
        mine.kept.discard(_address(contact))
    tally.add("connections", "added")


def _unsay_connected(person: Person, target: Person, since) -> None:
    """A local person connected to me already is not told "connected with you" for a tie the
    import brings back (a move: it existed before): the notice connect() just wrote goes,
    inside the import's transaction, so nobody ever sees it. A request needing their approval
    is still sent."""
    Notification.objects.filter(
        recipient=target,
        actor=person,
        kind=Notification.Kind.CONNECTION,
        object_key=f"connection:{person.pk}",
        created_at__gte=since,
    ).delete()


def _address(contact: Contact) -> str:
    return contact.acct or contact.uri


def _keep_unresolved(
    person: Person, contact: Contact, source: str, reason: str, mine: _Mine
) -> None:
    mine.kept.add(_address(contact))
    purpose = contact.purpose
    UnresolvedContact.objects.update_or_create(
        owner=person,
        address=_address(contact),
        defaults={
            "name": contact.name,
            "addresses": [a for a in [contact.acct, contact.uri, *contact.urls] if a],
            "purpose": {
                "direction": purpose.direction,
                "topics": list(purpose.topics),
                "met_where": purpose.met_where,
                "met_url": purpose.met_url,
                "note": purpose.note,
            },
            "source": source,
            "reason": reason[:300],
        },
    )


BATCH = 500


def _posts(person, posts: list[PostPlan], zf, tally: Tally, step) -> None:
    """Re-create posts in bulk batches; a reply waits until what it answers is stored. What is
    here already (found in one pass) is counted and left alone."""
    here = existing_posts(person, [item.original for item in posts])
    pending: list[tuple[PostPlan, ImportItem]] = []
    for item in posts:
        if item.original in here:
            tally.add("posts", "already")
            step()
            continue
        if item.in_reply_to and any(p.original == item.in_reply_to for p, _ in pending):
            _flush(person, pending, here)
        pending.append((item, _item(person, item, here, zf)))
        tally.add("posts", "added")
        step()
        if len(pending) >= BATCH:
            _flush(person, pending, here)
    _flush(person, pending, here)


def _item(person, item: PostPlan, here: dict[str, Post], zf) -> ImportItem:
    parent_id = item.in_reply_to
    item.draft.in_reply_to = here.get(parent_id) if parent_id else None
    if parent_id and item.draft.in_reply_to is None:
        item.draft.in_reply_to = Post.objects.visible_to(person).filter(uri=parent_id).first()
    if item.file_member and zf is not None:
        data = read_member(zf, item.file_member, MAX_FILE_BYTES)
        item.draft.file = SimpleUploadedFile(item.file_name or "file", data)
    return ImportItem(item.draft, item.original, item.created_at, item.edited_at, item.labels)


def _flush(person, pending: list[tuple[PostPlan, ImportItem]], here: dict[str, Post]) -> None:
    """Store the waiting posts; replies later in the file can then point at them."""
    if not pending:
        return
    for (plan, _), post in zip(pending, import_batch(person, [i for _, i in pending]), strict=True):
        here[plan.original] = post
    pending.clear()


def _feeds(person: Person, plan: ImportPlan, tally: Tally) -> None:
    """Hand the OPML list to the feeds app, which subscribes and reports on each feed."""
    if not plan.opml:
        return
    try:
        job = start_opml_import(person, plan.opml)
    except OpmlError as exc:
        tally.notes.append(f"The feeds were not imported: {exc}")
        return
    tally.add("feeds", "in the list", job.total)


def _relations(person: Person, plan: ImportPlan, finder: PeopleFinder, tally: Tally) -> None:
    """Mute and block again the people found (here or on their server); say who was not."""
    for group, addresses, model, make in (
        ("mutes", plan.mutes, Mute, mute),
        ("blocks", plan.blocks, Block, block),
    ):
        missing = []
        for address in addresses:
            target, _reason = finder.find(*split_address(address))
            if target is None:
                missing.append(address)
            elif target.pk == person.pk:
                continue
            elif model.objects.filter(owner=person, target=target).exists():
                tally.add(group, "already")
            else:
                make(person, target)
                tally.add(group, "added")
        if missing:
            tally.add(group, "not found", len(missing))
            shown = ", ".join(missing[:20]) + (" …" if len(missing) > 20 else "")
            tally.notes.append(f"Not found, so not in your {group} here: {shown}.")
