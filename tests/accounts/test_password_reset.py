"""Password reset (T-32): links from the configured site URL, single-use tokens bound to a user."""

import re

import pytest
from django.core import mail
from django.test import Client

from connective.accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
NEW = "fresh-password-2468"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.CONNECTIVE_SITE_URL = "https://learn.example"


def request_reset(client: Client, email: str, **headers):
    return client.post("/accounts/password/reset/", {"email": email}, **headers)


def reset_path(message) -> str:
    url = re.search(r"https?://\S+/accounts/password/reset/key/\S+", message.body).group(0)
    assert url.startswith("https://learn.example/"), url
    return url.removeprefix("https://learn.example")


def set_password(client: Client, path: str, password: str = NEW):
    """Follow the mailed link (allauth moves the key into the session), then post the form."""
    response = client.get(path)
    if response.status_code == 302:
        path = response["Location"]
    return client.post(path, {"password1": password, "password2": password})


def test_reset_sets_a_new_password(ana):
    client = Client()
    assert request_reset(client, "ana@example.org").status_code == 302
    assert len(mail.outbox) == 1
    response = set_password(client, reset_path(mail.outbox[0]))
    assert response.status_code == 302
    assert User.objects.get(username="ana").check_password(NEW)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_HOST": "localhost"},
        {"HTTP_X_FORWARDED_HOST": "evil.example"},
        {"HTTP_HOST": "localhost", "HTTP_X_FORWARDED_HOST": "evil.example:443"},
    ],
)
def test_t32_reset_link_uses_the_site_url_not_the_request_host(ana, settings, headers):
    settings.USE_X_FORWARDED_HOST = True  # the worst case: a proxy that passes the header on
    settings.ALLOWED_HOSTS = ["*"]
    request_reset(Client(), "ana@example.org", **headers)
    body = mail.outbox[0].body
    assert "evil.example" not in body
    assert "localhost" not in body
    assert "testserver" not in body
    reset_path(mail.outbox[0])  # asserts the link is on https://learn.example/


def test_t32_unlisted_host_header_is_refused_and_nothing_mailed(ana):
    response = request_reset(Client(), "ana@example.org", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert not mail.outbox


def test_t32_signup_confirmation_link_uses_the_site_url(settings):
    settings.ALLOWED_HOSTS = ["*"]
    Client().post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "username": "newbie",
            "password1": "a-long-pass-9876",
            "password2": "a-long-pass-9876",
        },
        HTTP_HOST="evil.example",
    )
    body = mail.outbox[0].body
    assert "evil.example" not in body
    assert "https://learn.example/accounts/confirm-email/" in body


def test_t32_reset_token_works_once(ana):
    request_reset(Client(), "ana@example.org")
    path = reset_path(mail.outbox[0])
    assert set_password(Client(), path).status_code == 302
    second = set_password(Client(), path, password="another-one-1357")
    assert second.status_code == 200
    assert "invalid" in second.content.decode()
    user = User.objects.get(username="ana")
    assert user.check_password(NEW)
    assert not user.check_password("another-one-1357")


def test_t32_token_for_one_user_cannot_reset_another(ana, ben):
    request_reset(Client(), "ana@example.org")
    path = reset_path(mail.outbox[0])
    uid_ana, _, key = path.rstrip("/").rsplit("/", 1)[1].partition("-")
    uid_ben = _uid(ben.user.pk)
    assert uid_ana != uid_ben
    forged = path.replace(f"/{uid_ana}-", f"/{uid_ben}-")
    response = set_password(Client(), forged)
    assert response.status_code == 200
    assert "invalid" in response.content.decode()
    assert User.objects.get(username="ben").check_password(PASSWORD)
    assert User.objects.get(username="ana").check_password(PASSWORD)


def test_reset_for_unknown_address_reveals_nothing(ana):
    response = request_reset(Client(), "nobody@example.org")
    assert response.status_code == 302
    assert not any("password/reset/key" in message.body for message in mail.outbox)
    for message in mail.outbox:  # allauth tells the address owner how to sign up instead
        assert "testserver" not in message.body


def _uid(pk: int) -> str:
    from allauth.account.utils import user_pk_to_url_str

    return user_pk_to_url_str(User.objects.get(pk=pk))


def test_t33_reset_requests_for_one_address_are_throttled(ana):
    codes = [request_reset(Client(), "ANA@example.org ").status_code for _ in range(7)]
    assert codes[:5] == [302] * 5
    assert codes[5:] == [429, 429]
    assert len(mail.outbox) == 5
