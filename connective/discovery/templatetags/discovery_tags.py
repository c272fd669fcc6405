"""Template tags other pages use: evidence on a profile, suggestions in the home sidebar."""

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from connective.accounts.models import Person
from connective.content.templatetags.card_tags import (
    avatar_html,
    cached_url,
    chips_html,
    esc,
    fixed_url,
    page_batch,
)
from connective.discovery.services.experts import NETWORK, Expert, find_experts
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


@register.simple_tag(takes_context=True)
def expert_card(context: Any, expert: Expert, dismiss_next: str = "") -> SafeString:
    """One person the finder lists, with the reason, the points, what they can help with, and
    Connect (and "Not interested" given `dismiss_next`, the way back). Written in Python as the
    stream's cards are: twenty people through `{% include %}`, each with its avatar, chips and
    form partials, were a quarter of the finder's page."""
    person = expert.person
    name = f"<bdi>{esc(person.name)}</bdi>"
    if expert.distance == NETWORK and not expert.connected:
        where = "Connects to you"
    else:
        where = expert.distance_label
    points = f"{expert.score} point{'' if expert.score == 1 else 's'}"
    helping = chips_html(list(person.expertise.all())[:5], "helping", "Can help with")
    if expert.connected:
        action = f'<span class="tag-mutual">{esc(expert.tie_label)}</span>'
    else:
        url = cached_url("network:connect", "handle", person.path_handle)
        action = (
            f'<a class="button button--secondary button--small" href="{esc(url)}">Connect'
            f'<span class="visually-hidden"> with {name}</span></a>'
        )
    if dismiss_next:
        action += "\n" + _not_interested(context, "person", person.pk, dismiss_next, name)
    return mark_safe(  # every value escaped above; the reason is escaped by sentence()
        f'<li class="card person expert">\n{avatar_html(person)}\n<div>\n'
        f'<a class="person__name" href="{esc(person.get_absolute_url())}">{name}</a>\n'
        f'<span class="handle">@{esc(person.path_handle)}</span>\n'
        f'<span class="tag-dormant">{esc(where)}</span>\n'
        f'<p class="expert__why"><span class="visually-hidden">Why listed: </span>'
        f'{expert.reason}\n<span class="meta">— {points}</span></p>\n'
        f'{helping}\n<div class="actions">\n{action}\n</div>\n</div>\n</li>\n'
    )


@register.simple_tag(takes_context=True)
def not_interested(context: Any, kind: str, pk: int, back: str, label: str) -> SafeString:
    """`{% not_interested "post" post.pk request.path post.title %}`: the form that hides a
    suggestion (a person, post, space or course) for good, returning to `back`."""
    return mark_safe(_not_interested(context, kind, pk, back, f"<bdi>{esc(label)}</bdi>"))


def _not_interested(context: Any, kind: str, pk: int, back: str, name: str) -> str:
    """The "Not interested" form; `name` is the escaped label (the CSRF token read once per
    page)."""
    batch = page_batch(context)
    return (
        f'<form method="post" action="{esc(fixed_url("discovery:dismiss"))}" class="inline-form">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(batch.csrf_token())}">\n'
        f'<input type="hidden" name="kind" value="{esc(kind)}"><input type="hidden" name="id" '
        f'value="{esc(pk)}"><input type="hidden" name="next" value="{esc(back)}">\n'
        f'<button type="submit" class="link-button">Not interested<span class="visually-hidden">'
        f" in {name}</span></button>\n</form>"
    )
