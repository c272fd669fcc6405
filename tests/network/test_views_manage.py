"""My network: purpose sentences, markers, filters, the incoming side, requests and removal."""

import re
from datetime import timedelta

import pytest
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from connective.network.models import Connection
from connective.network.services.relations import block
from connective.notifications.models import Notification
from connective.topics.services.resolve import get_or_create_topics
from tests.conftest import client_for, make_person
from tests.network.helpers import THEIR_PURPOSES, link, messages_of, unisolated

pytestmark = pytest.mark.django_db
INDEX = "/network/"


def main_of(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def rows_of(response) -> dict[str, str]:
    """Each connection row's HTML, by the other person's handle."""
    parts = main_of(response).split('<li class="card" id="connection-')[1:]
    return {re.search(r'class="handle">@(\w+)', part).group(1): part for part in parts}


def test_my_network_shows_each_connection_with_its_purpose(ana, ben, ben_client):
    link(ben, ana, topics=["Open Licensing"], met_where="OER course", note="ask about NC")
    page = main_of(ben_client.get(INDEX))
    assert "You connected to learn about Open Licensing from <bdi>Ana Lima</bdi>." in page
    assert "@ana" in page
    assert 'class="chip"' in page and "Open Licensing" in page
    assert "OER course" in page
    assert f">{timezone.now():%B %Y}</time>" in page
    assert "no interaction yet" in page
    assert "ask about NC" in page and "only you see this" in page
    assert reverse("network:edit", kwargs={"pk": Connection.objects.get().pk}) in page


def test_met_url_is_a_link(ana, ben, ben_client):
    link(ben, ana, met_where="A thread", met_url="https://example.org/t/1")
    page = main_of(ben_client.get(INDEX))
    assert '<a href="https://example.org/t/1" rel="nofollow ugc noopener">A thread</a>' in page


def test_mutual_marker_only_when_both_are_connected(ana, ben, chloe, ben_client):
    link(ben, ana)
    link(ben, chloe)
    link(ana, ben)
    rows = rows_of(ben_client.get(INDEX))
    assert ">Mutual<" in rows["ana"]
    assert ">Mutual<" not in rows["chloe"]
    incoming = rows_of(client_for(ana).get(INDEX, {"incoming": "1"}))
    assert ">Mutual<" in incoming["ben"]


def test_dormant_marker_after_the_configured_quiet_days(ana, ben, chloe, ben_client, settings):
    settings.CONNECTIVE_DORMANT_DAYS = 30
    old = link(ben, ana)
    link(ben, chloe)
    Connection.objects.filter(pk=old.pk).update(
        last_interaction_at=timezone.now() - timedelta(days=31)
    )
    rows = rows_of(ben_client.get(INDEX))
    assert ">Dormant<" in rows["ana"] and "last interaction" in rows["ana"]
    assert ">Dormant<" not in rows["chloe"]


def test_a_connection_without_interaction_goes_dormant_from_its_start(ana, ben, ben_client):
    conn = link(ben, ana)
    Connection.objects.filter(pk=conn.pk).update(accepted_at=timezone.now() - timedelta(days=400))
    assert ">Dormant<" in main_of(ben_client.get(INDEX))


def test_pending_request_is_shown_as_pending(ana, ben, ben_client):
    ana.requires_approval = True
    ana.save()
    link(ben, ana)
    page = main_of(ben_client.get(INDEX))
    assert "Request pending" in page
    assert "waiting for <bdi>Ana Lima</bdi>’s approval" in page


def test_filter_by_topic_and_direction(ana, ben, chloe, ben_client):
    link(ben, ana, topics=["OER"], direction="learn_from")
    link(ben, chloe, topics=["Statistics"], direction="help")
    by_topic = main_of(ben_client.get(INDEX, {"topic": "oer"}))
    assert "Ana Lima" in by_topic and "Chloe Martin" not in by_topic
    by_direction = main_of(ben_client.get(INDEX, {"direction": "help"}))
    assert "Chloe Martin" in by_direction and "Ana Lima" not in by_direction
    none = main_of(ben_client.get(INDEX, {"topic": "oer", "direction": "help"}))
    assert "None of your connections match." in none


def direction_options(page: str) -> list[tuple[str, str, bool]]:
    """The Direction filter's options: (value, label, selected)."""
    start = page.index('id="f-direction"')
    select = page[start : page.index("</select>", start)]
    found = re.findall(r'<option value="(\w+)" (selected)?>([^<]+)</option>', select)
    return [(value, label, bool(selected)) for value, selected, label in found]


def test_direction_filter_reads_from_their_side_when_showing_who_connected_with_me(
    ana, ben, chloe, ana_client
):
    link(ben, ana, topics=["OER"], direction="learn_from")
    link(chloe, ana, topics=["Statistics"], direction="help")
    page = main_of(ana_client.get(INDEX, {"direction": "learn_from", "incoming": "1"}))
    assert direction_options(page) == [
        ("learn_from", "They learn from me", True),
        ("learn_with", "They learn with me", False),
        ("help", "They help me", False),
    ]
    assert "Learn from them" not in page
    assert "<bdi>Ben Okafor</bdi> connected to learn about OER from you." in page
    assert "Chloe Martin" not in page


def test_direction_filter_reads_from_my_side_for_my_connections(ana, ben, ben_client):
    link(ben, ana, direction="help")
    page = main_of(ben_client.get(INDEX, {"direction": "help"}))
    assert direction_options(page) == [
        ("learn_from", "Learn from them", False),
        ("learn_with", "Learn with them", False),
        ("help", "Help them", True),
    ]


def test_topic_filter_offers_only_topics_from_my_connections(ana, ben, ben_client):
    link(ben, ana, topics=["OER"])
    get_or_create_topics(["Unrelated Topic"])
    page = main_of(ben_client.get(INDEX))
    assert '<option value="oer"' in page
    assert "Unrelated Topic" not in page


def test_unknown_filters_are_ignored(ana, ben, ben_client):
    link(ben, ana)
    response = ben_client.get(INDEX, {"topic": "<script>", "direction": "sideways"})
    assert response.status_code == 200
    assert "Ana Lima" in main_of(response)
    assert ben_client.get(INDEX, {"cursor": "not-a-cursor!"}).status_code == 400


def test_incoming_shows_their_purpose_from_their_side_without_their_note(ana, ben, ana_client):
    link(ben, ana, topics=["OER"], note="ben-private-note")
    page = main_of(ana_client.get(INDEX, {"incoming": "1"}))
    assert "<bdi>Ben Okafor</bdi> connected to learn about OER from you." in page
    assert "ben-private-note" not in page
    assert "only you see this" not in page
    assert "Connect back" in page
    assert "ben-private-note" not in main_of(ana_client.get(INDEX))


def test_incoming_leaves_out_requests_not_yet_accepted(ana, ben, ana_client):
    ana.requires_approval = True
    ana.save()
    link(ben, ana)
    page = main_of(ana_client.get(INDEX, {"incoming": "1"}))
    assert "Ben Okafor" not in page


def test_t26_rtl_override_in_a_name_is_isolated_on_my_network(ben, ben_client):
    evil = make_person("eve", display_name="\u202eevil name")
    link(ben, evil)
    html = ben_client.get(INDEX).content.decode()
    assert "<bdi>\u202eevil name</bdi>" in html
    assert unisolated(html) == []
    incoming = client_for(evil).get(INDEX, {"incoming": "1"}).content.decode()
    assert unisolated(incoming) == []


def test_my_network_query_count_does_not_grow_with_connections(
    ben, ben_client, django_assert_max_num_queries
):
    def count_queries() -> int:
        with CaptureQueriesContext(db_connection) as ctx:
            assert ben_client.get(INDEX).status_code == 200
        return len(ctx.captured_queries)

    for i in range(2):
        link(ben, make_person(f"few{i}"), topics=[f"topic {i}", "shared"])
    few = count_queries()
    for i in range(15):
        other = make_person(f"many{i}")
        link(ben, other, topics=[f"more {i}", "shared"])
        link(other, ben)
    assert count_queries() == few
    with django_assert_max_num_queries(few):
        ben_client.get(INDEX)
    with django_assert_max_num_queries(few):
        ben_client.get(INDEX, {"incoming": "1"})


def test_pages_follow_the_cursor(ben, ben_client):
    people = [make_person(f"p{i:02d}") for i in range(22)]
    for person in people:
        link(ben, person)
    first = ben_client.get(INDEX)
    assert first.context["page"].next_cursor
    second = ben_client.get(INDEX, {"cursor": first.context["page"].next_cursor})
    names = [row.person.handle for row in first.context["page"].items]
    names += [row.person.handle for row in second.context["page"].items]
    assert sorted(names) == sorted(p.handle for p in people)
    assert second.context["page"].next_cursor is None


def test_empty_network_teaches_and_suggests_people(ana, ben, chloe, ben_client):
    oer = get_or_create_topics(["OER"])
    ben.interests.set(oer)
    ana.expertise.set(oer)
    chloe.expertise.set(oer)
    block(chloe, ben)
    make_person("hidden", discoverable=False).expertise.set(oer)
    page = main_of(ben_client.get(INDEX))
    assert "A connection here is not a bare follow" in page
    assert reverse("network:connect", kwargs={"handle": "ana"}) in page
    assert "Chloe Martin" not in page
    assert "@hidden" not in page


def test_requests_list_the_purpose_and_accept_activates(ana, ben, ana_client):
    ana.requires_approval = True
    ana.save()
    conn = link(ben, ana, topics=["OER"], note="ben-secret")
    page = main_of(ana_client.get(reverse("network:requests")))
    assert "<bdi>Ben Okafor</bdi> asks to connect to learn about OER from you." in page
    assert "ben-secret" not in page
    response = ana_client.post(reverse("network:accept", kwargs={"pk": conn.pk}))
    assert response.status_code == 302
    conn.refresh_from_db()
    assert conn.is_active and conn.accepted_at
    assert Notification.objects.filter(recipient=ben, kind="connection_accepted").exists()


@pytest.mark.parametrize(("direction", "topics", "purpose"), THEIR_PURPOSES)
def test_their_purpose_says_you_once_in_requests_and_on_my_network(
    ana, ben, ana_client, direction, topics, purpose
):
    """Their purpose already names me, so neither page adds "with you" before it."""
    ana.requires_approval = True
    ana.save()
    conn = link(ben, ana, direction=direction, topics=topics)
    requests = main_of(ana_client.get(reverse("network:requests")))
    assert f"<bdi>Ben Okafor</bdi> asks to connect {purpose}." in requests
    ana_client.post(reverse("network:accept", kwargs={"pk": conn.pk}))
    row = rows_of(ana_client.get(INDEX, {"incoming": "1"}))["ben"]
    assert f"<bdi>Ben Okafor</bdi> connected {purpose}." in row
    assert "with you to" not in requests + row


def test_decline_deletes_the_request_quietly(ana, ben, ana_client):
    ana.requires_approval = True
    ana.save()
    conn = link(ben, ana)
    response = ana_client.post(reverse("network:decline", kwargs={"pk": conn.pk}))
    assert "You declined <bdi>Ben Okafor</bdi>’s request." in messages_of(response)
    assert not Connection.objects.exists()
    assert not Notification.objects.filter(recipient=ben).exists()


def test_only_the_target_can_answer_a_request(ana, ben, chloe, ben_client):
    ana.requires_approval = True
    ana.save()
    conn = link(ben, ana)
    for client in (ben_client, client_for(chloe)):
        assert client.post(reverse("network:accept", kwargs={"pk": conn.pk})).status_code == 404
        assert client.post(reverse("network:decline", kwargs={"pk": conn.pk})).status_code == 404
    assert client_for(ana).get(reverse("network:accept", kwargs={"pk": conn.pk})).status_code == 405
    conn.refresh_from_db()
    assert conn.status == "pending"


def test_remove_asks_then_ends_the_connection(ana, ben, ben_client):
    conn = link(ben, ana)
    link(ana, ben)
    url = reverse("network:remove", kwargs={"pk": conn.pk})
    assert "End your connection with <bdi>Ana Lima</bdi>?" in ben_client.get(url).content.decode()
    assert Connection.objects.filter(owner=ben).exists()
    response = ben_client.post(url)
    assert response.url == INDEX
    assert not Connection.objects.filter(owner=ben).exists()
    assert Connection.objects.filter(owner=ana, target=ben).exists()


def test_removing_someone_elses_connection_is_404(ana, ben, chloe):
    conn = link(ben, ana)
    url = reverse("network:remove", kwargs={"pk": conn.pk})
    assert client_for(chloe).post(url).status_code == 404
    assert client_for(ana).post(url).status_code == 404
    assert Connection.objects.exists()


def test_empty_network_teaches_even_when_others_connected_with_me(ana, ben, ana_client):
    link(ben, ana)
    page = main_of(ana_client.get(INDEX))
    assert "A connection here is not a bare follow" in page
    assert "1 person has already connected with you" in page


def test_my_network_links_to_finding_someone_on_another_server(ana, ben, ben_client):
    link_html = f'<a href="{reverse("federation:lookup")}">Find someone on another server</a>'
    assert link_html in main_of(ben_client.get(INDEX))  # an empty network
    link(ben, ana)
    assert link_html in main_of(ben_client.get(INDEX))
    assert link_html in main_of(ben_client.get(INDEX, {"incoming": "1"}))
