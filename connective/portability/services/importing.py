"""Turn an uploaded file into an import plan, whatever it is: a Connective archive, a Mastodon
archive or CSV, or an OPML list of feeds."""

from __future__ import annotations

import zipfile
from typing import IO

from connective.portability import format as fmt
from connective.portability.services.archive import ArchiveError, open_archive
from connective.portability.services.mastodon import plan_csv, plan_mastodon_archive
from connective.portability.services.plan import ImportPlan, plan_connective

MAX_OPML_BYTES = 5 * 1024 * 1024


def sniff(head: bytes) -> str:
    """ "zip", "opml" or "csv" from a file's first bytes."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    lowered = head[:2048].lower()
    if b"<opml" in lowered or (lowered.lstrip().startswith(b"<?xml") and b"<opml" in lowered):
        return "opml"
    return "csv"


def plan_file(source: IO[bytes]) -> tuple[ImportPlan, zipfile.ZipFile | None]:
    """The checked plan for an uploaded file, and the open archive its files come from."""
    head = source.read(4096)
    source.seek(0)
    kind = sniff(head)
    if kind == "zip":
        zf = open_archive(source)
        names = set(zf.namelist())
        if fmt.MANIFEST in names:
            return plan_connective(zf), zf
        if names & {"outbox.json", "following_accounts.csv", "lists.csv", "bookmarks.csv"}:
            return plan_mastodon_archive(zf), zf
        raise ArchiveError(
            "This zip is neither a Connective archive nor a Mastodon export we can read."
        )
    data = source.read(MAX_OPML_BYTES + 1)
    if len(data) > MAX_OPML_BYTES:
        raise ArchiveError("The file is too large to import.")
    if kind == "opml":
        return ImportPlan(source="opml", opml=data), None
    return plan_csv(data), None
