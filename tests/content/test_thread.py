"""Threads: nested replies, depth-capped, only what the viewer may see, in bounded queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from connective.content.services.posts import delete_post
from connective.content.services.thread import MAX_DEPTH, replies_below
from tests.conftest import client_for
from tests.content.conftest import connect, post

pytestmark = pytest.mark.django_db


def _chain(root, people, length):
    """A chain of replies, each answering the one before."""
    replies, parent = [], root
    for n in range(length):
        parent = post(people[n % len(people)], f"reply {n}", in_reply_to=parent)
        replies.append(parent)
    return replies


def _shape(nodes):
    return [(node.post.body, node.depth, _shape(node.children)) for node in nodes]


def test_replies_nest_by_in_reply_to(ana, ben, chloe):
    root = post(ana, "root")
    first = post(ben, "first", in_reply_to=root)
    post(chloe, "answer to first", in_reply_to=first)
    post(chloe, "second", in_reply_to=root)
    assert _shape(replies_below(root, ana)) == [
        ("first", 1, [("answer to first", 2, [])]),
        ("second", 1, []),
    ]


def test_deep_replies_are_shown_flat_saying_whom_they_answer(ana, ben):
    root = post(ana, "root")
    chain = _chain(root, [ben, ana], 8)
    nodes, depth = replies_below(root, ana), 1
    while nodes[0].children:
        nodes, depth = nodes[0].children, depth + 1
    assert depth == MAX_DEPTH
    assert [n.post.pk for n in nodes] == [p.pk for p in chain[MAX_DEPTH - 1 :]]
    assert [n.depth for n in nodes] == [MAX_DEPTH] * 4
    assert nodes[1].reply_to == chain[MAX_DEPTH - 1].author


def test_a_long_chain_does_not_hit_the_recursion_limit(ana, ben):
    root = post(ana, "root")
    _chain(root, [ben, ana], 60)
    assert len(replies_below(root, None)) == 1


def test_page_of_a_reply_shows_its_parent_and_what_is_below(client, ana, ben, chloe):
    root = post(ana, "root")
    middle = post(ben, "middle", in_reply_to=root)
    post(chloe, "below the middle", in_reply_to=middle)
    html = client.get(middle.get_absolute_url()).content.decode()
    assert f'In reply to <a href="{root.get_absolute_url()}"><bdi>Ana Lima</bdi>' in html
    assert "below the middle" in html
    deeper = post(ana, "deeper", in_reply_to=middle)
    html = client.get(deeper.get_absolute_url()).content.decode()
    assert f'<a href="{root.get_absolute_url()}">the whole discussion</a>' in html


def test_thread_page_nests_replies(client, ana, ben, chloe):
    root = post(ana, "root")
    first = post(ben, "first", in_reply_to=root)
    nested = post(chloe, "nested", in_reply_to=first)
    html = client.get(root.get_absolute_url()).content.decode()
    outer = html.index(f'id="post-{first.pk}"')
    inner = html.index(f'id="post-{nested.pk}"')
    between = html[outer:inner]
    assert '<div class="thread">' in between and "</article>" not in between


def test_thread_page_caps_visible_nesting(client, ana, ben):
    root = post(ana, "root")
    _chain(root, [ben, ana], 9)
    html = client.get(root.get_absolute_url()).content.decode()
    html = html[html.index('id="discussion-heading"') :]
    depth = deepest = 0
    for tag in re.findall(r"<article class=\"reply\"|</article>", html):
        depth += 1 if tag.startswith("<article") else -1
        deepest = max(deepest, depth)
    assert deepest == MAX_DEPTH
    assert "Replying to" in html


def test_only_replies_the_viewer_may_see_are_shown(ana, ben, chloe):
    root = post(ana, "root")
    post(ben, "network reply", in_reply_to=root, visibility="network")
    post(ben, "visible to all", in_reply_to=root)
    for client in (client_for(chloe), client_for(ana)):
        html = client.get(root.get_absolute_url()).content.decode()
        assert "visible to all" in html
        assert "network reply" not in html
    connect(chloe, ben)
    html = client_for(chloe).get(root.get_absolute_url()).content.decode()
    assert "network reply" in html


def test_a_visible_reply_to_a_hidden_one_moves_up(client, ana, ben, chloe):
    root = post(ana, "root")
    hidden = post(ben, "network only", in_reply_to=root, visibility="network")
    connect(chloe, ben)
    post(chloe, "public answer", in_reply_to=hidden)
    nodes = replies_below(root, None)
    assert [(n.post.body, n.hoisted) for n in nodes] == [("public answer", True)]
    html = client.get(root.get_absolute_url()).content.decode()
    assert "In reply to a post that is not shown here." in html
    assert "network only" not in html


def test_deleted_reply_with_replies_is_a_tombstone_and_without_is_gone(client, ana, ben, chloe):
    root = post(ana, "root")
    middle = post(ben, "middle", in_reply_to=root)
    post(chloe, "still here", in_reply_to=middle)
    leaf = post(ben, "leaf", in_reply_to=root)
    delete_post(middle)
    delete_post(leaf)
    html = client.get(root.get_absolute_url()).content.decode()
    assert html.count("This post was deleted.") == 1
    assert "still here" in html
    assert f'id="post-{leaf.pk}"' not in html


def test_thread_loads_in_a_bounded_number_of_queries(ana, ben, chloe):
    viewer = client_for(chloe)

    def queries_for(root):
        with CaptureQueriesContext(connection) as captured:
            assert viewer.get(root.get_absolute_url()).status_code == 200
        return len(captured)

    small, big = post(ana, "small"), post(ana, "big")
    _chain(small, [ben, ana], 3)
    _chain(big, [ben, ana, chloe], 40)
    for parent in big.replies.all()[:1]:
        for n in range(10):
            post(ben, f"side {n}", in_reply_to=parent)
    assert queries_for(big) == queries_for(small)
