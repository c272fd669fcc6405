"""`{% feed_links person=... %}` / `{% feed_links topic=... %}`: <link rel="alternate"> tags."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

RSS, ATOM = "application/rss+xml", "application/atom+xml"


def _links(name: str, kwargs: dict[str, str], title: str) -> list[tuple[str, str, str]]:
    return [
        (RSS, f"{title} (RSS)", reverse(f"feeds:{name}_rss", kwargs=kwargs)),
        (ATOM, f"{title} (Atom)", reverse(f"feeds:{name}_atom", kwargs=kwargs)),
    ]


@register.simple_tag
def feed_links(person: Any = None, topic: Any = None, space: Any = None) -> SafeString:
    """The feeds a profile, topic or space page advertises in its <head>."""
    rows: list[tuple[str, str, str]] = []
    if person is not None and person.is_local:
        kwargs = {"handle": person.handle}
        rows += _links("person", kwargs, f"{person.name}: posts")
        rows += _links("blog", kwargs, f"{person.name}: blog")
        rows += _links("resources", kwargs, f"{person.name}: resources")
    if topic is not None:
        rows += _links("topic", {"key": topic.key}, f"#{topic.name}")
    if space is not None and not space.members_only:
        rows += _links("space", {"slug": space.slug}, str(space.name))
    return format_html_join(
        "\n",
        '<link rel="alternate" type="{}" title="{}" href="{}">',
        rows,
    ) or mark_safe("")
