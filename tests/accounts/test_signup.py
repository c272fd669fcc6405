"""Sign-up with email verification creates a User and their Person; bad sign-ups store nothing."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from connective.accounts.models import Person, User
from tests.conftest import make_person

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-pass-9876"


def signup(client: Client, **fields):
    data = {
        "email": "new@example.org",
        "username": "newbie",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "display_name": "New Person",
    }
    data.update(fields)
    return client.post("/accounts/signup/", data)


def mailed_link(message) -> str:
    """The path of the first link in a mail body."""
    url = re.search(r"https?://\S+", message.body).group(0)
    return re.sub(r"^https?://[^/]+", "", url)


def test_signup_verify_and_log_in_creates_person_with_canonical_uri(settings):
    settings.CONNECTIVE_SITE_URL = "https://learn.example"
    client = Client()
    response = signup(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    person = Person.objects.get(handle="newbie")
    assert person.uri == "https://learn.example/@newbie"
    assert person.display_name == "New Person"
    assert person.user.username == "newbie"
    assert not EmailAddress.objects.get(user=person.user).verified
    assert client.get("/home/").status_code == 302  # not logged in before verifying

    assert len(mail.outbox) == 1
    link = mailed_link(mail.outbox[0])
    assert mail.outbox[0].body.count("https://learn.example/accounts/confirm-email/") == 1
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=person.user).verified
    assert client.get("/home/").status_code == 200


def test_signup_page_has_one_h1_and_labelled_fields():
    page = Client().get("/accounts/signup/").content.decode()
    assert page.count("<h1") == 1
    for name in ("email", "username", "display_name", "password1", "password2"):
        assert f'<label for="id_{name}">' in page


def assert_nothing_stored(users_before: int):
    assert User.objects.count() == users_before
    assert Person.objects.count() == users_before
    assert not mail.outbox


@pytest.mark.parametrize("taken", ["ana", "ANA", "Ana"])
def test_duplicate_handle_in_any_case_is_refused(taken):
    make_person("ana")
    response = signup(Client(), username=taken)
    assert response.status_code == 200
    assert "already" in response.content.decode()
    assert_nothing_stored(1)


@pytest.mark.parametrize("handle", ["admin", "Settings", "well_known"])
def test_reserved_handle_is_refused(handle):
    response = signup(Client(), username=handle)
    assert "reserved" in response.content.decode()
    assert_nothing_stored(0)


@pytest.mark.parametrize("handle", ["a", "with space", "dot.ted", "x" * 31, "émile", "<b>x</b>"])
def test_bad_handle_is_refused(handle):
    response = signup(Client(), username=handle)
    page = response.content.decode()
    assert 'aria-invalid="true"' in page
    assert "<b>x</b>" not in page
    assert_nothing_stored(0)


def test_t32_email_differing_only_in_case_does_not_make_a_second_account():
    """The address is normalised before the uniqueness check; the owner is told by mail.

    allauth prevents account enumeration: the form answers as for a new account, so a
    stranger learns nothing, and the owner of the address gets an "account exists" mail.
    """
    make_person("ana")  # ana@example.org
    response = signup(Client(), email="  ANA@Example.ORG ", username="other")
    assert response.status_code == 302
    assert User.objects.count() == 1
    assert not User.objects.filter(username="other").exists()
    assert EmailAddress.objects.filter(email__iexact="ana@example.org").count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana@example.org"]
    assert "already" in mail.outbox[0].body


def test_t32_new_email_is_stored_lower_case():
    signup(Client(), email="MiXeD@Example.ORG")
    assert User.objects.get(username="newbie").email == "mixed@example.org"
    assert EmailAddress.objects.get().email == "mixed@example.org"


def test_mismatched_passwords_store_nothing():
    response = signup(Client(), password2="something-else-123")
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert_nothing_stored(0)


def test_control_characters_are_removed_from_the_display_name_at_signup():
    signup(Client(), display_name="New\x07 \x1bPerson")
    assert Person.objects.get(handle="newbie").display_name == "New Person"


def test_signup_without_display_name_shows_the_handle():
    signup(Client(), display_name="")
    person = Person.objects.get(handle="newbie")
    assert person.display_name == ""
    assert person.name == "newbie"


# --- a handle is never a space's or course's fediverse name (one name, one actor) ----------


@pytest.mark.parametrize("handle", ["ukulele", "Ukulele", "UKULELE"])
def test_a_spaces_slug_is_refused_as_a_handle(handle):
    from connective.spaces.services.spaces import create_space

    create_space(make_person("ana"), name="Ukulele")
    response = signup(Client(), username=handle)
    assert response.status_code == 200
    page = response.content.decode()
    assert "A space here is called that" in page and "choose another handle" in page
    assert_nothing_stored(1)


def test_a_members_only_or_deleted_spaces_slug_stays_taken():
    from connective.spaces.models import Space
    from connective.spaces.services.deletion import delete_space
    from connective.spaces.services.spaces import create_space

    ana = make_person("ana")
    create_space(ana, name="Staff", members_only=True)
    gone = create_space(ana, name="Gone")
    delete_space(gone, ana)  # no posts: the row goes at once, the Group's Tombstone stays
    assert not Space.all_objects.filter(slug="gone").exists()
    for handle, words in (("staff", "A space here is called that"), ("gone", "was called that")):
        response = signup(Client(), username=handle)
        assert words in response.content.decode(), handle
    assert User.objects.count() == 1 and not mail.outbox  # (the Group keeps its own row)


def test_a_handle_like_no_space_is_still_accepted():
    from connective.spaces.services.spaces import create_space

    create_space(make_person("ana"), name="Ukulele club")  # slug ukulele-club
    assert signup(Client(), username="ukulele").status_code == 302


def test_the_admin_command_path_refuses_a_spaces_name_too():
    from django.core.exceptions import ValidationError

    from connective.accounts.validators import not_reserved
    from connective.spaces.services.spaces import create_space

    create_space(make_person("ana"), name="Chess")
    with pytest.raises(ValidationError, match="A space here is called that"):
        not_reserved("chess")
    not_reserved("checkers")  # free
