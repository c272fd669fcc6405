"""Shared fixtures: people, logged-in clients, a temporary media root."""

import os
import shutil

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from connective.accounts.models import Person, User
from connective.accounts.services.people import create_local_person

PASSWORD = "correct-horse-battery-9"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads in each test go to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _no_axes_between_tests(settings):
    """Lockouts are tested explicitly; they must not leak between tests."""
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete() if _db_ready() else None


def _db_ready() -> bool:
    from django.db import connection

    try:
        return "axes_accessattempt" in connection.introspection.table_names()
    except Exception:
        return False


def make_person(
    handle: str, *, display_name: str = "", password: str = PASSWORD, **fields
) -> Person:
    """A local person with a verified email address and a login."""
    user = User.objects.create_user(
        username=handle, email=f"{handle}@example.org", password=password
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    person = create_local_person(user, display_name=display_name or handle.title())
    # Most tests are about people who chose to be found; a test of the opt-in itself passes
    # discoverable=False (new accounts start undiscoverable: Person.discoverable's default).
    fields.setdefault("discoverable", True)
    if fields:
        Person.objects.filter(pk=person.pk).update(**fields)
        person.refresh_from_db()
    return person


def make_remote_person(handle: str, domain: str = "remote.example") -> Person:
    """A person on another server (no User)."""
    return Person.objects.create(
        handle=handle,
        domain=domain,
        uri=f"https://{domain}/users/{handle}",
        url=f"https://{domain}/@{handle}",
        display_name=handle.title(),
    )


@pytest.fixture
def ana(db) -> Person:
    return make_person("ana", display_name="Ana Lima")


@pytest.fixture
def ben(db) -> Person:
    return make_person("ben", display_name="Ben Okafor")


@pytest.fixture
def chloe(db) -> Person:
    return make_person("chloe", display_name="Chloe Martin")


@pytest.fixture
def remote(db) -> Person:
    return make_remote_person("dana")


def client_for(person: Person) -> Client:
    """A test client logged in as `person`."""
    client = Client()
    client.force_login(person.user)
    return client


@pytest.fixture
def ana_client(ana) -> Client:
    return client_for(ana)


@pytest.fixture
def ben_client(ben) -> Client:
    return client_for(ben)


# --- browser tests -------------------------------------------------------------------------
# One Playwright and one headless Chromium per test process, shared by every browser test
# (tests/e2e and the apps' own), since Playwright's sync API runs one event loop per thread.
CHROMIUM = os.environ.get("CONNECTIVE_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session. Missing Chromium is an error, not a skip."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    # Playwright's sync API runs an event loop in this thread; the ORM calls browser tests make
    # between steps are ordinary synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, settings):
    """A fresh browser context whose relative URLs go to the live server."""
    settings.CONNECTIVE_SITE_URL = live_server.url
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
