"""index.html: the archive explained to a person, readable in any browser without Connective."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from connective.accounts.models import Person
from connective.network.models import Connection
from connective.network.purpose import purpose_phrase

SHOWN = 2000  # people listed in full on the page; the data files hold everyone


def render(person: Person, manifest: dict[str, Any]) -> str:
    """The page, with my network as sentences ("to learn about open licensing from Ana")."""
    conns = (
        Connection.objects.filter(owner=person)
        .select_related("target")
        .prefetch_related("topics")
        .order_by("target__display_name", "target__handle")
    )
    people = [
        {
            "name": conn.target.name,
            "acct": conn.target.acct,
            "uri": conn.target.uri,
            "purpose": purpose_phrase(
                conn.direction, [t.name for t in conn.topics.all()], conn.target.name
            ),
            "note": conn.note,
        }
        for conn in conns[:SHOWN]
    ]
    return render_to_string(
        "portability/archive_index.html",
        {
            "person": person,
            "manifest": manifest,
            "people": people,
            "more": conns.count() - len(people),
        },
    )
