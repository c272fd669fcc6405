"""Moving to another account: connections follow with their purpose; the old profile sends on."""

import pytest

from connective.core import events
from connective.network.models import Connection, Direction
from connective.network.services.connections import Purpose, connect
from connective.notifications.models import Notification
from connective.portability.services.moving import MoveError, add_alias, move_account
from tests.conftest import client_for, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_ana(ana):
    fresh = make_person("ana_new", display_name="Ana (new)")
    return fresh


def test_move_takes_connections_along_with_purpose_and_note(ana, ben, new_ana):
    connect(ben, ana, Purpose(Direction.LEARN_FROM, ["Open licensing"], "OER course", "", "kind"))
    add_alias(new_ana, ana.acct)
    heard = []

    def listener(person):
        heard.append(person.pk)

    events.subscribe(events.PERSON_MOVED, listener)
    try:
        move_account(ana, new_ana.acct)
    finally:
        events._subscribers[events.PERSON_MOVED].remove(listener)
    conn = Connection.objects.get(owner=ben)
    assert conn.target == new_ana
    assert [t.name for t in conn.topics.all()] == ["Open licensing"]
    assert (conn.met_where, conn.note, conn.direction) == ("OER course", "kind", "learn_from")
    assert Notification.objects.filter(recipient=ben, kind="moved").exists()
    assert heard == [ana.pk]
    response = client_for(ben).get("/@ana/")
    assert response.status_code == 302 and response["Location"] == "/@ana_new/"


def test_move_needs_the_new_account_to_name_the_old_one(ana, ben, new_ana):
    connect(ben, ana, Purpose(Direction.LEARN_WITH))
    with pytest.raises(MoveError, match="alias"):
        move_account(ana, new_ana.acct)
    assert Connection.objects.get(owner=ben).target == ana
    ana.refresh_from_db()
    assert ana.moved_to is None


def test_aliases_and_move_from_settings(ana, new_ana):
    new_client = client_for(new_ana)
    response = new_client.post("/settings/move/aliases/", {"address": f"@{ana.acct}"})
    assert response.status_code == 302
    new_ana.refresh_from_db()
    assert new_ana.also_known_as == [ana.uri]
    old = client_for(ana)
    old.post("/settings/move/account/", {"address": new_ana.acct})  # not confirmed
    ana.refresh_from_db()
    assert ana.moved_to is None
    old.post("/settings/move/account/", {"address": new_ana.acct, "confirm": "yes"})
    ana.refresh_from_db()
    assert ana.moved_to == new_ana


def test_unknown_alias_is_a_clear_error(ana_client, ana):
    response = ana_client.post(
        "/settings/move/aliases/", {"address": "@nobody@" + ana.acct.split("@")[1]}
    )
    assert response.status_code == 400
    assert "could not be found" in response.content.decode()
