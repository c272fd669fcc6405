"""The courses admin pages open, and hide learners' private reflections."""

from connective.courses.models import Evidence
from connective.courses.services.enrolment import enrol
from connective.courses.services.evidence import mark_done
from tests.conftest import client_for, make_person
from tests.courses.conftest import activity


def test_admin_pages_open_without_reflections(course, ben):
    admin = make_person("root")
    admin.user.is_staff = admin.user.is_superuser = True
    admin.user.save()
    mark_done(enrol(course, ben), activity(course, "read"), "very private")
    client = client_for(admin)
    for model in ["course", "activity", "enrolment", "evidence"]:
        assert client.get(f"/admin/courses/{model}/").status_code == 200
    page = client.get(f"/admin/courses/evidence/{Evidence.objects.get().pk}/change/")
    assert page.status_code == 200 and b"very private" not in page.content
