"""Completing a course issues one statement of participation; the team can revoke it."""

from datetime import UTC, datetime

import pytest

from connective.content.services.posts import PostDraft, create_post, delete_post
from connective.courses.models import Enrolment, Evidence
from connective.courses.services.completion import NotComplete, issue_for
from connective.courses.services.enrolment import enrol, unenrol
from connective.courses.services.evidence import mark_done, record_outside_evidence
from connective.credentials.models import Statement
from connective.notifications.models import Notification
from tests.courses.conftest import activity


def _do_all_but_read(course, learner):
    enrolment = enrol(course, learner)
    create_post(
        learner, PostDraft(body="A PLN is…", in_reply_to=activity(course, "discuss").thread)
    )
    create_post(
        learner, PostDraft(kind="article", title="Position", body="Yes", topics=["pln-position"])
    )
    record_outside_evidence(
        learner,
        tags=["pln-resource"],
        url="https://blog.example/shared",
        title="Shared",
        published_at=datetime(2026, 11, 2, tzinfo=UTC),
    )
    return enrolment


def test_completion_issues_exactly_one_statement(course, ben):
    enrolment = _do_all_but_read(course, ben)
    assert not Statement.objects.exists()
    mark_done(enrolment, activity(course, "read"))
    mark_done(enrolment, activity(course, "read"), "again")
    mark_done(enrolment, activity(course, "watch"))
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    statement = Statement.objects.get()
    assert statement.recipient == ben and statement.source_uri == course.uri
    assert enrolment.statement_url == statement.get_absolute_url()
    note = Notification.objects.get(recipient=ben, kind="statement_issued")
    assert note.data == {"course": course.title} and note.url == statement.get_absolute_url()
    assert "https://blog.example/shared" in str(statement.credential_json)
    assert "again" not in str(statement.credential_json)  # a private reflection stays private


def test_optional_activities_are_not_needed(course, ben):
    enrolment = _do_all_but_read(course, ben)
    mark_done(enrolment, activity(course, "read"))
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None


def test_t35_no_statement_for_an_incomplete_or_left_enrolment(course, ben, chloe):
    enrolment = _do_all_but_read(course, ben)
    with pytest.raises(NotComplete):
        issue_for(enrolment)
    enrolment.completed_at = datetime(2026, 11, 3, tzinfo=UTC)  # forged: evidence still missing
    with pytest.raises(NotComplete):
        issue_for(enrolment)
    left = enrol(course, chloe)
    unenrol(left)
    left.completed_at = datetime(2026, 11, 3, tzinfo=UTC)
    with pytest.raises(NotComplete):
        issue_for(left)
    assert not Statement.objects.exists()


def test_unenrolled_learner_does_not_complete(course, ben):
    enrolment = _do_all_but_read(course, ben)
    unenrol(enrolment)
    Evidence.objects.create(
        enrolment=enrolment, activity=activity(course, "read"), recorded_at=datetime.now(UTC)
    )
    from connective.courses.services.completion import check_completion

    assert check_completion(enrolment) is False
    assert not Statement.objects.exists()


def test_deleting_a_post_after_completion_keeps_the_record(course, ben):
    enrolment = _do_all_but_read(course, ben)
    mark_done(enrolment, activity(course, "read"))
    article = Evidence.objects.get(activity=activity(course, "write")).post
    delete_post(article)
    assert Evidence.objects.filter(post=article).exists()
    assert Statement.objects.valid().count() == 1


def test_team_revokes_a_statement_and_the_learner_is_told(course, ben, ana_client):
    enrolment = _do_all_but_read(course, ben)
    mark_done(enrolment, activity(course, "read"))
    response = ana_client.post(
        f"/courses/{course.slug}/team/{enrolment.pk}/revoke/", {"reason": "Plagiarised article"}
    )
    assert response.status_code == 302
    statement = Statement.objects.get()
    assert statement.revoked_at is not None and statement.revoked_reason == "Plagiarised article"
    note = Notification.objects.get(recipient=ben, kind="statement_revoked")
    assert note.data["reason"] == "Plagiarised article"
    enrolment.refresh_from_db()
    assert enrolment.statement_revoked_at is not None


def test_revoke_needs_a_reason_and_the_team(course, ben, ben_client, ana_client):
    enrolment = _do_all_but_read(course, ben)
    mark_done(enrolment, activity(course, "read"))
    ana_client.post(f"/courses/{course.slug}/team/{enrolment.pk}/revoke/", {"reason": "  "})
    assert (
        ben_client.post(
            f"/courses/{course.slug}/team/{enrolment.pk}/revoke/", {"reason": "mine"}
        ).status_code
        == 404
    )
    assert (
        ana_client.post(f"/courses/{course.slug}/team/99999/revoke/", {"reason": "x"}).status_code
        == 404
    )
    assert Statement.objects.valid().count() == 1


def test_statement_link_on_the_course_page(course, ben, ben_client):
    enrolment = _do_all_but_read(course, ben)
    mark_done(enrolment, activity(course, "read"))
    page = ben_client.get(course.get_absolute_url()).content.decode()
    assert Enrolment.objects.get().statement_url in page
    assert "You completed this course" in page


def test_pending_statements_are_issued_by_the_command(course, ben):
    from django.core.management import call_command

    enrolment = _do_all_but_read(course, ben)
    mark_done(enrolment, activity(course, "read"))
    Statement.objects.all().delete()
    Enrolment.objects.update(statement_id=None, statement_url="", statement_issued_at=None)
    call_command("courses_issue_pending")
    call_command("courses_issue_pending")
    assert Statement.objects.filter(recipient=ben).count() == 1
    assert Enrolment.objects.get().statement_url


def test_an_issuing_failure_never_blocks_the_learners_post(course, remote):
    """Credentials refuses remote recipients; completing still works and nothing is issued."""
    enrolment = enrol(course, remote)
    record_outside_evidence(
        remote,
        tags=["pln-position", "pln-resource"],
        url="https://remote.example/post",
        title="Mine",
        published_at=datetime(2026, 11, 2, tzinfo=UTC),
    )
    mark_done(enrolment, activity(course, "read"))
    thread = activity(course, "discuss").thread
    create_post(remote, PostDraft(body="From afar", in_reply_to=thread))
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert enrolment.statement_issued_at is None
    assert not Statement.objects.exists()
