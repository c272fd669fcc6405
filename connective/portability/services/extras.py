"""The parts of an archive that come from the apps built on posts and connections: spaces,
courses with their evidence, statements of participation (as signed, still verifiable), feeds."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from connective.accounts.models import Person
from connective.core.uris import absolute_uri
from connective.courses.models import Enrolment, Evidence
from connective.credentials.models import Statement
from connective.feeds.services.opml import export_opml
from connective.portability import format as fmt
from connective.spaces.models import Membership


def _when(value) -> str | None:
    return value.isoformat() if value else None


def spaces_record(person: Person) -> list[dict[str, Any]]:
    """The spaces I belong to, with my role."""
    rows = Membership.objects.filter(person=person).select_related("space").order_by("pk")
    return [
        {
            "space": row.space.uri or absolute_uri(row.space.get_absolute_url()),
            "name": row.space.name,
            "url": absolute_uri(row.space.get_absolute_url()),
            "role": row.role,
            "joined_at": _when(row.joined_at),
        }
        for row in rows
    ]


def _evidence(enrolment: Enrolment) -> list[dict[str, Any]]:
    rows = Evidence.objects.filter(enrolment=enrolment).select_related("activity", "post")
    return [
        {
            "activity": row.activity.title,
            "kind": row.activity.kind,
            "post": row.post.uri if row.post_id and row.post else None,
            "url": row.url,
            "title": row.title,
            "reflection": row.reflection,
            "recorded_at": _when(row.recorded_at),
        }
        for row in rows.order_by("pk")
    ]


def courses_record(person: Person) -> list[dict[str, Any]]:
    """My enrolments: the course, how far I got and the evidence of each activity."""
    rows = Enrolment.objects.filter(learner=person).select_related("course").order_by("pk")
    return [
        {
            "course": row.course.uri or absolute_uri(row.course.get_absolute_url()),
            "title": row.course.title,
            "url": absolute_uri(row.course.get_absolute_url()),
            "enrolled_at": _when(row.enrolled_at),
            "completed_at": _when(row.completed_at),
            "left_at": _when(row.unenrolled_at),
            "statement": row.statement_url or None,
            "evidence": _evidence(row),
        }
        for row in rows
    ]


def statement_members(person: Person) -> Iterator[tuple[str, bytes]]:
    """Each statement of participation as its download gives it (the signed credential with
    its proof), so `connective verify` and any Open Badges 3.0 verifier can check the file."""
    for statement in Statement.objects.filter(recipient=person).order_by("pk"):
        name = f"{fmt.STATEMENTS_DIR}{statement.public_id}.json"
        document = statement.credential_document()
        yield name, json.dumps(document, ensure_ascii=False, indent=2).encode()


def export_members(person: Person) -> Iterator[tuple[str, bytes]]:
    """Every extra member of the archive as (name, bytes)."""
    yield fmt.SPACES, json.dumps(spaces_record(person), ensure_ascii=False, indent=2).encode()
    yield fmt.COURSES, json.dumps(courses_record(person), ensure_ascii=False, indent=2).encode()
    yield fmt.FEEDS, export_opml(person)
    yield from statement_members(person)
