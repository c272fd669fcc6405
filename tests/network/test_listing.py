"""Reading my network: the people to start with on an empty network page."""

import pytest

from connective.discovery.services.preferences import set_suggest_me
from connective.network.services.listing import people_to_start_with
from tests.web.helpers import set_topics

pytestmark = pytest.mark.django_db


@pytest.fixture
def starters(ana, ben, chloe):
    """ana learns open licensing; ben and chloe say they can help with it."""
    set_topics(ana, interests=["Open licensing"])
    set_topics(ben, expertise=["Open licensing"])
    set_topics(chloe, expertise=["Open licensing"])
    return ana


def test_people_to_start_with_leave_out_who_asked_not_to_be_suggested(starters, ben, chloe):
    """ "Suggest me to others" off (discovery's setting) holds here as in the expert finder."""
    assert people_to_start_with(starters) == [ben, chloe]
    set_suggest_me(chloe, False)
    assert people_to_start_with(starters) == [ben]
    set_suggest_me(chloe, True)
    assert people_to_start_with(starters) == [ben, chloe]


def test_empty_network_page_does_not_show_who_opted_out(starters, chloe, ana_client):
    set_suggest_me(chloe, False)
    page = ana_client.get("/network/").content.decode()
    assert "People who can help with what you are learning" in page
    assert "Ben Okafor" in page and "Chloe Martin" not in page
