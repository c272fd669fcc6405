"""Template tags other pages use: evidence on a profile, suggestions in the home sidebar."""

from typing import Any

from django import template

from connective.accounts.models import Person
from connective.discovery.services.experts import find_experts
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
