"""Helpers for the content tests: connections, posts, uploads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from connective.content.models import Post
from connective.content.services.posts import PostDraft, create_post
from connective.network.models import Connection, Direction


def connect(owner, target, active=True) -> Connection:
    """`owner` connected to `target` (without the connection service's notifications)."""
    return Connection.objects.create(
        owner=owner,
        target=target,
        direction=Direction.LEARN_WITH,
        status=Connection.Status.ACTIVE if active else Connection.Status.PENDING,
    )


def post(author, body="A note", **fields) -> Post:
    """A post made through the posting service."""
    return create_post(author, PostDraft(body=body, **fields))


def upload(name="slides.pdf", content=b"%PDF-1.4 slides", content_type="application/pdf"):
    """An uploaded file as a browser would send it."""
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def resource_data():
    """A valid resource as the composer posts it."""
    return {
        "kind": "resource",
        "title": "Open licensing, explained",
        "link_url": "https://oer.example.org/licensing",
        "body": "A short guide to choosing a licence.",
        "licence": "cc-by-sa",
        "topics": "open licensing",
        "visibility": "public",
    }
