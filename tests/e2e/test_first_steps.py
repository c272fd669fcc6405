"""A newcomer's first steps, in a real browser: join, describe what I learn, connect, share."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from connective.accounts.models import Person
from connective.content.models import Post

pytestmark = pytest.mark.django_db(transaction=True)


def demo_helper() -> Person:
    """A demo person who accepts connections without approval and can help with something."""
    return (
        Person.objects.local()
        .filter(requires_approval=False, expertise__isnull=False)
        .exclude(handle="learner")
        .distinct()
        .order_by("handle")
        .first()
    )


def sign_up(page, mailoutbox) -> None:
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill("noor@school.example")
    page.get_by_label("Handle").fill("noor")
    page.get_by_label("Display name").fill("Noor Haddad")
    page.get_by_label("Password", exact=True).fill("a-long-learning-passphrase")
    page.get_by_label(re.compile("Password \\(again\\)")).fill("a-long-learning-passphrase")
    page.get_by_role("button", name=re.compile("Sign up|Join", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("verify|confirm", re.I))
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name=re.compile("Confirm", re.I)).click()
    expect(page).to_have_url(re.compile("/home/$"))


def describe_myself(page) -> None:
    page.goto("/settings/")
    page.get_by_label(re.compile("learning", re.I)).first.fill("Open licensing, Rubrics")
    page.get_by_label(re.compile("help", re.I)).first.fill("Science education")
    page.get_by_role("button", name=re.compile("Save", re.I)).click()
    expect(page.locator(".message")).to_be_visible()


def connect_with(page, helper: Person) -> None:
    page.goto(f"/connect/@{helper.handle}/")
    page.get_by_role("textbox", name="Topics").fill("Open licensing")
    page.get_by_label(re.compile("Learn from", re.I)).check()
    page.get_by_label("Where we met", exact=True).fill("the open pedagogy reading group")
    page.get_by_label("Private note").fill("Ask about remixing lab sheets")
    expect(page.locator("body")).to_contain_text(re.compile("open licensing", re.I))
    page.get_by_role("button", name=re.compile("^Connect", re.I)).click()
    expect(page.locator(".message")).to_contain_text("connected")


def share_resource(page) -> None:
    page.goto("/posts/new/?kind=resource")
    page.get_by_label("Title").fill("Remixable lab safety sheets")
    page.get_by_label("Address (URL)").fill("https://sheets.example/lab-safety")
    page.get_by_label("Description").fill("Editable lab safety sheets for ages 11-14.")
    page.get_by_label("Licence").select_option("cc-by-sa")
    page.get_by_label("Topics").fill("Open licensing")
    page.get_by_role("button", name="Share resource").click()
    expect(page.locator(".licence").first).to_have_text("CC BY-SA 4.0")


def log_in(page, handle: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Handle or email").fill(handle)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name=re.compile("Sign in|Log in", re.I)).click()
    expect(page).to_have_url(re.compile("/home/$"))


def test_newcomer_connects_shares_and_is_seen(page, mailoutbox):
    call_command("demo", verbosity=0)
    helper = demo_helper()
    sign_up(page, mailoutbox)
    describe_myself(page)
    noor = Person.objects.get(handle="noor")
    assert sorted(t.key for t in noor.interests.all()) == ["openlicensing", "rubrics"]
    connect_with(page, helper)
    share_resource(page)
    resource = Post.objects.get(author=noor, kind="resource")
    assert resource.licence == "cc-by-sa"

    page.context.clear_cookies()
    log_in(page, helper.handle, settings.CONNECTIVE_DEMO_PASSWORD)
    card = page.locator(f"#post-{resource.pk}")
    expect(card).to_contain_text("Remixable lab safety sheets")
    expect(card.locator(".licence")).to_have_text("CC BY-SA 4.0")
    page.goto("/notifications/")
    expect(page.locator("main")).to_contain_text(
        re.compile(r"Noor Haddad\s+connected to learn about open licensing from you", re.I)
    )
    expect(page.locator("main")).not_to_contain_text("remixing lab sheets")
