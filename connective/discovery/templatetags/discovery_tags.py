"""Template tags other pages use: evidence on a profile, suggestions in the home sidebar."""

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from connective.accounts.models import Person
from connective.content.templatetags.card_tags import esc
from connective.discovery.services.experts import find_experts
from connective.discovery.services.pln_map import Group, Tie
from connective.discovery.services.preferences import suggest_me
from connective.discovery.services.profile_evidence import person_evidence
from connective.discovery.services.recommend import MAX_INTERESTS, dismissed
from connective.network.models import Connection

register = template.Library()
SIDEBAR_PEOPLE = 3


@register.inclusion_tag("discovery/_evidence.html")
def expertise_evidence(person: Person, viewer: Person | None) -> dict[str, Any]:
    """For each topic `person` can help with, the evidence `viewer` may see, in words; on their
    own profile, in the second person and with who may find them."""
    own = viewer is not None and viewer.pk == person.pk
    rows = person_evidence(viewer, person)
    context: dict[str, Any] = {"person": person, "rows": rows, "own": own}
    if own:
        context.update(discoverable=person.discoverable, suggested=suggest_me(person))
    return context


@register.inclusion_tag("discovery/_sidebar.html")
def discovery_sidebar(viewer: Person) -> dict[str, Any]:
    """A few people who can help with what the viewer is learning (one finder run)."""
    interests = list(viewer.interests.order_by("name")[:MAX_INTERESTS])
    mine = set(
        Connection.objects.order_by().filter(owner_id=viewer.pk).values_list("target_id", flat=True)
    )
    exclude = mine | dismissed(viewer, "person")
    people = find_experts(viewer, interests, limit=SIDEBAR_PEOPLE, exclude=exclude)
    return {"people": people}


@register.simple_tag
def map_list(groups: list[Group]) -> SafeString:
    """The map as lists by group, the picture's twin for screen readers: a heading per group,
    then each person with the tie in words. Written in Python: 500 people through the
    template's loops were a fifth of the map page's time."""
    parts = []
    for group in groups:
        items = "".join(_tie_item(tie) for tie in group.ties)
        count = f'<span class="meta">({len(group.ties)})</span>'
        parts.append(f"<h3>{esc(group.name)} {count}</h3><ul>{items}</ul>")
    return mark_safe("".join(parts))  # every value escaped above


def _tie_item(tie: Tie) -> str:
    about = "; about " + ", ".join(esc(t.name) for t in tie.topics) if tie.topics else ""
    return (
        f'<li><a href="{esc(tie.url)}"><bdi>{esc(tie.person.name)}</bdi></a>'
        f' <span class="meta">— {esc(tie.words)}{about}</span></li>'
    )
