"""Read what Mastodon exports: following_accounts.csv, lists.csv, bookmarks.csv, and the outbox
of its archive. Follows become connections to learn from; list names become their topics."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import datetime
from html import unescape as unescape_entities
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.html import strip_tags

from connective.content.models import Kind, Visibility
from connective.content.services.posts import LIMITS, PostDraft, PostError, check_draft
from connective.network.models import Direction
from connective.network.services.connections import Purpose
from connective.portability.services.archive import ArchiveError, read_json, read_member
from connective.portability.services.plan import Account, Contact, ImportPlan, PostPlan

MAX_CSV_BYTES = 5 * 1024 * 1024
MAX_CSV_ROWS = 20_000
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
ACCT = re.compile(r"^@?[A-Za-z0-9_.\-]{1,64}@[A-Za-z0-9.\-]{1,253}(:[0-9]{1,5})?$")


def _rows(data: bytes) -> list[list[str]]:
    if len(data) > MAX_CSV_BYTES:
        raise ArchiveError("The CSV file is too large to import.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArchiveError("The CSV file is not UTF-8 text.") from exc
    try:
        rows = [row for row in csv.reader(io.StringIO(text)) if row]
    except csv.Error as exc:
        raise ArchiveError(f"The CSV file cannot be read ({exc}).") from exc
    if len(rows) > MAX_CSV_ROWS:
        raise ArchiveError(f"The CSV file has more than {MAX_CSV_ROWS:,} rows.")
    return rows


def csv_kind(data: bytes) -> str:
    """Which Mastodon CSV this is: following, lists or bookmarks."""
    rows = _rows(data)
    if rows and rows[0] and rows[0][0].strip().lower() == "account address":
        return "following"
    if rows and all(len(r) >= 2 and ACCT.match(r[1].strip()) for r in rows[:20]):
        return "lists"
    if rows and all(r[0].startswith(("http://", "https://")) for r in rows[:20]):
        return "bookmarks"
    raise ArchiveError(
        "This CSV file is not one of those Mastodon exports (the accounts you follow, your "
        "lists or your bookmarks)."
    )


def _contact(acct: str, topics: list[str]) -> Contact:
    purpose = Purpose(direction=Direction.LEARN_FROM, topics=topics[:12], met_where="Mastodon")
    return Contact(name="", acct=acct.lstrip("@"), uri="", urls=[], purpose=purpose)


def plan_csv(data: bytes, plan: ImportPlan | None = None) -> ImportPlan:
    """Add one Mastodon CSV to a plan (a new one if none is given)."""
    plan = plan or ImportPlan(source="mastodon")
    kind, rows = csv_kind(data), _rows(data)
    if kind == "following":
        for number, row in enumerate(rows[1:], start=2):
            acct = row[0].strip()
            if ACCT.match(acct):
                plan.contacts.append(_contact(acct, []))
            else:
                plan.rejected.append(f"following_accounts.csv line {number}: not an address.")
    elif kind == "lists":
        _lists(rows, plan)
    else:
        _bookmarks(rows, plan)
    return plan


def _lists(rows: list[list[str]], plan: ImportPlan) -> None:
    """lists.csv: (list name, account) rows; each list name becomes a topic of the purpose."""
    by_acct: dict[str, list[str]] = {}
    for row in rows:
        acct = row[1].strip().lstrip("@")
        if ACCT.match(acct) and row[0].strip():
            by_acct.setdefault(acct, []).append(row[0].strip()[:64])
    known = {c.acct.lower(): c for c in plan.contacts}
    for acct, lists in by_acct.items():
        contact = known.get(acct.lower())
        if contact is None:
            plan.contacts.append(_contact(acct, lists))
        else:
            contact.purpose.topics = [*contact.purpose.topics, *lists][:12]


def _bookmarks(rows: list[list[str]], plan: ImportPlan) -> None:
    """bookmarks.csv: each bookmarked post becomes a private resource pointing at it."""
    now = datetime.now().astimezone()
    for number, row in enumerate(rows, start=1):
        url = row[0].strip()
        draft = PostDraft(
            kind=Kind.RESOURCE,
            title=f"Bookmarked: {url}"[: LIMITS["title"]],
            link_url=url,
            licence="arr",
            visibility=Visibility.PRIVATE,
        )
        try:
            check_draft(draft)
        except PostError as exc:
            plan.rejected.append(f"bookmarks.csv line {number}: {exc}")
            continue
        plan.posts.append(PostPlan(f"{url}#bookmark", draft, now, None, None, None, ""))


def _html_to_text(html: str) -> str:
    text = re.sub(r"(?i)<br\s*/?>", "\n", html)
    text = re.sub(r"(?i)</p>\s*", "\n\n", text)
    return unescape_entities(strip_tags(text)).strip()


def _visibility(activity: dict[str, Any]) -> str:
    to, cc = activity.get("to") or [], activity.get("cc") or []
    if PUBLIC in to:
        return Visibility.PUBLIC
    if PUBLIC in cc:
        return Visibility.UNLISTED
    if any(isinstance(a, str) and a.endswith("/followers") for a in to):
        return Visibility.NETWORK
    return Visibility.PRIVATE


def _note(item: Any) -> PostPlan:
    if not isinstance(item, dict) or item.get("type") != "Create":
        raise ValueError("not a post")
    obj = item.get("object")
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
        raise ValueError("a post without an address")
    published = parse_datetime(str(obj.get("published") or item.get("published") or ""))
    if published is None:
        raise ValueError("a post without a date")
    tags = [t.get("name", "").lstrip("#") for t in obj.get("tag") or [] if isinstance(t, dict)]
    body = _html_to_text(str(obj.get("content") or ""))[: LIMITS["note"]]
    draft = PostDraft(
        kind=Kind.NOTE,
        body=body or "(no text)",
        visibility=_visibility(item),
        topics=[t for t in tags if t][:12],
    )
    try:
        check_draft(draft)
    except PostError as exc:
        raise ValueError(str(exc)) from exc
    reply = obj.get("inReplyTo")
    return PostPlan(
        obj["id"], draft, published, None, reply if isinstance(reply, str) else None, None, ""
    )


def _account(item: dict) -> Account | None:
    """Whose outbox this is, from an item's actor (checked like a Connective archive's)."""
    actor = item.get("actor")
    if isinstance(actor, str) and actor.startswith(("http://", "https://")):
        return Account(uri=actor[:500])
    return None


def plan_mastodon_archive(zf: zipfile.ZipFile) -> ImportPlan:
    """The plan for a Mastodon archive: its outbox's posts, and any CSVs packed beside it."""
    plan = ImportPlan(source="mastodon")
    names = set(zf.namelist())
    if "outbox.json" in names:
        outbox = read_json(zf, "outbox.json", 200 * 1024 * 1024)
        items = outbox.get("orderedItems") if isinstance(outbox, dict) else None
        for number, item in enumerate(items if isinstance(items, list) else [], start=1):
            if plan.account is None and isinstance(item, dict):
                plan.account = _account(item)
            if isinstance(item, dict) and item.get("type") == "Announce":
                continue  # boosts are other people's posts
            try:
                plan.posts.append(_note(item))
            except (ValueError, TypeError) as exc:
                plan.rejected.append(f"outbox.json item {number}: {exc}.")
    for name in ("following_accounts.csv", "lists.csv", "bookmarks.csv"):
        if name in names:
            plan_csv(read_member(zf, name, MAX_CSV_BYTES), plan)
    return plan
