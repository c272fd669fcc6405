"""Completing a course: when every required activity has evidence the enrolment is complete and
the learner is issued a statement of participation (by the credentials app)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from connective.courses.models import Activity, Enrolment, Evidence
from connective.notifications.models import Notification
from connective.notifications.services.notify import notify

log = logging.getLogger(__name__)


class NotComplete(Exception):
    """A statement asked for an enrolment that is not complete (SECURITY T-35)."""


def missing_required(enrolment: Enrolment) -> list[Activity]:
    """Required activities of the course the learner has no evidence for yet."""
    done = Evidence.objects.filter(enrolment=enrolment).values("activity_id")
    return list(enrolment.course.activities.filter(required=True).exclude(pk__in=done))


def check_completion(enrolment: Enrolment) -> bool:
    """Mark the enrolment complete (once) if every required activity has evidence, and issue
    the statement; returns whether it became complete now."""
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if locked.completed_at is not None or locked.unenrolled_at is not None:
            return False
        if not locked.course.activities.filter(required=True).exists():
            return False
        if missing_required(locked):
            return False
        locked.completed_at = timezone.now()
        locked.save(update_fields=["completed_at"])
        issue_for(locked)
    enrolment.completed_at = locked.completed_at
    enrolment.statement_url = locked.statement_url
    return True


def _issuing() -> Any:
    """The credentials app's issuing service (imported here only, lazily)."""
    from connective.credentials.services import issuing

    return issuing


def issue_for(enrolment: Enrolment) -> Any:
    """Issue the statement of participation for a completed enrolment, exactly once.

    Refuses an enrolment that is not complete or was left (T-35). Returns the Statement, or None
    when one was already issued or the credentials app cannot issue yet.
    """
    if enrolment.completed_at is None or enrolment.unenrolled_at is not None:
        raise NotComplete("Only a completed enrolment earns a statement of participation.")
    if missing_required(enrolment):
        raise NotComplete("Some required activities have no evidence yet.")
    if enrolment.statement_issued_at is not None:
        return None
    try:
        issuing = _issuing()
    except ImportError:  # the credentials app is not installed yet: issue later
        log.warning("credentials.services.issuing missing; statement for %s pending", enrolment)
        return None
    try:
        # A savepoint: if signing fails, the learner's post (which announced the event that
        # completed the course) still goes through; courses_issue_pending issues it later.
        with transaction.atomic():
            statement = issuing.issue_statement(
                recipient=enrolment.learner,
                achievement=_achievement(issuing, enrolment),
                evidence=_evidence_items(issuing, enrolment),
                source_uri=enrolment.course.uri or "",
            )
    except Exception:
        log.exception("statement for %s not issued; courses_issue_pending will retry", enrolment)
        return None
    enrolment.statement_id = statement.pk
    enrolment.statement_url = statement.get_absolute_url()
    enrolment.statement_issued_at = timezone.now()
    enrolment.save(update_fields=["statement_id", "statement_url", "statement_issued_at"])
    notify(
        enrolment.learner,
        None,
        Notification.Kind.STATEMENT_ISSUED,
        url=enrolment.statement_url,
        data={"course": enrolment.course.title},
        object_key=f"statement:{statement.pk}",
    )
    return statement


def _achievement(issuing: Any, enrolment: Enrolment) -> Any:
    course = enrolment.course
    required = course.activities.filter(required=True)
    criteria = "Evidence for every required activity: " + "; ".join(
        f"{a.title} ({a.get_kind_display().lower()})" for a in required
    )
    return issuing.Achievement(
        id=course.uri or "",
        name=course.title,
        description=_plain(course.summary)[:1000],
        criteria=criteria,
        topics=[topic.name for topic in course.topics.all()],
    )


def _plain(markdown: str) -> str:
    """The first paragraph of a Markdown text, as plain text for the credential."""
    first = markdown.strip().split("\n\n", 1)[0]
    return " ".join(first.split())


def _evidence_items(issuing: Any, enrolment: Enrolment) -> list[Any]:
    from connective.core.uris import absolute_uri

    items = []
    rows = Evidence.objects.filter(enrolment=enrolment).select_related("activity", "post")
    for row in rows.order_by("activity__unit__order", "activity__order", "id"):
        if row.post is not None:
            link = absolute_uri(row.post.get_absolute_url())
        elif row.url:
            link = row.url
        else:
            link = (
                absolute_uri(enrolment.course.get_absolute_url()) + f"#activity-{row.activity_id}"
            )
        items.append(
            issuing.EvidenceItem(
                id=link,
                name=row.activity.title,
                narrative=_narrative(row),
            )
        )
    return items


def _narrative(row: Evidence) -> str:
    """What the evidence is, in public words (a private reflection is never included)."""
    if row.post_id is not None or row.url:
        return f"{row.activity.get_kind_display()}: {row.title}"
    return f"Marked done: {row.activity.title}"


@transaction.atomic
def revoke_statement(enrolment: Enrolment, reason: str, by: Any) -> None:
    """The course team revokes a learner's statement with a reason; the learner is told."""
    reason = reason.strip()
    if not reason:
        raise ValueError("Give a reason: the learner and anyone verifying will see it.")
    if enrolment.statement_id is None or enrolment.statement_revoked_at is not None:
        raise ValueError("This learner holds no valid statement for this course.")
    issuing = _issuing()
    from django.apps import apps

    statement = apps.get_model("credentials", "Statement").objects.get(pk=enrolment.statement_id)
    try:
        issuing.revoke(statement, reason=reason[:500], by=by)
    except issuing.IssuingError as exc:
        raise ValueError(str(exc)) from exc
    enrolment.statement_revoked_at = timezone.now()
    enrolment.save(update_fields=["statement_revoked_at"])
    notify(
        enrolment.learner,
        None,
        Notification.Kind.STATEMENT_REVOKED,
        url=enrolment.statement_url,
        data={"course": enrolment.course.title, "reason": reason[:200]},
        object_key=f"statement-revoked:{enrolment.statement_id}",
    )
