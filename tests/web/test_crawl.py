"""Every page reachable from the demo community answers without a server error.

A crawl over the links the pages themselves show, as a visitor and as the demo learner, plus a
handful of odd parameters on each kind of page. Bad input must give 4xx, never 5xx.
"""

import re

import pytest
from django.core.management import call_command
from django.test import Client

from tests.conftest import client_for

LINK = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/accounts/logout", "/static/", "/media/", "/admin/")
ODD_QUERIES = [
    "?cursor=%00",
    "?cursor=" + "A" * 80,
    "?kind=%27",
    "?topic=" + "a" * 500,
    "?tab=%3Cscript%3E",
    "?q=" + "%" * 300,
    "?direction=sideways",
]


def crawl(client: Client, start: list[str], limit: int = 250) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = list(start)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            for href in LINK.findall(response.content.decode()):
                href = href.replace("&amp;", "&")
                if not href.startswith(SKIP) and href not in seen:
                    queue.append(href)
    return seen


@pytest.fixture
def demo(db):
    call_command("demo", verbosity=0)


def test_no_page_in_the_demo_gives_a_server_error(demo):
    from connective.accounts.models import Person

    learner = client_for(Person.objects.get(handle="learner"))
    pages = crawl(learner, ["/home/", "/network/", "/topics/", "/notifications/", "/@learner/"])
    pages |= crawl(Client(), ["/", "/topics/"], limit=120)
    errors = {url: code for url, code in pages.items() if code >= 500}
    assert not errors
    assert sum(code == 200 for code in pages.values()) > 100


def test_odd_parameters_give_client_errors_not_server_errors(demo):
    from connective.accounts.models import Person

    learner = client_for(Person.objects.get(handle="learner"))
    for page in [
        "/home/",
        "/network/",
        "/topics/",
        "/topics/oer/",
        "/@learner/",
        "/@learner/resources/",
        "/notifications/",
        "/posts/new/",
    ]:
        for query in ODD_QUERIES:
            code = learner.get(page + query).status_code
            assert code < 500, (page + query, code)
