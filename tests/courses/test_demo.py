"""The demo course: learners at different stages, `learner` holding a statement."""

from connective.courses.demo import TITLE, load_demo
from connective.courses.models import Course, Enrolment
from connective.credentials.models import Statement
from tests.conftest import make_person


def test_demo_course_with_learners_at_different_stages(db):
    people = {
        h: make_person(h)
        for h in ["siobhan", "joao", "learner", "amara", "kenji", "priya", "mateo"]
    }
    load_demo(people)
    load_demo(people)  # idempotent
    course = Course.objects.get(title=TITLE)
    assert course.is_published and course.units.count() == 3 and course.activities.count() == 7
    assert set(course.activities.values_list("kind", flat=True)) == {
        "discuss",
        "read",
        "write",
        "reflect",
        "share",
        "watch",
    }
    assert Enrolment.objects.filter(course=course).count() == 5
    done = Enrolment.objects.filter(completed_at__isnull=False)
    assert [e.learner.handle for e in done] == ["learner"]
    assert Statement.objects.get().recipient == people["learner"]
    assert course.is_team_member(people["joao"])


def test_each_demo_writer_takes_a_position_of_their_own(db):
    from connective.content.models import Post

    people = {
        h: make_person(h)
        for h in ["siobhan", "joao", "learner", "amara", "kenji", "priya", "mateo"]
    }
    load_demo(people)
    titles = list(Post.objects.filter(topics__key="plnposition").values_list("title", flat=True))
    assert len(titles) == 3 and len(set(titles)) == 3
