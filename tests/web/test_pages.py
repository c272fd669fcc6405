"""The landing page."""

import pytest
from django.test import Client

from connective.content.models import Kind, Visibility
from tests.web.helpers import make_post, set_topics

pytestmark = pytest.mark.django_db


def test_logged_in_people_go_to_their_home(ana_client):
    response = ana_client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/home/"


def test_landing_shows_public_resources_and_lively_topics(ana):
    set_topics(ana, interests=["Open Education"])
    make_post(ana, Kind.RESOURCE, title="Open textbook", topics=["Maths"])
    html = Client().get("/").content.decode()
    assert "Open textbook" in html and "CC BY-SA 4.0" in html
    assert 'href="/topics/openeducation/">Open Education</a>' in html
    assert 'href="/topics/maths/">Maths</a>' in html


@pytest.mark.parametrize(
    "visibility", [Visibility.UNLISTED, Visibility.NETWORK, Visibility.PRIVATE]
)
def test_t28_landing_shows_only_public_resources(ana, visibility):
    make_post(ana, Kind.RESOURCE, title="Not for the front page", visibility=visibility)
    assert "Not for the front page" not in Client().get("/").content.decode()
