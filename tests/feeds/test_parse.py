"""Parsing the corpus of feeds we wrote ourselves; XML safety (T-16); autodiscovery."""

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connective.feeds.services.parse import FeedInvalid, discover_feeds, parse_feed
from tests.feeds.conftest import CORPUS, corpus

BASE = "https://feeds.example.org/feed.xml"


@pytest.mark.parametrize(
    ("name", "title", "count"),
    [
        ("rss091.xml", "Old School Notes", 2),
        ("rss10.rdf", "RDF Site Summary", 1),
        ("rss20.xml", "Ana's Learning Blog", 2),
        ("atom10.xml", "Ben writes", 1),
        ("odd_dates.xml", "Odd dates", 5),
        ("relative_links.xml", "Relative", 3),
        ("duplicate_ids.xml", "Duplicates", 4),
    ],
)
def test_every_format_in_the_corpus_is_read(name, title, count):
    parsed = parse_feed(corpus(name), BASE)
    assert parsed.title == title
    assert len(parsed.items) == count
    assert all(item.key_hash for item in parsed.items)


def test_rss2_items_carry_link_date_categories_and_the_feed_licence():
    parsed = parse_feed(corpus("rss20.xml"), BASE)
    first = parsed.items[0]
    assert first.link == "https://ana.example.org/2026/11/week-2"
    assert first.guid == "ana-week-2"
    assert first.categories == ["cck26", "networks"]
    assert first.published_at.isoformat().startswith("2026-11-24T09:30")
    assert parsed.licence == "cc-by-sa"


def test_atom_licence_link_and_html_content():
    parsed = parse_feed(corpus("atom10.xml"), BASE)
    assert parsed.licence == "cc-by"
    assert "community is the curriculum" in parsed.items[0].summary_html
    assert parsed.site_url == "https://ben.example.net/"


def test_odd_dates_never_crash_and_never_lie_in_the_future():
    from django.utils import timezone

    parsed = parse_feed(corpus("odd_dates.xml"), BASE)
    dates = [item.published_at for item in parsed.items]
    assert dates[0] is None
    assert all(d is None or d <= timezone.now() for d in dates)


def test_relative_links_are_resolved_and_bad_schemes_dropped():
    parsed = parse_feed(corpus("relative_links.xml"), "https://rel.example.org/blog/feed.xml")
    links = [item.link for item in parsed.items]
    assert links == ["https://rel.example.org/posts/relative", "https://cdn.example.org/x", ""]
    assert parsed.site_url == "https://rel.example.org/"


def test_relative_links_inside_summaries_point_at_the_feeds_site():
    parsed = parse_feed(corpus("relative_links.xml"), "https://rel.example.org/blog/feed.xml")
    assert 'href="https://rel.example.org/elsewhere"' in parsed.items[0].clean_html


def test_html_in_titles_becomes_plain_text():
    parsed = parse_feed(corpus("html_titles.xml"), BASE)
    assert "<" not in parsed.title
    assert parsed.items[0].title == "Title with HTML"


def test_a_wrongly_declared_encoding_is_still_read():
    parsed = parse_feed(corpus("wrong_encoding.xml"), BASE)
    assert len(parsed.items) == 1
    assert parsed.items[0].link == "https://enc.example.org/1"


@pytest.mark.parametrize("name", ["invalid.xml", "not_a_feed.html"])
def test_invalid_documents_give_a_reason(name):
    with pytest.raises(FeedInvalid) as refused:
        parse_feed(corpus(name), BASE)
    assert str(refused.value)


def test_a_huge_item_is_read_within_bounds():
    big = "<p>" + "word " * 400_000 + "</p>"
    data = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>'
        f"<item><title>Huge</title><guid>h</guid><description><![CDATA[{big}]]></description>"
        "</item></channel></rss>"
    ).encode()
    parsed = parse_feed(data, BASE)
    assert len(parsed.items[0].summary_html) <= 100_000


@pytest.mark.parametrize("name", ["billion_laughs.xml", "external_entity.xml"])
def test_t16_entity_declarations_are_refused_fast_without_expansion(name):
    started = time.monotonic()
    with pytest.raises(FeedInvalid, match="entities"):
        parse_feed(corpus(name), BASE)
    assert time.monotonic() - started < 1.0


def test_t16_entities_hidden_in_utf16_are_refused_too():
    data = corpus("external_entity.xml").decode().replace('<?xml version="1.0"?>', "")
    with pytest.raises(FeedInvalid, match="entities"):
        parse_feed(data.encode("utf-16"), BASE)


def test_t16_quadratic_blowup_is_refused():
    entity = "a" * 100_000
    refs = "&a;" * 10_000
    data = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "{entity}">]>'
        f'<rss version="2.0"><channel><title>{refs}</title></channel></rss>'
    ).encode()
    started = time.monotonic()
    with pytest.raises(FeedInvalid):
        parse_feed(data, BASE)
    assert time.monotonic() - started < 1.0


def test_t16_no_file_contents_appear_even_if_entities_slip_past_the_check():
    from connective.feeds.services import parse

    data = corpus("external_entity.xml")
    original = parse.ENTITY_DECLARATION
    parse.ENTITY_DECLARATION = __import__("re").compile(
        rb"(?!)"
    )  # the pre-check off: feedparser alone
    try:
        try:
            parsed = parse_feed(data, BASE)
        except FeedInvalid:
            return
    finally:
        parse.ENTITY_DECLARATION = original
    text = repr(parsed)
    assert "root:" not in text


def test_autodiscovery_finds_alternate_links_in_order():
    found = discover_feeds(corpus("page_with_feeds.html"), "https://chloe.example.org/about/")
    assert found == ["https://chloe.example.org/feed.atom", "https://chloe.example.org/feed.rss"]


def test_autodiscovery_on_a_page_without_feeds():
    assert discover_feeds(corpus("not_a_feed.html"), "https://x.example.org/") == []
    assert discover_feeds(b"\xff\xfe<<<not html", "https://x.example.org/") == []


def _rss_item(inner: str, head: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"{head}><channel><title>T</title>'
        f"<link>https://t.example.org/</link><item>{inner}</item></channel></rss>"
    ).encode()


def test_html_entities_undeclared_in_xml_are_read_as_characters():
    parsed = parse_feed(
        _rss_item("<title>Caf&eacute;&nbsp;notes &amp; more</title><guid>g</guid>"), BASE
    )
    assert parsed.items[0].title == "Café notes & more"


def test_a_wrongly_declared_encoding_keeps_its_characters():
    parsed = parse_feed(corpus("wrong_encoding.xml"), BASE)
    assert parsed.title == "Café encoding"
    assert parsed.items[0].title == "Naïve café"


def test_the_full_content_is_preferred_to_the_description():
    data = _rss_item(
        "<title>T</title><guid>g</guid><description>short</description>"
        "<content:encoded><![CDATA[<p>The <em>whole</em> post</p>]]></content:encoded>",
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"',
    )
    assert parse_feed(data, BASE).items[0].summary_html == "<p>The <em>whole</em> post</p>"


def test_atom_text_is_escaped_and_xhtml_kept_as_markup():
    data = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
    <entry><id>urn:1</id><title>one</title><summary>a &lt;b&gt; is not bold</summary></entry>
    <entry><id>urn:2</id><title>two</title><content type="xhtml">
      <div xmlns="http://www.w3.org/1999/xhtml"><p>Hello <b>there</b></p></div></content></entry>
    </feed>"""
    first, second = parse_feed(data, BASE).items
    assert first.summary_html == "a &lt;b&gt; is not bold"
    assert (
        "<p" in second.summary_html
        and "<b" in second.summary_html
        and "there" in second.summary_html
    )


def test_xml_base_resolves_relative_links():
    data = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"
    xml:base="https://base.example.org/blog/"><title>A</title>
    <entry><id>urn:1</id><title>one</title><link href="posts/1"/></entry></feed>"""
    assert parse_feed(data, BASE).items[0].link == "https://base.example.org/blog/posts/1"


def test_an_rss_guid_that_is_a_permalink_gives_the_link():
    parsed = parse_feed(_rss_item("<title>T</title><guid>https://t.example.org/p/1</guid>"), BASE)
    assert parsed.items[0].link == "https://t.example.org/p/1"
    data = _rss_item('<title>T</title><guid isPermaLink="false">https://t.example.org/p/2</guid>')
    assert parse_feed(data, BASE).items[0].link == ""


def test_an_empty_or_binary_document_gives_a_reason():
    for data in (b"", b"\x00\x01\x02garbage", b"<rss"):
        with pytest.raises(FeedInvalid) as refused:
            parse_feed(data, BASE)
        assert str(refused.value)


@settings(max_examples=150, deadline=None)
@given(
    name=st.sampled_from(sorted(p.name for p in CORPUS.iterdir())),
    cut=st.integers(min_value=0, max_value=4000),
    junk=st.binary(max_size=40),
)
def test_damaged_documents_are_read_or_refused_with_a_reason_never_a_crash(name, cut, junk):
    data = corpus(name)
    damaged = data[:cut] + junk + data[cut + len(junk) :]
    try:
        parsed = parse_feed(damaged, BASE)
    except FeedInvalid as refused:
        assert str(refused)
        return
    assert all(item.key_hash for item in parsed.items)


def test_a_stray_control_character_does_not_change_how_utf8_is_read():
    data = _rss_item("<title>Café\x0c notes</title><guid>g</guid>")
    assert parse_feed(data, BASE).items[0].title.startswith("Café")


def test_html_left_unescaped_in_an_rss_description_keeps_its_markup():
    data = _rss_item("<title>T</title><guid>g</guid><description>Hi <b>there</b>!</description>")
    summary = parse_feed(data, BASE).items[0].summary_html
    assert summary.startswith("Hi <b") and "there</b>!" in summary
