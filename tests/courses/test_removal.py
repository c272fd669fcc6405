"""Removing courses, units and activities: delete what nobody took, close what learners took."""

import pytest
from django.urls import reverse

from connective.content.models import Post
from connective.core import events
from connective.courses.models import Activity, Course, Unit
from connective.courses.services.authoring import CourseError
from connective.courses.services.authoring_removal import close_course, delete_course
from connective.courses.services.enrolment import EnrolmentError, enrol, unenrol
from connective.courses.services.evidence import mark_done
from connective.search.models import SearchDocument
from connective.spaces.models import Space
from tests.conftest import client_for
from tests.courses.conftest import activity, build_course

pytestmark = pytest.mark.django_db


def heard(event):
    got = []
    events.subscribe(event, lambda **payload: got.append(payload))
    return got


def remove_url(course) -> str:
    return reverse("courses:remove", args=[course.slug])


def test_a_draft_course_is_deleted_by_its_team_after_confirming(ana, ben):
    draft = build_course(ana, publish=False)
    edit_page = client_for(ana).get(reverse("courses:edit", args=[draft.slug])).content.decode()
    assert remove_url(draft) in edit_page and "Delete this course" in edit_page
    assert "Delete “Building your PLN”?" in client_for(ana).get(remove_url(draft)).content.decode()
    assert client_for(ben).post(remove_url(draft), {"action": "delete"}).status_code == 404
    deleted = heard(events.COURSE_DELETED)
    response = client_for(ana).post(remove_url(draft), {"action": "delete"})
    assert response.status_code == 302 and response.url == reverse("courses:index")
    assert not Course.objects.exists() and not Unit.objects.exists()
    assert not Activity.objects.exists()
    assert [p["course"].title for p in deleted] == ["Building your PLN"]


def test_a_published_course_nobody_took_goes_with_its_discussion_space(course, ana, client):
    space_pk = course.space_id
    thread_posts = list(Post.objects.filter(space_id=space_pk).values_list("pk", flat=True))
    assert thread_posts  # one thread per discuss activity
    assert SearchDocument.objects.filter(source="course", object_id=course.pk).exists()
    client_for(ana).post(remove_url(course), {"action": "delete"})
    assert not Course.objects.exists()
    assert not Space.all_objects.filter(pk=space_pk).exists()
    assert not Post.objects.filter(pk__in=thread_posts, deleted_at__isnull=True).exists()
    assert not SearchDocument.objects.filter(source="course", object_id=course.pk).exists()
    assert client.get(reverse("courses:course", args=[course.slug])).status_code == 404


def test_a_course_someone_enrolled_in_is_closed_not_deleted(course, ana, ben, chloe, client):
    enrolment = enrol(course, ben)
    mark_done(enrolment, activity(course, "read"))
    unenrol(enrolment)  # even a learner who left counts: their evidence is on record
    page = client_for(ana).get(remove_url(course)).content.decode()
    assert "Close “Building your PLN”?" in page and "1 learner enrolled" in page
    assert client_for(ana).post(remove_url(course), {"action": "delete"}).status_code == 302
    assert Course.objects.filter(pk=course.pk, closed_at__isnull=True).exists()  # refused
    with pytest.raises(CourseError):
        delete_course(course, ana)
    client_for(ana).post(remove_url(course), {"action": "close"})
    course.refresh_from_db()
    assert course.is_closed and Space.objects.filter(pk=course.space_id).exists()
    with pytest.raises(EnrolmentError):
        enrol(course, chloe)
    assert enrol(course, ben).unenrolled_at is None  # a learner who had enrolled may come back
    page = client.get(course.get_absolute_url()).content.decode()
    assert "closed to new learners" in page and ">Enrol<" not in page
    assert client_for(chloe).post(reverse("courses:enrol", args=[course.slug])).status_code < 500
    assert not course.enrolments.filter(learner=chloe).exists()
    client_for(ana).post(remove_url(course), {"action": "reopen"})
    course.refresh_from_db()
    assert enrol(course, chloe).course_id == course.pk


def test_closing_needs_a_published_course_and_the_team(course, ben):
    draft = build_course(course.team_rows.first().person, title="Draft", publish=False)
    with pytest.raises(CourseError):
        close_course(draft, None)
    with pytest.raises(CourseError):
        close_course(course, ben)
    assert client_for(ben).post(remove_url(course), {"action": "close"}).status_code == 404
    assert (
        client_for(course.created_by).post(remove_url(course), {"action": "x"}).status_code == 400
    )


def test_an_activity_is_removed_from_its_edit_page_after_confirming(course, ana, ben):
    read = activity(course, "read")
    url = reverse("courses:activity_delete", args=[course.slug, read.unit_id, read.pk])
    form = reverse("courses:activity_edit", args=[course.slug, read.unit_id, read.pk])
    assert url in client_for(ana).get(form).content.decode()
    assert client_for(ben).post(url).status_code == 404
    assert "Remove “Read”?" in client_for(ana).get(url).content.decode()
    assert client_for(ana).post(url).status_code == 302
    assert not Activity.objects.filter(pk=read.pk).exists()


def test_an_activity_or_unit_with_evidence_stays(course, ana, ben):
    read = activity(course, "read")
    mark_done(enrol(course, ben), read)
    url = reverse("courses:activity_delete", args=[course.slug, read.unit_id, read.pk])
    response = client_for(ana).post(url)
    assert response.status_code == 409 and "cannot be removed" in response.content.decode()
    unit_url = reverse("courses:unit_delete", args=[course.slug, read.unit_id])
    assert client_for(ana).post(unit_url).status_code == 409
    assert Activity.objects.filter(pk=read.pk).exists()


def test_a_unit_is_removed_with_its_activities(course, ana):
    unit = course.units.get(title="Start")
    url = reverse("courses:unit_delete", args=[course.slug, unit.pk])
    assert url in client_for(ana).get(reverse("courses:edit", args=[course.slug])).content.decode()
    page = client_for(ana).get(url).content.decode()
    assert "2 activities" in page and "Define a PLN" in page
    assert client_for(ana).post(url).status_code == 302
    assert not Unit.objects.filter(pk=unit.pk).exists()
    assert list(course.activities.values_list("title", flat=True).order_by("title")) == [
        "Read",
        "Share",
        "Watch",
    ]
