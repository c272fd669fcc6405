"""The verify form's labels read like every other form's, without a trailing colon."""

import re

import pytest

from connective.credentials.forms import VerifyForm

pytestmark = pytest.mark.django_db


def test_verify_form_labels_have_no_trailing_colon(client):
    html = client.get("/statements/verify/").content.decode()
    tags = re.findall(r"<label[^>]*>(.*?)</label>", html, re.S)
    shown = [re.sub(r"<[^>]+>", "", tag).strip() for tag in tags]
    assert {"Paste the credential", "Or upload the file"} <= set(shown)
    assert not [text for text in shown if text.endswith(":")]
    assert ":</label>" not in str(VerifyForm()["credential"].label_tag())
