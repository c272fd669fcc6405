"""`connective demo`: a believable community, loaded idempotently and deterministically.

A load takes a few seconds, so the module loads the demo three times in all: once for the
shape of the community, twice (into a flushed database) for determinism, idempotence and
the learner's first visit.
"""

import hashlib
import io
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from connective.accounts.models import Person, PersonLink, User
from connective.content.licences import LICENCES
from connective.content.models import Post, Useful
from connective.feeds.models import Feed, FeedItem, Subscription
from connective.network.models import Connection, Direction
from connective.notifications.models import Notification


def load(**options) -> str:
    out = io.StringIO()
    call_command("demo", stdout=out, **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    """Rows in every table, to show that a second run creates nothing."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def fingerprint() -> str:
    """The demo's identity: handles, titles, licences, bodies and purposes, order-free."""
    people = sorted(Person.objects.values_list("handle", "display_name"))
    posts = sorted(
        (p.author.handle, p.kind, p.title, p.licence, p.visibility, p.body)
        for p in Post.objects.select_related("author")
    )
    ties = sorted(
        (c.owner.handle, c.target.handle, c.direction, c.met_where, c.note, c.status)
        for c in Connection.objects.select_related("owner", "target")
    )
    return hashlib.sha256(repr((people, posts, ties)).encode()).hexdigest()


def depth(post: Post) -> int:
    level = 0
    while post.in_reply_to_id:
        post = post.in_reply_to
        level += 1
    return level


@pytest.mark.django_db
def test_demo_loads_a_believable_community():
    output = load()
    assert "Loaded the demo community" in output
    assert f"Log in as learner / {settings.CONNECTIVE_DEMO_PASSWORD}" in output
    check_people()
    check_posts()
    check_connections()
    check_the_learner()
    check_feeds()
    hosts = [urlsplit(u).hostname or "" for u in PersonLink.objects.values_list("url", flat=True)]
    hosts += [urlsplit(u).hostname or "" for u in Feed.objects.values_list("url", flat=True)]
    hosts += [urlsplit(u).hostname or "" for u in FeedItem.objects.values_list("link", flat=True)]
    hosts += [
        urlsplit(u).hostname or ""
        for u in Post.objects.exclude(link_url="").values_list("link_url", flat=True)
    ]
    assert hosts and all(h.endswith(".example") for h in hosts), "only reserved domains"


def check_people() -> None:
    people = Person.objects.local()
    assert people.count() >= 40
    assert people.filter(requires_approval=True).count() >= 2
    assert not people.filter(interests=None).exists()
    assert not people.filter(expertise=None).exists()
    assert not people.filter(bio_html="").exists()
    assert people.filter(followed_topics__isnull=False).distinct().count() >= 30
    addresses = EmailAddress.objects.filter(verified=True, primary=True)
    assert addresses.count() == User.objects.count() == people.count()


def check_posts() -> None:
    top = Post.objects.top_level()
    assert top.count() >= 200
    resources = top.filter(kind="resource")
    assert resources.count() >= 70
    assert set(resources.values_list("licence", flat=True)) == set(LICENCES)
    assert top.filter(kind="article").count() >= 25
    visibilities = set(top.values_list("visibility", flat=True))
    assert visibilities == {"public", "unlisted", "network", "private"}
    replies = Post.objects.filter(in_reply_to__isnull=False)
    assert replies.count() >= 80
    assert max(depth(p) for p in replies.select_related("in_reply_to")) >= 3
    assert Useful.objects.count() >= 100
    now = timezone.now()
    assert now - Post.objects.order_by("created_at").first().created_at > timedelta(days=450)


def check_connections() -> None:
    ties = Connection.objects.all()
    assert 130 <= ties.count() <= 200
    assert set(ties.values_list("direction", flat=True)) == set(Direction.values)
    assert not ties.annotate(n=Count("topics")).filter(n=0).exists()
    assert ties.exclude(note="").exists() and ties.exclude(met_url="").exists()
    now = timezone.now()
    dormant = ties.filter(status="active", last_interaction_at__lt=now - timedelta(days=90))
    assert dormant.count() >= 10
    assert now - ties.order_by("created_at").first().created_at > timedelta(days=450)


def check_the_learner() -> None:
    learner = Person.objects.get(handle="learner")
    assert Connection.objects.active().filter(owner=learner).count() >= 12
    assert Connection.objects.pending().filter(owner=learner).exists()
    assert Connection.objects.pending().filter(target=learner).exists()
    unread = Notification.objects.unread()
    assert 0 < unread.filter(recipient=learner).count() <= 6
    assert not unread.exclude(recipient=learner).exists()


def check_feeds() -> None:
    """The learner follows three demo people's blogs, whose posts are in "From the web";
    their reserved addresses are never polled."""
    learner = Person.objects.get(handle="learner")
    subs = Subscription.objects.filter(person=learner).select_related("feed", "attached_person")
    assert sorted(s.attached_person.handle for s in subs) == ["ayesha", "laila", "siobhan"]
    feeds = [s.feed for s in subs]
    assert all(f.status == Feed.Status.OK for f in feeds)
    assert all(f.next_poll_at > timezone.now() + timedelta(days=365 * 50) for f in feeds)
    client = Client()
    client.force_login(learner.user)
    page = client.get("/home/", {"from": "web"}).content.decode()
    assert "A first term on the fediverse with my students" in page
    assert "Feedback that asks instead of tells" in page


@pytest.mark.django_db(transaction=True)
def test_demo_is_deterministic_idempotent_and_ready_for_the_learner():
    load(verbosity=0)
    first = fingerprint()
    call_command("flush", interactive=False, verbosity=0)
    assert not Person.objects.exists()
    load(verbosity=0)
    assert fingerprint() == first

    before = counts()
    assert "already loaded" in load()
    assert load(verbosity=0) == ""
    assert counts() == before
    check_missing_people_come_back()

    client = Client()
    response = client.post(
        "/accounts/login/", {"login": "learner", "password": settings.CONNECTIVE_DEMO_PASSWORD}
    )
    assert response.status_code == 302
    home = client.get("/home/")
    assert home.status_code == 200
    assert len(home.context["page"].items) >= 10
    assert "Starting a small reflective blog" in home.content.decode()


def check_missing_people_come_back() -> None:
    """If an administrator deleted a demo person, a new run recreates them and their ties."""
    User.objects.filter(username="nikos").delete()
    posts = Post.objects.count()
    assert "missing people were recreated" in load()
    nikos = Person.objects.get(handle="nikos")
    assert nikos.interests.exists() and nikos.user.emailaddress_set.filter(verified=True).exists()
    assert Connection.objects.filter(owner=nikos).exists()
    assert Post.objects.count() == posts
    assert "already loaded" in load()
