"""Logging in and out, changing password and email; open redirects (T-25); lockout (T-33)."""

import re

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.test import Client

from connective.accounts.models import User
from tests.conftest import PASSWORD, client_for, make_person
from tests.web.helpers import assert_error_frame

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "another-pass-4321"
EVIL_NEXT = [
    "//evil.example",
    "https:evil.example",
    ' 8"onmouseover=alert(1)',
    "https://evil.example/x",
]


def login(client: Client, login: str = "ana", password: str = PASSWORD, next_url=None):
    data = {"login": login, "password": password}
    path = "/accounts/login/"
    if next_url is not None:
        data["next"] = next_url
    return client.post(path, data)


def test_login_with_handle_or_email_and_logout(ana):
    client = Client()
    response = login(client)
    assert response.status_code == 302
    assert response["Location"] == "/home/"
    assert client.get("/home/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/home/").status_code == 302
    assert login(Client(), login="ANA@example.org").status_code == 302


def test_wrong_password_shows_a_message_and_logs_nobody_in(ana):
    client = Client()
    response = login(client, password="wrong-password-1")
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_page_has_one_h1():
    page = Client().get("/accounts/login/").content.decode()
    assert page.count("<h1") == 1
    assert '<label for="id_login">' in page
    assert '<label for="id_password">' in page


def test_login_then_next_on_this_host_is_followed(ana):
    assert login(Client(), next_url="/settings/links/")["Location"] == "/settings/links/"


def assert_not_reflected_raw(page: str, evil: str):
    """The value may only appear escaped (in the hidden form field), never as markup or a link."""
    assert '8"onmouseover' not in page
    assert 'href="//evil.example' not in page
    assert 'href="https:evil.example' not in page
    assert "evil.example" not in page.replace(f'name="next" value="{evil}"', "")


@pytest.mark.parametrize("evil", EVIL_NEXT)
def test_t25_login_next_never_leaves_the_site(ana, evil):
    client = Client()
    assert_not_reflected_raw(client.get("/accounts/login/", {"next": evil}).content.decode(), evil)
    response = login(client, next_url=evil)
    assert response.status_code == 302
    assert response["Location"] == "/home/"


@pytest.mark.parametrize("evil", EVIL_NEXT)
def test_t25_logout_next_never_leaves_the_site(ana, evil):
    client = client_for(ana)
    assert_not_reflected_raw(client.get("/accounts/logout/", {"next": evil}).content.decode(), evil)
    response = client.post("/accounts/logout/", {"next": evil})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_t25_reflected_next_is_escaped_in_the_form(ana):
    page = Client().get("/accounts/login/", {"next": '/x"><script>alert(1)</script>'})
    text = page.content.decode()
    assert "<script>alert(1)</script>" not in text
    assert '"><script>' not in text


def test_password_change(ana):
    client = client_for(ana)
    assert client.get("/accounts/password/change/").status_code == 200
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert User.objects.get(username="ana").check_password(NEW_PASSWORD)
    assert login(Client(), password=NEW_PASSWORD).status_code == 302


def test_password_change_with_wrong_old_password_changes_nothing(ana):
    client = client_for(ana)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "not-it-at-all", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert User.objects.get(username="ana").check_password(PASSWORD)


def test_email_change_waits_for_verification_of_the_new_address(ana):
    from django.core import mail

    client = client_for(ana)
    assert client.get("/accounts/email/").status_code == 200
    response = client.post("/accounts/email/", {"action_add": "", "email": "Ana.New@Example.org"})
    assert response.status_code == 302
    new = EmailAddress.objects.get(email="ana.new@example.org")
    assert not new.verified
    assert User.objects.get(username="ana").email == "ana@example.org"  # unchanged until verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana.new@example.org"]


def test_t32_email_change_to_someone_elses_address_is_not_a_takeover(ana, ben):
    """Ana may ask for ben's address, but it stays unverified and cannot be confirmed by her."""
    from django.core import mail

    client = client_for(ana)
    client.post("/accounts/email/", {"action_add": "", "email": "BEN@example.org"})
    claimed = EmailAddress.objects.filter(user=ana.user, email="ben@example.org").first()
    assert claimed is None or not claimed.verified
    assert User.objects.get(username="ana").email == "ana@example.org"
    assert EmailAddress.objects.get(user=ben.user).verified
    assert mail.outbox  # the confirmation request goes to the address itself
    for message in mail.outbox:  # whatever was mailed went to ben's inbox, not ana's
        assert message.to == ["ben@example.org"]
        link = re.search(r"/accounts/confirm-email/\S+", message.body)
        if link:
            client.post(link.group(0))
    assert not EmailAddress.objects.filter(user=ana.user, email="ben@example.org", verified=True)
    ben_client = Client()
    assert login(ben_client, login="ben@example.org").status_code == 302
    assert ben_client.session["_auth_user_id"] == str(ben.user.pk)


# --- T-33: lockout -------------------------------------------------------------------------


def fail_five_times(login_name: str = "ana"):
    for _ in range(5):
        login(Client(), login=login_name, password="wrong-password-1")


def test_t33_sixth_attempt_after_five_failures_is_429_with_retry_after(ana):
    fail_five_times()
    response = login(Client(), password="wrong-password-1")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_t33_correct_password_during_lockout_is_refused(ana):
    fail_five_times()
    client = Client()
    response = login(client)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("variant", ["ANA", "Ana ", " ana"])
def test_t33_lockout_counts_the_normalised_login(ana, variant):
    for name in ["ana", "ANA", "Ana ", " aNa", "ana"]:
        login(Client(), login=name, password="wrong-password-1")
    response = login(Client(), login=variant)
    assert response.status_code == 429
    assert "Retry-After" in response


def test_t33_lockout_of_one_account_leaves_another_alone(ana, ben):
    fail_five_times("ana")
    assert login(Client(), login="ben").status_code == 302


def test_t33_success_before_the_limit_clears_the_failures(ana):
    for _ in range(4):
        login(Client(), password="wrong-password-1")
    assert AccessAttempt.objects.filter(username="ana").get().failures_since_start == 4
    assert login(Client()).status_code == 302
    assert not AccessAttempt.objects.filter(username="ana").exists()


def test_t33_lockout_page_is_ours_in_the_error_frame(ana):
    """The 429 says how long the pause lasts, in the standalone frame of the other 429s."""
    fail_five_times()
    response = login(Client(), password="wrong-password-1")
    assert response.status_code == 429
    page = response.content.decode()
    assert_error_frame(page)
    assert "Too many sign-in attempts" in page
    assert f"paused for about {int(response['Retry-After']) // 60} minutes" in page
    assert 'href="/accounts/password/reset/"' in page


def test_inactive_email_address_cannot_log_in():
    person = make_person("carl")
    EmailAddress.objects.filter(user=person.user).update(verified=False)
    response = login(Client(), login="carl")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"


def test_the_login_page_offers_one_way_to_reset_a_password(client):
    html = client.get("/accounts/login/").content.decode()
    assert html.count('href="/accounts/password/reset/"') == 1
