"""Markdown to safe HTML, and sanitising of HTML from anywhere, in one place.

Raw HTML in Markdown is off; the rendered HTML still goes through nh3 so that remote
content, feed items and local Markdown all meet the same allowlist.

Deep nesting (SECURITY T-24) is bounded in three steps, each linear in the input:
1. a line may carry at most MAX_NESTING quote/list markers in front (the rest are dropped);
2. the block parser may go deeper than we show, but if a text reaches the parser's own
   limit — where markdown-it silently drops the rest of the document — it is parsed
   again with its indentation flattened, so no text is lost;
3. quote and list wrappers deeper than MAX_NESTING are removed from the token stream,
   their text kept at the deepest level shown.
"""

import re
from html import unescape
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

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
    "s",
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
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
# Only the microformat classes fediverse software puts on spans; never our own CSS vocabulary,
# which would let a post dress itself up as part of the page.
ALLOWED_CLASSES = {"span": {"h-card", "invisible", "ellipsis"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Deeply nested quotes or lists cost the parser time and mean nothing to a reader.
MAX_NESTING = 20
# Callers cap their own fields well below this; it only guards against a caller that forgot.
MAX_MARKDOWN_CHARS = 200_000
_PARSER_NESTING = 4 * MAX_NESTING + 20
_CONTAINER_OPEN = {"blockquote_open", "bullet_list_open", "ordered_list_open"}
_CONTAINER_CLOSE = {"blockquote_close", "bullet_list_close", "ordered_list_close"}
_LIST_ITEM = {"list_item_open", "list_item_close"}
_BLANK = " \t"

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    allowed_classes=ALLOWED_CLASSES,
    url_schemes=URL_SCHEMES,
    link_rel="nofollow noopener noreferrer ugc",
    strip_comments=True,
)


def _markdown(max_nesting: int) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.options["maxNesting"] = max_nesting
    return md


# Inline content (emphasis, links) keeps the tight limit: a deep limit there makes inputs
# such as 100,000 "[" several times slower and shows nothing more.
_inline_md = _markdown(MAX_NESTING)
_md = _markdown(_PARSER_NESTING)


def _parse_inline(state: StateCore) -> None:
    """Core rule: parse each inline token with the inline parser's own nesting limit."""
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            _inline_md.inline.parse(token.content, _inline_md, state.env, token.children)


_md.core.ruler.at("inline", _parse_inline)


def sanitize_html(html: str) -> str:
    """Keep only allowlisted tags, attributes and URL schemes; links open safely."""
    return str(_cleaner.clean(html))


def _marker_end(line: str, at: int) -> int:
    """Where the quote or list marker starting at `at` ends, or -1 if there is none."""
    char = line[at]
    if char == ">":
        return at + 1
    after = at + 1
    if char in "-*+":
        return after if after == len(line) or line[after] in _BLANK else -1
    end = at
    while end < len(line) and end - at < 9 and line[end].isdigit():
        end += 1
    if end == at or end >= len(line) or line[end] not in ".)":
        return -1
    return end + 1 if end + 1 == len(line) or line[end + 1] in _BLANK else -1


def _split_prefix(line: str) -> tuple[list[tuple[str, str]], str]:
    """A line's leading (whitespace, marker) pairs and the rest of it, in one pass."""
    markers: list[tuple[str, str]] = []
    pos = 0
    while True:
        start = pos
        while pos < len(line) and line[pos] in _BLANK:
            pos += 1
        end = _marker_end(line, pos) if pos < len(line) else -1
        if end < 0:
            return markers, line[start:]
        markers.append((line[start:pos], line[pos:end]))
        pos = end


def _cap_line(line: str, flat: bool) -> str:
    """The line with at most MAX_NESTING markers in front; `flat` also drops its indentation."""
    markers, rest = _split_prefix(line)
    if not flat and len(markers) <= MAX_NESTING:
        return line
    kept = markers[:MAX_NESTING]
    if flat:
        prefix = " ".join(marker for _, marker in kept)
    else:
        prefix = "".join(space + marker for space, marker in kept)
    return f"{prefix} {rest.lstrip(_BLANK)}" if prefix else rest.lstrip(_BLANK)


def _cap_prefixes(text: str, flat: bool = False) -> str:
    return "\n".join(_cap_line(line, flat) for line in text.split("\n"))


def _hit_parser_limit(tokens: list[Token]) -> bool:
    return any(token.level >= _PARSER_NESTING - 1 for token in tokens)


def _clamp_containers(tokens: list[Token]) -> list[Token]:
    """Drop quote and list wrappers deeper than MAX_NESTING, keeping what they contain."""
    out: list[Token] = []
    kept: list[bool] = []
    for token in tokens:
        if token.type in _CONTAINER_OPEN:
            kept.append(len(kept) < MAX_NESTING)
            keep = kept[-1]
        elif token.type in _CONTAINER_CLOSE:
            keep = kept.pop() if kept else True
        elif token.type in _LIST_ITEM:
            keep = kept[-1] if kept else True
        else:
            keep = True
            if kept and not kept[-1] and token.type.startswith("paragraph_"):
                token.hidden = False  # items of a dropped tight list become paragraphs
        if keep:
            out.append(token)
    return out


def _shift_headings(tokens: list[Token]) -> None:
    """Headings start at h2: the page's h1 is the post's title or the person's name."""
    for token in tokens:
        if token.type in ("heading_open", "heading_close") and token.tag < "h6":
            token.tag = f"h{int(token.tag[1]) + 1}"


_ALIGNED = re.compile(r"text-align:(left|center|right)")


def _align_cells(tokens: list[Token]) -> None:
    """A table column's alignment as the cell's `align` attribute: the renderer writes it as an
    inline style, which the page's Content-Security-Policy would not apply and the sanitiser
    drops."""
    for token in tokens:
        if token.type in ("th_open", "td_open"):
            found = _ALIGNED.fullmatch(str(token.attrGet("style") or ""))
            token.attrs.pop("style", None)
            if found:
                token.attrSet("align", found.group(1))


def render_markdown(text: str) -> str:
    """Render user Markdown to sanitised HTML (raw HTML off, nesting capped)."""
    if not text:
        return ""
    text = text[:MAX_MARKDOWN_CHARS]
    env: dict[str, Any] = {}
    tokens = _md.parse(_cap_prefixes(text), env)
    if _hit_parser_limit(tokens):
        env = {}
        tokens = _md.parse(_cap_prefixes(text, flat=True), env)
    tokens = _clamp_containers(tokens)
    _shift_headings(tokens)
    _align_cells(tokens)
    html = _md.renderer.render(tokens, _md.options, env)
    return sanitize_html(str(html))


def plain_text(html: str) -> str:
    """Strip every tag, for summaries and notification text."""
    return str(nh3.clean(html, tags=set())).strip()


def excerpt(html: str, length: int) -> str:
    """The plain words of `html`, cut at a word (with "…") when longer than `length` characters:
    for notification sentences, evidence titles and other one-line quotes of a post."""
    text = " ".join(unescape(plain_text(html)).split())
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if " " in cut[length // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-") + "…"
