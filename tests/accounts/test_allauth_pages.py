"""allauth's pages look like the rest of Connective: our chrome, one h1, our form vocabulary."""

import re

import pytest
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db


def main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def assert_our_page(page: str):
    assert 'class="site-header"' in page
    assert "/static/web/connective.css" in page
    assert page.count("<h1") == 1
    assert "<strong>Menu:</strong>" not in page  # allauth's bare default layout


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/confirm-email/",
        "/accounts/confirm-email/not-a-key/",
    ],
)
def test_entrance_pages_use_our_layout(path):
    response = Client().get(path)
    assert response.status_code == 200
    assert_our_page(response.content.decode())


def test_entrance_forms_use_our_form_vocabulary():
    page = main(Client().get("/accounts/signup/").content.decode())
    assert '<form method="post" action="/accounts/signup/" class="panel">' in page
    assert page.count('<div class="field">') == 5
    assert '<button class="button"' in page
    assert 'aria-describedby="id_username_helptext"' in page


def test_form_errors_are_tied_to_their_fields():
    page = Client().post("/accounts/signup/", {"username": "a b", "email": "x"}).content.decode()
    assert 'id="id_username_error"' in page
    assert 'aria-describedby="id_username_helptext id_username_error"' in page
    assert 'aria-invalid="true"' in page


def test_a_failed_login_is_announced(ana):
    page = Client().post("/accounts/login/", {"login": "ana", "password": "nope-nope-1"})
    assert '<ul class="errorlist" role="alert">' in page.content.decode()


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/accounts/email/", "/accounts/email/"),
        ("/accounts/password/change/", "/accounts/password/change/"),
        ("/accounts/2fa/", "/accounts/2fa/"),
    ],
)
def test_account_pages_sit_under_the_settings_tabs(ana_client, path, current):
    page = ana_client.get(path).content.decode()
    assert_our_page(page)
    assert 'aria-label="Settings"' in page
    assert 'href="/accounts/email/" aria-current="page">Account</a>' in page
    assert f'href="{current}" aria-current="page"' in page
    assert "<h2>" in main(page)


def test_logout_page_is_plain(ana_client):
    page = ana_client.get("/accounts/logout/").content.decode()
    assert_our_page(page)
    assert 'aria-label="Settings"' not in page


def test_verification_sent_page_after_signup():
    client = Client()
    client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "username": "newbie",
            "password1": "a-long-pass-9876",
            "password2": "a-long-pass-9876",
        },
    )
    assert_our_page(client.get("/accounts/confirm-email/").content.decode())
    key = re.search(r"/accounts/confirm-email/(\S+)/", mail.outbox[0].body).group(1)
    page = client.get(f"/accounts/confirm-email/{key}/").content.decode()
    assert_our_page(page)
    assert "<form" in main(page)
