"""Search never shows or counts what the viewer may not see (T-28), checked against the one rule."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connective.accounts.models import Person
from connective.content.models import Post, Visibility
from connective.network.models import Block
from connective.search.services.query import search
from tests.conftest import client_for, make_person
from tests.search.conftest import connect, found, post

pytestmark = pytest.mark.django_db

LIMITED = [Visibility.NETWORK, Visibility.PRIVATE]


def test_t28_control_public_post_is_found_and_counted(ana, chloe, client):
    item = post(ana, "Curriculum mapping", visibility="public")
    assert found(chloe, "curriculum") == [item]
    assert search(None, "curriculum").facets == {"note": 1}
    assert (
        "Curriculum</mark> mapping" in client.get("/search/", {"q": "curriculum"}).content.decode()
    )


@pytest.mark.parametrize("visibility", LIMITED)
def test_t28_limited_posts_of_others_never_appear_or_count(ana, chloe, client, visibility):
    post(ana, "Curriculum mapping secrets", visibility=visibility)
    for viewer in (None, chloe):
        results = search(viewer, "curriculum")
        assert results.hits == [] and results.facets == {} and results.total == 0
    for browser in (client, client_for(chloe)):
        html = browser.get("/search/", {"q": "curriculum"}).content.decode()
        assert "secrets" not in html and "Notes <span" not in html


def test_t28_network_post_is_found_by_a_connection_and_mentioned_private_by_the_mentioned(
    ana, ben, chloe
):
    shared = post(ana, "Curriculum for my network", visibility="network")
    private = post(ana, "Curriculum for @chloe", visibility="private")
    connect(ben, ana)
    assert found(ben, "curriculum") == [shared]
    assert found(chloe, "curriculum") == [private]
    assert set(found(ana, "curriculum")) == {shared, private}


def test_t28_blocked_hidden_suspended_and_closed_space_posts_are_gone(ana, ben, chloe):
    from django.utils import timezone

    from connective.spaces.models import Membership, Space

    blocked = post(ana, "Curriculum one")
    Block.objects.create(owner=ana, target=ben)
    assert blocked not in found(ben, "curriculum")
    hidden = post(chloe, "Curriculum two")
    Post.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    assert found(None, "curriculum") == [blocked]
    closed = Space.objects.create(slug="closed", name="Closed room", members_only=True)
    Membership.objects.create(space=closed, person=chloe)
    inside = post(chloe, "Curriculum three", space=closed)
    assert inside not in found(None, "curriculum")
    assert inside in found(chloe, "curriculum")
    Person.objects.filter(pk=ana.pk).update(suspended_at=timezone.now())
    assert found(None, "curriculum") == []


def test_people_search_respects_discoverability_network_and_suspension(ana, ben, chloe):
    from django.utils import timezone

    from tests.conftest import make_remote_person

    Person.objects.filter(pk=chloe.pk).update(discoverable=False)
    assert found(ana, "chloe") == []
    connect(chloe, ana)
    assert found(ana, "chloe") == [chloe], "people in my network are findable"
    dana = make_remote_person("dana")
    from connective.search.services.index import index_person

    index_person(dana)
    assert found(ben, "dana") == []
    connect(ben, dana)
    assert found(ben, "dana") == [dana]
    Person.objects.filter(pk=ben.pk).update(suspended_at=timezone.now())
    assert found(None, "ben") == []
    Block.objects.create(owner=chloe, target=ana)
    assert found(ana, "chloe") == []


def test_blocks_either_way_hide_the_person_and_their_posts(ana, ben, chloe):
    """Someone I block, or who blocks me, is not found, nor is anything they wrote; a third
    person still finds both."""
    from connective.search.services.index import index_person

    for person in (ana, ben):
        person.bio = "Curriculum designer"
        person.discoverable = True
        person.save()
        index_person(person)
    ana_post, ben_post = post(ana, "Curriculum by ana"), post(ben, "Curriculum by ben")
    Block.objects.create(owner=chloe, target=ana)  # chloe blocks ana
    Block.objects.create(owner=ben, target=chloe)  # ben blocks chloe
    assert found(chloe, "curriculum") == []
    assert search(chloe, "curriculum").facets == {}
    assert found(chloe, "ana", kind="person") == [] and found(chloe, "ben", kind="person") == []
    assert ana in found(ana, "ana", kind="person")
    third = make_person("dora")
    assert set(found(third, "curriculum")) == {ana_post, ben_post, ana, ben}


# -- the property: random posts, visibilities, connections, mentions and viewers -----------------

WORD = "zebrafish"
POSTS = st.lists(
    st.tuples(
        st.integers(0, 2),  # author
        st.sampled_from([v.value for v in Visibility]),
        st.booleans(),  # mentions the next person
    ),
    min_size=1,
    max_size=6,
)
EDGES = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2), st.booleans()), max_size=4)


@pytest.fixture
def trio(db):
    return [make_person(h) for h in ("pat", "quinn", "rosa")]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(posts=POSTS, edges=EDGES, blocks=EDGES, viewer=st.integers(-1, 2))
def test_t28_search_never_returns_or_counts_what_the_rule_hides(trio, posts, edges, blocks, viewer):
    """Compare every search with Post.objects.visible_to (listed posts only, as search lists,
    and nothing by someone the viewer blocks)."""
    with transaction.atomic():
        for (owner, target), active in {(o, t): a for o, t, a in edges if o != t}.items():
            connect(trio[owner], trio[target], active=active)
        for owner, target, _ in blocks:
            if owner != target:
                Block.objects.get_or_create(owner=trio[owner], target=trio[target])
        for author, visibility, mention in posts:
            other = trio[(author + 1) % 3]
            body = f"{WORD} note" + (f" @{other.handle}" if mention else "")
            post(trio[author], body, visibility=visibility)
        who = None if viewer < 0 else trio[viewer]
        allowed = Post.objects.visible_to(who).filter(body__contains=WORD)
        mine = set() if who is None else set(who.blocks.values_list("target_id", flat=True))
        expected = {
            p.pk
            for p in allowed
            if (p.visibility != Visibility.UNLISTED or (who is not None and p.author_id == who.pk))
            and p.author_id not in mine
        }
        results = search(who, WORD, limit=50)
        assert {h.obj.pk for h in results.hits} == expected
        assert results.facets.get("note", 0) == len(expected)
        transaction.set_rollback(True)
