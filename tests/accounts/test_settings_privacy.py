"""Privacy settings: approval of new connections, discoverability (opt-in)."""

import pytest

from connective.accounts.services.profile import update_privacy

pytestmark = pytest.mark.django_db
URL = "/settings/privacy/"


def test_privacy_page_shows_current_choices(ana, ana_client):
    update_privacy(ana, requires_approval=False, discoverable=True)
    page = ana_client.get(URL).content.decode()
    assert page.count("<h1") == 1
    assert '<label class="choice-row" for="id_requires_approval">' in page
    assert 'id="id_discoverable" checked' in page
    assert 'id="id_requires_approval" checked' not in page


def test_discoverable_is_off_until_chosen_and_explained(ana, ana_client):
    update_privacy(ana, requires_approval=False, discoverable=False)
    page = ana_client.get(URL).content.decode()
    assert 'id="id_discoverable" checked' not in page
    assert "Let others find me" in page and "Off (how every new account starts)" in page
    assert "What “Let others find me” changes" in page
    assert 'href="/settings/discovery/"' in page  # the stronger opt-out lives there


def test_saving_privacy_choices(ana, ana_client):
    response = ana_client.post(URL, {"requires_approval": "on"})
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.requires_approval is True
    assert ana.discoverable is False
    ana_client.post(URL, {"discoverable": "on"})
    ana.refresh_from_db()
    assert (ana.requires_approval, ana.discoverable) == (False, True)


def test_privacy_needs_login(client):
    assert client.post(URL, {"requires_approval": "on"}).status_code == 302
