"""After saving, the writer is told once: one notice on the page they land on, never two."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from connective.content.models import Post, State
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

ARTICLE = {"kind": "article", "title": "On PLNs", "body": "Networks.", "visibility": "public"}


def notices(response) -> list[str]:
    """The texts of every notice (flash messages and page banners) on the final page."""
    html = response.content.decode()
    found = re.findall(r'class="message[^"]*"[^>]*>(.*?)</(?:p|div)>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", text).split()) for text in found]


def later() -> str:
    return (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")


def test_saving_a_draft_says_so_once(ana):
    response = client_for(ana).post("/posts/new/", {**ARTICLE, "when": "draft"}, follow=True)
    said = notices(response)
    assert len(said) == 1, said
    assert "A draft, saved" in said[0] and "Only you can see it" in said[0]


def test_scheduling_says_so_once(ana):
    data = {**ARTICLE, "when": "scheduled", "publish_at": later()}
    said = notices(client_for(ana).post("/posts/new/", data, follow=True))
    assert len(said) == 1 and said[0].startswith("Scheduled for"), said


def test_publishing_now_and_editing_say_so_once(ana):
    client = client_for(ana)
    said = notices(client.post("/posts/new/", {**ARTICLE, "when": "published"}, follow=True))
    assert said == ["Your article is published."]
    post = Post.objects.get(author=ana)
    said = notices(client.post(f"/posts/{post.pk}/edit/", {**ARTICLE, "body": "New"}, follow=True))
    assert said == ["Your changes are saved."]


def test_editing_a_draft_then_publishing_it_says_each_once(ana):
    client = client_for(ana)
    client.post("/posts/new/", {**ARTICLE, "when": "draft"})
    post = Post.objects.get(author=ana, state=State.DRAFT)
    data = {**ARTICLE, "when": "draft", "body": "Better"}
    said = notices(client.post(f"/posts/{post.pk}/edit/", data, follow=True))
    assert len(said) == 1 and "A draft, saved" in said[0], said
    said = notices(client.post(f"/posts/{post.pk}/publish/", follow=True))
    assert said == ["Your article is published."]
    said = notices(client.get("/posts/drafts/"))
    assert said == []


def test_a_note_and_a_reply_say_so_once(ana, ben):
    client = client_for(ana)
    note_data = {"kind": "note", "body": "Hi", "visibility": "public"}
    said = notices(client.post("/posts/new/", note_data, follow=True))
    assert said == ["Your note is posted."]
    note = Post.objects.get(author=ana)
    reply = client_for(ben).post(f"/posts/{note.pk}/reply/", {"body": "Hello"}, follow=True)
    assert notices(reply) == ["Your reply is posted."]
