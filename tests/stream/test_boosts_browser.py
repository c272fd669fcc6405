"""Boosting in a real browser: a boosted post in my stream, then my own boost with the button
(htmx swaps the toggle in place), then taking it back."""

import pytest
from playwright.sync_api import expect

from connective.content.models import Boost
from connective.content.services.boosts import boost_post
from tests.conftest import PASSWORD, make_person
from tests.stream.conftest import connect, make_post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_boosted_post_in_my_stream_and_boosting_it_myself(page):
    ana = make_person("ana", display_name="Ana Lima")
    ben = make_person("ben", display_name="Ben Okafor")
    chloe = make_person("chloe", display_name="Chloe Martin")
    connect(ana, ben)
    item = make_post(chloe, "A fine guide to rubrics")
    boost_post(ben, item)

    page.goto("/accounts/login/")
    page.fill("input[name=login]", "ana")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.goto("/home/")
    card = page.locator(f"#post-{item.pk}")
    expect(card).to_contain_text("Boosted by Ben Okafor")
    expect(card).to_contain_text("A fine guide to rubrics")
    button = card.get_by_role("button", name="Boost")
    expect(button).to_have_attribute("aria-pressed", "false")

    button.click()  # htmx: the toggle is swapped in place, the page stays
    expect(card.get_by_role("button", name="Boost")).to_have_attribute("aria-pressed", "true")
    assert Boost.objects.filter(person=ana, post=item).exists()

    card.get_by_role("button", name="Boost").click()
    expect(card.get_by_role("button", name="Boost")).to_have_attribute("aria-pressed", "false")
    assert not Boost.objects.filter(person=ana).exists()
