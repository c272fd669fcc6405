"""Parse feed bytes we fetched (never a URL) into plain data, and find feeds in an HTML page.

Our lxml reader (read_xml) reads the bytes without sanitising: summaries go through our one
sanitiser (core.html, with feeds.content's image rules) when stored; links and images
resolve against the base found here (the content's xml:base, the item's page or the feed URL)
when stored (feeds.content.clean_item_html). Bidi overrides are removed from titles.
Documents that declare entities are refused before parsing (T-16: billion laughs, external
entities); a parser that never expands entities, loads no DTD and never reaches the network is
the second line.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

from django.utils import timezone
from django.utils.html import strip_tags

from connective.content.licences import licence_by_url
from connective.core.uris import is_web_url
from connective.feeds.services.content import clean_item_html, plain_name
from connective.feeds.services.read_xml import (
    LICENCE_ELEMENTS,
    LINK_RELS,
    children,
    licence_url,
    licence_urls,
    link_href,
    local,
    markup,
    read_document,
    text,
    when,
)

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/feed+json",
)
ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
DATE_FIELDS = ("published", "pubDate", "date", "issued", "created", "updated", "modified")
RDF_ABOUT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
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
    base: str = ""  # what summary_html's relative addresses are relative to

    @cached_property
    def clean_html(self) -> str:
        """The summary as stored and shown (content.clean_item_html)."""
        return clean_item_html(self.summary_html, self.base)

    @cached_property
    def key_hash(self) -> str:
        """What identifies it: its id, else its link, else its content."""
        return _sha(self.guid or self.link) if (self.guid or self.link) else self.content_hash

    @cached_property
    def link_hash(self) -> str:
        return _sha(self.link) if self.link else ""

    @cached_property
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
    """The feed in data (fetched from url); FeedInvalid with a reason if it is not one.

    content_type is not needed: the document says what it is (the argument stays for callers).
    """
    if ENTITY_DECLARATION.search(data[:65536].replace(b"\x00", b"")):
        raise FeedInvalid("the feed declares XML entities, which are refused for safety")
    try:
        document = read_document(data, url)
        root = document.root
        kind = local(root.tag) if root is not None else ""
        if kind not in ("rss", "RDF", "feed", "channel"):
            if document.error and kind not in ("html", ""):
                raise FeedInvalid(_invalid(document.error))
            raise FeedInvalid("this is not an RSS or Atom feed")
        parsed = _feed(root, kind, url, uses_base=b"xml:base" in data)
    except FeedInvalid:
        raise
    except Exception as exc:  # reading hostile input must never crash the poller
        raise FeedInvalid(f"the feed could not be read ({type(exc).__name__})") from exc
    if document.error and not any(item.guid or item.link for item in parsed.items):
        # Lenient reading of broken XML is kept only when it found items we can tell apart.
        raise FeedInvalid(_invalid(document.error))
    return parsed


def _invalid(reason: str) -> str:
    return f"the feed is not valid XML ({reason})" if reason else "the feed is not valid XML"


def _feed(root: Any, kind: str, url: str, *, uses_base: bool) -> ParsedFeed:
    """The channel's own data and its entries, for each of the formats."""
    atom = kind == "feed"
    channel = root
    if kind in ("rss", "RDF"):
        channel = next((el for name, el in children(root) if name == "channel"), root)
    fields = _fields(channel)
    entries = [el for name, el in children(channel) if name in ("item", "entry")]
    if not entries and channel is not root:  # RSS 1.0 and 0.90 keep items beside the channel
        entries = [el for name, el in children(root) if name == "item"]
    base = _base_of(url, uses_base)
    now = timezone.now()
    explicit_base = _explicit_base if uses_base else None
    return ParsedFeed(
        title=_text(text(fields.get("title")))[:200],
        site_url=_link(fields.get("link", ""), base(channel)),
        description=_text(text(fields.get("subtitle") or fields.get("description")))[:500],
        licence=_licence(licence_urls(channel)),
        items=[
            _item(entry, atom, base(entry), now, explicit_base) for entry in entries[:MAX_ITEMS]
        ],
    )


def _base_of(url: str, uses_base: bool) -> Callable[[Any], str]:
    """How to find an element's base address: xml:base when the document uses it, else the
    feed's own address."""
    if uses_base:
        return lambda element: element.base or url
    return lambda _element: url


def _explicit_base(element: Any) -> str:
    """The address an xml:base on the element or an ancestor gives it ('' if none does)."""
    chain = [element, *element.iterancestors()]
    return (element.base or "") if any(el.get(XML_BASE) for el in chain) else ""


def _text(value: Any) -> str:
    """A one-line plain string (titles may carry HTML: it is shown escaped, tags removed; bidi
    overrides, which would reorder the text shown after it, are removed)."""
    value = str(value or "")
    if "<" in value:  # most titles are plain text: Django's HTML parser only when needed
        value = strip_tags(value)
    if "&" in value:
        value = unescape(value)
    return plain_name(" ".join(value.split()))


def _link(value: str, base: str) -> str:
    link = str(value or "").strip()
    if link and not link.startswith(("https://", "http://")):  # most links are absolute already
        link = urljoin(base, link)
    return link if len(link) <= 2000 and is_web_url(link) else ""


def _fields(element: Any) -> dict[str, Any]:
    """The first child of each name; 'link' is the address (RSS text or Atom alternate href),
    'categories' every category's label."""
    fields: dict[str, Any] = {}
    categories: list[str] = []
    licences: list[str] = []  # in the order licence_urls() gives them
    for name, child in children(element):
        if name == "link":
            rel, href = link_href(child)
            if rel in LINK_RELS and href and "link" not in fields:
                fields["link"] = href
            elif rel == "license":
                licences.append(href)
        elif name in ("category", "subject"):
            categories.append(child.get("term") or child.get("label") or text(child))
        else:
            if name in LICENCE_ELEMENTS:
                licences.append(licence_url(child))
            if name not in fields:
                fields[name] = child
    fields["categories"] = categories
    fields["licences"] = licences
    return fields


def _licence(hrefs: Iterable[str]) -> str:
    """The licence code a feed or entry states (rel="license" links, cc/dc rights URLs)."""
    for href in hrefs:
        lic = licence_by_url(href) if href else None
        if lic is not None:
            return lic.code
    return ""


def _summary(fields: dict[str, Any], atom: bool) -> tuple[str, Any]:
    """The entry's fullest HTML and its element: Atom content else summary; RSS content:encoded
    else description (media:content and the like are not text)."""
    for name in ("content", "summary") if atom else ("encoded", "description", "summary"):
        element = fields.get(name)
        if element is not None and element.get("src") is None:
            found = markup(element, atom)
            if found.strip():
                return found, element
    return "", None


def _summary_html(
    fields: dict[str, Any], atom: bool, link: str, base: str, explicit: Callable | None
) -> tuple[str, str]:
    """The summary, and the address its relative addresses resolve against: as the specs say,
    the content's xml:base, else the item's own page, else the feed's address."""
    html, element = _summary(fields, atom)
    if not html:
        return "", ""
    given = explicit(element) if explicit is not None and element is not None else ""
    return html[:MAX_SUMMARY], given or link or base


def _item(
    entry: Any, atom: bool, base: str, now: datetime, explicit: Callable | None = None
) -> ParsedItem:
    fields = _fields(entry)
    guid_el = fields.get("guid") if not atom else fields.get("id")
    guid = text(guid_el).strip() or (entry.get(RDF_ABOUT) or "")
    link = fields.get("link", "")
    if not link and guid_el is not None and guid_el.get("isPermaLink", "true") != "false":
        link = guid  # an RSS guid is a permalink unless it says otherwise
    published = None
    for name in DATE_FIELDS:
        if name in fields:
            published = when(text(fields[name]), now)
            if published is not None:
                break
    tags = [t.strip()[:100] for t in fields["categories"] if t and t.strip()]
    link = _link(link, base)
    summary, summary_base = _summary_html(fields, atom, link, base, explicit)
    return ParsedItem(
        guid=guid[:500],
        link=link,
        title=_text(text(fields.get("title")))[:200],
        summary_html=summary,
        base=summary_base,
        categories=tags[:20],
        published_at=published,
        licence=_licence(fields["licences"]),
    )


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
