"""The learner's pages: course list, course page, enrolment, marking done, privacy."""

from django.test import Client

from connective.content.models import Visibility
from connective.content.services.posts import PostDraft, create_post
from connective.courses.models import Enrolment, Evidence
from connective.courses.services.enrolment import enrol
from tests.conftest import client_for
from tests.courses.conftest import activity, build_course


def test_index_lists_published_courses_not_drafts(course, ana):
    build_course(ana, title="Secret draft", publish=False)
    page = Client().get("/courses/")
    assert page.status_code == 200
    assert b"Building your PLN" in page.content
    assert b"Secret draft" not in page.content


def test_draft_course_is_a_404_except_for_its_team(ana, ana_client, ben_client):
    draft = build_course(ana, publish=False)
    assert ben_client.get(draft.get_absolute_url()).status_code == 404
    assert Client().get(draft.get_absolute_url()).status_code == 404
    assert ana_client.get(draft.get_absolute_url()).status_code == 200


def test_course_page_shows_how_each_activity_is_completed(course):
    page = Client().get(course.get_absolute_url()).content.decode()
    assert "about 2 hours" in page
    assert "about 3 hours" in page
    assert "#pln-position" in page
    assert "Post in the activity" in page
    assert "Mark it done" in page


def test_enrol_with_one_click_and_see_progress(course, ben, ben_client):
    response = ben_client.post(f"/courses/{course.slug}/enrol/")
    assert response.status_code == 302
    assert Enrolment.objects.get(learner=ben).is_active
    page = ben_client.get(course.get_absolute_url()).content.decode()
    assert "My progress" in page
    assert "0 of 4 required activities done" in page
    assert "about 6 hours 15 minutes left" in page
    assert 'Next: <a href="#activity-' in page
    assert "Write your article" in page
    assert "topics=pln-position" in page


def test_enrol_needs_login_and_a_post(course):
    assert Client().post(f"/courses/{course.slug}/enrol/").status_code == 302
    assert not Enrolment.objects.exists()
    assert client_for_get(course) == 405


def client_for_get(course) -> int:
    from tests.conftest import make_person

    return client_for(make_person("dora")).get(f"/courses/{course.slug}/enrol/").status_code


def test_mark_done_with_a_private_reflection(course, ben, ben_client, ana_client):
    enrol(course, ben)
    read = activity(course, "read")
    ben_client.post(
        f"/courses/{course.slug}/activities/{read.pk}/done/", {"reflection": "Secret thought"}
    )
    evidence = Evidence.objects.get(activity=read)
    assert evidence.reflection == "Secret thought"
    assert "Secret thought" in ben_client.get(course.get_absolute_url()).content.decode()
    assert "Secret thought" not in ana_client.get(course.get_absolute_url()).content.decode()
    assert "Secret thought" not in ana_client.get(f"/courses/{course.slug}/team/").content.decode()


def test_mark_done_refused_for_a_discuss_activity(course, ben, ben_client):
    enrol(course, ben)
    discuss = activity(course, "discuss")
    ben_client.post(f"/courses/{course.slug}/activities/{discuss.pk}/done/")
    assert not Evidence.objects.exists()


def test_mark_done_with_an_overlong_reflection_changes_nothing(course, ben, ben_client):
    enrol(course, ben)
    read = activity(course, "read")
    response = ben_client.post(
        f"/courses/{course.slug}/activities/{read.pk}/done/", {"reflection": "x" * 10_001}
    )
    assert response.status_code == 302
    assert not Evidence.objects.exists()


def test_mark_done_when_not_enrolled_is_a_404(course, ben_client):
    read = activity(course, "read")
    assert ben_client.post(f"/courses/{course.slug}/activities/{read.pk}/done/").status_code == 404
    assert ben_client.post(f"/courses/{course.slug}/activities/99999/done/").status_code == 404


def test_undo_a_mark_of_done(course, ben, ben_client):
    enrol(course, ben)
    read = activity(course, "read")
    ben_client.post(f"/courses/{course.slug}/activities/{read.pk}/done/")
    ben_client.post(f"/courses/{course.slug}/activities/{read.pk}/undo/")
    assert not Evidence.objects.exists()


def test_private_post_does_not_count_and_the_learner_sees_why(course, ben, ben_client):
    enrol(course, ben)
    draft = PostDraft(kind="article", title="My position", body="b", topics=["pln-position"])
    draft.visibility = Visibility.NETWORK
    create_post(ben, draft)
    assert not Evidence.objects.exists()
    page = ben_client.get(course.get_absolute_url()).content.decode()
    assert "does not count yet: only your network can see it" in page
    assert "public or unlisted" in page


def test_evidence_links_on_the_course_page(course, ben, ben_client):
    enrol(course, ben)
    thread = activity(course, "discuss").thread
    reply = create_post(ben, PostDraft(body="Here I am", in_reply_to=thread))
    page = ben_client.get(course.get_absolute_url()).content.decode()
    assert f'href="/posts/{reply.pk}/"' in page


def test_unenrol_keeps_posts_and_evidence(course, ben, ben_client):
    enrol(course, ben)
    thread = activity(course, "discuss").thread
    reply = create_post(ben, PostDraft(body="Kept", in_reply_to=thread))
    ben_client.post(f"/courses/{course.slug}/unenrol/")
    enrolment = Enrolment.objects.get(learner=ben)
    assert not enrolment.is_active
    assert Evidence.objects.filter(post=reply).exists()
    reply.refresh_from_db()
    assert reply.deleted_at is None
    assert "You left this course" in ben_client.get(course.get_absolute_url()).content.decode()
    ben_client.post(f"/courses/{course.slug}/enrol/")
    enrolment.refresh_from_db()
    assert enrolment.is_active


def test_t23_html_in_course_text_and_activity_titles_is_escaped(ana, ben_client):
    from connective.courses.services.authoring import (
        ActivityDraft,
        CourseDraft,
        create_course,
        publish_course,
        save_activity,
        save_unit,
    )

    evil = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
    course = create_course(
        ana, CourseDraft(title=f"T{evil}", summary=f"S {evil} [x](javascript:alert(3))")
    )
    unit = save_unit(course, title=f"U{evil}", intro=evil)
    save_activity(
        unit, ActivityDraft(title=f"A{evil}", instructions=evil, kind="write", tag="t23"), ana
    )
    publish_course(course, ana)
    for url in ["/courses/", course.get_absolute_url()]:
        page = ben_client.get(url).content.decode()
        assert "<img src=x" not in page and "<script>alert" not in page
        assert 'href="javascript' not in page
        assert "&lt;script&gt;" in page or "&lt;img" in page


def test_write_your_article_opens_the_composer_with_the_tag_and_posting_counts(
    course, ben, ben_client
):
    import re

    enrol(course, ben)
    page = ben_client.get(course.get_absolute_url()).content.decode()
    link = re.search(r'href="(/posts/new/\?kind=article&amp;topics=pln-position)"', page)
    assert link is not None
    composer = ben_client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert 'value="pln-position"' in composer
    ben_client.post(
        "/posts/new/",
        {
            "kind": "article",
            "title": "PLN: useful",
            "body": "My position.",
            "topics": "pln-position",
            "visibility": "public",
        },
    )
    assert Evidence.objects.get(enrolment__learner=ben).activity == activity(course, "write")
