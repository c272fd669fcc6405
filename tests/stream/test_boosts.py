"""Boosts in the home stream and on the booster's profile: at the time of the boost, labelled."""

from datetime import timedelta

import pytest
from django.utils import timezone

from connective.content.models import Boost, Kind, Visibility
from connective.content.services.boosts import boost_post
from connective.core.pagination import PAGE_SIZE
from connective.stream.services import home
from connective.stream.services.boosts import profile_page
from tests.conftest import client_for, make_person, make_remote_person
from tests.stream.conftest import block, connect, expected_stream, make_post, mute, topic

pytestmark = pytest.mark.django_db


def boosted(person, post, at=None) -> Boost:
    """`person` boosts `post` (at a chosen time)."""
    boost = boost_post(person, post)
    assert boost is not None
    if at is not None:
        Boost.objects.filter(pk=boost.pk).update(created_at=at)
        boost.created_at = at
    return boost


def items(viewer, **filters):
    """(post id, booster id or None) of the first page."""
    page = home.home_page(viewer, None, **filters)
    return [(p.pk, getattr(p, "boosted_by_id", None)) for p in page.items]


def test_a_connections_boost_shows_the_post_at_the_time_of_the_boost(ana, ben, chloe, window):
    connect(ana, ben)
    now = timezone.now()
    old = make_post(chloe, "Chloe's old note", at=now - timedelta(days=3))
    mine = make_post(ana, "My note", at=now - timedelta(hours=1))
    boosted(ben, old, at=now)
    assert items(ana) == [(old.pk, ben.pk), (mine.pk, None)]
    page = home.home_page(ana, None)
    assert page.items[0].boosted_by == ben and page.items[0].author == chloe


def test_strangers_boosts_stay_out(ana, ben, chloe):
    boosted(ben, make_post(chloe, "Not for Ana's stream"))
    assert items(ana) == []


def test_a_remote_persons_boost_reaches_the_people_connected_to_them(ana, ben):
    dana = make_remote_person("dana")
    connect(ana, dana)
    item = make_post(ben, "Ben's public note")
    boost_post(dana, item, uri=f"{dana.uri}/statuses/1/activity")
    assert items(ana) == [(item.pk, dana.pk)]
    assert items(ben) == [(item.pk, None)]  # his own post; boosts of it come as notifications


def test_my_own_boosts_are_in_my_stream(ana, chloe):
    item = make_post(chloe, "Chloe's note")
    boosted(ana, item)
    assert items(ana) == [(item.pk, ana.pk)]


@pytest.mark.parametrize("case", ["muted_booster", "muted_author", "blocked_author", "suspended"])
def test_boosts_of_muted_blocked_or_suspended_people_stay_out(ana, ben, chloe, case):
    connect(ana, ben)
    boosted(ben, make_post(chloe, "Boosted"))
    if case == "muted_booster":
        mute(ana, ben)
    elif case == "muted_author":
        mute(ana, chloe)
    elif case == "blocked_author":
        block(chloe, ana)
    else:
        type(chloe).objects.filter(pk=chloe.pk).update(suspended_at=timezone.now())
    assert items(ana) == []


def test_boosts_of_deleted_or_hidden_posts_stay_out(ana, ben, chloe):
    connect(ana, ben)
    gone, hidden = make_post(chloe, "Gone"), make_post(chloe, "Hidden")
    boosted(ben, gone)
    boosted(ben, hidden)
    gone.deleted_at = hidden.hidden_at = timezone.now()
    gone.save()
    hidden.save()
    assert items(ana) == []


def test_a_post_shows_once_a_page_at_its_newest_place(ana, ben, chloe):
    connect(ana, ben)
    connect(ana, chloe)
    now = timezone.now()
    item = make_post(chloe, "Popular", at=now - timedelta(hours=2))
    boosted(ben, item, at=now - timedelta(hours=1))
    boosted(ana, item, at=now)
    assert items(ana) == [(item.pk, ana.pk)]


def test_filters_apply_to_boosted_posts_and_from_the_web_has_none(ana, ben, chloe):
    connect(ana, ben)
    note = make_post(chloe, "Note", topics=["oer"])
    resource = make_post(chloe, "Resource", kind=Kind.RESOURCE, topics=["stats"])
    boosted(ben, note)
    boosted(ben, resource)
    assert items(ana, kind=Kind.RESOURCE) == [(resource.pk, ben.pk)]
    assert items(ana, topic=topic("oer")) == [(note.pk, ben.pk)]
    assert items(ana, web=True) == []


def _oracle(viewer) -> list[list[int]]:
    """Every page by definition: posts and visible boosts from my network, merged, a post
    once per page."""
    posts = {p: None for p in expected_stream(viewer)}
    from connective.content.models import Post

    entries = [((p.created_at, 3 * p.pk), p.pk) for p in Post.objects.filter(pk__in=posts)]
    network = {viewer.pk} | set(viewer.connections.values_list("target_id", flat=True))
    for b in Boost.objects.visible_to(viewer).filter(person_id__in=network):
        if b.post.author_id != viewer.pk:
            entries.append(((b.created_at, 3 * b.pk + 1), b.post_id))
    entries.sort(reverse=True)
    pages = []
    for start in range(0, len(entries), PAGE_SIZE):
        chunk = [pk for _, pk in entries[start : start + PAGE_SIZE]]
        pages.append(list(dict.fromkeys(chunk)))
    return pages or [[]]


def test_paging_through_posts_and_boosts_with_tied_times_skips_and_repeats_nothing(
    ana, ben, chloe, window
):
    connect(ana, ben)
    dora = make_person("dora")
    now = timezone.now()
    for n in range(30):
        at = now - timedelta(minutes=n // 3)  # three posts share each time
        make_post(ben, f"Ben {n}", at=at)
        boosted(ben, make_post(dora, f"Dora {n}", at=at - timedelta(days=1)), at=at)
        if n % 4 == 0:
            boosted(ana, make_post(chloe, f"Chloe {n}", at=at), at=at)
    pages, cursor = [], None
    while True:
        page = home.home_page(ana, cursor)
        pages.append([p.pk for p in page.items])
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert pages == _oracle(ana)
    assert sum(len(p) for p in pages) == 30 + 30 + 8


def test_home_page_labels_the_boost_and_offers_the_toggle(ana, ben, chloe):
    connect(ana, ben)
    item = make_post(chloe, "Boosted note", visibility=Visibility.PUBLIC)
    boosted(ben, item)
    html = client_for(ana).get("/home/").content.decode()
    assert "Boosted by" in html and "Ben Okafor" in html
    assert f'action="/posts/{item.pk}/boost/"' in html and 'aria-pressed="false"' in html


# --- the booster's profile ------------------------------------------------------------------


def test_profile_posts_tab_lists_the_persons_boosts_among_their_posts(ana, ben, chloe):
    from connective.content.models import Post

    now = timezone.now()
    own = make_post(ben, "Ben's note", at=now - timedelta(hours=1))
    other = make_post(chloe, "Chloe's note", at=now - timedelta(days=2))
    hidden = make_post(chloe, "Chloe's network note", at=now, visibility=Visibility.NETWORK)
    boosted(ben, other, at=now)
    Boost.objects.create(person=ben, post=hidden, uri="https://x.example/b/1")  # not boostable
    posts = Post.objects.visible_to(ana).top_level().filter(author_id=ben.pk)
    page = profile_page(ben, ana, posts, None)
    assert [(p.pk, getattr(p, "boosted_by_id", None)) for p in page.items] == [
        (other.pk, ben.pk),
        (own.pk, None),
    ]
    assert page.items[0].boosted_by == ben and page.next_cursor is None


def test_profile_page_follows_its_cursor(ana, ben, chloe):
    from connective.content.models import Post

    now = timezone.now()
    for n in range(15):
        make_post(ben, f"Ben {n}", at=now - timedelta(minutes=n))
        boosted(ben, make_post(chloe, f"Chloe {n}", at=now), at=now - timedelta(minutes=n))
    posts = Post.objects.visible_to(None).top_level().filter(author_id=ben.pk)
    first = profile_page(ben, None, posts, None)
    second = profile_page(ben, None, posts, first.next_cursor)
    shown = [p.pk for p in first.items + second.items]
    assert len(shown) == 30 == len(set(shown)) and second.next_cursor is None


def test_boosts_query_built_by_the_orm_gives_the_prepared_answer(ana, ben, chloe, monkeypatch):
    from connective.core import prepared
    from connective.stream.services import boosts

    connect(ana, ben)
    now = timezone.now()
    for n in range(25):
        boosted(ben, make_post(chloe, f"Chloe {n}", topics=["oer"]), at=now - timedelta(minutes=n))
    kept = home.home_page(ana, None)
    second = home.home_page(ana, kept.next_cursor, topic=topic("oer"))
    monkeypatch.setattr(prepared, "prepare", lambda *args, **kwargs: None)
    boosts.STATEMENTS.clear()
    built = home.home_page(ana, None)
    assert [p.pk for p in built.items] == [p.pk for p in kept.items]
    assert built.next_cursor == kept.next_cursor
    again = home.home_page(ana, built.next_cursor, topic=topic("oer"))
    assert [p.pk for p in again.items] == [p.pk for p in second.items]
    assert len(kept.items) == 20 and len(second.items) == 5


def test_boosts_add_a_fixed_number_of_queries_to_the_home_page(
    ana, ben, chloe, django_assert_max_num_queries
):
    """One boost or a page full of them: the same queries (boosts, their posts, the toggles')."""
    connect(ana, ben)
    client = client_for(ana)
    boosted(ben, make_post(chloe, "The first"))
    client.get("/home/")
    with django_assert_max_num_queries(40) as one:
        assert client.get("/home/").status_code == 200
    for n in range(25):
        boosted(ben, make_post(make_person(f"p{n}"), f"Note {n}", topics=["oer"]))
    with django_assert_max_num_queries(40) as many:
        assert "Boosted by" in client.get("/home/").content.decode()
    assert len(many.captured_queries) == len(one.captured_queries)
