"""Moderators pin, lock, hide and remove; each action is logged; nobody else can."""

import pytest
from django.urls import reverse

from connective.content.models import Post
from connective.content.services.posts import delete_post
from connective.notifications.models import Notification
from connective.spaces.models import Membership, ModerationAction, Thread
from connective.spaces.services.membership import join
from connective.spaces.services.moderation import hide
from connective.spaces.services.spaces import SpaceError
from connective.spaces.services.threads import reply, start_thread
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(space, ana, ben):
    join(space, ben)
    return start_thread(ana, space, title="Hello", body="First")


def _moderate(client, space, root, action):
    return client.post(reverse("spaces:moderate", args=[space.slug, root.pk]), {"action": action})


def test_pin_and_lock_are_logged_and_lock_stops_replies(space, root, ana, ben):
    client = client_for(ana)
    _moderate(client, space, root, "pin")
    _moderate(client, space, root, "lock")
    thread = Thread.objects.get(root=root)
    assert thread.pinned and thread.locked
    with pytest.raises(SpaceError) as exc:
        reply(ben, root, body="late")
    assert "closed to new replies" in exc.value.message
    page = client_for(ben).get(reverse("spaces:thread", args=[space.slug, root.pk]))
    assert b"This thread is locked" in page.content
    _moderate(client, space, root, "unlock")
    _moderate(client, space, root, "unpin")
    reply(ben, root, body="now open")
    actions = list(ModerationAction.objects.values_list("action", flat=True))
    assert actions == ["unpin", "unlock", "lock", "pin"]
    log = client.get(reverse("spaces:log", args=[space.slug])).content.decode()
    assert "Locked a thread" in log and "Pinned a thread" in log


def test_members_cannot_moderate_and_nothing_changes(space, root, ben):
    client = client_for(ben)
    assert _moderate(client, space, root, "pin").status_code == 403
    assert _moderate(client, space, root, "lock").status_code == 403
    url = reverse("spaces:hide", args=[space.slug, root.pk])
    assert client.post(url, {"reason": "mine"}).status_code == 403
    assert client.get(reverse("spaces:members", args=[space.slug])).status_code == 403
    assert client.get(reverse("spaces:log", args=[space.slug])).status_code == 403
    member_url = reverse("spaces:member", args=[space.slug, ben.pk])
    assert client.post(member_url, {"action": "promote"}).status_code == 403
    assert client.post(reverse("spaces:edit", args=[space.slug]), {"name": "X"}).status_code == 403
    thread = Thread.objects.get(root=root)
    assert not thread.pinned and not thread.locked
    assert not Post.objects.filter(hidden_at__isnull=False).exists()
    assert not space.is_moderator(ben)
    assert not ModerationAction.objects.exists()


def test_hidden_reply_shows_the_reason_to_everyone_and_its_author_is_told(
    space, root, ana, ben, client
):
    answer = reply(ben, root, body="rude words here")
    response = client_for(ana).post(
        reverse("spaces:hide", args=[space.slug, answer.pk]), {"reason": "Be kind"}
    )
    assert response.status_code == 302
    for viewer in (client, client_for(ben), client_for(ana)):
        page = viewer.get(reverse("spaces:thread", args=[space.slug, root.pk])).content.decode()
        assert "Hidden by a moderator: Be kind" in page
        assert "rude words" not in page
    note = Notification.objects.get(recipient=ben, kind="post_hidden")
    assert note.data == {"space": space.name, "reason": "Be kind"}
    entry = ModerationAction.objects.get(action="hide")
    assert entry.moderator == ana and entry.reason == "Be kind" and entry.post == answer
    client_for(ana).post(reverse("spaces:hide", args=[space.slug, answer.pk]), {"action": "unhide"})
    page = client.get(reverse("spaces:thread", args=[space.slug, root.pk])).content.decode()
    assert "rude words here" in page


def test_hiding_needs_a_reason(space, root, ana, ben):
    answer = reply(ben, root, body="x")
    response = client_for(ana).post(
        reverse("spaces:hide", args=[space.slug, answer.pk]), {"reason": "   "}
    )
    assert response.status_code == 400
    answer.refresh_from_db()
    assert answer.hidden_at is None
    with pytest.raises(SpaceError):
        hide(answer, ben, "not a moderator")


def test_hidden_first_post_keeps_the_thread_page_with_its_reason(space, root, ana, ben, client):
    reply(ben, root, body="a reply stays")
    hide(root, ana, "Off topic")
    page = client.get(reverse("spaces:thread", args=[space.slug, root.pk])).content.decode()
    assert "Hidden by a moderator: Off topic" in page
    assert "First" not in page and "a reply stays" in page


def test_remove_member_notifies_and_they_must_ask_to_come_back(space, root, ana, ben):
    response = client_for(ana).post(
        reverse("spaces:member", args=[space.slug, ben.pk]), {"action": "remove", "reason": "spam"}
    )
    assert response.status_code == 302
    assert not space.is_member(ben)
    assert Notification.objects.filter(recipient=ben, kind="space_removed").exists()
    assert ModerationAction.objects.get(action="remove").reason == "spam"
    client_for(ben).post(reverse("spaces:join", args=[space.slug]))
    assert not space.is_member(ben)
    assert space.join_requests.filter(person=ben).exists()
    client_for(ana).post(reverse("spaces:member", args=[space.slug, ben.pk]), {"action": "approve"})
    assert space.is_member(ben)


def test_moderators_cannot_be_removed_but_can_add_moderators(space, ana, ben, chloe):
    join(space, ben)
    client = client_for(ana)
    client.post(reverse("spaces:member", args=[space.slug, ben.pk]), {"action": "promote"})
    assert space.is_moderator(ben)
    client_for(ben).post(reverse("spaces:member", args=[space.slug, ana.pk]), {"action": "remove"})
    assert space.is_moderator(ana)
    client.post(reverse("spaces:member", args=[space.slug, chloe.pk]), {"action": "promote"})
    assert not Membership.objects.filter(space=space, person=chloe).exists()


def test_hide_of_a_post_outside_the_space_is_404(space, ana, closed):
    other = start_thread(ana, closed, title="Elsewhere", body="x")
    url = reverse("spaces:hide", args=[space.slug, other.pk])
    assert client_for(ana).post(url, {"reason": "no"}).status_code == 404
    other.refresh_from_db()
    assert other.hidden_at is None


def test_a_moderator_steps_down_only_while_another_remains(space, ana, ben):
    join(space, ben)
    url = reverse("spaces:member", args=[space.slug, ana.pk])
    client_for(ana).post(url, {"action": "step_down"})
    assert space.is_moderator(ana)
    client_for(ana).post(reverse("spaces:member", args=[space.slug, ben.pk]), {"action": "promote"})
    client_for(ben).post(url, {"action": "step_down"})
    assert space.is_moderator(ana)
    client_for(ana).post(url, {"action": "step_down"})
    assert not space.is_moderator(ana) and space.is_member(ana)
    assert ModerationAction.objects.filter(action="step_down", moderator=ana).count() == 1


def test_a_hidden_reply_leaves_its_parents_count_and_returns_when_shown(space, root, ana, ben):
    """The count shows replies anyone may see: hiding takes one off, showing puts it back."""
    answer = reply(ben, root, body="rude words here")
    reply(ana, root, body="a kind one")
    url = reverse("spaces:hide", args=[space.slug, answer.pk])
    moderator = client_for(ana)

    def count() -> int:
        return Post.objects.get(pk=root.pk).reply_count

    assert count() == 2
    moderator.post(url, {"reason": "Be kind"})
    assert count() == 1
    with pytest.raises(SpaceError):
        hide(Post.objects.get(pk=answer.pk), ana, "again")  # hiding twice takes nothing more
    assert count() == 1
    moderator.post(url, {"action": "unhide"})
    moderator.post(url, {"action": "unhide"})  # showing twice adds nothing more
    assert count() == 2
    moderator.post(url, {"reason": "Be kind"})
    delete_post(Post.objects.get(pk=answer.pk))  # its author deletes it while hidden
    assert count() == 1
