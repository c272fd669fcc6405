"""A wrong method on a POST-only address: a page for browsers, a plain 405 for machines."""

import pytest
from django.http import HttpResponse
from django.urls import reverse

from connective.core.middleware import MethodNotAllowedPageMiddleware

pytestmark = pytest.mark.django_db

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
PAGE = b"only takes a form submission"


def test_a_browser_opening_a_form_address_gets_a_page_saying_so(ana_client):
    response = ana_client.get(reverse("notifications:mark_read"), HTTP_ACCEPT=BROWSER)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response["Content-Type"].startswith("text/html")
    assert PAGE in response.content and b"use the button" in response.content
    assert b"<h1>" in response.content and b"connective.css" in response.content
    assert "Accept" in response["Vary"]


def test_a_visitor_gets_the_page_too_with_the_methods_the_address_takes(client, ana):
    response = client.post("/.well-known/webfinger", HTTP_ACCEPT=BROWSER)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert PAGE in response.content


@pytest.mark.parametrize(
    "accept",
    [
        "application/activity+json",
        'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
        "application/json",
        "application/activity+json, text/html;q=0.1",
        "*/*",
        "",
    ],
)
def test_activitypub_and_json_clients_keep_a_plain_405(client, ana, accept):
    response = client.get(f"/@{ana.handle}/inbox/", HTTP_ACCEPT=accept)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.content == b""
    assert "Accept" in response["Vary"]


def test_a_405_that_has_its_own_body_is_left_alone(rf):
    answer = HttpResponse(b'{"detail": "Method not allowed"}', status=405)
    answer["Allow"] = "GET"
    middleware = MethodNotAllowedPageMiddleware(lambda request: answer)
    response = middleware(rf.post("/api/x", HTTP_ACCEPT=BROWSER))
    assert response is answer and response.content.startswith(b'{"detail"')


def test_other_statuses_are_left_alone(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT=BROWSER)
    assert response.status_code == 404 and PAGE not in response.content
