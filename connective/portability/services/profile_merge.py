"""An archive's followed topics and profile merged into mine: what mine lacks is filled in,
nothing I wrote is replaced; interests, expertise and topics are added to mine; my choice to be
found comes back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from connective.accounts.models import Person
from connective.accounts.services.profile import (
    ProfileChange,
    ProfileError,
    update_privacy,
    update_profile,
)
from connective.portability.services.plan import ImportPlan
from connective.topics.services.resolve import get_or_create_topics


@dataclass
class Merge:
    """The profile after the merge, and what it changes, in words."""

    change: ProfileChange
    changed: list[str] = field(default_factory=list)
    discoverable: bool | None = None  # the choice in the archive, when it differs from mine


def _str(record: dict, key: str) -> str:
    value = record.get(key)
    return value if isinstance(value, str) else ""


def _union(names: list[str], imported: Any) -> list[str]:
    names = list(names)
    keys = {name.casefold() for name in names}
    for value in imported if isinstance(imported, list) else []:
        if isinstance(value, str) and value.strip() and value.casefold() not in keys:
            names.append(value)
            keys.add(value.casefold())
    return names


def plan_merge(person: Person, profile: dict) -> Merge:
    """What merging `profile` (an archive's profile.json) would do, without doing it."""
    interests = [t.name for t in person.interests.all()]
    expertise = [t.name for t in person.expertise.all()]
    merge = Merge(
        ProfileChange(
            display_name=person.display_name or _str(profile, "display_name"),
            bio=person.bio or _str(profile, "bio"),
            interests=_union(interests, profile.get("interests")),
            expertise=_union(expertise, profile.get("expertise")),
        )
    )
    if merge.change.display_name != person.display_name:
        merge.changed.append("display name")
    if merge.change.bio != person.bio:
        merge.changed.append("bio")
    for label, before, after in (
        ("interest", interests, merge.change.interests),
        ("area of expertise", expertise, merge.change.expertise),
    ):
        if n := len(after) - len(before):
            plural = "areas of expertise" if label.startswith("area") else "interests"
            merge.changed.append(f"{n} {label if n == 1 else plural}")
    wanted = profile.get("discoverable")
    if isinstance(wanted, bool) and wanted != person.discoverable:
        merge.discoverable = wanted
        merge.changed.append("found in search" if wanted else "not found in search")
    return merge


def describe(merge: Merge) -> str:
    """One sentence for the preview and the report."""
    if not merge.changed:
        return ""
    return (
        "Your profile: the archive fills in what yours lacks and adds to it ("
        + ", ".join(merge.changed)
        + "); nothing you have written is replaced."
    )


def apply_merge(person: Person, merge: Merge) -> str:
    """Store the merge; the reason if the profile could not be merged ("" when it was)."""
    text_changed = any(not c.startswith(("found", "not found")) for c in merge.changed)
    if text_changed:
        try:
            update_profile(person, merge.change)
        except ProfileError as exc:
            return f"Your profile was not merged: {exc}"
    if merge.discoverable is not None:
        update_privacy(
            person, requires_approval=person.requires_approval, discoverable=merge.discoverable
        )
    return ""


def count_topics(person: Person, plan: ImportPlan, tally: Any, new: str) -> None:
    """Count the topics to follow: `new` ones, and those followed already."""
    if not plan.followed_topics:
        return
    followed = {name.casefold() for name in person.followed_topics.values_list("name", flat=True)}
    for name in dict.fromkeys(plan.followed_topics):
        tally.add("topics", "already" if name.casefold() in followed else new)


def topics_and_profile(person: Person, plan: ImportPlan, tally: Any) -> None:
    """Follow the topics; merge the profile (fill in what mine lacks, never overwrite)."""
    if plan.followed_topics:
        count_topics(person, plan, tally, "followed")
        person.followed_topics.add(*get_or_create_topics(plan.followed_topics))
    merge = plan_merge(person, plan.profile)
    if not merge.changed:
        return
    failed = apply_merge(person, merge)
    if failed:
        tally.notes.append(failed)
        return
    n = len(merge.changed)
    tally.add("profile", f"field{'' if n == 1 else 's'} merged", n)
