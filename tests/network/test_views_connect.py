"""The connect form: purpose stored, preview, chips, and every refusal."""

import re

import pytest
from django.urls import reverse

from connective.network.models import Connection
from connective.network.services.relations import block
from connective.notifications.models import Notification
from connective.topics.services.resolve import get_or_create_topics
from tests.conftest import client_for, make_remote_person
from tests.network.helpers import form_data, link, messages_of

pytestmark = pytest.mark.django_db


def connect_url(person) -> str:
    return reverse("network:connect", kwargs={"handle": person.path_handle})


def test_connect_stores_the_purpose_and_redirects_to_the_profile(ana, ben, ben_client):
    response = ben_client.post(connect_url(ana), form_data(topics="Open  Licensing, #OER, oer"))
    assert response.status_code == 302
    assert response.url == ana.get_absolute_url()
    assert "You are now connected with <bdi>Ana Lima</bdi>." in messages_of(response)
    conn = Connection.objects.get(owner=ben, target=ana)
    assert conn.is_active
    assert sorted(t.key for t in conn.topics.all()) == ["oer", "openlicensing"]
    assert conn.direction == "learn_from"
    assert conn.met_where == "The OER course forum"
    assert conn.met_url == "https://example.org/spaces/oer"
    assert conn.note == "Asked great questions about CC BY-SA."


def test_the_target_is_told_the_purpose_but_never_the_note(ana, ben, ben_client):
    ben_client.post(connect_url(ana), form_data(topics="open licensing", note="secret-xyz"))
    notification = Notification.objects.get(recipient=ana)
    assert notification.kind == "connection"
    assert "secret-xyz" not in str(notification.data)
    page = client_for(ana).get(reverse("notifications:index")).content.decode()
    assert "connected to learn about open licensing from you." in page
    assert "<bdi>Ben Okafor</bdi>" in page
    assert "secret-xyz" not in page


def test_connect_page_shows_the_sentence_preview_with_learn_from_by_default(ana, ben_client):
    page = ben_client.get(connect_url(ana)).content.decode()
    assert "You are connecting to learn from <bdi>Ana Lima</bdi>." in page
    assert 'value="learn_from"' in page and "checked" in page
    assert "Only you see this" in page


def test_topics_are_marked_optional_and_the_help_asks_for_them(ana, ben_client):
    page = ben_client.get(connect_url(ana)).content.decode()
    assert '<label for="id_topics">Topics (optional)</label>' in page
    assert "Topics make your purpose useful" in page
    topics_input = re.search(r"<input[^>]*id=\"id_topics\"[^>]*>", page).group(0)
    assert "required" not in topics_input
    assert 'aria-describedby="id_topics_helptext"' in topics_input


@pytest.mark.parametrize(
    ("topics", "sentence", "hint"),
    [
        ("", "You are connecting to learn from <bdi>Ana Lima</bdi>.", True),
        ("OER", "You are connecting to learn about OER from <bdi>Ana Lima</bdi>.", False),
    ],
)
def test_preview_reads_right_with_and_without_topics(ana, ben_client, topics, sentence, hint):
    """Without topics the sentence still reads right, and a hint asks for a topic."""
    preview = {"preview": "1", "topics": topics}
    for response in (
        ben_client.get(connect_url(ana), preview, HTTP_HX_REQUEST="true"),
        ben_client.post(connect_url(ana), form_data(topics=topics, add_topic="")),
    ):
        body = response.content.decode()
        assert sentence in body
        assert ("Add a topic or two to say what about." in body) is hint


def test_connecting_without_topics_is_allowed_and_reads_right(ana, ben, ben_client):
    response = ben_client.post(connect_url(ana), form_data(topics=""))
    assert response.status_code == 302
    conn = Connection.objects.get(owner=ben, target=ana)
    assert not conn.topics.exists()
    page = ben_client.get(reverse("network:index")).content.decode()
    assert "You connected to learn from <bdi>Ana Lima</bdi>." in page


def test_htmx_preview_follows_topics_and_direction_without_the_note(ana, ben_client):
    response = ben_client.get(
        connect_url(ana),
        {"preview": "1", "topics": "open licensing, OER", "direction": "help"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "You are connecting to help <bdi>Ana Lima</bdi> with open licensing and OER." in body
    assert "<form" not in body


def test_topic_chips_come_from_their_topics_and_my_interests(ana, ben, ben_client):
    ana.expertise.set(get_or_create_topics(["Open Licensing"]))
    ana.interests.set(get_or_create_topics(["Podcasting"]))
    ben.interests.set(get_or_create_topics(["Statistics"]))
    page = ben_client.get(connect_url(ana)).content.decode()
    for name in ("Open Licensing", "Podcasting", "Statistics"):
        assert f'name="add_topic" value="{name}"' in page


def test_clicking_a_chip_without_javascript_adds_the_topic_and_keeps_the_form(ana, ben_client):
    data = form_data(topics="OER", note="keep me", add_topic="Open Licensing")
    response = ben_client.post(connect_url(ana), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="OER, Open Licensing"' in page
    assert "keep me" in page
    assert not Connection.objects.exists()


def test_request_waits_when_the_profile_requires_approval(ana, ben, ben_client):
    ana.requires_approval = True
    ana.save()
    response = ben_client.post(connect_url(ana), form_data())
    assert "Your request is waiting for <bdi>Ana Lima</bdi>’s approval." in messages_of(response)
    assert Connection.objects.get(owner=ben, target=ana).status == "pending"
    assert Notification.objects.get(recipient=ana).kind == "connection_request"


def test_a_remote_person_can_be_connected_to_at_once(ben, ben_client):
    dana = make_remote_person("dana")
    dana.requires_approval = True
    dana.save()
    response = ben_client.post(connect_url(dana), form_data())
    assert response.status_code == 302
    assert Connection.objects.get(owner=ben, target=dana).is_active


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"direction": ""}, "Choose a direction"),
        ({"direction": "worship"}, "Choose a direction"),
        ({"topics": ", ".join(f"topic{i}" for i in range(13))}, "at most 12 topics"),
        ({"met_where": "x" * 300}, "at most 200 characters"),
        ({"met_url": "javascript:alert(1)"}, "http:// or https://"),
        ({"met_url": "ftp://example.org/x"}, "http:// or https://"),
        ({"note": "n" * 2001}, "at most 2000 characters"),
        ({"topics": "$$$"}, "letters, digits"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_stored(ana, ben_client, overrides, error):
    response = ben_client.post(connect_url(ana), form_data(**overrides))
    assert response.status_code == 200
    page = response.content.decode()
    assert error in page
    assert 'aria-invalid="true"' in page
    assert not Connection.objects.exists()
    assert not Notification.objects.exists()


def test_connecting_to_yourself_is_refused(ana, ana_client):
    response = ana_client.post(connect_url(ana), form_data())
    assert response.status_code == 400
    assert "You cannot connect with yourself." in response.content.decode()
    assert "You cannot connect with yourself." in ana_client.get(connect_url(ana)).content.decode()
    assert not Connection.objects.exists()


def test_a_duplicate_is_refused_with_a_link_to_edit(ana, ben, ben_client):
    conn = link(ben, ana, note="first")
    response = ben_client.post(connect_url(ana), form_data(note="second"))
    page = response.content.decode()
    assert "You are already connected with <bdi>Ana Lima</bdi>." in page
    assert reverse("network:edit", kwargs={"pk": conn.pk}) in page
    assert Connection.objects.get().note == "first"


@pytest.mark.parametrize("who_blocks", ["target", "viewer"])
def test_blocked_either_way_is_refused_with_a_generic_message(ana, ben, ben_client, who_blocks):
    if who_blocks == "target":
        block(ana, ben)
    else:
        block(ben, ana)
    response = ben_client.post(connect_url(ana), form_data())
    page = response.content.decode()
    assert "You cannot connect with this person." in page
    assert "block" not in page.split("<main")[1].lower()
    assert not Connection.objects.exists()


def test_unknown_handle_is_404(ben_client):
    assert ben_client.get("/connect/@nobody/").status_code == 404
    assert ben_client.post("/connect/@nobody/", form_data()).status_code == 404


def test_connect_needs_a_login(ana, client):
    response = client.get(connect_url(ana))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_edit_prefills_and_updates_the_purpose(ana, ben, ben_client):
    conn = link(ben, ana, topics=["OER"], note="old")
    url = reverse("network:edit", kwargs={"pk": conn.pk})
    page = ben_client.get(url).content.decode()
    assert 'value="OER"' in page and "old" in page
    response = ben_client.post(url, form_data(topics="statistics", direction="learn_with"))
    assert response.status_code == 302
    conn.refresh_from_db()
    assert conn.direction == "learn_with"
    assert [t.key for t in conn.topics.all()] == ["statistics"]
    assert Notification.objects.filter(recipient=ana).count() == 1


def test_edit_refuses_bad_input_and_keeps_the_old_purpose(ana, ben, ben_client):
    conn = link(ben, ana, topics=["OER"])
    url = reverse("network:edit", kwargs={"pk": conn.pk})
    response = ben_client.post(url, form_data(met_url="javascript:alert(1)"))
    assert response.status_code == 200
    conn.refresh_from_db()
    assert conn.met_url == "" and [t.key for t in conn.topics.all()] == ["oer"]


def test_editing_someone_elses_connection_is_404(ana, ben, chloe):
    conn = link(ben, ana)
    chloe_client = client_for(chloe)
    url = reverse("network:edit", kwargs={"pk": conn.pk})
    assert chloe_client.get(url).status_code == 404
    assert chloe_client.post(url, form_data(note="hijack")).status_code == 404
    assert client_for(ana).get(url).status_code == 404
    assert Connection.objects.get().note == ""
