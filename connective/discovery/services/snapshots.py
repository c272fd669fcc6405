"""The map page's content in one piece, and dated snapshots of it: save, publish, delete."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from connective.accounts.models import Person
from connective.discovery.models import DiscoveryPreference, MapSnapshot
from connective.discovery.services.experts import Scope
from connective.discovery.services.pln_map import Group, Tie, group_ties, health, network_ties
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


def _public_name(ties: list[Tie]):
    """Names for the public copy: only people who opted in to discovery and to suggestions."""
    opted_out = set(
        DiscoveryPreference.objects.filter(
            suggest_me=False, person_id__in=[t.person.pk for t in ties]
        ).values_list("person_id", flat=True)
    )

    def name_for(tie: Tie) -> str:
        person = tie.person
        shown = person.is_local and person.discoverable and person.pk not in opted_out
        return person.name if shown else WITHHELD

    return name_for


def save_snapshot(viewer: Person) -> MapSnapshot:
    """Keep today's map and its health figures; SnapshotError past MAX_SNAPSHOTS."""
    if MapSnapshot.objects.filter(owner_id=viewer.pk).count() >= MAX_SNAPSHOTS:
        raise SnapshotError(f"You can keep at most {MAX_SNAPSHOTS} snapshots; delete an old one.")
    view = build_map(viewer)
    today = timezone.localdate()
    public_svg = render_map(
        viewer.name, view.groups, today, name_for=_public_name(view.ties), links=False
    )
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
        public_svg=public_svg,
        health=figures,
        summary=summary[:300],
        token=secrets.token_urlsafe(16),
    )


def set_public(snapshot: MapSnapshot, public: bool) -> None:
    """Publish the snapshot at its public address, or take it down."""
    snapshot.public = public
    snapshot.save(update_fields=["public"])


def delete_snapshot(snapshot: MapSnapshot) -> None:
    """Forget a snapshot (its public address stops working at once)."""
    snapshot.delete()
