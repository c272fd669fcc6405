"""A space federating between two real Connective servers (tests/federation/two_instances.py).

Ana moderates the open space "Statistics" on instance A. Bea, on instance B, finds the space by
its handle, follows it (the Group accepts), sees Ana's new thread in her stream on B (the
Group's Announce), and replies; her reply lands in Ana's thread on A.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.federation.test_two_instances import PRELUDE, browser, connection_status, one
from tests.federation.two_instances import two_instances, wait_for

SPACE_PRELUDE = """
from connective.spaces.services.spaces import create_space
from connective.spaces.services.threads import start_thread
result = True
"""


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> Any:
    """Instances A (Ana, who made the space) and B (Bea)."""
    with two_instances(Path(tmp_path_factory.mktemp("two_instance_groups"))) as (a, b):
        for inst in (a, b):
            inst.run(PRELUDE)
            inst.run(SPACE_PRELUDE)
        uris = {"ana": a.run("result = make('ana')"), "bea": b.run("result = make('bea')")}
        uris["space"] = a.run(
            "result = create_space(me('ana'), name='Statistics', slug='statistics').uri"
        )
        uris["closed"] = a.run(
            "result = create_space(me('ana'), name='Staff', slug='staff', members_only=True).uri"
        )
        yield a, b, uris


def test_a_remote_person_follows_a_space_reads_and_replies(pair) -> None:
    a, b, uri = pair
    bea_b = browser(b, "bea")
    # Bea finds the space by its handle, as she would search for it on Mastodon.
    found = bea_b.get("/lookup/", params={"q": f"@statistics@{a.host}"})
    assert found.status_code == 302, found.text[:500]
    assert one(b, "SELECT actor_type FROM accounts_person WHERE uri = ?", uri["space"]) == "Group"

    # Follow: the Group accepts at once; the connection is active on both sides.
    b.run(
        f"connections.connect(me('bea'), resolve_handle('statistics@{a.host}'),"
        " connections.Purpose(direction='learn_with'))"
    )
    wait_for(lambda: connection_status(a, uri["bea"], uri["space"]) == "active", "the Follow")
    wait_for(lambda: connection_status(b, uri["bea"], uri["space"]) == "active", "the Accept")

    # Ana starts a thread: the Group announces it to B, where it reaches Bea's stream.
    root = a.run(
        "from connective.spaces.models import Space\n"
        "result = start_thread(me('ana'), Space.objects.get(slug='statistics'),"
        " title='Means and medians', body='When is the median better? marker-thread').uri"
    )
    wait_for(lambda: one(b, "SELECT id FROM content_post WHERE uri = ?", root), "the thread on B")
    wait_for(lambda: "marker-thread" in bea_b.get("/home/").text, "the thread in Bea's stream")

    # Bea replies on B; the reply joins Ana's thread on A.
    reply = b.run(
        f"result = post('bea', 'The median resists outliers marker-reply', reply_to={root!r})"
    )
    row = wait_for(
        lambda: a.query(
            "SELECT space_id, thread_root_id FROM content_post WHERE uri = ?", (reply,)
        ),
        "Bea's reply on A",
    )
    space_id, root_id = row[0]
    assert space_id == one(a, "SELECT id FROM spaces_space WHERE slug = 'statistics'")
    assert root_id == one(a, "SELECT id FROM content_post WHERE uri = ?", root)
    thread = browser(a, None).get(f"/spaces/statistics/threads/{root_id}/")
    assert "marker-reply" in thread.text


def test_a_members_only_space_refuses_and_an_unfollow_ends_it(pair) -> None:
    a, b, uri = pair
    # A members-only space can be found (its page is public) but refuses followers elsewhere.
    found = browser(b, "bea").get("/lookup/", params={"q": f"@staff@{a.host}"})
    assert found.status_code == 302, found.text[:500]
    b.run(
        f"connections.connect(me('bea'), resolve_handle('staff@{a.host}'),"
        " connections.Purpose(direction='learn_with'))"
    )
    follows = (
        "SELECT COUNT(*) FROM federation_inboxactivity WHERE type = 'Follow' AND actor_uri = ?"
    )
    wait_for(lambda: one(a, follows, uri["bea"]) == 2, "Bea's Follow on A")
    rejects = "SELECT state FROM federation_delivery WHERE activity_id LIKE '%#rejects/%'"
    wait_for(lambda: one(a, rejects) == "done", "the Reject delivered to B")
    wait_for(lambda: connection_status(b, uri["bea"], uri["closed"]) is None, "the Reject on B")
    assert connection_status(a, uri["bea"], uri["closed"]) is None

    # Bea stops following the open space: the connection ends on both sides.
    b.run(f"connections.remove(me('bea'), Person.objects.get(uri={uri['space']!r}))")
    wait_for(lambda: connection_status(a, uri["bea"], uri["space"]) is None, "the Undo on A")
    assert connection_status(b, uri["bea"], uri["space"]) is None
