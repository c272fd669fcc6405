"""The map page's content in one piece, and dated snapshots of it: save, publish, delete."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from connective.accounts.models import Person
from connective.core.idlist import IdArray
from connective.discovery.models import DiscoveryPreference, MapSnapshot
from connective.discovery.services.experts import Scope
from connective.discovery.services.pln_map import (
    PERSON_FIELDS,
    Group,
    Tie,
    group_ties,
    health,
    network_ties,
)
from connective.discovery.services.svg import render_map

MAX_SNAPSHOTS = 100
WITHHELD = "Someone"


class SnapshotError(Exception):
    """A snapshot that cannot be saved; the message is for the person."""


@dataclass
class MapView:
    """Everything the map page shows: the ties grouped by topic, the picture, the health."""

    ties: list[Tie]
    groups: list[Group]
    svg: SafeString
    health: dict[str, object]


def build_map(viewer: Person) -> MapView:
    """The viewer's map as it is now."""
    ties = network_ties(viewer)
    groups = group_ties(ties)
    svg = render_map(viewer.name, groups, timezone.localdate())
    figures = health(viewer, ties, Scope.of(viewer))
    # The SVG is built from escaped parts only (svg.py), so it may go into the page as is.
    return MapView(ties, groups, mark_safe(svg), figures)


def _shown_names(people: Iterable[Person]) -> dict[int, str]:
    """The names a public copy may show, by person id: local people who chose "Let others find
    me", did not turn off "Suggest me to others", and are not suspended (nor deleted: deleting
    an account, here or on its own server, suspends it too)."""
    people = list(people)
    opted_out = set(
        DiscoveryPreference.objects.filter(
            suggest_me=False, person_id__in_ids=IdArray(p.pk for p in people)
        ).values_list("person_id", flat=True)
    )
    return {
        p.pk: p.name
        for p in people
        if p.is_local and p.discoverable and p.suspended_at is None and p.pk not in opted_out
    }


def _layout(groups: list[Group], when: date) -> dict[str, object]:
    """What the public copy is drawn from: the date and each sector's ties, people by id only."""
    return {
        "date": when.isoformat(),
        "groups": [
            {
                "name": group.name,
                "ties": [
                    [t.person.pk, t.direction, t.mutual, t.dormant, t.incoming_only]
                    for t in group.ties
                ],
            }
            for group in groups
        ],
    }


def save_snapshot(viewer: Person) -> MapSnapshot:
    """Keep today's map and its health figures; SnapshotError past MAX_SNAPSHOTS."""
    if MapSnapshot.objects.filter(owner_id=viewer.pk).count() >= MAX_SNAPSHOTS:
        raise SnapshotError(f"You can keep at most {MAX_SNAPSHOTS} snapshots; delete an old one.")
    view = build_map(viewer)
    today = timezone.localdate()
    figures = view.health
    size, groups = figures["size"], len(view.groups)
    summary = (
        f"Map of {viewer.name}'s learning network on {today.isoformat()}: "
        f"{size} {'person' if size == 1 else 'people'} in {groups} topic "
        f"group{'' if groups == 1 else 's'}, {figures['reciprocity']}% mutual."
    )
    return MapSnapshot.objects.create(
        owner=viewer,
        svg=str(view.svg),
        layout=_layout(view.groups, today),
        health=figures,
        summary=summary[:300],
        token=secrets.token_urlsafe(16),
    )


def public_svg(snapshot: MapSnapshot) -> str:
    """The snapshot's public copy, drawn now from its layout with the names people allow now.

    Why drawn when served and not kept drawn: whether a name may show is other people's choice
    ("Let others find me", "Suggest me to others"), and a suspension or a deleted account takes
    it away too. A copy drawn at save time would keep a name after its owner said no; redrawing
    stored copies instead would need every service that changes one of those to find and redraw
    the snapshots naming that person. Reading the people's current rows here (two queries) has
    nothing to forget. The owner's own copy (`svg`) stays the dated record it was.
    Snapshots saved before layouts were kept serve their stored copy, which migration 0002 left
    with no name but the owner's.
    """
    layout = snapshot.layout
    if not layout:
        return snapshot.public_svg
    rows = [row for group in layout["groups"] for row in group["ties"]]
    people = (
        Person.objects.filter(pk__in_ids=IdArray({row[0] for row in rows}))
        .only(*PERSON_FIELDS)
        .in_bulk()
    )
    names = _shown_names(people.values())
    groups = _groups(layout, people)
    return render_map(
        snapshot.owner.name,
        groups,
        date.fromisoformat(layout["date"]),
        name_for=lambda tie: names.get(tie.person.pk, WITHHELD),
        public=True,
    )


def _groups(layout: dict, people: dict[int, Person]) -> list[Group]:
    """The layout's sectors as the drawing reads them (a person no longer here by id only)."""
    return [
        Group(
            group["name"],
            [
                Tie(
                    person=people.get(pk) or Person(pk=pk),
                    direction=direction,
                    mutual=mutual,
                    dormant=dormant,
                    topics=[],
                    incoming_only=incoming,
                )
                for pk, direction, mutual, dormant, incoming in group["ties"]
            ],
        )
        for group in layout["groups"]
    ]


def set_public(snapshot: MapSnapshot, public: bool) -> None:
    """Publish the snapshot at its public address, or take it down."""
    snapshot.public = public
    snapshot.save(update_fields=["public"])


def delete_snapshot(snapshot: MapSnapshot) -> None:
    """Forget a snapshot (its public address stops working at once)."""
    snapshot.delete()
