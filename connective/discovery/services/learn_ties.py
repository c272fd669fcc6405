"""The learn-from ties of my network, by topic, read once for every topic a request asks about.

"Ben and Chloe connect to her to learn about it" is evidence the expert finder counts twice per
topic (the rough pass and the exact one), and the map asks it again for each gap in my network.
Each ask read every tie my network has (10,000 for a network of 500, 17 ms on PostgreSQL) to keep
the few on one topic. So when several topics are asked about (the map's gaps), the ties are read
once, with their topics, and each ask picks its topic; for one topic, asking for it alone is
cheaper. A network past MAX_NETWORK asks per topic: its ties would be too many to hold.
"""

from __future__ import annotations

from collections import defaultdict

from connective.accounts.models import Person
from connective.core.idlist import IdArray
from connective.network.models import Connection, Direction

MAX_NETWORK = 1_000
# topic -> person learned from -> the people of my network who learn it from them
LearnTies = dict[int, dict[int, set[int]]]


def learn_ties(viewer_id: int, network: set[int]) -> LearnTies | None:
    """Every active learn-from tie from someone in `network` (not suspended) to anyone but the
    viewer, by topic; None when the network is too large to hold them (see the module)."""
    if len(network) > MAX_NETWORK:
        return None
    suspended = Person.objects.filter(suspended_at__isnull=False)
    rows = (
        Connection.topics.through.objects.filter(
            connection__owner_id__in_ids=IdArray(network),
            connection__status=Connection.Status.ACTIVE,
            connection__direction=Direction.LEARN_FROM,
        )
        .exclude(connection__target_id=viewer_id)
        # Not a join on the owners: PostgreSQL hashed all 100,000 people for it (92 ms).
        .exclude(connection__owner_id__in=suspended.values("pk"))
        .values_list("topic_id", "connection__target_id", "connection__owner_id")
    )
    found: LearnTies = defaultdict(lambda: defaultdict(set))
    for topic_id, target_id, owner_id in rows:  # at most MAX_NETWORK people's ties, in one go
        found[topic_id][target_id].add(owner_id)
    return found


def learners_from(
    ties: LearnTies, topic_ids: list[int], ids: list[int] | None
) -> dict[int, list[int]]:
    """What `evidence._learners` finds, picked from the ties in hand."""
    wanted = None if ids is None else set(ids)
    merged: dict[int, set[int]] = defaultdict(set)
    for topic_id in set(topic_ids):
        for target_id, owners in ties.get(topic_id, {}).items():
            if wanted is None or target_id in wanted:
                merged[target_id] |= owners
    return {pk: sorted(owners) for pk, owners in merged.items()}
