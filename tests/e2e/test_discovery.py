"""Finding help and seeing my network, in a real browser: search for a topic from the header box
and narrow the results; ask who can help, read why; open the map and find my connections in the
SVG and in its list; save a snapshot and publish it."""

import re

import pytest
from playwright.sync_api import expect

from connective.accounts.services.profile import ProfileChange, update_privacy, update_profile
from connective.content.models import Kind
from connective.content.services.posts import PostDraft, create_post
from connective.network.services.connections import Purpose, connect
from connective.topics.services.resolve import get_or_create_topics
from tests.conftest import PASSWORD, make_person

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, handle: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("Username|Handle|Login|Email", re.I)).first.fill(handle)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Log in|Sign in", re.I)).click()
    expect(page).to_have_url(re.compile("/home/$"))


def test_ask_who_can_help_then_see_the_map(page):
    noor = make_person("noor", display_name="Noor Haddad")
    ben = make_person("ben", display_name="Ben Okafor")
    chloe = make_person("chloe", display_name="Chloe Martin")
    noor.interests.set(get_or_create_topics(["Open licensing"]))
    connect(noor, ben, Purpose(direction="learn_with", topics=["Rubrics"]))
    connect(ben, chloe, Purpose(direction="learn_from", topics=["Open licensing"]))
    bio = "Librarian; I answer questions about open licensing."
    update_profile(chloe, ProfileChange("Chloe Martin", bio, ["Open licensing"], []))
    update_privacy(chloe, requires_approval=False, discoverable=True)  # chose to be found
    for i, licence in enumerate(["cc-by", "cc-by-sa"]):
        draft = PostDraft(
            kind=Kind.RESOURCE,
            title=f"Licence guide {i}",
            body="How to choose a licence: open licensing in five questions",
            link_url="https://oer.example/guide",
            licence=licence,
            topics=["Open licensing"],
        )
        create_post(chloe, draft)
    log_in(page, "noor")

    search_for_a_topic(page)

    page.get_by_role("link", name="who can help with Open licensing?").click()  # from search
    expect(page.get_by_label("A topic or a few words")).to_have_value("Open licensing")
    result = page.locator(".expert").filter(has_text="Chloe Martin")
    expect(result).to_contain_text("Shared 2 resources on Open licensing")
    expect(result).to_contain_text("Ben Okafor from your network connects to them")
    expect(result).to_contain_text("Two hops out")

    page.goto("/network/map/")
    svg = page.locator(".pln-map__picture svg")
    expect(svg).to_be_visible()
    expect(svg.locator("text", has_text="Ben Okafor")).to_have_count(1)
    expect(svg.locator("title", has_text="you learn with them")).to_have_count(1)
    expect(page.locator(".pln-map__list")).to_contain_text("Ben Okafor — you learn with them")
    expect(page.locator(".map-health")).to_contain_text("Open licensing")  # a gap, with Chloe

    page.get_by_role("button", name="Save a snapshot").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("My network on")
    page.get_by_role("button", name="Make it public").click()
    public = page.locator("#embed-md").input_value()
    url = re.search(r"\((\S+\.svg)\)", public).group(1)
    response = page.request.get(url)
    assert response.status == 200
    assert response.headers["content-type"].startswith("image/svg+xml")


def search_for_a_topic(page) -> None:
    """The header box on any page; results of several kinds, highlighted; a kind, then a licence.
    Ends on the results page, which offers the expert finder for the topic."""
    page.get_by_role("searchbox", name="Search", exact=True).fill("open licensing")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=open\+licensing$"))
    results = page.locator(".search-result")
    expect(results.filter(has_text="Licence guide")).to_have_count(2)
    expect(page.locator(".search-result--person").filter(has_text="Chloe Martin")).to_have_count(1)
    expect(page.locator(".search-result mark", has_text="licensing").first).to_be_visible()
    facets = page.get_by_role("navigation", name="Kinds of result")
    expect(facets.get_by_role("link", name=re.compile("^Resources 2"))).to_be_visible()

    facets.get_by_role("link", name=re.compile("^Resources")).click()
    expect(page).to_have_url(re.compile(r"kind=resource"))
    expect(page.locator(".search-result--person")).to_have_count(0)
    expect(results).to_have_count(2)

    form = page.get_by_role("search", name="Search everything")
    form.get_by_text("Filters").click()
    form.get_by_label("Licence").select_option(label="CC BY-SA 4.0")
    form.get_by_role("button", name="Search").click()
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Licence guide 1")
    expect(results.first.locator(".licence")).to_have_text("CC BY-SA 4.0")
