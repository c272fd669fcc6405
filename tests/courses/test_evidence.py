"""Evidence is recognised from posts by their rules, and from outside pages."""

from datetime import UTC, datetime

from connective.content.models import Visibility
from connective.content.services.posts import PostDraft, create_post, delete_post, edit_post
from connective.courses.models import Evidence
from connective.courses.services.enrolment import enrol
from connective.courses.services.evidence import record_outside_evidence
from tests.courses.conftest import activity

WHEN = datetime(2026, 11, 1, tzinfo=UTC)


def _article(author, tags, visibility=Visibility.PUBLIC, **kw):
    draft = PostDraft(kind="article", title="Is PLN useful?", body="Yes.", topics=tags, **kw)
    draft.visibility = visibility
    return create_post(author, draft)


def test_discuss_reply_in_the_activity_thread_counts(course, ben):
    enrolment = enrol(course, ben)
    thread = activity(course, "discuss").thread
    reply = create_post(ben, PostDraft(body="A PLN is people.", in_reply_to=thread))
    evidence = Evidence.objects.get(enrolment=enrolment)
    assert evidence.post == reply
    assert evidence.activity == activity(course, "discuss")


def test_reply_to_a_reply_in_the_thread_counts(course, ben, chloe):
    enrol(course, ben)
    enrol(course, chloe)
    thread = activity(course, "discuss").thread
    first = create_post(chloe, PostDraft(body="Mine first.", in_reply_to=thread))
    create_post(ben, PostDraft(body="Agree.", in_reply_to=first))
    assert Evidence.objects.filter(enrolment__learner=ben).count() == 1


def test_post_in_another_thread_does_not_count(course, ben):
    enrol(course, ben)
    elsewhere = create_post(ben, PostDraft(body="Somewhere else."))
    create_post(ben, PostDraft(body="A reply.", in_reply_to=elsewhere))
    assert not Evidence.objects.exists()


def test_post_by_someone_not_enrolled_does_not_count(course, ben, chloe):
    enrol(course, ben)
    from connective.spaces.models import Membership

    Membership.objects.create(space=course.space, person=chloe)
    create_post(
        chloe, PostDraft(body="Not enrolled.", in_reply_to=activity(course, "discuss").thread)
    )
    assert not Evidence.objects.exists()


def test_write_article_with_the_tag_counts(course, ben):
    enrolment = enrol(course, ben)
    post = _article(ben, ["#PLN-Position"])
    assert Evidence.objects.get(enrolment=enrolment).post == post


def test_a_note_with_the_write_tag_does_not_count(course, ben):
    enrol(course, ben)
    create_post(ben, PostDraft(body="Short #pln-position"))
    assert not Evidence.objects.exists()


def test_share_resource_with_the_tag_counts(course, ben):
    enrol(course, ben)
    create_post(
        ben,
        PostDraft(
            kind="resource",
            title="A map",
            link_url="https://example.org/map",
            licence="cc-by",
            topics=["pln-resource"],
        ),
    )
    assert Evidence.objects.get().activity == activity(course, "share")


def test_same_post_edited_twice_is_recorded_once(course, ben):
    enrol(course, ben)
    post = _article(ben, ["pln-position"])
    for _ in range(2):
        edit_post(
            post, PostDraft(title="Is PLN useful?", body="Yes, edited.", topics=["pln-position"])
        )
    assert Evidence.objects.count() == 1


def test_an_edit_that_adds_the_tag_counts(course, ben):
    enrol(course, ben)
    post = _article(ben, [])
    assert not Evidence.objects.exists()
    edit_post(post, PostDraft(title="t", body="b", topics=["pln-position"]))
    assert Evidence.objects.get().post == post


def test_an_edit_that_removes_the_tag_withdraws_the_evidence(course, ben):
    enrol(course, ben)
    post = _article(ben, ["pln-position"])
    edit_post(post, PostDraft(title="t", body="b", topics=["other"]))
    assert not Evidence.objects.exists()


def test_a_private_post_does_not_count_until_made_public(course, ben):
    enrol(course, ben)
    post = _article(ben, ["pln-position"], visibility=Visibility.NETWORK)
    assert not Evidence.objects.exists()
    edit_post(post, PostDraft(title="t", body="b", topics=["pln-position"]))
    assert Evidence.objects.get().post == post


def test_deleting_the_post_withdraws_the_evidence(course, ben):
    enrol(course, ben)
    post = _article(ben, ["pln-position"])
    delete_post(post)
    assert not Evidence.objects.exists()


def test_earlier_posts_count_on_enrolment(course, ben):
    post = _article(ben, ["pln-position"])
    enrol(course, ben)
    assert Evidence.objects.get().post == post


def test_outside_evidence_for_write_and_share(course, ben):
    enrolment = enrol(course, ben)
    found = record_outside_evidence(
        ben,
        tags=["PLN Position", "pln-resource", "unrelated"],
        url="https://ben.example/blog/pln",
        title="My PLN",
        published_at=WHEN,
    )
    assert {e.activity.kind for e in found} == {"write", "share"}
    assert all(e.enrolment == enrolment and e.url == "https://ben.example/blog/pln" for e in found)


def test_outside_evidence_is_idempotent_per_url(course, ben):
    enrol(course, ben)
    for _ in range(2):
        record_outside_evidence(
            ben, tags=["pln-position"], url="https://ben.example/a", title="A", published_at=WHEN
        )
    assert Evidence.objects.count() == 1


def test_outside_evidence_ignores_discuss_and_the_unenrolled(course, ben, chloe):
    from connective.courses.services.enrolment import unenrol

    unenrol(enrol(course, chloe))
    assert (
        record_outside_evidence(
            chloe, tags=["pln-position"], url="https://c.example/a", title="A", published_at=WHEN
        )
        == []
    )
    assert (
        record_outside_evidence(
            ben, tags=["pln-position"], url="https://b.example/a", title="A", published_at=WHEN
        )
        == []
    )
    assert (
        record_outside_evidence(
            ben, tags=["###", ""], url="https://b.example/a", title="A", published_at=WHEN
        )
        == []
    )


def test_a_post_hidden_by_a_moderator_stops_counting_and_counts_again_when_shown(
    course, ana, ben, ben_client
):
    from connective.spaces.services.moderation import hide, unhide

    enrol(course, ben)
    reply = create_post(ben, PostDraft(body="Hm", in_reply_to=activity(course, "discuss").thread))
    hide(reply, ana, "Off topic")
    assert not Evidence.objects.exists()
    assert "a moderator hid it" in ben_client.get(course.get_absolute_url()).content.decode()
    unhide(reply, ana)
    assert Evidence.objects.get().post == reply
