"""OPML: import a list of subscriptions (bounded, resumable, reported) and export mine.

The file's bytes go to listparser (never a URL). Outlines of type "include" are listed as
rejected, not followed (T-17); at most MAX_OUTLINES are imported. The job row holds what is
left and what happened to each, so an import that dies half way goes on where it stopped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from typing import Any

import listparser
from django.db import IntegrityError, transaction
from django.utils import timezone

from connective.accounts.models import Person
from connective.feeds.models import Feed, OpmlImport, Subscription
from connective.feeds.services.content import plain_name
from connective.feeds.services.parse import ENTITY_DECLARATION
from connective.feeds.services.subscribe import SubscribeError, check_feed_address

MAX_OPML_BYTES = 1024 * 1024
MAX_OUTLINES = 500
SAVE_EVERY = 25
STALE_MINUTES = 5  # no progress saved for this long: the import stopped
ADDED, EXISTING, REJECTED = "added", "existing", "rejected"


class OpmlError(Exception):
    """The file cannot be imported at all; str() says why."""


def start_import(person: Person, data: bytes) -> OpmlImport:
    """Read the file and queue its outlines; OpmlError if it is not an OPML list we accept."""
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"The file is larger than {MAX_OPML_BYTES // 1024} KB.")
    if ENTITY_DECLARATION.search(data.replace(b"\x00", b"")):
        raise OpmlError("The file declares XML entities, which are refused for safety.")
    try:
        parsed = listparser.parse(data)
    except Exception as exc:  # a hostile file must not be a 500
        raise OpmlError("The file could not be read as OPML.") from exc
    feeds = parsed.get("feeds", [])
    lists = parsed.get("lists", [])
    if not feeds and not lists:
        raise OpmlError("No subscriptions found in the file.")
    outlines, results = _split(feeds, lists)
    job = OpmlImport.objects.create(
        person=person, outlines=outlines, results=results, total=len(outlines) + len(results)
    )
    from connective.feeds.tasks import opml_import_task

    opml_import_task.enqueue(job.pk)
    return job


def resume_imports(now: datetime | None = None) -> list[int]:
    """Imports that made no progress for a while (a worker died, a task was lost) go on (a
    sweep). One still running saves every SAVE_EVERY outlines, so it is left alone: two
    workers on one import would each import the same outlines."""
    from connective.feeds.tasks import opml_import_task

    stale = (now or timezone.now()) - timedelta(minutes=STALE_MINUTES)
    ids = list(
        OpmlImport.objects.exclude(status=OpmlImport.Status.DONE)
        .filter(touched_at__lt=stale)
        .values_list("pk", flat=True)[:20]
    )
    for pk in ids:
        opml_import_task.enqueue(pk)
    return ids


def _split(feeds: list[Any], lists: list[Any]) -> tuple[list[dict], list[dict]]:
    """(outlines to import, results already known: includes and those over the cap)."""
    outlines: list[dict] = []
    results: list[dict] = []
    seen: set[str] = set()
    for item in lists:
        url = str(item.get("url", ""))[:500]
        results.append(_result(url, item.get("title", ""), REJECTED, "includes are not followed"))
    for item in feeds:
        url = str(item.get("url", "")).strip()[:2000]
        title = plain_name(str(item.get("title", "") or ""))[:200]
        if url in seen:
            continue
        seen.add(url)
        if len(outlines) >= MAX_OUTLINES:
            reason = f"over the limit of {MAX_OUTLINES} feeds in one import"
            results.append(_result(url[:500], title, REJECTED, reason))
        else:
            outlines.append({"url": url, "title": title})
    return outlines, results


def _result(url: str, title: str, outcome: str, reason: str = "") -> dict:
    return {"url": url, "title": str(title or "")[:200], "outcome": outcome, "reason": reason}


def run_import(import_id: int) -> OpmlImport | None:
    """Subscribe to each remaining outline, saving progress as it goes."""
    job = OpmlImport.objects.filter(pk=import_id).select_related("person").first()
    if job is None or job.status == OpmlImport.Status.DONE:
        return job
    job.status = OpmlImport.Status.RUNNING
    job.save(update_fields=["status"])
    while job.outlines:
        batch, job.outlines = job.outlines[:SAVE_EVERY], job.outlines[SAVE_EVERY:]
        job.results = job.results + [_import_one(job.person, o) for o in batch]
        job.save(update_fields=["outlines", "results"])
    job.status, job.finished_at = OpmlImport.Status.DONE, timezone.now()
    job.save(update_fields=["status", "finished_at"])
    return job


def _import_one(person: Person, outline: dict) -> dict:
    """Subscribe to one outline's feed without fetching it now (the poller will).

    The address must pass what following a feed checks before fetching (check_feed_address):
    an address that would be refused then is refused here, with the same reason, not added.
    """
    title = outline.get("title", "")
    try:
        url = check_feed_address(outline.get("url", ""))
    except SubscribeError as exc:
        return _result(outline.get("url", "")[:500], title, REJECTED, str(exc))
    feed, _ = Feed.objects.get_or_create(
        url=url, defaults={"title": title, "next_poll_at": timezone.now()}
    )
    try:
        with transaction.atomic():
            _, created = Subscription.objects.get_or_create(person=person, feed=feed)
    except IntegrityError:
        created = False
    return _result(url, title or feed.title, ADDED if created else EXISTING)


def export_opml(person: Person) -> bytes:
    """My subscriptions as an OPML 2.0 document."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = f"Feeds followed by {person.name}"
    ET.SubElement(head, "dateCreated").text = timezone.now().strftime("%a, %d %b %Y %H:%M:%S GMT")
    body = ET.SubElement(root, "body")
    subs = Subscription.objects.filter(person=person).select_related("feed").order_by("id")
    for sub in subs:
        attrs = {"type": "rss", "text": sub.name, "title": sub.name, "xmlUrl": sub.feed.url}
        if sub.feed.site_url:
            attrs["htmlUrl"] = sub.feed.site_url
        ET.SubElement(body, "outline", attrs)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
