"""The notification page: every kind reads as a sentence, unread count, mark all read, pages."""

import re

import pytest
from django.urls import reverse

from connective.network.services.connections import Purpose, accept, connect
from connective.notifications.models import Notification
from connective.notifications.services.notify import notify
from tests.conftest import client_for, make_person
from tests.network.helpers import THEIR_PURPOSES, unisolated

pytestmark = pytest.mark.django_db
INBOX = "/notifications/"


def text_of(html: str) -> str:
    """The page's main text with tags dropped and spaces collapsed."""
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split()).replace(" .", ".")


def test_a_new_connection_reads_as_a_sentence_without_the_note(ana, ben):
    connect(ben, ana, Purpose(direction="learn_from", topics=["open licensing"], note="psst-42"))
    html = client_for(ana).get(INBOX).content.decode()
    assert "Ben Okafor connected to learn about open licensing from you." in text_of(html)
    assert "psst-42" not in html


@pytest.mark.parametrize(
    ("kind", "data", "expected"),
    [
        (
            "connection",
            {"purpose": "to help you with R"},
            "Ben Okafor connected to help you with R.",
        ),
        (
            "connection_request",
            {"purpose": "to learn with you"},
            "Ben Okafor asks to connect to learn with you. Review requests",
        ),
        ("connection_accepted", {}, "Ben Okafor accepted your connection."),
        (
            "reply",
            {"excerpt": "Good point about CC BY"},
            "Ben Okafor replied: “Good point about CC BY”",
        ),
        ("mention", {"excerpt": "cc @ana"}, "Ben Okafor mentioned you: “cc @ana”"),
        ("useful", {"title": "Licence chooser"}, "Ben Okafor found “Licence chooser” useful."),
        ("boost", {"title": "Licence chooser"}, "Ben Okafor boosted your post “Licence chooser”."),
    ],
)
def test_every_kind_renders(ana, ben, ana_client, kind, data, expected):
    notify(ana, ben, kind, url="/home/", data=data)
    response = ana_client.get(INBOX)
    assert response.status_code == 200
    assert expected in text_of(response.content.decode())


def sentence_about(text: str, actor: str) -> str:
    """The one sentence in the page's text that starts with the actor's name."""
    return text[text.index(actor) :].split(".")[0] + "."


@pytest.mark.parametrize(("direction", "topics", "purpose"), THEIR_PURPOSES)
@pytest.mark.parametrize(
    ("needs_approval", "verb"), [(False, "connected"), (True, "asks to connect")]
)
def test_each_direction_reads_once_with_you(
    ana, ben, ana_client, direction, topics, purpose, needs_approval, verb
):
    """The purpose already names the reader; "with you" before it made "…with you … with you"."""
    ana.requires_approval = needs_approval
    ana.save()
    connect(ben, ana, Purpose(direction=direction, topics=topics))
    sentence = sentence_about(text_of(ana_client.get(INBOX).content.decode()), "Ben Okafor")
    assert sentence == f"Ben Okafor {verb} {purpose}."
    assert sentence.count("you") == 1


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("connection", "Ben Okafor connected with you."),
        ("connection_request", "Ben Okafor asks to connect with you."),
    ],
)
def test_a_connection_without_a_purpose_still_says_with_you(ana, ben, ana_client, kind, expected):
    notify(ana, ben, kind, url="/home/", data={})
    text = text_of(ana_client.get(INBOX).content.decode())
    assert sentence_about(text, "Ben Okafor") == expected


def test_notification_text_is_escaped(ana, ben, ana_client):
    notify(ana, ben, "reply", data={"excerpt": "<script>alert(1)</script>"})
    html = ana_client.get(INBOX).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html


def test_only_safe_links_are_shown(ana, ben, ana_client):
    notify(ana, ben, "reply", url="javascript:alert(1)", data={"excerpt": "a"})
    notify(ana, ben, "mention", url="/@ben/", data={"excerpt": "b"})
    html = ana_client.get(INBOX).content.decode()
    assert "javascript:" not in html
    assert 'href="/@ben/"' in html


def test_unread_count_in_the_header_and_mark_all_read(ana, ben, chloe, ana_client):
    notify(ana, ben, "connection_accepted")
    notify(ana, chloe, "connection_accepted")
    page = ana_client.get(reverse("stream:home")).content.decode()
    assert 'aria-label="2 unread">2</span>' in page
    response = ana_client.post(reverse("notifications:mark_read"))
    assert response.status_code == 302 and response.url == INBOX
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    after = ana_client.get(INBOX).content.decode()
    assert 'unread">' not in after and "Mark all as read" not in after


def test_mark_read_needs_post_and_touches_only_my_notifications(ana, ben, ana_client):
    notify(ben, ana, "connection_accepted")
    assert ana_client.get(reverse("notifications:mark_read")).status_code == 405
    ana_client.post(reverse("notifications:mark_read"))
    assert Notification.objects.get(recipient=ben).read_at is None


def test_i_see_only_my_notifications(ana, ben, chloe, ana_client):
    notify(ben, chloe, "useful", data={"title": "not for ana"})
    assert "not for ana" not in ana_client.get(INBOX).content.decode()


def test_pages_by_cursor_and_rejects_a_forged_cursor(ana, ana_client):
    actors = [make_person(f"fan{i:02d}") for i in range(32)]
    for actor in actors:
        notify(ana, actor, "connection_accepted")
    first = ana_client.get(INBOX)
    cursor = first.context["page"].next_cursor
    assert len(first.context["page"].items) == 30 and cursor
    second = ana_client.get(INBOX, {"cursor": cursor})
    seen = {n.actor_id for n in first.context["page"].items + second.context["page"].items}
    assert seen == {a.pk for a in actors}
    assert ana_client.get(INBOX, {"cursor": "x" * 100}).status_code == 400


def test_accepting_a_request_tells_the_requester(ana, ben):
    ana.requires_approval = True
    ana.save()
    conn = connect(ben, ana, Purpose(direction="help", topics=["R"]))
    text = text_of(client_for(ana).get(INBOX).content.decode())
    assert "Ben Okafor asks to connect to help you with R." in text
    accept(ana, conn)
    text = text_of(client_for(ben).get(INBOX).content.decode())
    assert "Ana Lima accepted your connection." in text


def test_t26_rtl_override_in_a_name_is_isolated_in_notifications(ana, ana_client):
    eve = make_person("eve", display_name="\u202eevil")
    connect(eve, ana, Purpose(direction="learn_from", topics=["OER"]))
    html = ana_client.get(INBOX).content.decode()
    assert "<bdi>\u202eevil</bdi>" in html
    assert unisolated(html) == []


def test_inbox_needs_a_login(client):
    response = client.get(INBOX)
    assert response.status_code == 302 and "/accounts/login/" in response.url
