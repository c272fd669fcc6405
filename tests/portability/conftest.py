"""A rich network to export: every kind of thing a learner can have."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from connective.content.models import Kind, State, Visibility
from connective.content.services.posts import PostDraft, create_post
from connective.network.models import Connection, Direction
from connective.network.services.connections import Purpose, connect
from connective.network.services.relations import mute
from tests.conftest import make_person, make_remote_person


@pytest.fixture
def rich(ana, ben, chloe):
    """Ana's network: local and remote connections with purposes, posts of each kind."""
    remote = make_remote_person("dora", "social.example")
    connect(
        ana,
        ben,
        Purpose(
            direction=Direction.LEARN_FROM,
            topics=["Open licensing"],
            met_where="OER course",
            met_url="https://oer.example/course",
            note="Ask Ben about CC BY-SA <b>remixes</b>",
        ),
    )
    connect(ana, remote, Purpose(direction=Direction.LEARN_WITH, topics=["Podcasts"], note="n"))
    Connection.objects.filter(owner=ana, target=ben).update(  # an old tie, quiet for a while
        created_at=timezone.now() - timedelta(days=700),
        last_interaction_at=timezone.now() - timedelta(days=200),
    )
    connect(chloe, ana, Purpose(direction=Direction.HELP, topics=["Statistics"], note="secret"))
    mute(ana, make_person("noisy"))
    note = create_post(ana, PostDraft(body="Hello #pln", visibility=Visibility.NETWORK))
    create_post(
        ana,
        PostDraft(kind=Kind.ARTICLE, title="Why PLNs", body="**Because.**", topics=["pln"]),
    )
    create_post(
        ana,
        PostDraft(
            kind=Kind.RESOURCE,
            title="Slides",
            body="My slides",
            licence="cc-by-sa",
            file=SimpleUploadedFile("slides.pdf", b"%PDF-1.4 slides"),
            link_url="https://example.org/slides",
        ),
    )
    create_post(ana, PostDraft(kind=Kind.ARTICLE, title="Later", body="Draft", state=State.DRAFT))
    create_post(ben, PostDraft(body="Reply to Ana", in_reply_to=note))
    ana.followed_topics.set([])
    return ana
