"""Leaving and moving tell the fediverse: Delete of the actor, Move to the new account."""

# ruff: noqa: F401, F811  (fixtures imported from tests.federation.peers)

from connective.federation.models import Delivery
from connective.federation.services.deliver import _farewell
from connective.network.models import Connection
from connective.portability.services.deletion import delete_account
from connective.portability.services.moving import add_alias, move_account
from tests.conftest import make_person
from tests.federation.peers import dana, eve


def follower(person, target):
    return Connection.objects.create(owner=person, target=target, direction="learn_from")


def test_deleting_an_account_sends_delete_of_the_actor_to_everyone_it_knew(ana, dana, eve):
    follower(dana, ana)
    follower(ana, eve)
    delete_account(ana)
    rows = [r for r in Delivery.objects.all() if r.activity["type"] == "Delete"]
    assert {r.inbox_url for r in rows} == {
        dana.shared_inbox_url or dana.inbox_url,
        eve.shared_inbox_url or eve.inbox_url,
    }
    assert all(r.activity["object"] == ana.uri for r in rows)
    ana.refresh_from_db()
    assert ana.suspended_at is not None and all(_farewell(r) for r in rows)
    assert not Connection.objects.filter(owner=ana).exists()


def test_moving_sends_move_to_remote_followers(ana, dana):
    follower(dana, ana)
    new = make_person("ana_new")
    add_alias(new, ana.acct)
    move_account(ana, new.acct)
    [row] = [r for r in Delivery.objects.all() if r.activity["type"] == "Move"]
    assert row.activity["object"] == ana.uri and row.activity["target"] == new.uri
    assert row.inbox_url == (dana.shared_inbox_url or dana.inbox_url)
