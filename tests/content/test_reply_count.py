"""A card's reply count is every reply in the thread below the post that anyone may see."""

import importlib

import pytest
from django.apps import apps

from connective.content.models import Post
from connective.content.services.posts import delete_post, set_hidden
from tests.conftest import client_for
from tests.content.conftest import post

pytestmark = pytest.mark.django_db

recount = importlib.import_module(
    "connective.content.migrations.0009_reply_count_counts_nested_replies"
)


def counts(*posts: Post) -> list[int]:
    return [Post.objects.get(pk=p.pk).reply_count for p in posts]


def test_a_reply_to_a_reply_counts_on_every_post_above_it(ana, ben, chloe):
    root = post(ana, "What should I read on connectivism?")
    first = post(ben, "Siemens, 2005", in_reply_to=root)
    second = post(chloe, "And Downes", in_reply_to=first)
    third = post(ana, "Thank you both", in_reply_to=second)
    assert counts(root, first, second, third) == [3, 2, 1, 0]
    html = client_for(ana).get(f"/@{ana.handle}/").content.decode()
    assert f'<a href="/posts/{root.pk}/">3 replies</a>' in html


def test_the_card_counts_what_the_thread_shows(ana, ben, chloe):
    """The walkthrough's case: a post with a reply and a reply to it says "2 replies"."""
    root = post(ana, "Open textbooks for statistics?")
    answer = post(ben, "OpenIntro", in_reply_to=root)
    post(chloe, "Seconded", in_reply_to=answer)
    page = client_for(chloe).get(root.get_absolute_url()).content.decode()
    assert "OpenIntro" in page and "Seconded" in page
    card = client_for(chloe).get(f"/@{ana.handle}/").content.decode()
    assert f'<a href="/posts/{root.pk}/">2 replies</a>' in card


def test_replies_hidden_from_some_readers_never_count(ana, ben, chloe):
    root = post(ana, "root")
    first = post(ben, "public", in_reply_to=root)
    post(chloe, "for my network", in_reply_to=first, visibility="network")
    post(chloe, "just us @ben", in_reply_to=first, visibility="private")
    assert counts(root, first) == [1, 0]


def test_hiding_or_deleting_a_middle_reply_leaves_the_replies_below_it_counted(ana, ben, chloe):
    root = post(ana, "root")
    middle = post(ben, "middle", in_reply_to=root)
    below = post(chloe, "below", in_reply_to=middle)
    set_hidden(middle, ana, "off topic")
    assert counts(root, middle) == [1, 1]
    set_hidden(Post.objects.get(pk=middle.pk), None)
    assert counts(root, middle) == [2, 1]
    delete_post(Post.objects.get(pk=below.pk))
    assert counts(root, middle) == [1, 0]
    delete_post(Post.objects.get(pk=middle.pk))
    assert counts(root) == [0]


def test_making_a_nested_reply_public_counts_it_above(ana, ben, chloe):
    root = post(ana, "root")
    first = post(ben, "first", in_reply_to=root)
    nested = post(chloe, "network only", in_reply_to=first, visibility="network")
    assert counts(root, first) == [1, 0]
    client_for(chloe).post(
        f"/posts/{nested.pk}/edit/", {"body": "now public", "visibility": "public"}
    )
    assert counts(root, first) == [2, 1]


def test_the_migration_recounts_nested_replies_and_can_go_back(ana, ben, chloe):
    root = post(ana, "root")
    first = post(ben, "first", in_reply_to=root)
    second = post(chloe, "second", in_reply_to=first)
    post(ana, "third", in_reply_to=second)
    post(ben, "network", in_reply_to=second, visibility="network")
    lonely = post(ana, "no replies")
    Post.objects.filter(pk__in=[root.pk, first.pk]).update(reply_count=1)  # as counted before
    Post.objects.filter(pk=lonely.pk).update(reply_count=7)  # a count gone wrong
    recount.count_nested(apps, None)
    assert counts(root, first, second, lonely) == [3, 2, 1, 0]
    recount.count_direct(apps, None)
    assert counts(root, first, second, lonely) == [1, 1, 1, 0]
