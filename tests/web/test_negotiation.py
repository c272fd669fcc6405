"""A profile and a post answer ActivityPub clients at their own URLs, browsers with pages."""

import json

import pytest

from connective.content.services.posts import PostDraft, create_post

pytestmark = pytest.mark.django_db
AP = "application/activity+json"


def test_profile_url_is_the_actor(client, ana):
    response = client.get("/@ana/", HTTP_ACCEPT=AP)
    assert response.status_code == 200 and response["Content-Type"].startswith(AP)
    actor = json.loads(response.content)
    assert actor["id"] == ana.uri and actor["preferredUsername"] == "ana"
    assert "Accept" in response["Vary"]
    page = client.get("/@ana/", HTTP_ACCEPT="text/html")
    assert page["Content-Type"].startswith("text/html")


def test_post_url_is_the_object(client, ana):
    post = create_post(ana, PostDraft(body="Hello fediverse"))
    response = client.get(f"/posts/{post.pk}/", HTTP_ACCEPT=AP)
    assert response.status_code == 200 and json.loads(response.content)["id"] == post.uri
    assert client.get(f"/posts/{post.pk}/").status_code == 200


def test_hidden_posts_give_the_same_404_to_activitypub_clients(client, ana):
    post = create_post(ana, PostDraft(body="secret", visibility="private"))
    hidden = client.get(f"/posts/{post.pk}/", HTTP_ACCEPT=AP)
    missing = client.get("/posts/999999/", HTTP_ACCEPT=AP)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
