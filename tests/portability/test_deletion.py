"""Deleting an account removes what is the person's and keeps the handle reserved."""

import pytest
from django.test import Client

from connective.accounts.models import Person
from connective.content.models import Post
from connective.content.services.posts import PostDraft, create_post
from connective.content.services.useful import mark_useful
from connective.core import events
from connective.discovery.models import MapSnapshot
from connective.discovery.services.snapshots import save_snapshot, set_public
from connective.network.models import Connection
from connective.notifications.models import Notification
from connective.portability.services.deletion import delete_account
from tests.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db


def test_delete_my_account_from_settings(rich, ben):
    client = client_for(rich)
    page = client.get("/settings/move/delete/").content.decode()
    assert "Prepare an archive" in page and "cannot be undone" in page
    benpost = create_post(
        ben, PostDraft(kind="resource", title="R", link_url="https://x.org", licence="cc0")
    )
    mark_useful(rich, benpost)
    reply = create_post(rich, PostDraft(body="me too", in_reply_to=benpost))
    assert Post.objects.get(pk=benpost.pk).reply_count == 1
    heard = []

    def listener(person):
        heard.append(person.pk)

    events.subscribe(events.PERSON_DELETED, listener)
    try:
        response = client.post("/settings/move/delete/", {"handle": "@Ana", "password": PASSWORD})
    finally:
        events._subscribers[events.PERSON_DELETED].remove(listener)
    assert response.status_code == 302 and response["Location"] == "/"
    ana = Person.objects.get(pk=rich.pk)
    assert ana.deleted_at and ana.suspended_at and ana.handle == "ana" and not ana.display_name
    assert not ana.user.is_active and not ana.user.email and not ana.user.has_usable_password()
    assert not Post.objects.filter(author=ana, deleted_at__isnull=True).exists()
    assert Post.objects.get(pk=reply.pk).body == ""
    shown = Post.objects.get(pk=benpost.pk)
    assert (shown.reply_count, shown.useful_count) == (0, 0)
    assert not Connection.objects.filter(owner=ana).exists()
    assert not Connection.objects.filter(target=ana).exists()
    assert not Notification.objects.filter(recipient=ana).exists()
    assert heard == [ana.pk]
    assert client.get("/home/").status_code == 302  # logged out
    assert client_for(ben).get("/@ana/").status_code == 404


def test_wrong_password_or_handle_deletes_nothing(rich):
    client = client_for(rich)
    response = client.post("/settings/move/delete/", {"handle": "ben", "password": "nope"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "That is not your password." in html and "Type your handle, ana" in html
    assert Person.objects.get(pk=rich.pk).deleted_at is None
    assert Post.objects.filter(author=rich, deleted_at__isnull=True).exists()


def test_deleting_takes_down_my_snapshots_and_my_name_from_others(rich, ben, chloe):
    mine, theirs = save_snapshot(rich), save_snapshot(chloe)  # chloe connects to ana
    for snapshot in (mine, theirs):
        set_public(snapshot, True)
    assert "Ben Okafor" in Client().get(mine.public_path()).content.decode()
    assert "Ana Lima" in Client().get(theirs.public_path()).content.decode()
    delete_account(rich)
    assert not MapSnapshot.objects.filter(owner=rich).exists()
    assert Client().get(mine.public_path()).status_code == 404
    image = Client().get(theirs.public_path())
    assert image.status_code == 200 and "Ana Lima" not in image.content.decode()


def test_a_deleted_accounts_nested_replies_leave_every_count_above_them(ana, ben, chloe):
    root = create_post(ben, PostDraft(body="A question"))
    answer = create_post(chloe, PostDraft(body="An answer", in_reply_to=root))
    create_post(ana, PostDraft(body="A follow-up", in_reply_to=answer))
    create_post(ana, PostDraft(body="Another follow-up", in_reply_to=answer))
    counts = dict(Post.objects.filter(pk__in=[root.pk, answer.pk]).values_list("pk", "reply_count"))
    assert counts == {root.pk: 3, answer.pk: 2}
    delete_account(ana)
    counts = dict(Post.objects.filter(pk__in=[root.pk, answer.pk]).values_list("pk", "reply_count"))
    assert counts == {root.pk: 1, answer.pk: 0}
