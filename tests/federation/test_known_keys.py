"""The keys the inbox keeps per process (known_keys): they may spare a refusal its database
statement, never let a bad signature through, and never refuse for longer than their TTL."""

# ruff: noqa: F401, F811  (fixtures imported from tests.federation.peers)

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from connective.accounts.models import Person
from connective.federation.models import DomainBlock, InboxActivity
from connective.federation.services import known_keys
from tests.federation.peers import act, dana, signed_post
from tests.federation.signing import pem

SHARED = "/inbox/"


def follow(dana, ana, n="1"):
    return act(dana, "Follow", ana.uri, n)


def set_key(person, name, *, fetched_at=None):
    """Change a row's key behind this process's back, as another process would."""
    Person.objects.filter(pk=person.pk).update(
        public_key_pem=pem(name, "public"), fetched_at=fetched_at or timezone.now()
    )


def test_a_repeated_bad_signature_is_refused_without_a_statement(
    ana, dana, django_assert_num_queries
):
    client = Client()
    with django_assert_num_queries(1):  # the owner's row, once
        assert signed_post(SHARED, follow(dana, ana), key="rsa-b", client=client).status_code == 401
    with django_assert_num_queries(0):
        for n in "23":
            response = signed_post(SHARED, follow(dana, ana, n), key="rsa-b", client=client)
            assert response.status_code == 401


def test_a_good_signature_is_still_accepted_after_refusals(ana, dana):
    assert signed_post(SHARED, follow(dana, ana), key="rsa-b").status_code == 401
    assert signed_post(SHARED, follow(dana, ana, "2")).status_code == 202


def test_t01_a_kept_key_that_was_rotated_elsewhere_lets_no_old_signature_through(ana, dana):
    assert signed_post(SHARED, follow(dana, ana), key="rsa-b").status_code == 401  # keeps rsa-a
    set_key(dana, "rsa-b")  # another process stored dana's new key
    assert signed_post(SHARED, follow(dana, ana, "2"), key="rsa-a").status_code == 401
    assert not InboxActivity.objects.exists()


def test_a_key_rotated_elsewhere_is_refused_for_no_longer_than_the_ttl(ana, dana, monkeypatch):
    assert signed_post(SHARED, follow(dana, ana), key="rsa-b").status_code == 401  # keeps rsa-a
    set_key(dana, "rsa-b")
    assert signed_post(SHARED, follow(dana, ana, "2"), key="rsa-b").status_code == 401  # stale
    later = known_keys.time.monotonic() + known_keys.TTL
    monkeypatch.setattr(known_keys.time, "monotonic", lambda: later)
    assert signed_post(SHARED, follow(dana, ana, "3"), key="rsa-b").status_code == 202


def test_a_kept_key_fetched_long_ago_leaves_the_decision_to_the_row(ana, dana):
    """A key fetched long ago could be refetched: the kept copy does not refuse on its own."""
    long_ago = timezone.now() - timedelta(hours=1)
    known_keys.put(f"{dana.uri}#main-key", pem("rsa-a", "public"), long_ago)
    set_key(dana, "rsa-b")  # another process refetched it since
    assert signed_post(SHARED, follow(dana, ana), key="rsa-b").status_code == 202


def test_recording_an_actor_forgets_its_kept_key(dana):
    from connective.federation.documents.remote_actor import actor_from_ap
    from connective.federation.services.resolve import record_actor
    from tests.federation.remote_peer import actor_fixture

    doc = actor_fixture("mastodon")
    key_id = f"{doc['id']}#main-key"
    known_keys.put(key_id, pem("rsa-b", "public"), timezone.now())
    record_actor(actor_from_ap(doc))
    assert known_keys.get(key_id) is None


def test_t04_an_actor_blocked_after_its_key_was_kept_is_refused(ana, dana):
    assert signed_post(SHARED, follow(dana, ana), key="rsa-b").status_code == 401  # keeps rsa-a
    DomainBlock.objects.create(domain="remote.example", severity="suspend")
    assert signed_post(SHARED, follow(dana, ana, "2")).status_code == 403
    Person.objects.filter(pk=dana.pk).update(suspended_at=timezone.now())
    DomainBlock.objects.all().delete()
    assert signed_post(SHARED, follow(dana, ana, "3")).status_code == 403
    assert not InboxActivity.objects.exists()


def test_t06_a_stale_date_is_refused_by_the_kept_key_too(ana, dana):
    assert signed_post(SHARED, follow(dana, ana), key="rsa-b").status_code == 401
    old = timezone.now() - timedelta(days=2)
    assert signed_post(SHARED, follow(dana, ana, "2"), now=old).status_code == 401


def test_the_table_is_bounded(monkeypatch):
    monkeypatch.setattr(known_keys, "MAX_ENTRIES", 3)
    for n in range(5):
        known_keys.put(f"https://x.example/users/{n}#main-key", "pem", None)
    assert len(known_keys._keys) <= 3
    assert known_keys.get("https://x.example/users/4#main-key") is not None
