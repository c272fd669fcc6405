"""`connective createadmin`: a superuser with a verified address and a Person."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from connective.accounts.models import Person, User
from tests.conftest import make_person

pytestmark = pytest.mark.django_db
GOOD = "admin-pass-13579"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("createadmin", *args, stdout=out)
    return out.getvalue()


def test_creates_superuser_verified_email_and_person(settings):
    settings.CONNECTIVE_SITE_URL = "https://learn.example"
    output = run("--handle", "Keeper", "--email", "Keeper@Example.org", "--password", GOOD)
    assert "@keeper" in output
    user = User.objects.get(username="keeper")
    assert user.is_superuser and user.is_staff
    assert user.check_password(GOOD)
    assert user.password.startswith("argon2")
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == ("keeper@example.org", True, True)
    person = Person.objects.get(user=user)
    assert person.uri == "https://learn.example/@keeper"


def test_the_admin_can_log_in(client):
    run("--handle", "keeper", "--email", "keeper@example.org", "--password", GOOD)
    response = client.post("/accounts/login/", {"login": "keeper", "password": GOOD})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_password_from_the_environment_when_not_a_terminal(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    monkeypatch.setenv("CONNECTIVE_ADMIN_PASSWORD", GOOD)
    run("--handle", "keeper", "--email", "keeper@example.org")
    assert User.objects.get(username="keeper").check_password(GOOD)


def test_no_password_anywhere_is_a_clear_error(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    monkeypatch.delenv("CONNECTIVE_ADMIN_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="CONNECTIVE_ADMIN_PASSWORD"):
        run("--handle", "keeper", "--email", "keeper@example.org")
    assert not User.objects.exists()


def test_prompts_twice_on_a_terminal(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    answers = iter([GOOD, GOOD])
    monkeypatch.setattr("sys.stdin", Tty())
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    run("--handle", "keeper", "--email", "keeper@example.org")
    assert User.objects.get(username="keeper").check_password(GOOD)


def test_prompted_passwords_that_differ_are_refused(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    answers = iter([GOOD, GOOD + "x"])
    monkeypatch.setattr("sys.stdin", Tty())
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="differ"):
        run("--handle", "keeper", "--email", "keeper@example.org")
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("handle", "email", "password", "message"),
    [
        ("Ana", "new@example.org", GOOD, "already taken"),
        ("admin", "new@example.org", GOOD, "reserved"),
        ("bad handle", "new@example.org", GOOD, "letters, digits or underscores"),
        ("k", "new@example.org", GOOD, "2–30"),
        ("keeper", "not-an-email", GOOD, "not a valid email"),
        ("keeper", "ANA@example.org", GOOD, "already in use"),
        ("keeper", "new@example.org", "short", "Password"),
        ("keeper", "new@example.org", "12345678901234", "Password"),
    ],
)
def test_bad_input_is_a_clear_error_and_nothing_is_created(handle, email, password, message):
    make_person("ana")
    with pytest.raises(CommandError, match=message):
        run("--handle", handle, "--email", email, "--password", password)
    assert User.objects.count() == 1
    assert Person.objects.count() == 1
