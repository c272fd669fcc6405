"""My PLN as data: each tie seen from my side, grouped by topic, and the network's health."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from html import unescape
from typing import NamedTuple

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from connective.accounts.models import Person
from connective.core.converters import HandleConverter
from connective.core.idlist import IdArray
from connective.core.uris import site_host
from connective.discovery.models import Dismissal
from connective.discovery.services.experts import Expert, Scope, find_experts
from connective.discovery.services.recommend import dismissed
from connective.network.models import Connection, Direction
from connective.network.services.listing import LAST_ALIVE, quiet_since
from connective.topics.models import Topic

_HANDLE = re.compile(HandleConverter.regex)
MAX_GROUPS = 8  # topic sectors on the map; smaller groups share "Other topics"
OTHER = "Other topics"
NO_TOPIC = "No topic given"
MAX_GAPS = 8
GAP_SUGGESTIONS = 3
# An incoming tie seen from my side: they learn from me = I help them, and so on.
MIRROR: dict[str, str] = {
    Direction.LEARN_FROM: Direction.HELP,
    Direction.HELP: Direction.LEARN_FROM,
    Direction.LEARN_WITH: Direction.LEARN_WITH,
}
DIRECTION_WORDS: dict[str, str] = {
    Direction.LEARN_FROM: "you learn from them",
    Direction.LEARN_WITH: "you learn with them",
    Direction.HELP: "you help them",
}
# The same from a reader's side (a published snapshot): "Robin learns from them".
THIRD_PERSON_WORDS: dict[str, str] = {
    Direction.LEARN_FROM: "learns from them",
    Direction.LEARN_WITH: "learns with them",
    Direction.HELP: "helps them",
}


@dataclass
class Tie:
    """One person in my network and how we are tied, from my side."""

    person: Person
    direction: str
    mutual: bool
    dormant: bool
    topics: list[Topic]
    incoming_only: bool
    group: str = ""
    url: str = ""  # the person's profile address (network_ties fills it in)

    @property
    def words(self) -> str:
        """The tie in words, e.g. "you learn from them · mutual · dormant"."""
        return self.words_for(None)

    def words_for(self, owner: str | None) -> str:
        """The tie in words for the map's owner (`owner` None: "you learn from them") or for
        anyone reading their published map ("Robin learns from them · they connected with
        Robin")."""
        if owner is None:
            parts = [DIRECTION_WORDS.get(self.direction, "connected")]
        else:
            parts = [f"{owner} {THIRD_PERSON_WORDS.get(self.direction, 'is connected')}"]
        if self.incoming_only:
            parts.append(f"they connected with {owner or 'you'}")
        if self.mutual:
            parts.append("mutual")
        if self.dormant:
            parts.append(f"dormant ({quiet_words()})")
        return " · ".join(parts)


def quiet_words() -> str:
    """Why a tie is dormant, in words (CONNECTIVE_DORMANT_DAYS): "no interaction for 90 days"."""
    days = settings.CONNECTIVE_DORMANT_DAYS
    return f"no interaction for {days} {'day' if days == 1 else 'days'}"


@dataclass
class Group:
    """A sector of the map: a topic and the people I am tied to about it."""

    name: str
    ties: list[Tie] = field(default_factory=list)


def network_ties(viewer: Person, now: datetime | None = None) -> list[Tie]:
    """Every active tie to or from the viewer, one per person, suspended people left out.

    Four queries whatever the size of the network: the ties (only the columns a tie reads, as
    rows, not models), the people, the ties' topic links, the topics.
    """
    now = now or timezone.now()
    rows = (
        Connection.objects.active()
        .order_by()
        .filter(Q(owner_id=viewer.pk) | Q(target_id=viewer.pk))
        .annotate(last_alive=LAST_ALIVE)
        .values_list(*TIE_FIELDS)
    )
    conns = [TieRow(*row) for row in rows]
    others = {c.target_id if c.owner_id == viewer.pk else c.owner_id for c in conns}
    people = (
        Person.objects.filter(pk__in_ids=IdArray(others), suspended_at__isnull=True)
        .only(*PERSON_FIELDS)
        .in_bulk()
    )
    conns = [c for c in conns if c.owner_id in people or c.target_id in people]
    topics = _tie_topics([c.pk for c in conns])
    mine: dict[int, TieRow] = {}
    theirs: dict[int, TieRow] = {}
    for conn in conns:
        if conn.owner_id == viewer.pk:
            mine[conn.target_id] = conn
        else:
            theirs[conn.owner_id] = conn
    url = profile_urls()
    ties = [
        _tie(people[pk], mine.get(pk), theirs.get(pk), topics, now)
        for pk in sorted(set(mine) | set(theirs))
    ]
    for tie in ties:
        tie.url = url(tie.person)
    return ties


def profile_urls() -> Callable[[Person], str]:
    """Profile addresses without a reverse() per person (500 of them cost more than drawing the
    map): the route is reversed once and each handle put in its place, which is what reverse()
    makes of a handle the route's converter accepts (letters, digits and `_.-@:` need no
    quoting); anything else goes through get_absolute_url()."""
    sample = "x"
    head, tail = reverse("web:profile", kwargs={"handle": sample}).rsplit(sample, 1)

    def url(person: Person) -> str:
        handle = person.path_handle
        if _HANDLE.fullmatch(handle):
            return f"{head}{handle}{tail}"
        return person.get_absolute_url()

    return url


TIE_FIELDS = ("pk", "owner_id", "target_id", "direction", "status", "last_alive")


class TieRow(NamedTuple):
    """What the map reads of a connection (TIE_FIELDS): 1,000 model instances of a network of
    500 cost more than the rest of the map's data, and for dormancy one time, not three (the
    database's times are read in Python: 3,000 of them cost PostgreSQL's map 10 ms)."""

    pk: int
    owner_id: int
    target_id: int
    direction: str
    status: str
    last_alive: datetime  # LAST_ALIVE

    @property
    def is_active(self) -> bool:
        return self.status == Connection.Status.ACTIVE


# What the map, its list, its health figures and a snapshot's public copy read of a person.
PERSON_FIELDS = (
    "id", "handle", "domain", "display_name", "avatar", "actor_type", "discoverable",
    "suspended_at",
)  # fmt: skip


def _tie_topics(conn_ids: list[int]) -> dict[int, list[Topic]]:
    """The topics of each connection, by connection id (two queries)."""
    links = list(
        Connection.topics.through.objects.filter(
            connection_id__in_ids=IdArray(conn_ids)
        ).values_list("connection_id", "topic_id")
    )
    by_pk = Topic.objects.in_bulk({topic_id for _c, topic_id in links})
    found: dict[int, list[Topic]] = {}
    for conn_id, topic_id in links:
        found.setdefault(conn_id, []).append(by_pk[topic_id])
    return found


def _tie(
    person: Person,
    mine: TieRow | None,
    theirs: TieRow | None,
    topics_of: dict[int, list[Topic]],
    now: datetime,
) -> Tie:
    conns = [c for c in (mine, theirs) if c is not None]
    topics: dict[int, Topic] = {}
    for conn in conns:
        topics.update((t.pk, t) for t in topics_of.get(conn.pk, []))
    return Tie(
        person=person,
        direction=mine.direction if mine else MIRROR[theirs.direction],  # type: ignore[union-attr,index]
        mutual=mine is not None and theirs is not None,
        dormant=all(c.is_active and quiet_since(c.last_alive, now) for c in conns),
        topics=sorted(topics.values(), key=lambda t: t.name.casefold()),
        incoming_only=mine is None,
    )


def group_ties(ties: list[Tie]) -> list[Group]:
    """Sectors: each person under their tie topic most common in my network, biggest first."""
    counts = Counter(t.pk for tie in ties for t in tie.topics)
    for tie in ties:
        if tie.topics:
            best = min(tie.topics, key=lambda t: (-counts[t.pk], t.name.casefold()))
            tie.group = best.name
        else:
            tie.group = NO_TOPIC
    sizes = Counter(tie.group for tie in ties)
    order = sorted(sizes, key=lambda name: (name == NO_TOPIC, -sizes[name], name.casefold()))
    kept = set(order[: MAX_GROUPS - 1] if len(order) > MAX_GROUPS else order)
    groups: dict[str, Group] = {}
    for name in order:
        groups.setdefault(name if name in kept else OTHER, Group(name if name in kept else OTHER))
    for tie in sorted(ties, key=lambda t: t.person.name.casefold()):
        groups[tie.group if tie.group in kept else OTHER].ties.append(tie)
    return [g for g in groups.values() if g.ties]


def _share(counter: Counter, size: int) -> dict[str, object]:
    if not counter or not size:
        return {"name": "", "count": 0, "share": 0}
    name, count = max(counter.items(), key=lambda kv: (kv[1], str(kv[0])))
    return {"name": name, "count": count, "share": round(100 * count / size)}


def health(viewer: Person, ties: list[Tie], scope: Scope | None = None) -> dict[str, object]:
    """Size, reciprocity, dormant ties, gaps with suggested people, and concentration."""
    size = len(ties)
    mutual = sum(1 for t in ties if t.mutual)
    servers = Counter(t.person.domain or site_host() for t in ties)
    topics = Counter(t.name for tie in ties for t in tie.topics)
    return {
        "size": size,
        "mutual": mutual,
        "reciprocity": round(100 * mutual / size) if size else 0,
        "dormant": sum(1 for t in ties if t.dormant),
        "server": _share(servers, size),
        "topic": _share(topics, size),
        "gaps": [_gap_entry(topic, experts) for topic, experts in gaps(viewer, ties, scope)],
    }


def gaps(
    viewer: Person, ties: list[Tie], scope: Scope | None = None
) -> list[tuple[Topic, list[Expert]]]:
    """Topics I am learning that nobody in my network has as expertise or as a tie topic, each
    with people who could help: not in my network, and not anyone I said "not interested" in
    (a dismissed person is not recommended again, here as on the Discover page)."""
    interests = list(viewer.interests.order_by("name"))
    if not interests:
        return []
    covered = {t.pk for tie in ties for t in tie.topics}
    people = [tie.person.pk for tie in ties]
    covered |= set(
        Person.expertise.through.objects.filter(
            person_id__in=people, topic_id__in=[t.pk for t in interests]
        ).values_list("topic_id", flat=True)
    )
    scope = scope or Scope.of(viewer)
    missing = [t for t in interests if t.pk not in covered][:MAX_GAPS]
    if not missing:
        return []
    if len(missing) > 1:
        scope.read_learn_ties()
    exclude = set(people) | dismissed(viewer, Dismissal.Kind.PERSON)
    found = []
    for topic in missing:
        experts = find_experts(viewer, [topic], limit=GAP_SUGGESTIONS, exclude=exclude, scope=scope)
        found.append((topic, experts))
    return found


def _gap_entry(topic: Topic, experts: list[Expert]) -> dict[str, object]:
    """A gap as plain data (kept in snapshots), its suggestions with their reasons."""
    return {
        "topic": topic.name,
        "url": topic.get_absolute_url(),
        "suggested": [
            {
                "name": e.person.name,
                "handle": e.person.path_handle,
                "url": e.person.get_absolute_url(),
                "reason": unescape(strip_tags(str(e.reason))),
            }
            for e in experts
        ],
    }
