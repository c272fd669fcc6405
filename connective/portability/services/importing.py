"""Turn an uploaded file into an import plan, whatever it is: a Connective archive, a Mastodon
archive or CSV, or an OPML list of feeds. The file's first bytes decide, and its name's
extension says what the person meant, so a file that is not what it claims gets its own reason."""

from __future__ import annotations

import zipfile
from typing import IO

import listparser

from connective.feeds.services.parse import ENTITY_DECLARATION
from connective.portability import format as fmt
from connective.portability.services.archive import ArchiveError, open_archive
from connective.portability.services.mastodon import plan_csv, plan_mastodon_archive
from connective.portability.services.plan import ImportPlan, plan_connective

MAX_OPML_BYTES = 5 * 1024 * 1024
WHAT_WE_READ = "We can read a Connective or Mastodon archive (.zip), a Mastodon CSV or an OPML file"


def sniff(head: bytes) -> str:
    """ "zip", "opml", "html", "empty" or "text" from a file's first bytes."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    lowered = head[:2048].lower().lstrip(b"\xef\xbb\xbf \t\r\n")
    if not lowered:
        return "empty"
    if b"<opml" in lowered:
        return "opml"
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<body" in lowered:
        return "html"
    return "text"


def extension(name: str) -> str:
    """The name's extension, lower case with its dot ("" if none)."""
    base = name.rsplit("/", 1)[-1]
    return base[base.rfind(".") :].lower()[:10] if "." in base.lstrip(".") else ""


def _refuse(kind: str, ext: str) -> None:
    """ArchiveError when the file is not what its name says, or not one we read."""
    if ext == ".zip":
        raise ArchiveError("This .zip file is empty or damaged.")
    if kind == "empty":
        raise ArchiveError("The file is empty.")
    if ext in (".opml", ".xml") and kind != "opml":
        found = "a web page (HTML)" if kind == "html" else "it has no <opml> list in it"
        raise ArchiveError(f"This file is not OPML: {found}.")
    if kind == "html":
        raise ArchiveError(f"{WHAT_WE_READ}; this is a web page (HTML).")
    if kind == "text" and ext not in ("", ".csv"):
        raise ArchiveError(f"{WHAT_WE_READ}; this is a {ext} file.")


def feed_count(data: bytes) -> int:
    """How many subscriptions an OPML list holds (0 if it cannot be read)."""
    if not data or ENTITY_DECLARATION.search(data.replace(b"\x00", b"")):
        return 0
    try:
        parsed = listparser.parse(data)
    except Exception:  # a hostile file is no feeds, not a failure
        return 0
    return len(parsed.get("feeds", [])) + len(parsed.get("lists", []))


def plan_file(source: IO[bytes], name: str = "") -> tuple[ImportPlan, zipfile.ZipFile | None]:
    """The checked plan for an uploaded file (its name as uploaded), and the open archive its
    files come from."""
    head = source.read(4096)
    source.seek(0)
    kind, ext = sniff(head), extension(name)
    if kind == "zip":
        return _plan_zip(source)
    _refuse(kind, ext)
    data = source.read(MAX_OPML_BYTES + 1)
    if len(data) > MAX_OPML_BYTES:
        raise ArchiveError("The file is too large to import.")
    if kind == "opml":
        feeds = feed_count(data)
        if not feeds:
            raise ArchiveError("This OPML file lists no feeds we can read.")
        return ImportPlan(source="opml", opml=data, feeds=feeds), None
    return plan_csv(data), None


def _plan_zip(source: IO[bytes]) -> tuple[ImportPlan, zipfile.ZipFile]:
    zf = open_archive(source)
    names = set(zf.namelist())
    if not names:
        raise ArchiveError("This .zip file is empty or damaged: it holds no files.")
    if fmt.MANIFEST in names:
        plan = plan_connective(zf)
        plan.feeds = feed_count(plan.opml)
        if not plan.feeds:  # every export writes feeds.opml, most with no feeds in it
            plan.opml = b""
        return plan, zf
    if names & {"outbox.json", "following_accounts.csv", "lists.csv", "bookmarks.csv"}:
        return plan_mastodon_archive(zf), zf
    raise ArchiveError(
        "This .zip file is neither a Connective archive nor a Mastodon export we can read."
    )
