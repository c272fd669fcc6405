"""Read my network: connections with their purpose, markers, filters and suggestions."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from connective.accounts.models import Person
from connective.core.pagination import Page, paginate
from connective.network.models import Block, Connection, Direction
from connective.network.purpose import purpose_html, purpose_phrase
from connective.topics.models import Topic

PAGE_SIZE = 20
MAX_SUGGESTED_PEOPLE = 6
# The Direction filter when My network shows people who connected with me: their connection's
# direction read from their side, as the rows say it ("… connected to learn from you").
INCOMING_DIRECTION_LABELS: dict[str, str] = {
    Direction.LEARN_FROM: "They learn from me",
    Direction.LEARN_WITH: "They learn with me",
    Direction.HELP: "They help me",
}


@dataclass
class NetworkFilters:
    """What My network is narrowed to: one topic, one direction, and which side."""

    topic: Topic | None = None
    direction: str = ""
    incoming: bool = False

    @property
    def active(self) -> bool:
        """Whether any filter narrows the list."""
        return bool(self.topic or self.direction or self.incoming)


@dataclass
class NetworkRow:
    """One connection as My network shows it, seen from the viewer's side."""

    connection: Connection
    person: Person
    topics: list[Topic]
    incoming: bool
    mutual: bool
    dormant: bool

    @property
    def started(self) -> datetime:
        """When the connection began (accepted, or asked for while pending)."""
        return self.connection.accepted_at or self.connection.created_at

    @property
    def sentence(self) -> SafeString:
        """The purpose, naming the other person inside <bdi> when it is mine; when it is theirs it
        names me ("to learn with you"), so it follows "connected", not "connected with you"."""
        names = [t.name for t in self.topics]
        if self.incoming:
            return format_html("{}", purpose_phrase(self.connection.direction, names, "you"))
        return purpose_html(self.connection.direction, names, self.person.name)


def parse_filters(viewer: Person, params) -> NetworkFilters:
    """Filters from query parameters; anything unknown is ignored, never an error."""
    key = str(params.get("topic", ""))[:64]
    direction = str(params.get("direction", ""))
    return NetworkFilters(
        topic=Topic.objects.filter(key=key).first() if key else None,
        direction=direction if direction in Direction.values else "",
        incoming=params.get("incoming") == "1",
    )


def direction_choices(incoming: bool) -> list[tuple[str, str]]:
    """The Direction filter's options, worded from the side the list shows."""
    if incoming:
        return [(value, INCOMING_DIRECTION_LABELS[value]) for value in Direction.values]
    return list(Direction.choices)


def network_queryset(viewer: Person, filters: NetworkFilters) -> QuerySet[Connection]:
    """My connections (or, incoming, active ones to me), with a `mutual` flag in the same query."""
    reverse_active = Connection.objects.active().filter(
        owner_id=OuterRef("target_id"), target_id=OuterRef("owner_id")
    )
    if filters.incoming:
        qs = Connection.objects.active().filter(target=viewer).select_related("owner")
    else:
        qs = Connection.objects.filter(owner=viewer).select_related("target")
    qs = qs.annotate(reverse_active=Exists(reverse_active)).prefetch_related("topics")
    if filters.topic is not None:
        qs = qs.filter(topics=filters.topic)
    if filters.direction:
        qs = qs.filter(direction=filters.direction)
    return qs


class TieTimes(Protocol):
    """What dormancy reads of a connection (a Connection, or the map's lighter rows)."""

    @property
    def is_active(self) -> bool: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def accepted_at(self) -> datetime | None: ...
    @property
    def last_interaction_at(self) -> datetime | None: ...


# When a tie last showed life: its last interaction, or else its start (accepted, or asked).
LAST_ALIVE = Coalesce("last_interaction_at", "accepted_at", "created_at")  # in SQL


def is_dormant(conn: TieTimes, now: datetime | None = None) -> bool:
    """No interaction (or, without any, no start) within CONNECTIVE_DORMANT_DAYS."""
    if not conn.is_active:
        return False
    return quiet_since(conn.last_interaction_at or conn.accepted_at or conn.created_at, now)


def quiet_since(last_alive: datetime, now: datetime | None = None) -> bool:
    """Whether a tie last alive then (LAST_ALIVE) is dormant now, if it is active."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.CONNECTIVE_DORMANT_DAYS)
    return last_alive < cutoff


def network_page(viewer: Person, filters: NetworkFilters, cursor: str | None) -> Page:
    """One page of My network as NetworkRows; BadCursor for a forged cursor."""
    page = paginate(network_queryset(viewer, filters), cursor, size=PAGE_SIZE)
    now = timezone.now()
    page.items = [_row(conn, filters.incoming, now) for conn in page.items]
    return page


def _row(conn: Connection, incoming: bool, now: datetime) -> NetworkRow:
    return NetworkRow(
        connection=conn,
        person=conn.owner if incoming else conn.target,
        topics=list(conn.topics.all()),
        incoming=incoming,
        mutual=conn.is_active and bool(getattr(conn, "reverse_active", False)),
        dormant=is_dormant(conn, now),
    )


def topics_in_network(viewer: Person, incoming: bool = False) -> QuerySet[Topic]:
    """The topics used in my connections (or in those made to me), for the filter."""
    side = Q(connections__target=viewer, connections__status=Connection.Status.ACTIVE)
    if not incoming:
        side = Q(connections__owner=viewer)
    return Topic.objects.filter(side).distinct().order_by("name")


def incoming_count(viewer: Person) -> int:
    """How many people have an active connection to the viewer."""
    return Connection.objects.active().filter(target=viewer).count()


NotSuggested = Callable[[], QuerySet[Any, Any]]  # person ids, used as a subquery
_not_suggested: list[NotSuggested] = []


def register_not_suggested(source: NotSuggested) -> None:
    """Add a source of people who asked not to be suggested (idempotent: ready() may run twice).

    Whether someone may be suggested to others is decided above network: discovery keeps the
    "Suggest me to others" choice (DiscoveryPreference). Network sits below discovery in the
    layers and may not import it, and the caller of people_to_start_with is network's own view,
    so neither can read the choice. Instead the app that owns it registers here, in its
    AppConfig.ready(), a function returning who opted out — as federation tells accounts which
    names it holds (accounts.validators.register_name_check). The rule then lives in one place
    and holds for every caller, and network needs to know nothing of discovery.
    """
    if source not in _not_suggested:
        _not_suggested.append(source)


def people_to_start_with(viewer: Person, limit: int = MAX_SUGGESTED_PEOPLE) -> list[Person]:
    """Local people whose expertise is something I am learning; not me, not connected, no
    blocks, and nobody who asked not to be suggested (see register_not_suggested)."""
    interests = viewer.interests.values("pk")
    blocked = Block.objects.filter(Q(owner=viewer) | Q(target=viewer))
    qs = (
        Person.objects.local()
        .active()
        .filter(discoverable=True, expertise__in=interests)
        .exclude(pk=viewer.pk)
        .exclude(pk__in=Connection.objects.filter(owner=viewer).values("target_id"))
        .exclude(pk__in=blocked.values("owner_id"))
        .exclude(pk__in=blocked.values("target_id"))
    )
    for source in _not_suggested:
        qs = qs.exclude(pk__in=source())
    qs = qs.distinct().order_by("handle").prefetch_related("expertise")
    return list(qs[:limit])


def pending_requests(viewer: Person, cursor: str | None) -> Page:
    """Requests waiting for the viewer's answer, newest first, with their topics."""
    qs = Connection.objects.pending().filter(target=viewer).select_related("owner")
    page = paginate(qs.prefetch_related("topics"), cursor, size=PAGE_SIZE)
    now = timezone.now()
    page.items = [_row(conn, True, now) for conn in page.items]
    return page
