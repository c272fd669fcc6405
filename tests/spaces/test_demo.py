"""The demo spaces load the same way twice and skip people who are missing."""

import pytest

from connective.content.models import Post
from connective.spaces.demo import SPACES, load_demo
from connective.spaces.models import Space, Thread
from tests.conftest import make_person

pytestmark = pytest.mark.django_db


def _people():
    handles = sorted(
        {h for s in SPACES for h in [*s.moderators, *s.members]}
        | {h for s in SPACES for t in s.threads for h in [t.author, *(r[0] for r in t.replies)]}
    )
    return {h: make_person(h) for h in handles}


def test_demo_spaces_load_once_with_threads_replies_and_a_pinned_thread():
    people = _people()
    load_demo(people)
    counts = (Space.objects.count(), Thread.objects.count(), Post.objects.count())
    load_demo(people)
    assert (Space.objects.count(), Thread.objects.count(), Post.objects.count()) == counts
    assert Space.objects.count() == len(SPACES)
    assert Space.objects.filter(members_only=True).count() == 1
    assert Thread.objects.filter(pinned_at__isnull=False).count() == 1
    assert Post.objects.filter(in_reply_to__isnull=False).count() >= 10


def test_demo_skips_missing_people():
    people = _people()
    people.pop("amara")
    people.pop("kwame")
    load_demo(people)
    assert not Space.objects.filter(slug="pln-newcomers").exists()
    assert Space.objects.filter(slug="facilitators-room").exists()
