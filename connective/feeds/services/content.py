"""A feed item's HTML made fit to show here (issue 6), and feed-provided names made safe to show.

An item's content is written for its own site: relative addresses there would point into ours
once the HTML is shown here (`<img src="x">` on the home page asks us for `/home/x`). So every
link and image address is made absolute against the content's `xml:base`, else the item's own
page, else the feed's address; what is not http(s) (or a mailto: link) afterwards is dropped.

Images are requests from the reader's browser to the feed's server, which then learns who read
the item and when. We keep https images (the page's CSP allows them) but drop:
- plain-http images (mixed content: the browser blocks or warns, and they travel in clear);
- tracking pixels: images declared 0, 1 or 2 pixels wide or high;
- every image after the first MAX_IMAGES of an item;
- srcset (the sanitiser does not keep it; the resolved src is the one image shown).
Those kept are loaded lazily (only when scrolled near), decoded off the main thread, and sent
with no Referer (`referrerpolicy="no-referrer"`), so the feed's server is not told which page
of ours showed them.

Both passes of nh3 use the sanitiser's own allowlist (core.html); the last one sets those three
attributes on every image. HTML without images whose addresses are all absolute takes one pass.
"""

from __future__ import annotations

import re
import threading
from html import escape
from typing import Any, Literal
from urllib.parse import urljoin

import nh3
from lxml import etree

from connective.core.html import ALLOWED_ATTRIBUTES, ALLOWED_CLASSES, ALLOWED_TAGS, URL_SCHEMES

MAX_IMAGES = 10
TRACKER_SIZE = 2  # an image this many pixels wide or high (or fewer) is a tracking pixel
IMAGE_ATTRIBUTES = {"loading": "lazy", "decoding": "async", "referrerpolicy": "no-referrer"}
# Right-to-left (and left-to-right) embeddings, overrides and isolates: in a name they reorder
# the text shown after it ("Review Blog" + U+202E reads backwards).
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Whether cleaned HTML needs the second pass: it has an image (`<img` in it), or a link whose
# address is not plainly absolute (a false alarm, such as these words in a title, only costs the
# pass; a literal-led pattern: an alternation at its start made it 70 µs on a 3 kB item).
_RELATIVE_LINK = re.compile(r'ref="(?!https?://|mailto:)')
_LINK_SCHEMES = ("https://", "http://", "mailto:")
_local = threading.local()
_PIXELS = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*$")
_STYLE = {
    name: re.compile(rf"(?:^|;)\s*{name}\s*:\s*([^;]*)", re.IGNORECASE)
    for name in ("width", "height")
}


def _cleaner(
    image_attributes: set[str],
    set_values: dict[str, dict[str, str]] | None,
    relative: Literal["pass_through", "deny"],
) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        attributes={**ALLOWED_ATTRIBUTES, "img": image_attributes},
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
        strip_comments=True,
        set_tag_attribute_values=set_values,
        url_relative=relative,
    )


# First pass: the shared allowlist, plus an image's declared size (to find tracking pixels);
# relative addresses are kept for the second pass to resolve. Its output is plain, regular
# HTML, so the second pass reads it as a browser would (raw feed HTML such as `<image>` or
# foreign content could be read one way by lxml and another by the sanitiser).
_first = _cleaner(ALLOWED_ATTRIBUTES["img"] | {"width", "height", "style"}, None, "pass_through")
# Last pass: exactly the shared allowlist, the image attributes set, no relative address left.
_last = _cleaner(set(ALLOWED_ATTRIBUTES["img"]), {"img": IMAGE_ATTRIBUTES}, "deny")


def plain_name(value: str) -> str:
    """A feed-provided title or name without bidi embedding/override/isolate controls."""
    return BIDI_CONTROLS.sub("", value) if value else value


def clean_item_html(html: str, base: str) -> str:
    """An item's HTML as stored: sanitised (the shared allowlist), addresses made absolute
    against base and non-web ones dropped; plain-http images, tracking pixels and images past
    MAX_IMAGES removed; each image lazy, async and sent without a Referer."""
    first = str(_first.clean(html)) if html else ""
    if "<img" not in first and not _RELATIVE_LINK.search(first):
        return first  # no image and every address absolute: nothing more to do
    root = _html_parser_read(first)
    if root is None:
        return ""
    _fix_addresses(root, base)
    head = escape(root.text or "", quote=False)
    fixed = head + "".join(etree.tostring(el, encoding="unicode", method="html") for el in root)
    return str(_last.clean(fixed))


def _html_parser_read(html: str) -> Any:
    """The <div> holding html, read by libxml2's HTML parser (plain lxml elements: fewer Python
    objects than lxml.html's); one parser per thread, as lxml parsers are not shared."""
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = etree.HTMLParser(no_network=True, remove_comments=True)
    try:
        document = etree.fromstring(f"<div>{html}</div>", parser)
    except etree.XMLSyntaxError:  # nothing libxml2 could read
        return None
    return document.find("body/div") if document is not None else None


def _fix_addresses(root: Any, base: str) -> None:
    for link in root.iter("a"):
        _fix_link(link, base)
    images = 0
    for image in list(root.iter("img")):
        src = _absolute(image.get("src"), base, ("https://",))
        if not src or _tracker(image) or images >= MAX_IMAGES:
            _remove(image)
            continue
        images += 1
        image.set("src", src)


def _fix_link(link: Any, base: str) -> None:
    href = link.get("href")
    if href is None:
        return
    absolute = _absolute(href, base, _LINK_SCHEMES)
    if absolute:
        link.set("href", absolute)
    else:
        del link.attrib["href"]


def _absolute(value: str | None, base: str, schemes: tuple[str, ...]) -> str:
    """value resolved against base if it then starts with one of schemes, else ''."""
    value = (value or "").strip()
    if not value:
        return ""
    if value.startswith(_LINK_SCHEMES):  # most addresses are absolute already (urljoin: 10 µs)
        resolved = value
    else:
        try:
            resolved = urljoin(base, value)
        except ValueError:  # a malformed address (an unbalanced IPv6 bracket)
            return ""
    return resolved if resolved.lower().startswith(schemes) and len(resolved) <= 2000 else ""


def _tracker(image: Any) -> bool:
    """Whether an image declares itself 0-2 pixels wide or high (a tracking pixel)."""
    for name in ("width", "height"):
        size = _pixels(image.get(name))
        if size is None:
            size = _pixels(_style_value(image.get("style") or "", name))
        if size is not None and size <= TRACKER_SIZE:
            return True
    return False


def _pixels(value: str | None) -> float | None:
    match = _PIXELS.match(value) if value else None
    return float(match.group(1)) if match else None


def _style_value(style: str, name: str) -> str | None:
    match = _STYLE[name].search(style) if style else None
    return match.group(1) if match else None


def _remove(element: Any) -> None:
    """Remove an element but keep the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)
