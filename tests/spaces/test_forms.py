"""The spaces forms: labels read like every other form's, without a trailing colon."""

import re

import pytest
from django.urls import reverse

from connective.spaces.forms import HideForm, JoinForm, ReplyForm, SpaceForm, ThreadForm
from connective.spaces.services.threads import start_thread

pytestmark = pytest.mark.django_db

LABEL = re.compile(r"<label[^>]*>(.*?)</label>", re.S)


def labels(html: str) -> list[str]:
    """The text of every <label> in `html`."""
    return [re.sub(r"<[^>]+>", "", text).strip() for text in LABEL.findall(html)]


@pytest.mark.parametrize("form_class", [SpaceForm, ThreadForm, ReplyForm, HideForm, JoinForm])
def test_spaces_forms_label_fields_without_a_colon(form_class):
    form = form_class()
    shown = [str(form[name].label_tag()) for name in form.fields if not form[name].is_hidden]
    assert shown and not [tag for tag in shown if ":</label>" in tag]


def test_space_and_thread_pages_show_labels_without_colons(ana, ana_client, space):
    root = start_thread(ana, space, title="Welcome", body="Say hello")
    pages = [
        reverse("spaces:create"),
        reverse("spaces:start", kwargs={"slug": space.slug}),
        reverse("spaces:thread", kwargs={"slug": space.slug, "pk": root.pk}),
    ]
    found = []
    for url in pages:
        response = ana_client.get(url)
        assert response.status_code == 200
        found += labels(response.content.decode())
    assert {"Name", "Title", "Your reply"} <= set(found)
    assert not [text for text in found if text.endswith(":")]
