"""Connect the demo people with purposes: who learns what from whom, and where they met."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from connective.demo.services.catalog import LEARNER, PersonSpec
from connective.demo.services.compose import fill, third_person, topic_slots, weighted_sample
from connective.demo.services.state import Demo
from connective.network.services.connections import ConnectError, Purpose, accept, connect

DIRECTION_WEIGHTS = {"learn_from": 5, "learn_with": 3, "help": 2}
RECIPROCAL_CHANCE = 0.35
ACCEPT_CHANCE = 0.75
DORMANT_CHANCE = 0.3


@dataclass(frozen=True)
class Tie:
    """A planned connection: owner connects to target, in a direction, about some topics."""

    owner: str
    target: str
    direction: str
    topics: tuple[str, ...]
    met_where: str = ""
    met_url: str = ""
    note: str = ""
    days_ago: float | None = None
    dormant: bool = False


def purpose_options(owner: PersonSpec, target: PersonSpec) -> list[tuple[str, list[str]]]:
    """The directions that make sense between two people, each with the topics behind it."""
    options = [
        ("learn_from", [t for t in owner.interests if t in target.expertise]),
        ("learn_with", [t for t in owner.interests if t in target.interests]),
        ("help", [t for t in owner.expertise if t in target.interests]),
    ]
    return [(direction, topics) for direction, topics in options if topics]


def plan_ties(demo: Demo) -> list[Tie]:
    """Two or three purposeful ties from each person (not the learner), some returned."""
    others = [h for h in demo.cat.handles if h != LEARNER]
    planned: dict[tuple[str, str], Tie] = {}
    for owner in others:
        candidates = []
        for target in others:
            options = purpose_options(demo.spec(owner), demo.spec(target))
            if target != owner and options:
                candidates.append((target, float(sum(len(t) for _, t in options))))
        for target in weighted_sample(demo.rng, candidates, demo.rng.choice([2, 2, 3, 3])):
            _plan(demo, planned, owner, target)
            if demo.rng.random() < RECIPROCAL_CHANCE:
                _plan(demo, planned, target, owner)
    return list(planned.values())


def _plan(demo: Demo, planned: dict[tuple[str, str], Tie], owner: str, target: str) -> None:
    options = purpose_options(demo.spec(owner), demo.spec(target))
    if (owner, target) in planned or not options:
        return
    weights = [DIRECTION_WEIGHTS[direction] for direction, _ in options]
    direction, topics = demo.rng.choices(options, weights=weights)[0]
    chosen = demo.rng.sample(topics, k=min(len(topics), demo.rng.choice([1, 1, 2])))
    planned[(owner, target)] = Tie(owner, target, direction, tuple(chosen))


def learner_ties(demo: Demo) -> tuple[list[Tie], list[Tie]]:
    """The learner's own ties from the catalogue: (ties, incoming requests left pending)."""
    spec = demo.cat.learner
    outgoing = [_learner_tie(LEARNER, raw["handle"], raw) for raw in spec["outgoing"]]
    outgoing += [_learner_tie(LEARNER, raw["handle"], raw) for raw in spec["pending"]]
    incoming = [_learner_tie(raw["handle"], LEARNER, raw) for raw in spec["incoming"]]
    requests = [_learner_tie(raw["handle"], LEARNER, raw) for raw in spec["requests"]]
    return outgoing + incoming, requests


def _learner_tie(owner: str, target: str, raw: dict[str, Any]) -> Tie:
    return Tie(
        owner=owner,
        target=target,
        direction=raw["direction"],
        topics=tuple(raw["topics"]),
        met_where=raw.get("met_where", ""),
        met_url=raw.get("met_url", ""),
        note=raw.get("note", ""),
        days_ago=raw["days_ago"],
        dormant=bool(raw.get("dormant", False)),
    )


def make_ties(demo: Demo, ties: list[Tie], only: set[str] | None = None) -> int:
    """Create the planned connections (only those touching `only`, if given); how many."""
    weaver = _Weaver(demo)
    made = 0
    for tie in ties:
        if only is not None and tie.owner not in only and tie.target not in only:
            continue
        if tie.owner in demo.people and tie.target in demo.people and weaver.make(tie):
            made += 1
    return made


def make_requests(demo: Demo, requests: list[Tie], only: set[str] | None = None) -> int:
    """Requests to the learner that wait for approval (the learner otherwise accepts anyone)."""
    learner = demo.people.get(LEARNER)
    if learner is None or (only is not None and LEARNER not in only):
        return 0
    learner.requires_approval = True
    try:
        return make_ties(demo, requests)
    finally:
        learner.requires_approval = False


class _Weaver:
    """Makes ties one by one; a tie returned later shares where the two first met."""

    def __init__(self, demo: Demo) -> None:
        self.demo = demo
        self.met: dict[tuple[str, str], tuple[str, str]] = {}
        self.created: dict[tuple[str, str], datetime] = {}

    def make(self, tie: Tie) -> bool:
        """Connect through the network service, then plan the tie's dates; False if refused."""
        demo = self.demo
        try:
            conn = connect(demo.people[tie.owner], demo.people[tie.target], self.purpose(tie))
        except ConnectError:
            return False
        created = self.when(tie)
        if not conn.is_active and tie.days_ago is None and demo.rng.random() < ACCEPT_CHANCE:
            conn = accept(demo.people[tie.target], conn)
            accepted: datetime | None = created + timedelta(hours=demo.rng.uniform(2, 72))
        else:
            accepted = created if conn.is_active else None
        last = _last_interaction(demo, tie, created) if conn.is_active else None
        demo.dates.connections[conn.pk] = (created, accepted, last)
        demo.note_tie(conn)
        return True

    def purpose(self, tie: Tie) -> Purpose:
        """The catalogue's purpose for the learner's ties; a composed one for everyone else."""
        if tie.days_ago is not None:
            return Purpose(tie.direction, list(tie.topics), tie.met_where, tie.met_url, tie.note)
        demo, writing = self.demo, self.demo.cat.writing
        topic = demo.cat.topics[tie.topics[0]]
        slots = topic_slots(topic)
        met_where, met_url = self.met.get((tie.target, tie.owner), ("", ""))
        if not met_where:
            met_where = fill(demo.rng.choice(writing["met_where"]), slots)
            met_url = writing["met_urls"].get(met_where, "") if demo.rng.random() < 0.6 else ""
        self.met[(tie.owner, tie.target)] = (met_where, met_url)
        note = ""
        if demo.rng.random() < 0.4:
            slots["subject"] = demo.voice.draw(topic.label, "subjects")
            slots["their_group"] = third_person(demo.spec(tie.target).group)
            note = fill(demo.rng.choice(writing["connection_notes"]), slots)
        return Purpose(tie.direction, list(tie.topics), met_where, met_url, note)

    def when(self, tie: Tie) -> datetime:
        """When the tie began: after both joined, and after the other's tie to this person."""
        demo = self.demo
        if tie.days_ago is not None:
            created = demo.days_ago(tie.days_ago + demo.rng.uniform(0, 0.4))
        else:
            start = max(demo.joined[tie.owner], demo.joined[tie.target]) + timedelta(days=5)
            start = max(start, self.created.get((tie.target, tie.owner), start))
            created = demo.between(start, demo.days_ago(5))
        self.created[(tie.owner, tie.target)] = created
        return created


def _last_interaction(demo: Demo, tie: Tie, created: datetime) -> datetime:
    """Recent for most ties; long ago for dormant ones (quiet for more than 90 days)."""
    old_enough = demo.now - created > timedelta(days=120)
    if tie.dormant or (tie.days_ago is None and old_enough and demo.rng.random() < DORMANT_CHANCE):
        quiet_from = created + timedelta(days=demo.rng.uniform(1, 20))
        return min(quiet_from, demo.days_ago(95))
    recent_from = max(created, demo.days_ago(20 if tie.days_ago is not None else 60))
    return demo.between(recent_from, demo.days_ago(0.1))
