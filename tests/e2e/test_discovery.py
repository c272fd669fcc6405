"""Finding help and seeing my network, in a real browser: ask who can help, read why; open the
map and find my connections in the SVG and in its list; save a snapshot and publish it."""

import re

import pytest
from playwright.sync_api import expect

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
    for i in range(2):
        draft = PostDraft(
            kind=Kind.RESOURCE,
            title=f"Licence guide {i}",
            body="How to choose a licence",
            link_url="https://oer.example/guide",
            licence="cc-by",
            topics=["Open licensing"],
        )
        create_post(chloe, draft)
    log_in(page, "noor")

    page.goto("/experts/")
    page.get_by_label("A topic or a few words").fill("open licensing")
    page.get_by_role("button", name="Find people").click()
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
