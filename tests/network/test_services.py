"""The connection services behind the pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from connective.core.uris import is_web_url
from connective.network.models import Connection
from connective.network.services.connections import (
    ConnectError,
    Purpose,
    connect,
    is_mutual,
    update_purpose,
)
from connective.network.services.listing import is_dormant
from connective.network.services.relations import block, mute, relationship
from connective.topics.normalize import InvalidTopic
from tests.network.helpers import link

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.org/x", True),
        ("http://example.org", True),
        ("javascript:alert(1)", False),
        ("JAVASCRIPT://example.org/%0aalert(1)", False),
        ("data:text/html,<b>", False),
        ("/relative/path", False),
        ("https://", False),
        ("http://[::1", False),
    ],
)
def test_is_web_link(url, ok):
    assert is_web_url(url) is ok


def test_service_refuses_a_javascript_link_even_without_the_form(ana, ben):
    with pytest.raises(ConnectError):
        connect(ben, ana, Purpose(direction="learn_from", met_url="javascript:alert(1)"))
    assert not Connection.objects.exists()


def test_service_refuses_too_many_topics_and_unknown_direction(ana, ben):
    with pytest.raises(InvalidTopic):
        connect(ben, ana, Purpose(direction="help", topics=[f"t{i}" for i in range(13)]))
    with pytest.raises(ConnectError):
        connect(ben, ana, Purpose(direction="sideways"))
    assert not Connection.objects.exists()


def test_update_purpose_refuses_bad_input_and_keeps_the_old(ana, ben):
    conn = link(ben, ana, note="keep")
    with pytest.raises(ConnectError):
        update_purpose(conn, Purpose(direction="help", note="n" * 2001))
    conn.refresh_from_db()
    assert conn.note == "keep" and conn.direction == "learn_from"


def test_relationship_for_a_profile(ana, ben):
    assert relationship(None, ana).connection is None
    link(ben, ana)
    mute(ben, ana)
    rel = relationship(ben, ana)
    assert rel.connection is not None and rel.muted and not rel.blocked and not rel.mutual
    link(ana, ben)
    assert relationship(ben, ana).mutual and is_mutual(ben, ana)
    block(ben, ana)
    rel = relationship(ben, ana)
    assert rel.blocked and rel.connection is None


def test_dormant_counts_from_the_last_interaction_or_the_start(ana, ben, settings):
    settings.CONNECTIVE_DORMANT_DAYS = 10
    conn = link(ben, ana)
    now = timezone.now()
    assert not is_dormant(conn, now)
    assert is_dormant(conn, now + timedelta(days=11))
    conn.last_interaction_at = now + timedelta(days=5)
    assert not is_dormant(conn, now + timedelta(days=11))
    conn.status = Connection.Status.PENDING
    assert not is_dormant(conn, now + timedelta(days=100))
