"""A learner's path through the demo course in a real browser: enrol, complete every activity
through the real pages, receive the statement, verify it, and see a tampered copy refused."""

import re

import pytest
from playwright.sync_api import expect

from connective.courses.demo import TITLE, load_demo
from connective.courses.models import Course
from tests.conftest import PASSWORD, make_person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _card(page, course: Course, title: str):
    activity = course.activities.get(title=title)
    return page.locator(f"#activity-{activity.pk}")


def test_learner_completes_the_demo_course_and_verifies_the_statement(page):
    load_demo({h: make_person(h) for h in ["siobhan", "joao"]})
    make_person("robin", display_name="Robin Ellis")
    course = Course.objects.get(title=TITLE)
    page.goto("/accounts/login/")
    page.fill("input[name=login]", "robin")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()

    page.goto("/courses/")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="Enrol").click()
    expect(page.locator(".course-progress")).to_contain_text("0 of 5 required")

    # discuss: a reply in the activity's thread
    _card(page, course, "Define a PLN with the help of search and the forum").get_by_role(
        "link", name="Go to the thread"
    ).click()
    thread_url = page.url
    page.goto(thread_url.rstrip("/") + "/reply/")
    page.get_by_role("textbox", name="Your reply").fill(
        "A PLN is the people I learn with, on purpose."
    )
    page.get_by_role("button", name="Reply").click()

    # read: mark done
    page.goto(course.get_absolute_url())
    _card(page, course, "Read two accounts of learning in networks").get_by_role(
        "button", name="Mark done"
    ).click()
    # reflect: mark done with a private reflection
    card = _card(page, course, "Map who you learn from")
    card.get_by_label("Private reflection (optional)").fill("Five people, three surprises.")
    card.get_by_role("button", name="Mark done").click()

    # write: the composer opens with the tag
    _card(page, course, "Write a position statement: is “PLN” a useful term?").get_by_role(
        "link", name="Write your article"
    ).click()
    expect(page.get_by_label("Topics")).to_have_value("pln-position")
    page.get_by_label("Title").fill("Yes, the name helps")
    page.get_by_label("Article").fill("Naming my network made me tend it.")
    page.get_by_role("button", name=re.compile("(Save|Publish) article")).click()

    # share: a resource with the tag
    page.goto(course.get_absolute_url())
    _card(page, course, "Share a resource that shaped your view").get_by_role(
        "link", name="Share a resource"
    ).click()
    page.get_by_label("Title").fill("Networks of practice")
    page.get_by_label("Address (URL)").fill("https://example.org/networks")
    page.get_by_role("button", name="Share resource").click()

    page.goto(course.get_absolute_url())
    expect(page.locator(".course-progress")).to_contain_text("You completed this course")
    page.get_by_role("link", name="Your statement of participation").click()
    statement_url = page.url
    expect(page.locator("main")).to_contain_text(TITLE)

    page.get_by_role("link", name="Verify", exact=True).click()
    expect(page.locator(".verify-result")).to_contain_text("Valid")

    json_url = statement_url.rstrip("/") + "/credential.json"
    original = page.request.get(json_url).text()
    assert "Robin Ellis" in original
    tampered = original.replace("Robin Ellis", "Robin Ellia", 1)
    page.goto("/statements/verify/")
    page.get_by_label("Paste the credential").fill(tampered)
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".verify-result--invalid")).to_contain_text(re.compile("Not valid: .+"))
