"""Discovery is opt-in: a new person is found and suggested only through their network until they
choose "Let others find me"."""

import pytest
from django.test import Client

from connective.accounts.models import User
from connective.accounts.services.people import create_local_person
from connective.accounts.services.profile import update_privacy
from connective.discovery.services.experts import find_experts
from connective.search.services.query import search
from tests.conftest import client_for
from tests.discovery.helpers import connect_to, set_topics, topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer():
    """Someone who just joined and chose nothing: the model's defaults."""
    user = User.objects.create_user(username="nia", email="nia@example.org", password="x-y-z-1-2")
    person = create_local_person(user, display_name="Nia Newcomer")
    set_topics(person, interests=["Open licensing"], expertise=["Open licensing"])
    return person


def handles(experts) -> list[str]:
    return [e.person.handle for e in experts]


def found_people(viewer, q) -> list[str]:
    return [hit.obj.handle for hit in search(viewer, q, kind="person").hits]


def test_a_new_person_starts_undiscoverable(newcomer):
    assert newcomer.discoverable is False


def test_finder_shows_a_newcomer_to_network_and_two_hops_only(newcomer, ana, ben, chloe):
    lic = topic("Open licensing")
    connect_to(ben, newcomer)  # ben's network; ana is two hops out (through ben)
    connect_to(ana, ben)
    assert handles(find_experts(ben, [lic])) == ["nia"]
    assert handles(find_experts(ana, [lic])) == ["nia"]
    assert handles(find_experts(chloe, [lic])) == []  # a stranger on the same server
    assert handles(find_experts(None, [lic])) == []
    update_privacy(newcomer, requires_approval=False, discoverable=True)
    assert handles(find_experts(chloe, [lic])) == ["nia"]


def test_people_search_finds_a_newcomer_only_through_their_network(newcomer, ana, ben):
    connect_to(newcomer, ben)
    assert found_people(ben, "Nia") == ["nia"]
    assert found_people(ana, "Nia") == []
    assert found_people(None, "Nia") == []
    update_privacy(newcomer, requires_approval=False, discoverable=True)
    assert found_people(ana, "Nia") == ["nia"] and found_people(None, "Nia") == ["nia"]


def test_topic_page_lists_a_newcomer_to_their_network(newcomer, ana, ben):
    connect_to(ben, newcomer)
    url = "/topics/openlicensing/"
    learners = client_for(ben).get(url).context["learners"]
    assert [entry.person.handle for entry in learners] == ["nia"]
    assert client_for(ana).get(url).context["learners"] == []
    assert Client().get(url).context["learners"] == []


def test_privacy_page_says_what_being_found_means(newcomer):
    html = client_for(newcomer).get("/settings/privacy/").content.decode()
    assert 'id="id_discoverable" checked' not in html
    assert "Off (how every new account starts)" in html
    assert "Two hops out" in html and "Your profile page and your posts are not affected" in html


def test_sign_up_page_says_accounts_start_unlisted(client):
    html = client.get("/accounts/signup/").content.decode()
    assert "New accounts are found only through their network" in html
    assert "Let others find me" in html
