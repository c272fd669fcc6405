"""Counts and notifications never reveal a post to someone who may not see it (T-28, T-31)."""

import base64

import pytest

from connective.content.models import Post
from connective.notifications.models import Notification
from tests.conftest import client_for
from tests.content.conftest import post

pytestmark = pytest.mark.django_db


def test_t28_network_post_mentioning_an_outsider_does_not_notify_them(ana, ben):
    client_for(ana).post(
        "/posts/new/", {"kind": "note", "body": "secret plan @ben", "visibility": "network"}
    )
    note = Post.objects.get()
    assert client_for(ben).get(f"/posts/{note.pk}/").status_code == 404
    assert not Notification.objects.filter(recipient=ben).exists()
    assert b"secret plan" not in client_for(ben).get("/notifications/").content


def test_t28_network_reply_to_an_outsider_does_not_notify_them(ana, ben):
    root = post(ben, "A public question")
    post(ana, "network-only answer", in_reply_to=root, visibility="network")
    assert not Notification.objects.filter(recipient=ben, kind="reply").exists()


def test_private_mention_still_notifies_the_person_mentioned(ana, ben):
    post(ana, "just for you @ben", visibility="private")
    assert Notification.objects.get(recipient=ben).data["excerpt"] == "just for you @ben"


def test_t31_deleting_a_post_removes_the_notifications_quoting_it(ana, ben):
    client = client_for(ana)
    client.post(
        "/posts/new/", {"kind": "note", "body": "oops private @ben", "visibility": "private"}
    )
    client.post(f"/posts/{Post.objects.get().pk}/delete/")
    assert not Notification.objects.filter(recipient=ben).exists()
    assert b"oops private" not in client_for(ben).get("/notifications/").content


def test_t31_editing_a_post_updates_or_withdraws_its_notifications(ana, ben, chloe):
    note = post(ana, "hello @ben and @chloe", visibility="private")
    client_for(ana).post(
        f"/posts/{note.pk}/edit/", {"body": "hello @chloe only", "visibility": "private"}
    )
    assert not Notification.objects.filter(recipient=ben).exists()
    assert Notification.objects.get(recipient=chloe).data["excerpt"] == "hello @chloe only"


def test_cursor_with_an_id_beyond_64_bits_is_a_400(ana_client):
    raw = "2030-01-01T00:00:00+00:00|" + "9" * 30
    cursor = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
    assert ana_client.get("/home/", {"cursor": cursor}).status_code == 400


def test_reply_counts_only_include_replies_anyone_may_see(ana, ben):
    root = post(ben, "A public question")
    post(ana, "public answer", in_reply_to=root)
    hidden = post(ana, "network answer", in_reply_to=root, visibility="network")
    root.refresh_from_db()
    assert root.reply_count == 1
    client_for(ana).post(
        f"/posts/{hidden.pk}/edit/", {"body": "now public", "visibility": "public"}
    )
    root.refresh_from_db()
    assert root.reply_count == 2
    client_for(ana).post(f"/posts/{hidden.pk}/delete/")
    root.refresh_from_db()
    assert root.reply_count == 1
