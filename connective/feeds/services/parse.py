"""Parse feed bytes we fetched (never a URL) into plain data, and find feeds in an HTML page.

feedparser reads the bytes with its own sanitiser and URL resolver off: summaries go through
our one sanitiser (core.html) when stored, and links are resolved here against the feed URL.
Documents that declare entities are refused before parsing (T-16: billion laughs, external
entities); expat's amplification limit and feedparser's loose mode are the second line.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

import feedparser
from django.utils import timezone
from django.utils.html import strip_tags

from connective.content.licences import licence_by_url
from connective.core.uris import is_web_url

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/feed+json",
)
ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_RELATIVE = re.compile(
    r"""(\s(?:href|src)\s*=\s*)(["'])(?![a-z][a-z0-9+.-]*:|#)([^"'<>]*)\2""", re.IGNORECASE
)
MAX_ITEMS = 200
MAX_SUMMARY = 100_000


class FeedInvalid(Exception):
    """The bytes are not a feed we can read; str() says why."""


@dataclass
class ParsedItem:
    """One entry, as plain data."""

    guid: str
    link: str
    title: str
    summary_html: str
    categories: list[str]
    published_at: datetime | None
    licence: str = ""

    @property
    def key_hash(self) -> str:
        """What identifies it: its id, else its link, else its content."""
        return _sha(self.guid or self.link) if (self.guid or self.link) else self.content_hash

    @property
    def link_hash(self) -> str:
        return _sha(self.link) if self.link else ""

    @property
    def content_hash(self) -> str:
        return _sha("\0".join((self.title, self.summary_html, self.link)))


@dataclass
class ParsedFeed:
    """A feed's own data and its entries."""

    title: str = ""
    site_url: str = ""
    description: str = ""
    licence: str = ""
    items: list[ParsedItem] = field(default_factory=list)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def looks_like_feed(content_type: str, data: bytes) -> bool:
    """Whether a response is a feed rather than a web page."""
    if content_type in FEED_TYPES or content_type.endswith(("+xml", "/xml")):
        return True
    head = data[:1024].lstrip().lower()
    return head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed", b"<rdf"))


def parse_feed(data: bytes, url: str, content_type: str = "") -> ParsedFeed:
    """The feed in data (fetched from url); FeedInvalid with a reason if it is not one."""
    if ENTITY_DECLARATION.search(data[:65536].replace(b"\x00", b"")):
        raise FeedInvalid("the feed declares XML entities, which are refused for safety")
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    try:
        parsed = feedparser.parse(
            data, response_headers=headers, sanitize_html=False, resolve_relative_uris=False
        )
    except Exception as exc:  # feedparser is a large parser of hostile input: never crash
        raise FeedInvalid(f"the feed could not be read ({type(exc).__name__})") from exc
    channel = parsed.get("feed", {})
    entries = parsed.get("entries", [])
    if parsed.get("bozo") and not _identifiable(entries):
        # Loose parsing of broken XML is kept only when it found items we can tell apart.
        raise FeedInvalid(_bozo_reason(parsed.get("bozo_exception")))
    if not parsed.get("version") and not entries:
        raise FeedInvalid("this is not an RSS or Atom feed")
    return ParsedFeed(
        title=_text(channel.get("title", ""))[:200],
        site_url=_link(channel.get("link", ""), url),
        description=_text(channel.get("subtitle", ""))[:500],
        licence=_licence(channel),
        items=[_item(entry, url) for entry in entries[:MAX_ITEMS]],
    )


def _identifiable(entries: list[Any]) -> bool:
    return any(entry.get("link") or entry.get("id") for entry in entries)


def _bozo_reason(exc: object) -> str:
    text = str(exc or "").strip()[:200]
    return f"the feed is not valid XML ({text})" if text else "the feed is not valid XML"


def _text(value: Any) -> str:
    """A one-line plain string (titles may carry HTML: it is shown escaped, tags removed)."""
    return " ".join(unescape(strip_tags(str(value or ""))).split())


def _link(value: str, base: str) -> str:
    link = urljoin(base, str(value or "").strip()) if value else ""
    return link if len(link) <= 2000 and is_web_url(link) else ""


def _licence(data: Any) -> str:
    """The licence code a feed or entry states (rel="license" links, dc/cc rights URLs)."""
    candidates = [data.get("license", ""), data.get("rights_detail", {}).get("href", "")]
    candidates += [
        link.get("href", "") for link in data.get("links", []) if link.get("rel") == "license"
    ]
    for href in candidates:
        lic = licence_by_url(str(href or "")) if href else None
        if lic is not None:
            return lic.code
    return ""


def _when(entry: Any) -> datetime | None:
    """When it was published (or updated), never in the future."""
    # dict.get: feedparser's own get() maps one to the other with a deprecation warning.
    stamp = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    if not stamp:
        return None
    try:
        when = datetime.fromtimestamp(calendar.timegm(stamp), tz=UTC)
    except (OverflowError, ValueError, OSError, TypeError):
        return None
    return min(when, timezone.now())


def _item(entry: Any, base: str) -> ParsedItem:
    content = entry.get("content") or []
    summary = content[0].get("value", "") if content else entry.get("summary", "")
    tags = [str(t.get("term") or t.get("label") or "") for t in entry.get("tags", [])]
    return ParsedItem(
        guid=str(entry.get("id", "") or "")[:500],
        link=_link(entry.get("link", ""), base),
        title=_text(entry.get("title", ""))[:200],
        summary_html=absolute_links(str(summary or "")[:MAX_SUMMARY], base),
        categories=[t.strip()[:100] for t in tags if t.strip()][:20],
        published_at=_when(entry),
        licence=_licence(entry),
    )


def absolute_links(html: str, base: str) -> str:
    """Relative href/src values made absolute against the feed's address (they would otherwise
    point into this site once shown here)."""
    if "=" not in html:
        return html

    def fix(match: re.Match[str]) -> str:
        url = urljoin(base, unescape(match.group(3)).strip())
        return f"{match.group(1)}{match.group(2)}{url}{match.group(2)}"

    return _RELATIVE.sub(fix, html)


class _AlternateLinks(HTMLParser):
    """Collects <link rel="alternate" type="…feed type…" href="…"> from a page's head."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "link" or len(self.found) >= 20:
            return
        values = {name: (value or "") for name, value in attrs}
        rels = values.get("rel", "").lower().split()
        kind = values.get("type", "").lower().split(";")[0].strip()
        if "alternate" in rels and kind in FEED_TYPES and values.get("href"):
            self.found.append((values["href"].strip(), values.get("title", "")))


def discover_feeds(html: bytes, base: str) -> list[str]:
    """Feed URLs a web page advertises, absolute, in the page's order."""
    parser = _AlternateLinks()
    try:
        parser.feed(html[:1_000_000].decode("utf-8", "replace"))
        parser.close()
    except Exception:  # a broken page is a page without feeds
        return []
    urls = [_link(href, base) for href, _title in parser.found]
    return list(dict.fromkeys(url for url in urls if url))
