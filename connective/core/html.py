"""Markdown to safe HTML, and sanitising of HTML from anywhere, in one place.

Raw HTML in Markdown is off; the rendered HTML still goes through nh3 so that remote
content, feed items and local Markdown all meet the same allowlist.
"""

import re

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "a",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "del",
    "sup",
    "sub",
    "img",
    "span",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "span": {"class"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Deeply nested quotes or lists cost the parser time and mean nothing to a reader.
MAX_NESTING = 20
_NEST_PREFIX = re.compile(rf"^((?:[ \t]*(?:>|[-*+]|\d+[.)])[ \t]*){{{MAX_NESTING + 1},}})", re.M)

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.enable(["table", "strikethrough"])
_md.options["maxNesting"] = MAX_NESTING


def sanitize_html(html: str) -> str:
    """Keep only allowlisted tags, attributes and URL schemes; links open safely."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
        strip_comments=True,
    )


def _flatten_deep_nesting(text: str) -> str:
    """Cut block prefixes (quotes, list markers) beyond MAX_NESTING levels to plain text."""

    def shorten(match: re.Match[str]) -> str:
        markers = re.findall(r"[ \t]*(?:>|[-*+]|\d+[.)])[ \t]*", match.group(1))
        return "".join(markers[:MAX_NESTING])

    return _NEST_PREFIX.sub(shorten, text)


def render_markdown(text: str) -> str:
    """Render user Markdown to sanitised HTML (raw HTML off, nesting capped)."""
    if not text:
        return ""
    return sanitize_html(_md.render(_flatten_deep_nesting(text)))


def plain_text(html: str) -> str:
    """Strip every tag, for summaries and notification text."""
    return nh3.clean(html, tags=set()).strip()
