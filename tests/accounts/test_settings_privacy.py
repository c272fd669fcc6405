"""Privacy settings: approval of new connections, discoverability."""

import pytest

pytestmark = pytest.mark.django_db
URL = "/settings/privacy/"


def test_privacy_page_shows_current_choices(ana, ana_client):
    page = ana_client.get(URL).content.decode()
    assert page.count("<h1") == 1
    assert '<label class="choice-row" for="id_requires_approval">' in page
    assert 'id="id_discoverable" checked' in page
    assert 'id="id_requires_approval" checked' not in page


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
