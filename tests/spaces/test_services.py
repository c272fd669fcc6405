"""The service API the courses app calls: create spaces, join and leave, start threads."""

import pytest

from connective.content.models import Post
from connective.core import events
from connective.spaces.models import Membership, Thread
from connective.spaces.services.membership import join, leave
from connective.spaces.services.spaces import SpaceError, create_space, edit_space
from connective.spaces.services.threads import reply, start_thread

pytestmark = pytest.mark.django_db


def test_create_space_makes_creator_moderator_and_renders_description(ana):
    space = create_space(ana, name="  PLN   course ", description="Hello **all**", topics=["PLN"])
    assert space.name == "PLN course"
    assert space.slug == "pln-course"
    assert "<strong>all</strong>" in space.description_html
    assert space.is_moderator(ana)
    assert [t.name for t in space.topics.all()] == ["PLN"]
    assert space.uri.endswith("/spaces/pln-course/")


def test_slugs_are_numbered_when_taken_and_chosen_ones_checked(ana):
    assert create_space(ana, name="Same").slug == "same"
    assert create_space(ana, name="Same").slug == "same-2"
    assert create_space(ana, name="Other", slug="course-7-forum").slug == "course-7-forum"
    with pytest.raises(SpaceError) as exc:
        create_space(ana, name="Other", slug="course-7-forum")
    assert exc.value.field == "slug"
    with pytest.raises(SpaceError):
        create_space(ana, name="Other", slug="Bad Slug!")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"name": "ok", "description": "x" * 5001}, "description"),
        ({"name": "ok", "topics": ["a"] * 0 + [f"t{n}" for n in range(30)]}, "topics"),
    ],
)
def test_bad_space_input_is_refused_and_nothing_stored(ana, fields, field):
    with pytest.raises(SpaceError) as exc:
        create_space(ana, **fields)
    assert exc.value.field == field
    assert exc.value.message
    assert not Membership.objects.exists()


def test_space_changed_is_announced_on_create_and_edit(ana, ben):
    heard = []

    def listener(space):
        heard.append(space.name)

    events.subscribe(events.SPACE_CHANGED, listener)
    try:
        space = create_space(ana, name="First")
        edit_space(space, ana, name="Second")
        with pytest.raises(SpaceError):
            edit_space(space, ben, name="Third")
    finally:
        events._subscribers[events.SPACE_CHANGED].remove(listener)
    assert heard == ["First", "Second"]


def test_join_is_idempotent_and_leave_works(space, ben):
    first = join(space, ben)
    assert join(space, ben).pk == first.pk
    assert space.is_member(ben)
    leave(space, ben)
    assert not space.is_member(ben)
    leave(space, ben)  # leaving twice changes nothing


def test_last_moderator_cannot_leave(space, ana, ben):
    with pytest.raises(SpaceError):
        leave(space, ana)
    join(space, ben)
    from connective.spaces.services.spaces import add_moderator

    add_moderator(space, ana, ben)
    leave(space, ana)
    assert not space.is_member(ana)
    assert space.is_moderator(ben)


def test_start_thread_is_a_titled_note_in_the_space(space, ana):
    root = start_thread(ana, space, title="Welcome", body="Say *hi*", topics=["intro"])
    assert root.kind == "note" and root.title == "Welcome" and root.space == space
    thread = Thread.objects.get(root=root)
    assert thread.space == space
    assert thread.subscriptions.filter(person=ana).exists()
    space.refresh_from_db()
    assert space.last_activity_at == root.created_at


def test_only_members_start_threads_and_titles_are_required(space, ben):
    with pytest.raises(SpaceError):
        start_thread(ben, space, title="Hi", body="there")
    join(space, ben)
    with pytest.raises(SpaceError) as exc:
        start_thread(ben, space, title="  ", body="there")
    assert exc.value.field == "title"
    with pytest.raises(SpaceError) as exc:
        start_thread(ben, space, title="Long", body="x" * 5001)
    assert exc.value.field == "body"
    assert not Post.objects.exists()


def test_reply_refused_for_non_members_with_contents_message(space, ana, ben):
    root = start_thread(ana, space, title="Welcome", body="Hi")
    with pytest.raises(SpaceError) as exc:
        reply(ben, root, body="me too")
    assert "Join the space" in exc.value.message
    join(space, ben)
    answer = reply(ben, root, body="me too")
    assert answer.space == space and answer.thread_root == root
    thread = Thread.objects.get(root=root)
    assert thread.last_activity_at == answer.created_at
    assert thread.subscriptions.filter(person=ben).exists()
