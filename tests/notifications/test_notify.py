"""The unread count: only the person's own unread notifications, from one prepared count."""

import pytest

from connective.accounts.models import Person
from connective.notifications.models import Notification
from connective.notifications.services import notify as notify_module
from connective.notifications.services.notify import mark_all_read, notify, unread_count

pytestmark = pytest.mark.django_db


def test_unread_count_counts_only_my_unread_notifications(ana, ben, chloe):
    assert unread_count(ana) == 0
    for key in ("a", "b", "c"):
        notify(ana, ben, Notification.Kind.USEFUL, object_key=key)
    notify(chloe, ben, Notification.Kind.USEFUL, object_key="a")
    assert unread_count(ana) == 3
    Notification.objects.filter(recipient=ana, object_key="a").update(read_at="2026-01-01T00:00Z")
    assert unread_count(ana) == 2
    mark_all_read(ana)
    assert unread_count(ana) == 0
    assert unread_count(chloe) == 1


def test_unread_count_falls_back_to_the_orm_when_unread_takes_more_values(ana, ben, monkeypatch):
    notify(ana, ben, Notification.Kind.USEFUL, object_key="a")
    monkeypatch.setattr(notify_module, "_unread_count_sql", lambda using: None)
    assert unread_count(ana) == 1


def test_an_actor_without_a_login_collects_no_notifications(ana):
    group = Person.objects.create(
        handle="space.1", uri="https://testserver/spaces/maths/", actor_type="Group"
    )
    assert notify(group, ana, "connection") is None
    assert not Notification.objects.filter(recipient=group).exists()
