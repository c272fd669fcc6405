"""Following spaces and threads: space_thread and thread_reply, never twice for one reply."""

import pytest

from connective.notifications.models import Notification
from connective.spaces.services.membership import join
from connective.spaces.services.subscriptions import follow_space, follow_thread, unfollow_thread
from connective.spaces.services.threads import reply, start_thread

pytestmark = pytest.mark.django_db


def test_space_followers_hear_of_new_threads(space, ana, ben):
    follow_space(ben, space)
    root = start_thread(ana, space, title="Welcome", body="Say hello")
    note = Notification.objects.get(recipient=ben)
    assert note.kind == "space_thread" and note.actor == ana
    assert note.data == {"thread": "Welcome", "space": space.name, "excerpt": "Say hello"}
    assert note.url.endswith(f"/spaces/{space.slug}/threads/{root.pk}/#post-{root.pk}")
    assert not Notification.objects.filter(recipient=ana).exists()


def test_thread_followers_hear_of_replies_but_the_parent_author_only_once(space, ana, ben, chloe):
    for person in (ben, chloe):
        join(space, person)
    root = start_thread(ana, space, title="Welcome", body="hi")
    first = reply(ben, root, body="ben here")  # ben now follows the thread
    assert list(Notification.objects.filter(recipient=ana).values_list("kind", flat=True)) == [
        "reply"
    ]
    reply(chloe, first, body="chloe answers ben")
    kinds = dict(Notification.objects.filter(actor=chloe).values_list("recipient__handle", "kind"))
    assert kinds == {"ben": "reply", "ana": "thread_reply"}
    note = Notification.objects.get(recipient=ana, kind="thread_reply")
    assert note.data == {"thread": "Welcome", "space": space.name, "excerpt": "chloe answers ben"}


def test_unfollowed_threads_are_quiet(space, ana, ben):
    join(space, ben)
    root = start_thread(ana, space, title="Welcome", body="hi")
    unfollow_thread(ana, root.thread)
    reply(ben, root, body="x")
    assert not Notification.objects.filter(recipient=ana, kind="thread_reply").exists()
    follow_thread(ana, root.thread)
    join(space, ana)
    reply(ben, reply(ben, root, body="y"), body="z")
    assert Notification.objects.filter(recipient=ana, kind="thread_reply").count() == 1
