"""Finding the people of an imported network: each address once, a dead server asked once."""

from http.server import BaseHTTPRequestHandler

import pytest

from connective.portability.services.people import PeopleFinder, split_address
from tests.trap import Trap, trap  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _http_peers(settings):
    settings.CONNECTIVE_FEDERATION_ALLOW_HTTP = True


def _hang_up(req: BaseHTTPRequestHandler, _trap: Trap) -> None:
    """Promise a body, send three bytes, close: the server failed, not the address."""
    req.send_response(200)
    req.send_header("Content-Type", "application/activity+json")
    req.send_header("Content-Length", "100")
    req.end_headers()
    req.wfile.write(b'{"i')
    req.close_connection = True


def test_a_server_that_fails_is_asked_once_per_import(trap):  # noqa: F811
    for name in ("ana", "ben", "chloe"):
        trap.route(f"/users/{name}", _hang_up)
    finder = PeopleFinder()
    results = [
        finder.find(f"{name}@{trap.url().split('/')[2]}", trap.url(f"/users/{name}"))
        for name in ("ana", "ben", "chloe")
    ]
    assert [person for person, _ in results] == [None, None, None]
    assert all("could not be reached" in reason for _, reason in results)
    assert len(trap.hits) == 1  # Ben and Chloe were not looked up: their server had failed


def test_an_address_that_is_not_there_does_not_stop_the_others(trap):  # noqa: F811
    finder = PeopleFinder()
    first = finder.find("", trap.url("/users/gone"))
    again = finder.find("", trap.url("/users/gone"))
    second = finder.find("", trap.url("/users/other"))
    assert first[0] is None and again == first and second[0] is None
    assert trap.hits_for("/users/gone") == 1 and trap.hits_for("/users/other") == 1


def test_addresses_are_split_into_handle_or_uri():
    assert split_address("https://a.example/users/x") == ("", "https://a.example/users/x")
    assert split_address("x@a.example") == ("x@a.example", "")
    assert split_address("nobody") == ("", "")
