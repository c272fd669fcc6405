"""Payloads in the shapes other servers send (written from their documentation) go through the
signed inbox and become the right rows, or are refused or ignored cleanly."""

# ruff: noqa: F401, F811  (fixtures imported from tests.federation.peers)

import json
from pathlib import Path

import pytest

from connective.content.models import Post
from connective.content.services.posts import PostDraft, create_post
from connective.federation.models import InboxActivity
from connective.network.models import Connection
from tests.federation.peers import dana, signed_post

ACTIVITIES = Path(__file__).parent / "fixtures" / "activities"


def load(name, ana, dana, post=None):
    text = (ACTIVITIES / f"{name}.json").read_text()
    for key, value in {
        "{{actor}}": dana.uri,
        "{{followers}}": dana.followers_url,
        "{{local}}": ana.uri,
        "{{local_post}}": post.uri if post else "",
    }.items():
        text = text.replace(key, value)
    return json.loads(text)


@pytest.fixture
def following(ana, dana):
    return Connection.objects.create(owner=ana, target=dana, direction="learn_from")


@pytest.mark.parametrize(
    ("name", "kind", "visibility", "topics"),
    [
        ("mastodon-create-note", "note", "public", ["oer"]),
        ("pleroma-create-note", "note", "public", ["learning"]),
        ("misskey-create-note", "note", "public", ["statistics"]),
        ("gotosocial-create-note", "note", "public", []),
        ("lemmy-create-page", "resource", "public", []),
        ("wordpress-create-article", "article", "public", ["pedagogy"]),
    ],
)
def test_posts_from_other_servers_are_stored(ana, dana, following, name, kind, visibility, topics):
    doc = load(name, ana, dana)
    assert signed_post("/inbox/", doc).status_code == 202
    post = Post.objects.get(uri=doc["object"]["id"])
    assert (post.author, post.kind, post.visibility) == (dana, kind, visibility)
    assert sorted(t.key for t in post.topics.all()) == topics
    assert post.body.strip()


def test_mastodon_mention_of_ours_is_linked(ana, dana, following):
    doc = load("mastodon-create-note", ana, dana)
    signed_post("/inbox/", doc)
    assert list(Post.objects.get(uri=doc["object"]["id"]).mentions.all()) == [ana]


def test_lemmy_page_keeps_its_title_and_link(ana, dana, following):
    doc = load("lemmy-create-page", ana, dana)
    signed_post("/inbox/", doc)
    post = Post.objects.get(uri=doc["object"]["id"])
    assert post.title == "A good introduction to spaced repetition"
    assert post.link_url == "https://example.org/spaced-repetition"


@pytest.mark.parametrize("name", ["peertube-create-video", "pleroma-emoji-react"])
def test_unsupported_shapes_are_ignored_cleanly(ana, dana, following, name):
    post = create_post(ana, PostDraft(body="Mine"))
    assert signed_post("/inbox/", load(name, ana, dana, post)).status_code == 202
    assert InboxActivity.objects.get().state == "ignored"
    assert Post.objects.count() == 1


@pytest.mark.parametrize("name", ["missing-actor", "create-note-without-attribution"])
def test_incomplete_activities_are_400(ana, dana, following, name):
    post = create_post(ana, PostDraft(body="Mine"))
    assert signed_post("/inbox/", load(name, ana, dana, post)).status_code == 400
    assert not InboxActivity.objects.exists()


@pytest.mark.parametrize("name", ["mastodon-follow", "gotosocial-follow"])
def test_follows_from_other_servers_connect(ana, dana, name):
    assert signed_post("/inbox/", load(name, ana, dana)).status_code == 202
    assert Connection.objects.get(owner=dana, target=ana).is_active


def test_misskey_like_is_a_useful_mark(ana, dana):
    post = create_post(ana, PostDraft(body="Mine"))
    signed_post("/inbox/", load("misskey-like", ana, dana, post))
    post.refresh_from_db()
    assert post.useful_count == 1


def test_mastodon_account_deletion_hides_their_posts(ana, dana, following):
    signed_post("/inbox/", load("mastodon-create-note", ana, dana))
    assert signed_post("/inbox/", load("mastodon-delete-actor", ana, dana)).status_code == 202
    assert not Post.objects.visible_to(ana).filter(author=dana).exists()
