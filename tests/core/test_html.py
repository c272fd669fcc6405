"""Markdown rendering and HTML sanitising: one allowlist, bounded nesting, no lost text."""

from html.parser import HTMLParser

import pytest

from connective.core.html import (
    ALLOWED_TAGS,
    MAX_NESTING,
    plain_text,
    render_markdown,
    sanitize_html,
)

# SECURITY.md T-22: each vector, written as raw HTML (remote content, feed items) and as it
# might be smuggled through Markdown.
T22_VECTORS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="java&#x0A;script:alert(1)">x</a>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<style>@import "https://evil.example/x.css";</style>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<span class="message message--error" style="position:fixed">fake</span>',
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "![x](javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "<javascript:alert(1)>",
    "[x](jav&#x09;ascript:alert(1))",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
]
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


class _Collector(HTMLParser):
    """Every tag and attribute in a fragment, and the deepest quote/list nesting."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []
        self.depth = 0
        self.max_depth = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, name, value or "") for name, value in attrs]
        if tag in {"blockquote", "ul", "ol"}:
            self.depth += 1
            self.max_depth = max(self.max_depth, self.depth)

    def handle_endtag(self, tag):
        if tag in {"blockquote", "ul", "ol"}:
            self.depth -= 1


def _collect(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def _assert_safe(html: str) -> None:
    found = _collect(html)
    assert set(found.tags) <= ALLOWED_TAGS, found.tags
    for tag, name, value in found.attrs:
        assert not name.startswith("on"), (tag, name)
        assert name not in {"style", "srcdoc", "action", "formaction"}, (tag, name)
        if name in {"href", "src"}:
            compact = "".join(value.split()).lower()
            assert not compact.startswith(BAD_SCHEMES), (tag, name, value)


@pytest.mark.parametrize("vector", T22_VECTORS)
def test_t22_vector_is_harmless_through_markdown(vector):
    _assert_safe(render_markdown(vector))


@pytest.mark.parametrize("vector", T22_VECTORS)
def test_t22_vector_is_harmless_through_the_sanitiser(vector):
    _assert_safe(sanitize_html(vector))


def test_t22_raw_html_in_markdown_is_shown_as_text():
    html = render_markdown("Look: <script>alert(1)</script>")
    assert "<script" not in html
    assert "&lt;script&gt;" in html


def test_t22_sanitiser_keeps_only_fediverse_span_classes():
    html = sanitize_html('<span class="h-card message">@ana</span>')
    assert html == '<span class="h-card">@ana</span>'


def test_t22_links_open_safely():
    html = render_markdown("[site](https://example.org)")
    assert 'href="https://example.org"' in html
    assert 'rel="nofollow noopener noreferrer ugc"' in html


def test_t24_javascript_link_is_not_a_link():
    html = render_markdown("[x](javascript:alert(1))")
    assert "<a" not in html
    assert "[x](javascript:alert(1))" in html


def test_t24_lookalike_autolink_shows_its_real_host():
    """A Cyrillic 'а' in a host is sent as punycode, so the real address is what is linked."""
    html = render_markdown("<https://exаmple.com/login>")
    assert 'href="https://xn--exmple-4nf.com/login"' in html


@pytest.mark.parametrize(
    "text",
    [
        ">" * 10_000 + " deep",
        "> " * 10_000 + "deep",
        "- " * 10_000 + "deep",
        "1. " * 10_000 + "deep",
        "> - 1. " * 3_000 + "deep",
        "\n".join(">" * level + " line" for level in range(1, 400)),
        "\n".join("  " * level + "- item" for level in range(300)),
        "\n".join("  " * level + "- > quoted" for level in range(200)),
    ],
    ids=["quotes", "spaced", "bullets", "ordered", "mixed", "quote-lines", "indents", "both"],
)
def test_t24_deep_nesting_is_capped(text):
    html = render_markdown(text + "\n\nthe end")
    assert _collect(html).max_depth <= MAX_NESTING
    assert "the end" in html


def test_t24_text_deeper_than_the_cap_is_kept():
    """Markdown-it drops the rest of a document past its own limit; we must not."""
    html = render_markdown("- " * 30 + "deep text\n- sibling\n\nafter the list")
    assert _collect(html).max_depth == MAX_NESTING
    for text in ("deep text", "sibling", "after the list"):
        assert text in html


def test_t24_deep_indented_list_keeps_every_item():
    text = "\n".join("  " * level + f"- item{level}" for level in range(40)) + "\n\nafter"
    html = render_markdown(text)
    assert _collect(html).max_depth <= MAX_NESTING
    assert all(f"item{level}<" in html or f"item{level}\n" in html for level in range(40))
    assert "after" in html


def test_t24_many_spaced_markers_do_not_backtrack():
    """A line of spaced markers once sent the prefix regex into exponential backtracking."""
    html = render_markdown(("-     " * 20 + "\n") * 50 + "done")
    assert "done" in html


def test_t24_huge_input_is_cut_not_parsed_whole():
    html = render_markdown("word " * 200_000)
    assert len(html) < 250_000


def test_t24_pathological_inline_input_renders():
    for text in ("[" * 20_000, "*a" * 10_000, "<" * 20_000, "`" * 20_000):
        assert render_markdown(text)


def test_ordinary_nesting_is_untouched():
    html = render_markdown("- a\n  - b\n    - c\n\n> quote\n> > nested")
    assert _collect(html).max_depth == 3
    assert "<li>c</li>" in html


def test_tables_render():
    html = render_markdown("| a | b |\n|---|:-:|\n| 1 | 2 |")
    assert "<table>" in html
    assert '<td align="center">2</td>' in html or "<td>2</td>" in html


def test_code_blocks_keep_their_indentation():
    html = render_markdown("```\ndef f():\n    return '<b>'\n```")
    assert "<pre><code>def f():\n    return '&lt;b&gt;'\n</code></pre>" in html


def test_inline_code_and_strikethrough():
    html = render_markdown("`x < y` and ~~gone~~")
    assert "<code>x &lt; y</code>" in html
    assert "<s>gone</s>" in html


def test_headings_start_below_the_page_title():
    html = render_markdown("# Title\n\n## Part\n\n###### Small")
    assert "<h2>Title</h2>" in html
    assert "<h3>Part</h3>" in html
    assert "<h6>Small</h6>" in html
    assert "<h1" not in html


def test_empty_text_renders_empty():
    assert render_markdown("") == ""


def test_plain_text_strips_tags():
    assert plain_text("<p>Hello <strong>there</strong></p>") == "Hello there"


def test_excerpt_cuts_at_a_word_with_an_ellipsis_and_reads_as_plain_text():
    from connective.core.html import excerpt

    assert excerpt("<p>Short &amp; sweet</p>", 80) == "Short & sweet"
    long = "<p>" + "word " * 40 + "</p>"
    cut = excerpt(long, 30)
    assert cut.endswith("…") and len(cut) <= 30 and "wor…" not in cut
    assert excerpt("<p>If you <strong>write</strong>\n\nthen</p>", 80) == "If you write then"


def test_a_tables_column_alignment_survives_as_the_align_attribute():
    """The renderer aligns by inline style, which the CSP would not apply and the sanitiser
    drops; the cells carry `align` instead."""
    html = render_markdown("| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |")
    assert '<th align="left">a</th>' in html and '<td align="center">2</td>' in html
    assert '<td align="right">3</td>' in html and "<td>4</td>" in html
    assert "style" not in html
