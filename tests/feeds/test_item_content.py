"""A feed item's content shown here (issue 6): its addresses made absolute, plain-http images
and tracking pixels dropped, https images kept lazy and without a Referer, images capped;
right-to-left overrides in feed-provided names removed and names isolated where shown."""

from html import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connective.content.models import Post
from connective.feeds.models import Feed, FeedItem
from connective.feeds.services.content import MAX_IMAGES, clean_item_html
from connective.feeds.services.materialize import post_for_item
from connective.feeds.services.parse import parse_feed
from connective.feeds.services.subscribe import subscribe
from tests.conftest import client_for, make_person
from tests.feeds.conftest import ATOM, RSS

FEED_URL = "https://feeds.example.org/blog/feed.xml"
RLO = "\u202e"


def _rss(description: str, link: str = "https://blog.example.org/2026/11/post/") -> bytes:
    link_el = f"<link>{link}</link>" if link else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Blog</title>'
        f"<link>https://blog.example.org/</link><item><title>Post</title>{link_el}<guid>p1</guid>"
        f"<description>{escape(description)}</description></item></channel></rss>"
    ).encode()


def _summary(description: str, link: str = "https://blog.example.org/2026/11/post/") -> str:
    return parse_feed(_rss(description, link), FEED_URL).items[0].clean_html


def test_relative_links_and_images_resolve_against_the_items_own_page():
    html = _summary('<p><img src="x.png" alt="a"> <a href="/about">me</a> <a href="#n">n</a></p>')
    assert 'src="https://blog.example.org/2026/11/post/x.png"' in html
    assert 'href="https://blog.example.org/about"' in html
    assert 'href="https://blog.example.org/2026/11/post/#n"' in html
    assert 'src="x' not in html and 'href="/' not in html


def test_without_an_item_link_addresses_resolve_against_the_feed():
    html = _summary('<a href="other">o</a> <a href=bare>b</a>', link="")
    assert 'href="https://feeds.example.org/blog/other"' in html
    assert 'href="https://feeds.example.org/blog/bare"' in html


def test_xml_base_of_atom_content_wins():
    feed = (
        b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        b"<title>Atom</title><entry><id>urn:x:1</id><title>E</title>"
        b'<link href="https://site.example.net/e1"/>'
        b'<content type="html" xml:base="https://media.example.net/pics/">'
        b"&lt;img src=&quot;cat.jpg&quot;&gt;&lt;a href=&quot;../up&quot;&gt;u&lt;/a&gt;"
        b"</content></entry></feed>"
    )
    html = parse_feed(feed, FEED_URL).items[0].clean_html
    assert 'src="https://media.example.net/pics/cat.jpg"' in html
    assert 'href="https://media.example.net/up"' in html


def test_non_web_addresses_are_dropped_after_resolving():
    html = _summary(
        '<a href="javascript:alert(1)">j</a><a href=" JaVaScRiPt:x">k</a>'
        '<img src="data:image/png;base64,AAAA"><img src="ftp://f.example.org/a.png">'
        '<a href="mailto:ana@example.org">mail</a>'
    )
    assert "javascript" not in html.lower() and "data:" not in html and "ftp:" not in html
    assert "<img" not in html
    assert 'href="mailto:ana@example.org"' in html


def test_an_https_image_is_kept_lazy_async_and_without_a_referer():
    html = _summary('<p>See <img src="https://cdn.example.org/a.png" alt="chart" width="600"></p>')
    assert 'src="https://cdn.example.org/a.png"' in html
    assert 'alt="chart"' in html
    assert 'loading="lazy"' in html
    assert 'decoding="async"' in html
    assert 'referrerpolicy="no-referrer"' in html


def test_an_image_cannot_choose_eager_loading_or_send_a_referer():
    html = _summary(
        '<img src="https://cdn.example.org/a.png" loading="eager" referrerpolicy="unsafe-url">'
    )
    assert html.count("loading=") == 1 and 'loading="lazy"' in html
    assert html.count("referrerpolicy=") == 1 and 'referrerpolicy="no-referrer"' in html


def test_a_plain_http_image_is_dropped_and_its_text_kept():
    html = _summary('<p>before <img src="http://old.example.org/a.png"> after</p>')
    assert "<img" not in html and "old.example.org" not in html
    assert "before" in html and "after" in html


@pytest.mark.parametrize(
    "tracker",
    [
        '<img src="https://t.example.com/p.gif" width="1" height="1">',
        '<img src="https://t.example.com/p.gif" width="0" height="0">',
        '<img src="https://t.example.com/p.gif" height="2">',
        '<img src="https://t.example.com/p.gif" width="1px">',
        '<img src="https://t.example.com/p.gif" style="width: 1px; height:1px">',
        '<img src="https://t.example.com/p.gif" style="display:none;width:0">',
    ],
)
def test_tracking_pixels_are_dropped(tracker):
    html = _summary(f"<p>Real text {tracker}<img src='https://cdn.example.org/real.png'></p>")
    assert "t.example.com" not in html
    assert 'src="https://cdn.example.org/real.png"' in html
    assert "Real text" in html


def test_an_item_shows_at_most_ten_images():
    images = "".join(f'<img src="https://cdn.example.org/{n}.png">' for n in range(25))
    html = _summary(f"<p>{images}</p>")
    assert html.count("<img") == MAX_IMAGES == 10
    assert "/9.png" in html and "/10.png" not in html


def test_an_image_element_written_another_way_is_still_checked():
    html = _summary(
        '<image src="http://old.example.org/a.png"><IMAGE src="https://t.example.com/p.gif" '
        'width=1 height=1><svg><image href="https://t.example.com/s.gif"/></svg>'
        '<math><img src="https://t.example.com/m.gif" width="0"></math>'
    )
    assert "<img" not in html and "example" not in html


def test_srcset_is_not_kept():
    html = _summary(
        '<picture><source srcset="https://x.example.org/big.webp"><img src="s.png" '
        'srcset="https://evil.example/2x.png 2x, http://plain.example/3x.png 3x"></picture>'
    )
    assert "srcset" not in html and "evil.example" not in html and "plain.example" not in html
    assert 'src="https://blog.example.org/2026/11/post/s.png"' in html


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="<>/=\"' &;#abcimgsrchefx:.1", max_size=80))
def test_any_content_leaves_no_relative_or_unsafe_address(junk):
    html = clean_item_html(junk, "https://b.example.org/p/")
    for attribute in ('src="', 'href="'):
        for value in html.split(attribute)[1:]:
            assert value.startswith(("https://", "http://", "mailto:")), html
    assert "<img" not in html or 'loading="lazy"' in html


def test_rtl_overrides_are_removed_from_feed_and_item_titles():
    feed = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Review Blog{RLO} live</title><description>\u2066d\u2069</description>"
        f"<item><title>\u202bItem{RLO} one\u202c</title><guid>1</guid><description>x</description>"
        "</item></channel></rss>"
    ).encode()
    parsed = parse_feed(feed, FEED_URL)
    assert parsed.title == "Review Blog live"
    assert parsed.description == "d"
    assert parsed.items[0].title == "Item one"


@pytest.mark.django_db
def test_stored_item_and_its_page_show_the_cleaned_content(trap):
    body = (
        '<p>Intro <img src="pics/a.png" alt="A"> <img src="http://old.example.org/b.png">'
        '<img src="https://pixel.example.com/o.gif" width="1" height="1"></p>'
    )
    trap.serve("/f", _rss(body), content_type=RSS)
    reader = make_person("ana")
    feed = subscribe(reader, trap.url("/f")).feed
    item = FeedItem.objects.get(feed=feed)
    expected = "https://blog.example.org/2026/11/post/pics/a.png"
    assert f'src="{expected}"' in item.body_html
    assert 'referrerpolicy="no-referrer"' in item.body_html
    assert "old.example.org" not in item.body_html and "pixel.example.com" not in item.body_html
    page = client_for(reader).get(f"/web/{item.pk}/").content.decode()
    assert f'src="{expected}"' in page and 'loading="lazy"' in page
    post = post_for_item(item)  # someone acted on it: its post shows the same
    page = client_for(reader).get(post.get_absolute_url()).content.decode()
    assert f'src="{expected}"' in page and 'loading="lazy"' in page


@pytest.mark.django_db
def test_an_rtl_feed_title_is_stripped_and_isolated_where_listed(trap):
    feed_xml = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Review Blog{RLO} evil</title><entry><id>urn:1</id><title>E</title>"
        '<link href="https://site.example.net/e1"/></entry></feed>'
    ).encode()
    trap.serve("/f", feed_xml, content_type=ATOM)
    reader = make_person("ana")
    feed = subscribe(reader, trap.url("/f")).feed
    assert Feed.objects.get(pk=feed.pk).title == "Review Blog evil"
    post = post_for_item(FeedItem.objects.get(feed=feed))
    assert post.author.display_name == "Review Blog evil"
    page = client_for(reader).get("/settings/feeds/").content.decode()
    assert "<bdi>Review Blog evil</bdi>" in page
    # A name that still carries one (set by hand, from before) stays inside its <bdi>.
    Feed.objects.filter(pk=feed.pk).update(title=f"Old{RLO} name")
    page = client_for(reader).get("/settings/feeds/").content.decode()
    assert f"<bdi>Old{RLO} name</bdi>" in page
    admin = make_person("root")
    admin.user.is_staff = admin.user.is_superuser = True
    admin.user.save()
    for model in ("feed", "subscription"):
        listing = client_for(admin).get(f"/admin/feeds/{model}/").content.decode()
        assert f"<bdi>Old{RLO} name</bdi>" in listing


def test_text_around_images_keeps_every_character():
    html = clean_item_html('<p>Café 😀 <img src="a.png" alt="é"> שלום &amp; 1 &lt; 2</p>', FEED_URL)
    assert html.startswith("<p>Café 😀 <img ")
    assert 'alt="é"' in html and "שלום &amp; 1 &lt; 2</p>" in html


@pytest.mark.django_db
def test_items_stored_before_are_cleaned_by_the_command(trap):
    from django.core.management import call_command

    trap.serve("/f", _rss("<p>x</p>"), content_type=RSS)
    feed = subscribe(make_person("ana"), trap.url("/f")).feed
    old = (
        '<p>a <img src="pics/a.png"> <img src="http://old.example.org/b.png"><a href="/p">p</a></p>'
    )
    item = FeedItem.objects.get(feed=feed)
    post = post_for_item(item)
    FeedItem.objects.filter(pk=item.pk).update(body_html=old)
    Post.objects.filter(pk=post.pk).update(body_html=old)
    call_command("feeds_reclean", stdout=open("/dev/null", "w"))  # noqa: SIM115
    html = FeedItem.objects.get(pk=item.pk).body_html
    assert 'src="https://blog.example.org/2026/11/post/pics/a.png"' in html
    assert 'loading="lazy"' in html and "old.example.org" not in html
    assert 'href="https://blog.example.org/p"' in html
    assert Post.objects.get(pk=post.pk).body_html == html  # the post made of it too
    call_command("feeds_reclean", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert FeedItem.objects.get(pk=item.pk).body_html == html
