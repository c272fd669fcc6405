"""Moderators hear of requests to join a members-only space; once answered, it is read for all."""

import pytest
from django.urls import reverse

from connective.network.services.relations import block, mute
from connective.notifications.models import Notification
from connective.spaces.services.membership import (
    approve_request,
    ask_to_join,
    decline_request,
    join,
    leave,
)
from connective.spaces.services.spaces import add_moderator
from tests.conftest import client_for, make_person

pytestmark = pytest.mark.django_db


def requests_for(person):
    return Notification.objects.filter(recipient=person, kind="join_request")


@pytest.fixture
def moderated(closed, ana, ben):
    """The members-only space, moderated by Ana and Ben."""
    join(closed, ben)
    add_moderator(closed, ana, ben)
    return closed


def test_each_moderator_is_told_who_asks_to_join_with_a_link_to_answer(moderated, ana, ben, chloe):
    client_for(chloe).post(reverse("spaces:join", args=[moderated.slug]), {"message": "Hi"})
    members_url = reverse("spaces:members", args=[moderated.slug])
    for moderator in (ana, ben):
        note = requests_for(moderator).get()
        assert note.actor == chloe and note.url == members_url and note.read_at is None
        assert note.data == {"space": moderated.name}
    assert not requests_for(chloe).exists()
    page = client_for(ana).get(reverse("notifications:index")).content.decode()
    assert "asks to join Staff room" in " ".join(page.split())
    assert f'href="{members_url}"' in page
    ask_to_join(moderated, chloe)  # asking again tells nobody twice
    assert requests_for(ana).count() == 1


def test_answering_a_request_marks_it_read_for_every_moderator(moderated, ana, ben, chloe):
    dan = make_person("dan")
    ask_to_join(moderated, chloe)
    ask_to_join(moderated, dan)
    approve_request(moderated, ana, chloe)
    decline_request(moderated, ben, dan)
    for moderator in (ana, ben):
        assert not requests_for(moderator).unread().exists()
        assert requests_for(moderator).count() == 2


def test_a_declined_person_asking_again_is_news_again(moderated, ana, ben, chloe):
    ask_to_join(moderated, chloe)
    decline_request(moderated, ana, chloe)
    ask_to_join(moderated, chloe, "Please, I teach too")
    assert requests_for(ana).unread().count() == 1 and requests_for(ana).count() == 1


def test_a_withdrawn_request_takes_its_notices_away(moderated, ana, chloe):
    ask_to_join(moderated, chloe)
    leave(moderated, chloe)
    assert not requests_for(ana).exists()


def test_moderators_who_blocked_or_muted_the_person_are_not_told(moderated, ana, ben, chloe):
    block(ana, chloe)
    mute(ben, chloe)
    ask_to_join(moderated, chloe)
    assert not Notification.objects.filter(kind="join_request").exists()


def test_an_open_space_tells_nobody(space, ana, chloe):
    ask_to_join(space, chloe)
    assert not requests_for(ana).exists()


def test_asking_to_join_is_said_once_on_the_page(closed, chloe):
    response = client_for(chloe).post(reverse("spaces:join", args=[closed.slug]), follow=True)
    page = " ".join(response.content.decode().split())
    assert page.count("a moderator will look at your request") == 1
    assert 'class="message' not in page
