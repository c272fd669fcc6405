"""A remote account's Delete of itself: nothing of it stays findable here (T-31)."""

# ruff: noqa: F401, F811  (fixtures imported from tests.federation.peers)

from connective.core import events
from connective.federation.models import Delivery
from connective.network.models import Connection
from connective.search.models import SearchDocument
from connective.search.services.query import search
from tests.federation.peers import act, create, dana, eve, note, signed_post

SHARED = "/inbox/"


def test_delete_of_a_remote_account_empties_search_of_it(ana, dana, eve):
    Connection.objects.create(owner=ana, target=dana, direction="learn_from")
    Connection.objects.create(owner=ana, target=eve, direction="learn_from")
    for person in (dana, eve):
        events.announce(events.PERSON_CREATED, person=person)  # as resolving an actor does
    for n in (1, 2):
        signed_post(SHARED, create(dana, note(dana, n, content="<p>Stargazing notes</p>"), n))
    assert SearchDocument.objects.filter(author_id=dana.pk).count() == 3
    Delivery.objects.all().delete()
    assert signed_post(SHARED, act(dana, "Delete", dana.uri)).status_code == 202
    assert not SearchDocument.objects.filter(author_id=dana.pk).exists()
    assert SearchDocument.objects.filter(source="person", object_id=eve.pk).exists()
    assert search(ana, "stargazing").hits == []
    assert not Delivery.objects.exists()  # a remote account's deletion is not sent anywhere
