"""The course team: authoring pages with bad input, publishing, the team view."""

import pytest
from django.test import Client

from connective.content.services.posts import PostDraft, create_post
from connective.core import events
from connective.courses.models import Activity, Course, CourseTeam, Unit
from connective.courses.services.enrolment import enrol
from tests.courses.conftest import activity, build_course


def test_create_a_course_through_the_form(ana, ana_client):
    response = ana_client.post(
        "/courses/new/",
        {
            "title": "Open licensing",
            "summary": "Why *CC*",
            "topics": "licences",
            "licence": "cc-by-sa",
        },
    )
    course = Course.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/courses/{course.slug}/edit/"
    assert course.state == "draft" and course.licence == "cc-by-sa"
    assert course.is_team_member(ana)
    assert "<em>CC</em>" in course.summary_html


@pytest.mark.parametrize(
    "data",
    [
        {"title": "", "licence": "cc-by"},
        {"title": "x" * 201, "licence": "cc-by"},
        {"title": "ok", "licence": "gpl"},
        {"title": "ok", "licence": "cc-by", "topics": "!!!"},
        {"title": "ok", "licence": "cc-by", "summary": "x" * 20_001},
    ],
)
def test_course_form_bad_input_changes_nothing(ana_client, data):
    response = ana_client.post("/courses/new/", data)
    assert response.status_code == 400
    assert b"field__error" in response.content or b"errorlist" in response.content
    assert not Course.objects.exists()


def test_add_unit_and_activities_then_publish_creates_space_and_threads(ana, ana_client):
    course = build_course(ana, publish=False)
    unit = course.units.first()
    response = ana_client.post(
        f"/courses/{course.slug}/units/{unit.pk}/activities/new/",
        {
            "title": "Talk",
            "kind": "discuss",
            "estimated_minutes": "60",
            "required": "on",
            "order": "3",
        },
    )
    assert response.status_code == 302
    assert course.space is None
    assert ana_client.post(f"/courses/{course.slug}/publish/").status_code == 302
    course.refresh_from_db()
    assert course.is_published and course.space is not None
    threads = [a.thread for a in course.activities.filter(kind="discuss")]
    assert len(threads) == 2 and all(t is not None and t.space == course.space for t in threads)


def test_a_discuss_activity_added_after_publishing_gets_its_thread(course, ana_client):
    unit = course.units.first()
    ana_client.post(
        f"/courses/{course.slug}/units/{unit.pk}/activities/new/",
        {"title": "Later", "kind": "discuss", "estimated_minutes": "10", "order": "9"},
    )
    later = Activity.objects.get(title="Later")
    assert later.thread is not None and later.thread.space == course.space
    assert not later.required


@pytest.mark.parametrize(
    "data",
    [
        {"title": "", "kind": "discuss", "estimated_minutes": "10", "order": "1"},
        {"title": "t", "kind": "dance", "estimated_minutes": "10", "order": "1"},
        {"title": "t", "kind": "read", "estimated_minutes": "0", "order": "1"},
        {"title": "t", "kind": "read", "estimated_minutes": "ten", "order": "1"},
        {"title": "t", "kind": "read", "estimated_minutes": "10", "order": "-1"},
        {"title": "t", "kind": "write", "estimated_minutes": "10", "order": "1"},
        {
            "title": "t",
            "kind": "write",
            "estimated_minutes": "10",
            "order": "1",
            "tag": "PLN Position",
        },
        {"title": "t", "kind": "share", "estimated_minutes": "10", "order": "1", "tag": "!!!"},
    ],
)
def test_activity_form_bad_input_changes_nothing(course, ana_client, data):
    unit = course.units.first()
    before = course.activities.count()
    response = ana_client.post(f"/courses/{course.slug}/units/{unit.pk}/activities/new/", data)
    assert response.status_code == 400
    assert course.activities.count() == before


def test_unit_form_bad_input_changes_nothing(course, ana_client):
    response = ana_client.post(f"/courses/{course.slug}/units/new/", {"title": "", "order": "x"})
    assert response.status_code == 400
    assert Unit.objects.filter(course=course).count() == 2


def test_publish_without_activities_is_refused(ana, ana_client):
    ana_client.post("/courses/new/", {"title": "Empty", "licence": "cc-by"})
    course = Course.objects.get()
    ana_client.post(f"/courses/{course.slug}/publish/")
    course.refresh_from_db()
    assert course.state == "draft"


def test_add_team_member_and_unknown_handle(course, ben, ana_client):
    assert (
        ana_client.post(
            f"/courses/{course.slug}/members/", {"handle": "@ben", "role": "facilitator"}
        ).status_code
        == 302
    )
    assert course.is_team_member(ben)
    assert course.space.is_member(ben)
    response = ana_client.post(
        f"/courses/{course.slug}/members/", {"handle": "nobody", "role": "author"}
    )
    assert response.status_code == 400
    assert CourseTeam.objects.filter(course=course).count() == 2


@pytest.mark.parametrize(
    "path",
    ["edit/", "team/", "units/new/"],
)
def test_team_pages_are_404_for_others(course, ben_client, path):
    assert ben_client.get(f"/courses/{course.slug}/{path}").status_code == 404
    assert ben_client.get(f"/courses/nope/{path}").status_code == 404


def test_others_cannot_change_a_course(course, ben_client):
    unit = course.units.first()
    assert (
        ben_client.post(
            f"/courses/{course.slug}/edit/", {"title": "Mine", "licence": "cc0"}
        ).status_code
        == 404
    )
    assert (
        ben_client.post(
            f"/courses/{course.slug}/members/", {"handle": "ben", "role": "author"}
        ).status_code
        == 404
    )
    assert (
        ben_client.post(
            f"/courses/{course.slug}/units/{unit.pk}/activities/new/",
            {"title": "x", "kind": "read", "estimated_minutes": "1", "order": "1"},
        ).status_code
        == 404
    )
    course.refresh_from_db()
    assert course.title == "Building your PLN"


def test_team_view_anonymous_is_sent_to_login(course):
    assert Client().get(f"/courses/{course.slug}/team/").status_code == 302


def test_team_view_shows_progress_and_stalls(course, ana_client, ben, chloe):
    enrol(course, ben)
    enrol(course, chloe)
    create_post(ben, PostDraft(body="Hi", in_reply_to=activity(course, "discuss").thread))
    page = ana_client.get(f"/courses/{course.slug}/team/").content.decode()
    assert "Ben Okafor" in page and "Chloe Martin" in page
    assert "1/4" in page and "0/4" in page
    assert 'Define a PLN <span class="meta">(Discuss)</span>: 1 learner' in page
    assert 'Position <span class="meta">(Write)</span>: 1 learner' in page


def test_editing_a_course_announces_it(course, ana_client):
    heard = []

    def listener(course, **_):
        heard.append(course.pk)

    events.subscribe(events.COURSE_CHANGED, listener)
    try:
        ana_client.post(f"/courses/{course.slug}/edit/", {"title": "New title", "licence": "cc0"})
    finally:
        events._subscribers[events.COURSE_CHANGED].remove(listener)
    assert heard == [course.pk]
    course.refresh_from_db()
    assert course.title == "New title" and course.slug == "building-your-pln"


def test_edit_form_bad_input_changes_nothing(course, ana_client):
    response = ana_client.post(f"/courses/{course.slug}/edit/", {"title": "", "licence": "nope"})
    assert response.status_code == 400
    course.refresh_from_db()
    assert course.title == "Building your PLN" and course.licence == "cc-by"


def test_t24_course_markdown_links_and_nesting_are_bounded(ana, ben_client):
    from connective.courses.services.authoring import (
        ActivityDraft,
        CourseDraft,
        create_course,
        publish_course,
        save_activity,
        save_unit,
    )

    deep = ">" * 10_000 + " deep"
    course = create_course(
        ana, CourseDraft(title="Deep", summary=f"[x](javascript:alert(1)) {deep}")
    )
    unit = save_unit(course, title="U", intro="- " * 5000 + "list")
    save_activity(unit, ActivityDraft(title="A", kind="read", instructions=deep), ana)
    publish_course(course, ana)
    page = ben_client.get(course.get_absolute_url()).content.decode()
    assert 'href="javascript' not in page
    assert page.count("<blockquote>") < 100
    assert "deep" in page
