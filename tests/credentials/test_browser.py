"""In a real browser: open a statement, verify it, download its JSON, change one character and see
verification fail with the reason (issue 3, the credentials half of the browser test)."""

import pytest
from playwright.sync_api import expect

from connective.credentials.services.issuing import issue_statement
from tests.conftest import make_person
from tests.credentials.conftest import COURSE, make_achievement, make_evidence

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_verify_a_statement_then_a_tampered_download(page, tmp_path):  # noqa: F811
    learner = make_person("learner", display_name="Lea Learner")
    statement = issue_statement(learner, make_achievement(), make_evidence(), COURSE)
    page.goto(statement.get_absolute_url())
    expect(page.locator(".certificate")).to_contain_text("Lea Learner")
    page.get_by_role("link", name="Verify", exact=True).click()
    expect(page.locator(".verify-result")).to_contain_text("Valid")

    page.goto(statement.get_absolute_url())
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download JSON").click()
    downloaded = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(downloaded)
    assert downloaded.name == f"statement-{statement.public_id}.json"

    page.goto("/statements/verify/")
    page.get_by_label("Or upload the file").set_input_files(str(downloaded))
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".verify-result")).to_contain_text("Valid")

    text = downloaded.read_text()
    tampered = tmp_path / "tampered.json"
    tampered.write_text(text.replace("Personal learning", "Personal Learning", 1))
    page.get_by_label("Or upload the file").set_input_files(str(tampered))
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".verify-result")).to_contain_text("Not valid: bad signature")
