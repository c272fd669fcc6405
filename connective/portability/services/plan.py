"""Read an archive into an import plan, checking every record before the database is touched."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from connective.content.licences import LICENCES
from connective.content.models import Kind, State, Visibility
from connective.content.services.posts import LIMITS, PostDraft, PostError, check_draft
from connective.network.models import Direction
from connective.network.services.connections import ConnectError, Purpose
from connective.portability import format as fmt
from connective.portability.services.archive import (
    ArchiveError,
    iter_lines,
    read_json,
    read_manifest,
    read_member,
)

MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass
class Contact:
    """Someone to connect with again: their addresses and the purpose."""

    name: str
    acct: str
    uri: str
    urls: list[str]
    purpose: Purpose
    status: str = "active"
    dates: dict[str, datetime] = field(default_factory=dict)  # when it started, and so on


@dataclass
class PostPlan:
    """A post to re-create, checked; its file is read from the archive only when applied."""

    original: str
    draft: PostDraft
    created_at: datetime
    edited_at: datetime | None
    in_reply_to: str | None
    file_member: str | None
    file_name: str
    labels: list[str] | None = None  # its topics, once checked (None: check when applying)


@dataclass
class Account:
    """Whose archive this is, from its manifest and profile."""

    acct: str = ""
    uri: str = ""
    name: str = ""
    instance: str = ""


@dataclass
class BoostPlan:
    """A boost to make again: the post's address and when it was boosted."""

    post: str
    created_at: datetime | None
    original: str = ""  # where my own boosted post first came from, if imported there

    @property
    def addresses(self) -> list[str]:
        return [a for a in (self.post, self.original) if a]


@dataclass
class ImportPlan:
    """Everything an import would do, and what it refused (with reasons)."""

    source: str
    contacts: list[Contact] = field(default_factory=list)
    posts: list[PostPlan] = field(default_factory=list)
    followed_topics: list[str] = field(default_factory=list)
    profile: dict[str, Any] = field(default_factory=dict)
    mutes: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)
    opml: bytes = b""
    feeds: int = 0  # subscriptions in the OPML list
    boosts: list[BoostPlan] = field(default_factory=list)
    account: Account | None = None  # whose archive (Connective archives)
    statements: int = 0
    elsewhere: dict[str, int] = field(default_factory=dict)  # spaces, courses left behind
    rejected: list[str] = field(default_factory=list)


def _text(record: dict, key: str, limit: int = 5000) -> str:
    value = record.get(key) or ""
    if not isinstance(value, str):
        raise ValueError(f"{key} is not text")
    if len(value) > limit:
        raise ValueError(f"{key} is too long")
    return value


def _date(record: dict, key: str, required: bool = False) -> datetime | None:
    raw = record.get(key)
    if not raw:
        if required:
            raise ValueError(f"{key} is missing")
        return None
    value = parse_datetime(raw) if isinstance(raw, str) else None
    if value is None or value.tzinfo is None:
        raise ValueError(f"{key} is not a date with a time zone")
    return value


def contact_from(record: dict) -> Contact:
    """A contact from a connections.jsonl record (ValueError with a reason if unusable)."""
    person = record.get("person")
    if not isinstance(person, dict):
        raise ValueError("no person")
    acct, uri = _text(person, "acct", 300), _text(person, "uri", 500)
    if not acct and not uri:
        raise ValueError("the person has no address")
    topics = record.get("topics") or []
    if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
        raise ValueError("topics are not a list of names")
    direction = record.get("direction")
    if direction not in Direction.values:
        raise ValueError(f"unknown direction {str(direction)[:30]!r}")
    purpose = Purpose(
        direction=direction,
        topics=topics,
        met_where=_text(record, "met_where", 200),
        met_url=_text(record, "met_url", 500),
        note=_text(record, "note", 2000),
    )
    try:
        purpose.check()
    except ConnectError as exc:
        raise ValueError(str(exc)) from exc
    urls = [u for u in [person.get("url")] if isinstance(u, str) and u]
    contact = Contact(_text(person, "name", 200), acct, uri, urls, purpose)
    contact.dates = _connection_dates(record)
    return contact


CONNECTION_DATES = ("created_at", "accepted_at", "last_interaction_at")


def _connection_dates(record: dict) -> dict[str, datetime]:
    """The connection's own dates that make sense (a bad or future one is left out, not the
    connection)."""
    dates = {}
    now = timezone.now()
    for key in CONNECTION_DATES:
        try:
            value = _date(record, key)
        except ValueError:
            continue
        if value is not None and value <= now:
            dates[key] = value
    return dates


def post_from(record: dict, members: set[str]) -> PostPlan:
    """A post from a posts.jsonl record (ValueError with a reason if unusable)."""
    kind = record.get("kind")
    if kind not in Kind.values:
        raise ValueError(f"unknown kind {str(kind)[:30]!r}")
    licence = record.get("licence") or {}
    code = licence.get("code", "") if isinstance(licence, dict) else ""
    if code and code not in LICENCES:
        raise ValueError(f"unknown licence {code[:30]!r}")
    state = record.get("state") or State.PUBLISHED
    visibility = record.get("visibility") or Visibility.PUBLIC
    if record.get("space"):  # its space (and who could read it) stays behind: keep it to me
        visibility = Visibility.PRIVATE
    if state not in State.values or visibility not in Visibility.values:
        raise ValueError("unknown state or audience")
    member = record.get("file")
    if member and member not in members:
        raise ValueError("its file is missing from the archive")
    draft = PostDraft(
        kind=kind,
        title=_text(record, "title", LIMITS["title"]),
        body=_text(record, "body", LIMITS["article"]),
        link_url=_text(record, "link_url", LIMITS["url"]),
        licence=code,
        visibility=visibility,
        topics=[t for t in record.get("topics") or [] if isinstance(t, str)],
        state=State.DRAFT if state == State.SCHEDULED else state,
    )
    try:
        labels = check_draft(draft, has_file=bool(member))
    except PostError as exc:
        raise ValueError(str(exc)) from exc
    original = _text(record, "imported_from", 500) or _text(record, "id", 500)
    if not original.startswith(("http://", "https://")):
        raise ValueError("it has no address")
    reply_to = record.get("in_reply_to")
    return PostPlan(
        original=original,
        draft=draft,
        created_at=_date(record, "created_at", required=True),  # type: ignore[arg-type]
        edited_at=_date(record, "edited_at"),
        in_reply_to=reply_to if isinstance(reply_to, str) else None,
        file_member=member or None,
        file_name=_text(record, "file_name", 200),
        labels=labels,
    )


def boost_from(record: dict) -> BoostPlan:
    """A boost from a boosts.jsonl record (ValueError with a reason if unusable)."""
    post = _text(record, "post", 500)
    if not post.startswith(("http://", "https://")):
        raise ValueError("the boosted post has no address")
    original = _text(record, "post_imported_from", 500)
    if not original.startswith(("http://", "https://")):
        original = ""
    return BoostPlan(post, _date(record, "created_at"), original)


def account_from(manifest: dict, profile: dict) -> Account:
    """Whose archive it is (an unreadable manifest entry gives an empty account)."""
    person = manifest.get("person")
    person = person if isinstance(person, dict) else {}

    def text(record: dict, key: str) -> str:
        value = record.get(key)
        return value[:500] if isinstance(value, str) else ""

    return Account(
        acct=text(person, "acct"),
        uri=text(person, "uri"),
        name=text(profile, "display_name")[:200],
        instance=text(manifest, "instance"),
    )


def _rows(zf, name: str, make, plan: ImportPlan, into: list) -> None:
    if name not in zf.namelist():
        return
    for number, record in iter_lines(zf, name):
        try:
            into.append(make(record))
        except (ValueError, TypeError, AttributeError) as exc:
            plan.rejected.append(f"{name} line {number}: {exc}.")


def plan_connective(zf: zipfile.ZipFile) -> ImportPlan:
    """The plan for a Connective archive; ArchiveError if the archive itself is unusable."""
    manifest = read_manifest(zf)
    plan = ImportPlan(source="connective")
    names = set(zf.namelist())
    _rows(zf, fmt.CONNECTIONS, contact_from, plan, plan.contacts)
    _rows(zf, fmt.POSTS, lambda r: post_from(r, names), plan, plan.posts)
    _rows(zf, fmt.BOOSTS, boost_from, plan, plan.boosts)
    if fmt.PROFILE in names:
        profile = read_json(zf, fmt.PROFILE, 1024 * 1024)
        plan.profile = profile if isinstance(profile, dict) else {}
    plan.account = account_from(manifest, plan.profile)
    if fmt.TOPICS in names:
        topics = read_json(zf, fmt.TOPICS, 1024 * 1024)
        followed = topics.get("followed", []) if isinstance(topics, dict) else []
        plan.followed_topics = [t for t in followed if isinstance(t, str)][:500]
    if fmt.RELATIONS in names:
        _relations(plan, read_json(zf, fmt.RELATIONS, 5 * 1024 * 1024))
    if fmt.FEEDS in names:
        plan.opml = read_member(zf, fmt.FEEDS, 5 * 1024 * 1024)
    plan.statements = sum(1 for n in names if n.startswith(fmt.STATEMENTS_DIR))
    for what, member in (("spaces", fmt.SPACES), ("courses", fmt.COURSES)):
        rows = read_json(zf, member, 5 * 1024 * 1024) if member in names else []
        if isinstance(rows, list) and rows:
            plan.elsewhere[what] = len(rows)
    return plan


def _relations(plan: ImportPlan, data: Any) -> None:
    if not isinstance(data, dict):
        raise ArchiveError(f"{fmt.RELATIONS} is not a record.")
    for key, into in (("blocks", plan.blocks), ("mutes", plan.mutes)):
        for row in data.get(key) or []:
            address = row.get("uri") or row.get("acct") if isinstance(row, dict) else None
            if isinstance(address, str) and address:
                into.append(address)
