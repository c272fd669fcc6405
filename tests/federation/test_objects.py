"""Our posts as ActivityStreams documents: visibility, tombstones, identical 404s (T-28–T-31)."""

import json

import pytest
from django.http import Http404
from django.test import RequestFactory

from connective.content.services.posts import PostDraft, create_post, delete_post
from connective.federation.views.objects import post_document

AP = {"HTTP_ACCEPT": "application/activity+json"}


def get(pk, **headers):
    request = RequestFactory().get(f"/posts/{pk}/", **headers)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    return post_document(request, pk)


def test_public_post_is_served_as_a_note(ana):
    post = create_post(ana, PostDraft(body="Hello"))
    response = get(post.pk, **AP)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/activity+json")
    assert response["Vary"] == "Accept"
    doc = json.loads(response.content)
    assert (doc["id"], doc["type"], doc["attributedTo"]) == (post.uri, "Note", ana.uri)
    assert "https://www.w3.org/ns/activitystreams#Public" in doc["to"]


@pytest.mark.parametrize("visibility", ["network", "private"])
def test_t28_limited_post_is_a_404_like_a_missing_one(ana, visibility):
    post = create_post(ana, PostDraft(body="Secret", visibility=visibility))
    with pytest.raises(Http404) as hidden:
        get(post.pk, **AP)
    with pytest.raises(Http404) as missing:
        get(post.pk + 1000, **AP)
    assert str(hidden.value) == str(missing.value)


def test_t31_deleted_post_is_a_410_tombstone(ana):
    post = create_post(ana, PostDraft(body="Going"))
    delete_post(post)
    response = get(post.pk, **AP)
    assert response.status_code == 410
    assert json.loads(response.content)["type"] == "Tombstone"


def test_deleted_limited_post_is_a_plain_404(ana):
    post = create_post(ana, PostDraft(body="Going", visibility="network"))
    delete_post(post)
    with pytest.raises(Http404):
        get(post.pk, **AP)


def test_browsers_get_the_page(ana):
    post = create_post(ana, PostDraft(body="Hello page"))
    response = get(post.pk, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"Hello page" in response.content
