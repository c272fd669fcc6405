"""Helpers shared by the browser tests."""

from django.conf import settings
from django.test import Client


def log_in_as(page, live_server, person) -> None:
    """Give the browser `person`'s session, without going through the login form."""
    client = Client()
    client.force_login(person.user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
