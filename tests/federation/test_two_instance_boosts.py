"""Boosts across two real Connective servers (tests/federation/two_instances.py).

Ana lives on A; Ben (the author) and Bea (who follows Ana) live on B. Ana boosts Ben's post
with the Boost button on her home page: B records the boost, Ben is told, and Bea finds the
post in her stream, "Boosted by" Ana. Ana takes the boost back: all three undo on B.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.federation.test_two_instances import PRELUDE, browser, csrf_post, one, post_row
from tests.federation.two_instances import two_instances, wait_for

BOOSTS = (
    "SELECT COUNT(*) FROM content_boost x JOIN accounts_person p ON p.id = x.person_id "
    "JOIN content_post c ON c.id = x.post_id WHERE p.uri = ? AND c.uri = ?"
)


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> Any:
    """A with Ana; B with Ben and Bea; Ana follows Ben and Bea follows Ana (both open)."""
    with two_instances(Path(tmp_path_factory.mktemp("two_instance_boosts"))) as (a, b):
        for inst in (a, b):
            inst.run(PRELUDE)
        uris = {
            "ana": a.run("result = make('ana')"),
            "ben": b.run("result = make('ben')"),
            "bea": b.run("result = make('bea')"),
        }
        follows = ((a, "ana", f"ben@{b.host}"), (b, "bea", f"ana@{a.host}"))
        for inst, handle, other in follows:
            inst.run(
                f"connections.connect(me({handle!r}), resolve_handle({other!r}),"
                " connections.Purpose(direction='learn_from'))"
            )
        for inst, owner, target in ((a, "ana", "ben"), (b, "bea", "ana")):
            wait_for(lambda i=inst, o=owner, t=target: _active(i, uris[o], uris[t]), "Accept")
        yield a, b, uris


def _active(instance, owner: str, target: str) -> bool:
    status = one(
        instance,
        "SELECT c.status FROM network_connection c JOIN accounts_person o ON o.id = c.owner_id "
        "JOIN accounts_person t ON t.id = c.target_id WHERE o.uri = ? AND t.uri = ?",
        owner,
        target,
    )
    return status == "active"


def _boosts_on(instance, booster: str, post: str) -> int:
    return int(one(instance, BOOSTS, booster, post) or 0)


def test_a_boost_reaches_the_author_and_the_boosters_followers_and_unboost_undoes_it(pair):
    a, b, uri = pair
    post = b.run("result = post('ben', 'Ben shares a guide marker-boosted')")
    row = wait_for(lambda: post_row(a, post), "Ben's post on A")
    ana_a, ben_b, bea_b = browser(a, "ana"), browser(b, "ben"), browser(b, "bea")
    assert "marker-boosted" not in bea_b.get("/home/").text  # Bea does not follow Ben

    # Ana boosts it with the button on her home page (a plain form post, CSRF and all).
    boost = f"/posts/{row[0]}/boost/"
    assert csrf_post(ana_a, "/home/", boost, action="boost").status_code in (302, 303)
    assert _boosts_on(a, uri["ana"], post) == 1
    wait_for(lambda: _boosts_on(b, uri["ana"], post), "the Announce on B")
    assert "boosted your post" in ben_b.get("/notifications/").text
    home = bea_b.get("/home/").text
    assert "marker-boosted" in home and "Boosted by" in home

    # Ana takes it back: Undo{Announce}; the boost, the notification and the stream entry go.
    assert csrf_post(ana_a, "/home/", boost, action="unboost").status_code in (302, 303)
    assert _boosts_on(a, uri["ana"], post) == 0
    wait_for(lambda: not _boosts_on(b, uri["ana"], post), "the Undo on B")
    assert "boosted your post" not in ben_b.get("/notifications/").text
    assert "marker-boosted" not in bea_b.get("/home/").text
