"""What the home stream shows: my posts, my connections', my followed topics' — and nothing else.

Every test runs three times (the `window` fixture): through the index walk that serves a busy
network, through a second, longer walk, and through the source fallback of a quiet network.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connective.content.models import Kind, Post, Visibility
from connective.stream.services import home
from connective.stream.services.home import home_page
from tests.conftest import make_person
from tests.stream.conftest import (
    block,
    connect,
    expected_stream,
    follow,
    make_post,
    mute,
    topic,
    walk_pages,
)

pytestmark = pytest.mark.django_db


def stream_ids(viewer, kind="", on_topic=None) -> list[int]:
    return [pk for page in walk_pages(viewer, kind, on_topic) for pk in page]


def test_own_connections_and_followed_topics_posts_appear_newest_first(ana, ben, chloe, window):
    connect(ana, ben)
    follow(ana, "oer")
    now = timezone.now()
    mine = make_post(ana, "mine", at=now - timedelta(minutes=3))
    bens = make_post(ben, "ben's", at=now - timedelta(minutes=2))
    on_topic = make_post(chloe, "chloe on oer", topics=["oer"], at=now - timedelta(minutes=1))
    assert stream_ids(ana) == [on_topic.pk, bens.pk, mine.pk]


def test_strangers_and_unfollowed_topics_stay_out(ana, ben, chloe, window):
    follow(ana, "oer")
    make_post(chloe, "chloe on statistics", topics=["statistics"])
    make_post(ben, "ben, untagged")
    assert stream_ids(ana) == []


def test_pending_connections_do_not_count_either_way(ana, ben, chloe, window):
    connect(ana, ben, active=False)
    connect(chloe, ana, active=False)
    make_post(ben, "pending")
    make_post(chloe, "asked ana, not yet accepted")
    assert stream_ids(ana) == []


def test_people_who_connected_with_me_are_in_my_stream(ana, chloe, window):
    """My network is both ways: Chloe connected to learn from Ana, so Ana sees Chloe's posts."""
    connect(chloe, ana)
    post = make_post(chloe, "chloe connected with ana")
    assert stream_ids(ana) == [post.pk]


def test_replies_are_left_out(ana, ben, window):
    connect(ana, ben)
    root = make_post(ben, "question")
    make_post(ben, "answer", in_reply_to=root, thread_root=root)
    make_post(ana, "my reply", in_reply_to=root, thread_root=root)
    assert stream_ids(ana) == [root.pk]


def test_muted_authors_are_left_out_even_on_followed_topics(ana, ben, chloe, window):
    connect(ana, ben)
    follow(ana, "oer")
    mute(ana, ben)
    mute(ana, chloe)
    make_post(ben, "muted connection")
    make_post(chloe, "muted stranger", topics=["oer"])
    assert stream_ids(ana) == []


def test_author_who_blocked_me_is_left_out(ana, ben, chloe, window):
    connect(ana, ben)
    follow(ana, "oer")
    block(ben, ana)
    block(chloe, ana)
    make_post(ben, "blocked me")
    make_post(chloe, "blocked me too", topics=["oer"])
    assert stream_ids(ana) == []


def test_network_posts_reach_connections_only(ana, ben, chloe, window):
    connect(ana, ben)
    follow(ana, "oer")
    to_network = make_post(ben, "for my network", visibility=Visibility.NETWORK)
    make_post(chloe, "stranger's network post", topics=["oer"], visibility=Visibility.NETWORK)
    assert stream_ids(ana) == [to_network.pk]


def test_network_post_reaches_someone_who_connected_to_the_author(ana, ben, window):
    """Ana follows oer; Ben connected to Ana, so Ana is in Ben's network."""
    connect(ben, ana)
    follow(ana, "oer")
    shared = make_post(ben, "network and oer", topics=["oer"], visibility=Visibility.NETWORK)
    assert stream_ids(ana) == [shared.pk]


def test_private_posts_reach_only_the_people_mentioned(ana, ben, chloe, window):
    connect(ana, ben)
    connect(chloe, ben)
    to_ana = make_post(ben, "@ana only", visibility=Visibility.PRIVATE)
    to_ana.mentions.add(ana)
    make_post(ben, "to nobody", visibility=Visibility.PRIVATE)
    assert stream_ids(ana) == [to_ana.pk]
    assert stream_ids(chloe) == []


def test_my_own_private_and_unlisted_posts_appear(ana, window):
    private = make_post(ana, "note to self", visibility=Visibility.PRIVATE)
    unlisted = make_post(ana, "unlisted", visibility=Visibility.UNLISTED)
    assert set(stream_ids(ana)) == {private.pk, unlisted.pk}


def test_deleted_posts_and_suspended_authors_are_left_out(ana, ben, chloe, window):
    connect(ana, ben)
    connect(ana, chloe)
    make_post(ben, "deleted", deleted_at=timezone.now())
    make_post(chloe, "suspended")
    type(chloe).objects.filter(pk=chloe.pk).update(suspended_at=timezone.now())
    assert stream_ids(ana) == []


def test_kind_filter(ana, ben, window):
    connect(ana, ben)
    make_post(ben, "a note")
    resource = make_post(
        ben, "a guide", kind=Kind.RESOURCE, title="Guide", link_url="https://oer.example/g"
    )
    assert stream_ids(ana, kind=Kind.RESOURCE) == [resource.pk]


def test_topic_filter_keeps_stream_rules(ana, ben, chloe, window):
    connect(ana, ben)
    follow(ana, "oer")
    bens = make_post(ben, "ben on statistics", topics=["statistics"])
    make_post(ben, "ben, untagged")
    make_post(chloe, "chloe on statistics, not followed, not connected", topics=["statistics"])
    chloes = make_post(chloe, "chloe on oer and statistics", topics=["oer", "statistics"])
    assert stream_ids(ana, on_topic=topic("statistics")) == [chloes.pk, bens.pk]


def test_pages_do_not_overlap_or_skip_with_tied_times(ana, ben, window):
    connect(ana, ben)
    moment = timezone.now() - timedelta(hours=1)
    posts = [make_post(ben if n % 2 else ana, f"n{n}", at=moment) for n in range(45)]
    pages = walk_pages(ana)
    assert [len(p) for p in pages] == [20, 20, 5]
    assert [pk for page in pages for pk in page] == sorted((p.pk for p in posts), reverse=True)


def test_page_after_the_last_is_empty(ana, window):
    make_post(ana, "only one")
    page = home_page(ana, None)
    assert len(page.items) == 1
    assert page.next_cursor is None


AUTHORS = st.sampled_from(["ana", "ben", "chloe", "dev"])
POSTS = st.lists(
    st.tuples(
        AUTHORS,
        st.integers(min_value=0, max_value=6),  # minutes ago: few values, many ties
        st.sampled_from(list(Visibility)),
        st.sampled_from([(), ("oer",), ("stats",), ("oer", "stats")]),
        st.booleans(),  # a reply?
        st.sampled_from([Kind.NOTE, Kind.RESOURCE]),
    ),
    max_size=60,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=POSTS,
    windows=st.sampled_from([(2, 0), (7, 0), (2, 20000), (1000, 20000)]),
    kind=st.sampled_from(["", Kind.RESOURCE]),
)
def test_paging_matches_the_definition(ana, monkeypatch, rows, windows, kind):
    """Whatever the ties and the window, the pages together are the stream, once each."""
    from django.db import transaction

    from connective.stream.services import home

    monkeypatch.setattr(home, "WALK_WINDOW", windows[0])
    monkeypatch.setattr(home, "MAX_WINDOW", windows[1])
    with transaction.atomic():
        people = {"ana": ana, **{h: make_person(h) for h in ("ben", "chloe", "dev")}}
        connect(ana, people["ben"])
        connect(people["dev"], ana)
        follow(ana, "oer")
        mute(ana, people["dev"]) if len(rows) % 5 == 0 else None
        now = timezone.now()
        roots: list[Post] = []
        for author, minutes, visibility, tags, is_reply, post_kind in rows:
            parent = roots[0] if is_reply and roots else None
            p = make_post(
                people[author],
                topics=tags,
                at=now - timedelta(minutes=minutes),
                visibility=visibility,
                kind=post_kind,
                in_reply_to=parent,
            )
            roots += [p] if parent is None else []
        pages = walk_pages(ana, kind)
        assert all(len(page) == 20 for page in pages[:-1])
        assert [pk for page in pages for pk in page] == expected_stream(ana, kind)
        transaction.set_rollback(True)


def test_fallback_takes_a_bounded_number_of_candidates_and_still_pages_correctly(
    ana, ben, monkeypatch
):
    """A huge followed topic is read newest first, a bounded slice at a time, without gaps."""
    monkeypatch.setattr(home, "WALK_WINDOW", 2)
    monkeypatch.setattr(home, "MAX_WINDOW", 0)
    monkeypatch.setattr(home, "MAX_CANDIDATES", 25)
    follow(ana, "oer")
    now = timezone.now()
    posts = [
        make_post(ben, f"oer {i}", topics=["oer"], at=now - timedelta(minutes=i)) for i in range(60)
    ]
    assert stream_ids(ana) == [p.pk for p in posts]
