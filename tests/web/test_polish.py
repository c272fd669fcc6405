"""Small wording fixes on the web pages a walkthrough found confusing."""

import re

import pytest
from django.test import Client

from connective.content.services.posts import PostDraft, create_post
from connective.topics.services.resolve import get_or_create_topics
from tests.conftest import make_person
from tests.e2e.helpers import log_in_as
from tests.web.helpers import set_topics

pytestmark = pytest.mark.django_db


def _tile_meta(html: str, name: str) -> str:
    """The counts line under the topic called `name` on the topics index."""
    found = re.search(rf">{name}</a>\s*<p class=\"meta\">(.*?)</p>", html, re.S)
    assert found, html
    return found.group(1)


def test_topics_index_says_its_helpers_are_the_people_who_say_they_can_help(ana, ben):
    """The index counts declared expertise, the topic page lists anyone with evidence: the
    index's words must not read as the page's list."""
    get_or_create_topics(["Maths", "Physics"])
    set_topics(ana, expertise=["Maths", "Physics"])
    set_topics(ben, expertise=["Maths"])
    html = Client().get("/topics/").content.decode()
    assert _tile_meta(html, "Maths") == "2 say they can help"
    assert _tile_meta(html, "Physics") == "1 says they can help"


# Each link of the header: how far its words reach past its own box or a box that clips them,
# and past the window (px; 0 when the words are whole and on screen).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('.site-header a, .site-header button')]
    .filter((el) => el.offsetParent !== null)
    .map((el) => {
      // The words shown (not the visually hidden labels the icons carry for screen readers).
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      const words = { left: Infinity, right: -Infinity };
      for (let text = walker.nextNode(); text; text = walker.nextNode()) {
        if (!text.textContent.trim() || text.parentElement.getBoundingClientRect().width <= 1) {
          continue;
        }
        const range = document.createRange();
        range.selectNodeContents(text);
        const rect = range.getBoundingClientRect();
        words.left = Math.min(words.left, rect.left);
        words.right = Math.max(words.right, rect.right);
      }
      if (words.right < words.left) {  // an icon: its box stands for its words
        const box = el.getBoundingClientRect();
        words.left = box.left;
        words.right = box.right;
      }
      let clip = 0;
      for (let box = el; box && box !== document.body; box = box.parentElement) {
        if (box === el || getComputedStyle(box).overflowX !== 'visible') {
          const outer = box.getBoundingClientRect();
          clip = Math.max(clip, outer.left - words.left, words.right - outer.right);
        }
      }
      const name = (el.textContent || el.title).trim();
      return [name, Math.max(0, Math.round(clip)), Math.max(0, Math.round(words.right - width))];
    });
}"""


# Whether the brand ends before the links beside it begin (on phones they share the top row).
APART = """() => {
  const brand = document.querySelector('.site-header .brand').getBoundingClientRect();
  const links = document.querySelector('.site-nav__me').getBoundingClientRect();
  return brand.bottom <= links.top || brand.right <= links.left;
}"""


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("signed_in", [True, False])
def test_the_header_fits_a_360px_phone(page, live_server, signed_in):
    """Every header link is whole and on screen from 360 px (UI.md) down: none clipped or
    scrolled away, nor over one another. 345 and 305 px are 360 and 320 px windows less a
    classic scrollbar; 320 px an older phone."""
    if signed_in:
        log_in_as(page, live_server, make_person("robin", display_name="Robin Ellis"))
    for width in (360, 345, 320, 305):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/topics/")
        links = page.evaluate(OVERFLOW)
        assert "Topics" in [name for name, *_ in links]
        assert (width, [link for link in links if link[1] or link[2]]) == (width, [])
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.evaluate(APART), f"the brand and the account links overlap at {width} px"


WIDE_TABLE = (
    "Where to start:\n\n"
    "| Resource | Licence | Why it helps |\n"
    "|---|---|---|\n"
    "| OpenStax Calculus | CC BY 4.0 | Worked examples for every exercise in the book |\n"
    "| Khan Academy videos | CC BY-NC-SA | Short explanations you can pause and rewatch |\n"
)

# How the first table of the post is drawn.
TABLE = """() => {
  const table = document.querySelector('main .card__body table');
  const th = getComputedStyle(table.querySelector('th'));
  const td = getComputedStyle(table.querySelector('td'));
  return {
    cellBorder: td.borderTopStyle + ' ' + td.borderTopWidth,
    headerShaded: th.backgroundColor !== td.backgroundColor,
    scrollsItself:
      table.scrollWidth > table.clientWidth && getComputedStyle(table).overflowX === 'auto',
    pageWidth: document.documentElement.scrollWidth,
  };
}"""


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_markdown_tables_are_ruled_and_scroll_inside_their_box_on_a_phone(page):
    """The article help promises tables: they get ruled cells and a shaded header row, and on a
    360 px phone a wide one scrolls sideways by itself instead of widening the page."""
    author = make_person("robin", display_name="Robin Ellis")
    post = create_post(author, PostDraft(kind="note", body=WIDE_TABLE))
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(post.get_absolute_url())
    drawn = page.evaluate(TABLE)
    assert drawn["cellBorder"] == "solid 1px"
    assert drawn["headerShaded"]
    assert drawn["scrollsItself"]
    assert drawn["pageWidth"] <= 360
