"""The expert finder: who can help me with X, ranked by evidence, each with the reason in words.

Who may be listed (the scope), nearest first:
1. my network: people with an active connection to or from me;
2. two hops out: people with an active connection to or from someone in my network;
3. the rest of this instance: local people who opted in to discovery (`Person.discoverable`).
Never listed: me, suspended people, anyone I block or who blocks me, feed sources
(`actor_type == "Feed"`), and people who opted out of suggestions (DiscoveryPreference).

Ranking: the evidence score (evidence.WEIGHTS, each count capped) — never follower or
connection counts. Equal scores: the nearer person first (network, then two hops, then the
instance), then by handle, so the order is stable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.safestring import SafeString

from connective.accounts.models import Person
from connective.discovery.models import DiscoveryPreference
from connective.discovery.services.evidence import (
    Evidence,
    gather,
    load_learners,
    sentence,
    topic_label,
)
from connective.network.models import Block, Connection
from connective.topics.models import Topic

NETWORK, TWO_HOPS, INSTANCE = 1, 2, 3
DISTANCE_LABELS = {NETWORK: "In your network", TWO_HOPS: "Two hops out", INSTANCE: "On this server"}
DEFAULT_LIMIT = 20
_BATCH = 200


@dataclass
class Expert:
    """One person the finder lists: the evidence, how far away they are, and why in words."""

    person: Person
    evidence: Evidence
    distance: int
    reason: SafeString
    connected: bool = False

    @property
    def score(self) -> int:
        return self.evidence.score

    @property
    def distance_label(self) -> str:
        return DISTANCE_LABELS[self.distance]


def opted_out() -> QuerySet[DiscoveryPreference, Any]:
    """People who asked not to be suggested, as a subquery of person ids."""
    return DiscoveryPreference.objects.filter(suggest_me=False).values("person_id")


def suggestable(viewer: Person | None) -> QuerySet[Person]:
    """Everyone the finder may ever list to `viewer` (before scope): see the module docstring."""
    qs = Person.objects.active().exclude(actor_type="Feed").exclude(pk__in=opted_out())
    if viewer is not None:
        blocks = Block.objects.filter(Q(owner_id=viewer.pk) | Q(target_id=viewer.pk))
        qs = (
            qs.exclude(pk=viewer.pk)
            .exclude(pk__in=blocks.values("target_id"))
            .exclude(pk__in=blocks.values("owner_id"))
        )
    return qs


def two_hops(network: set[int]) -> set[int]:
    """People with an active connection to or from someone in `network` (network included)."""
    if not network:
        return set()
    rows = Connection.objects.active().filter(Q(owner_id__in=network) | Q(target_id__in=network))
    return {pk for pair in rows.values_list("owner_id", "target_id") for pk in pair}


@dataclass
class Scope:
    """The viewer's network, its second ring, and whom the viewer connected to, worked out once."""

    network: set[int]
    second: set[int]
    mine: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, viewer: Person | None) -> Scope:
        if viewer is None:
            return cls(set(), set())
        rows = Connection.objects.filter(Q(owner_id=viewer.pk) | Q(target_id=viewer.pk))
        network: set[int] = set()
        mine: set[int] = set()
        for owner_id, target_id, status in rows.values_list("owner_id", "target_id", "status"):
            if owner_id == viewer.pk:
                mine.add(target_id)
            if status == Connection.Status.ACTIVE:
                network.add(target_id if owner_id == viewer.pk else owner_id)
        return cls(network, two_hops(network) - network - {viewer.pk}, mine)

    def distance(self, person: Person) -> int | None:
        """1, 2 or 3 (the instance), or None when the person is out of scope."""
        if person.pk in self.network:
            return NETWORK
        if person.pk in self.second:
            return TWO_HOPS
        if person.is_local and person.discoverable:
            return INSTANCE
        return None


def find_experts(
    viewer: Person | None,
    topics: Sequence[Topic],
    *,
    limit: int = DEFAULT_LIMIT,
    exclude: Iterable[int] = (),
    scope: Scope | None = None,
) -> list[Expert]:
    """Up to `limit` people who can help with `topics`, best evidence first, with reasons."""
    if not topics:
        return []
    scope = scope or Scope.of(viewer)
    found = gather(viewer, topics, network=scope.network)
    skip = set(exclude) | ({viewer.pk} if viewer else set())
    ranked = sorted(
        (item for pk, item in found.items() if pk not in skip and item.score > 0),
        key=lambda item: -item.score,
    )
    chosen = _in_scope(viewer, ranked, scope, limit)
    names = load_learners(item for _person, item, _d in chosen)
    label = topic_label(topics)
    return [
        Expert(p, item, d, sentence(item, label, names), p.pk in scope.mine)
        for p, item, d in chosen
    ]


def _in_scope(
    viewer: Person | None, ranked: list[Evidence], scope: Scope, limit: int
) -> list[tuple[Person, Evidence, int]]:
    """Walk the ranking in batches, keeping people in scope, until `limit` are found.

    A batch holds everyone whose score ties with its last member, so the tie-break
    (distance, then handle) sees all of a tie at once.
    """
    chosen: list[tuple[Person, Evidence, int]] = []
    start = 0
    while start < len(ranked) and len(chosen) < limit:
        end = min(start + _BATCH, len(ranked))
        while end < len(ranked) and ranked[end].score == ranked[end - 1].score:
            end += 1
        batch = ranked[start:end]
        people = suggestable(viewer).filter(pk__in=[item.person_id for item in batch])
        by_pk = {p.pk: p for p in people.prefetch_related("expertise")}
        found = []
        for item in batch:
            person = by_pk.get(item.person_id)
            distance = scope.distance(person) if person else None
            if person is not None and distance is not None:
                found.append((person, item, distance))
        found.sort(key=lambda row: (-row[1].score, row[2], row[0].handle.casefold()))
        chosen.extend(found)
        start = end
    return chosen[:limit]
