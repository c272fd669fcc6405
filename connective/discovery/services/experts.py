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

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.utils.safestring import SafeString

from connective.accounts.models import Person
from connective.core.idlist import IdArray, id_json, id_match_sql
from connective.discovery.services import evidence_reads as reads
from connective.discovery.services.evidence import (
    Evidence,
    load_learners,
    rough_scores,
    sentence,
    topic_label,
)
from connective.discovery.services.evidence_reads import suggestable
from connective.discovery.services.learn_ties import LearnTies, learn_ties
from connective.network.models import Connection
from connective.topics.models import Topic

NETWORK, TWO_HOPS, INSTANCE = 1, 2, 3
DISTANCE_LABELS = {NETWORK: "In your network", TWO_HOPS: "Two hops out", INSTANCE: "On this server"}
DEFAULT_LIMIT = 20
# Candidates looked at (best scores first): a bound on the id list handed to the database.
MAX_CANDIDATES = 20_000
SHORTLIST = 50  # people weighed exactly after the rough first pass, at most
WEIGHED_PER_SHOWN = 5  # ... and five for each place shown (three suggestions for a gap: 15)
MAX_WHOLE = 200  # this few candidates are loaded whole at once (a small topic: one query)
MAX_TIED = 1_500  # candidates looked at, at most, for ties with the last of the shortlist
_CHUNK = 500  # candidates checked against the scope per query
FIRST_CHUNK_PER_PLACE = 4  # ... but the first query checks four for each place in the list
Row = tuple[int, str, str, bool]  # pk, handle, domain, discoverable


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

    @property
    def tie_label(self) -> str:
        """How the viewer stands to them, when they have connected: an active tie puts them in
        the network; one still waiting for approval is a request."""
        if not self.connected:
            return ""
        return "You are connected" if self.distance == NETWORK else "Request sent"


def two_hops(network: set[int]) -> set[int]:
    """People with an active connection to or from someone in `network` (network included)."""
    if not network:
        return set()
    ids = IdArray(network)
    rows = (
        Connection.objects.active()
        .order_by()
        .filter(Q(owner_id__in_ids=ids) | Q(target_id__in_ids=ids))
    )
    return {pk for pair in rows.values_list("owner_id", "target_id") for pk in pair}


# Which candidates have an active tie with the network, looked up from the candidates' side
# (a few ties each), never from the network's: on SQLite the unary plus keeps the planner from
# driving the lookup with the network's ids (500 people's ties read in scattered order, once
# per chunk).
def _second_sql() -> str:
    vendor = connection.vendor
    plus = "+" if vendor == "sqlite" else ""

    def among(column: str) -> str:
        return id_match_sql(column, vendor)

    table = Connection._meta.db_table
    return (
        f"SELECT target_id FROM {table} WHERE {among('target_id')} AND status = 'active'"
        f" AND {among(plus + 'owner_id')}"
        f" UNION SELECT owner_id FROM {table} WHERE {among('owner_id')} AND status = 'active'"
        f" AND {among(plus + 'target_id')}"
    )


@dataclass
class Scope:
    """The viewer's network and whom the viewer connected to, worked out once per request; the
    second ring is worked out only when a whole list of it is needed (recommendations)."""

    viewer_id: int | None = None
    network: set[int] = field(default_factory=set)
    mine: set[int] = field(default_factory=set)
    _second: set[int] | None = None
    # The network's learn-from ties by topic, once a caller about to ask about several topics
    # read them (read_learn_ties); until then each topic asks for its own.
    ties: LearnTies | None = None

    @classmethod
    def of(cls, viewer: Person | None) -> Scope:
        if viewer is None:
            return cls()
        rows = Connection.objects.order_by().filter(Q(owner_id=viewer.pk) | Q(target_id=viewer.pk))
        network: set[int] = set()
        mine: set[int] = set()
        for owner_id, target_id, status in rows.values_list("owner_id", "target_id", "status"):
            if owner_id == viewer.pk:
                mine.add(target_id)
            if status == Connection.Status.ACTIVE:
                network.add(target_id if owner_id == viewer.pk else owner_id)
        return cls(viewer.pk, network, mine)

    @property
    def second(self) -> set[int]:
        """Everyone two hops out (not in the network, not the viewer)."""
        if self._second is None:
            self._second = two_hops(self.network) - self.network - {self.viewer_id}
        return self._second

    def read_learn_ties(self) -> None:
        """Read the network's learn-from ties for every topic at once (learn_ties.py): cheaper
        than asking per topic when several topics' experts are wanted (the map's gaps), dearer
        for one."""
        if self.ties is None and self.viewer_id is not None and self.network:
            self.ties = learn_ties(self.viewer_id, self.network)

    def second_among(self, ids: Iterable[int]) -> set[int]:
        """Which of `ids` are two hops out, asking the database about those ids only."""
        wanted = [pk for pk in ids if pk not in self.network and pk != self.viewer_id]
        if self._second is not None:
            return self._second.intersection(wanted)
        if not self.network or not wanted:
            return set()
        found: set[int] = set()
        network = id_json(self.network)
        with connection.cursor() as cursor:
            for start in range(0, len(wanted), _CHUNK):
                chunk = id_json(wanted[start : start + _CHUNK])
                cursor.execute(_second_sql(), [chunk, network, chunk, network])
                found.update(row[0] for row in cursor.fetchall())
        return found

    def distance_of(self, pk: int, second: set[int], opted_in_here: bool) -> int | None:
        """1, 2 or 3 (the instance: local and discoverable), or None when out of scope."""
        if pk in self.network:
            return NETWORK
        if pk in second:
            return TWO_HOPS
        return INSTANCE if opted_in_here else None


def find_experts(
    viewer: Person | None,
    topics: Sequence[Topic],
    *,
    limit: int = DEFAULT_LIMIT,
    exclude: Iterable[int] = (),
    scope: Scope | None = None,
) -> list[Expert]:
    """Up to `limit` people who can help with `topics`, best evidence first, with reasons.

    Two passes, so that a topic with a hundred thousand posts costs about what a small one
    does: `rough_scores` estimates everyone's score from bounded reads; the best of the people
    the viewer may be shown (five for each place in the list, at most SHORTLIST) are then
    weighed exactly (`Rough.exact`) and ranked. When the first pass read every post on the topics,
    its counts are already exact and are used.
    """
    if not topics:
        return []
    scope = scope or Scope.of(viewer)
    skip = set(exclude) | ({viewer.pk} if viewer else set())
    ties = scope.ties
    first = rough_scores(viewer, topics, scope.network, ties)
    rough = {pk: score for pk, score in first.scores().items() if score > 0 and pk not in skip}
    whole = _whole(viewer, rough) if len(rough) <= MAX_WHOLE else {}
    size = min(SHORTLIST, WEIGHED_PER_SHOWN * max(limit, 2))
    shortlist = _shortlist(viewer, scope, rough, whole, size)
    if first.complete:  # every post on the topics was counted: the first pass is exact
        found = {pk: first.evidence(pk) for pk in shortlist}
    else:
        found = first.exact(viewer, topics, list(shortlist))
    ranked = []
    for pk, (handle, distance) in shortlist.items():
        item = found.get(pk)
        if item is not None and item.score > 0:
            ranked.append((-item.score, distance, handle.casefold(), pk))
    ranked.sort()
    top = ranked[:limit]
    by_pk = whole
    if not whole:
        people = Person.objects.filter(pk__in=[pk for *_rest, pk in top])
        by_pk = {p.pk: p for p in people.prefetch_related("expertise")}
    chosen = [(by_pk[pk], distance) for _s, distance, _h, pk in top]
    names = load_learners(found[p.pk] for p, _d in chosen)
    label = topic_label(topics)
    return [
        Expert(p, found[p.pk], d, sentence(found[p.pk], label, names), p.pk in scope.mine)
        for p, d in chosen
    ]


def _whole(viewer: Person | None, rough: dict[int, int]) -> dict[int, Person]:
    """A few candidates loaded whole, with their expertise, once (the scope check reads them)."""
    people = suggestable(viewer).filter(pk__in_ids=IdArray(rough)).order_by()
    return {p.pk: p for p in people.prefetch_related("expertise")}


def _shortlist(
    viewer: Person | None,
    scope: Scope,
    rough: dict[int, int],
    whole: dict[int, Person] | None = None,
    size: int = SHORTLIST,
) -> dict[int, tuple[str, int]]:
    """The `size` people with the best rough scores whom the viewer may be shown, with their
    handle and distance. People tied with the last one are looked at too (nearer first, then by
    handle, as the final ranking orders ties): among the first MAX_TIED candidates, and up to
    twice `size`."""
    order = sorted(rough, key=rough.__getitem__, reverse=True)  # stable: ties keep their order
    kept: list[tuple[int, int, str, int]] = []
    for start, end in _chunks(min(len(order), MAX_CANDIDATES), size):
        chunk = order[start:end]
        if whole:
            people: list[Row] = [
                (p.pk, p.handle, p.domain, p.discoverable)
                for p in (whole[pk] for pk in chunk if pk in whole)
            ]
        else:
            people = reads.suggestable_rows(viewer, chunk)
        second = scope.second_among(pk for pk, *_rest in people)
        for pk, handle, domain, discoverable in people:
            distance = scope.distance_of(pk, second, not domain and discoverable)
            if distance is not None:
                kept.append((-rough[pk], distance, handle.casefold(), pk))
        if len(kept) >= size and (rough[chunk[-1]] < -sorted(kept)[size - 1][0] or end >= MAX_TIED):
            break
    kept.sort()
    if len(kept) > size:
        floor = kept[size - 1][0]
        kept = [row for row in kept if row[0] <= floor][: 2 * size]
    return {pk: (handle, distance) for _s, distance, handle, pk in kept}


def _chunks(total: int, size: int) -> Iterator[tuple[int, int]]:
    """(start, end) of the candidates checked per query: first FIRST_CHUNK_PER_PLACE for each
    of the `size` places (most lists are filled from the best few; a gap's three suggestions
    check 60 people, not 500), then _CHUNK at a time."""
    start, step = 0, min(_CHUNK, FIRST_CHUNK_PER_PLACE * size)
    while start < total:
        yield start, min(start + step, total)
        start, step = start + step, _CHUNK
