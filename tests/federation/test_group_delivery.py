"""What Groups send (Announce of threads, replies, edits, deletions; course announcements),
remote replies into threads, and Groups elsewhere announcing to people here (FEP-1b12)."""

# ruff: noqa: F401, F811  (fixtures imported from tests.federation.peers and test_groups)

import json

import pytest

from connective.accounts.models import Person
from connective.content.models import Post
from connective.federation.handlers.base import Ignored
from connective.federation.handlers.groups import admit_space_reply, handle_group_announce
from connective.federation.models import Delivery
from connective.federation.services import groups
from connective.federation.wire import Activity
from connective.network.models import Connection
from connective.network.services import relations
from connective.spaces.services.spaces import edit_space
from connective.spaces.services.threads import reply, start_thread
from tests.courses.conftest import build_course
from tests.federation.peers import act, create, dana, eve, make_peer, note, signed_post
from tests.federation.test_groups import (
    AP,
    EVE_KEY,
    SHARED,
    _fresh_throttle,
    closed,
    deliveries,
    follow,
    space,
)
from tests.trap import trap

pytestmark = pytest.mark.django_db


# --- Announce out -------------------------------------------------------------------------


def test_new_thread_is_announced_to_the_groups_followers(space, ana, dana, eve):
    signed_post(SHARED, follow(dana, space.uri))
    Delivery.objects.all().delete()
    root = start_thread(ana, space, title="Means", body="What is a mean?")
    wrapped, boost = deliveries("Announce")
    actor = groups.space_actor(space)
    assert wrapped.sender == actor and wrapped.inbox_url == dana.shared_inbox_url
    doc = wrapped.activity
    assert doc["actor"] == space.uri and doc["audience"] == space.uri
    assert doc["cc"] == [f"{space.uri.rstrip('/')}/followers"]
    create_doc = doc["object"]
    assert create_doc["type"] == "Create" and create_doc["actor"] == ana.uri
    assert create_doc["object"]["id"] == root.uri and create_doc["object"]["name"] == "Means"
    assert create_doc["object"]["audience"] == space.uri
    assert boost.activity["object"] == root.uri
    assert not Delivery.objects.filter(inbox_url__contains="other.example").exists()


def test_a_reply_is_announced_wrapped_only(space, ana, ben, dana):
    signed_post(SHARED, follow(dana, space.uri))
    root = start_thread(ana, space, title="Means", body="What is a mean?")
    Delivery.objects.all().delete()
    from connective.spaces.services.membership import join

    join(space, ben)
    answer = reply(ben, root, body="An average.")
    (wrapped,) = deliveries("Announce")
    assert wrapped.activity["object"]["object"]["id"] == answer.uri
    assert wrapped.activity["object"]["object"]["inReplyTo"] == root.uri


def test_t28_members_only_content_never_leaves_the_server(space, ana, dana):
    signed_post(SHARED, follow(dana, space.uri))
    edit_space(space, ana, name=space.name, members_only=True)
    Delivery.objects.all().delete()
    start_thread(ana, space, title="Private", body="Only for us.")
    assert not Delivery.objects.exists()


def test_a_course_announces_its_discussion_space_once(client, ana, ben, dana):
    """A course's discussion space is no Group of its own: the course's Group announces its
    threads and replies (one Announce each, `audience` the course), whoever wrote them."""
    course = build_course(ana)
    signed_post(SHARED, follow(dana, course.uri))
    Delivery.objects.all().delete()
    root = start_thread(ana, course.space, title="Welcome", body="Week one starts.")
    senders = {d.activity["actor"] for d in deliveries("Announce")}
    assert senders == {course.uri}
    assert any(d.activity["object"] == root.uri for d in deliveries("Announce"))
    Delivery.objects.all().delete()
    from connective.spaces.services.membership import join

    join(course.space, ben)
    question = start_thread(ben, course.space, title="A learner's question", body="Hello?")
    wrapped, boost = deliveries("Announce")
    assert {wrapped.activity["actor"], boost.activity["actor"]} == {course.uri}
    assert wrapped.activity["object"]["object"]["audience"] == course.uri
    assert boost.activity["object"] == question.uri
    post_doc = client.get(f"/posts/{question.pk}/", HTTP_ACCEPT=AP).json()
    assert post_doc["audience"] == course.uri  # the post and the Announce name one group


def test_a_courses_space_announces_nothing_itself_even_with_an_old_actor_row(ana, dana):
    course = build_course(ana)
    old = groups._actor_row(course.space.uri, f"space.{course.space.pk}", "Group", "old")
    Connection.objects.create(owner=dana, target=old)  # followed before the rule
    Delivery.objects.all().delete()
    start_thread(ana, course.space, title="Welcome", body="Week one starts.")
    assert not deliveries()  # nobody follows the course: nobody gets it, nobody twice


def test_editing_a_thread_is_announced_as_an_update(space, ana, dana):
    from connective.spaces.services.threads import edit_thread

    signed_post(SHARED, follow(dana, space.uri))
    root = start_thread(ana, space, title="Means", body="What is a mean?")
    Delivery.objects.all().delete()
    edit_thread(root, title="Means and medians", body="What is a mean, and a median?")
    (announce,) = deliveries("Announce")
    update = announce.activity["object"]
    assert update["type"] == "Update" and update["actor"] == ana.uri
    assert update["object"]["id"] == root.uri and update["object"]["name"] == "Means and medians"


def test_deleting_a_thread_is_announced(space, ana, dana):
    from connective.content.services.posts import delete_post

    signed_post(SHARED, follow(dana, space.uri))
    root = start_thread(ana, space, title="Means", body="What is a mean?")
    Delivery.objects.all().delete()
    delete_post(root)
    announced = [d.activity["object"] for d in deliveries("Announce")]
    assert {"id": root.uri, "type": "Tombstone"} in [a.get("object") for a in announced]


# --- remote replies into threads ----------------------------------------------------------


def test_admit_space_reply_wants_a_follower_of_an_open_space(space, closed, ana, dana):
    root = start_thread(ana, space, title="Means", body="What is a mean?")
    with pytest.raises(Ignored):
        admit_space_reply(root, dana)
    signed_post(SHARED, follow(dana, space.uri))
    admit_space_reply(root, dana)
    relations.block(ana, dana)
    with pytest.raises(Ignored):
        admit_space_reply(root, dana)
    hidden = start_thread(ana, closed, title="Staff", body="Only us.")
    with pytest.raises(Ignored):
        admit_space_reply(hidden, dana)


def test_remote_followers_reply_lands_in_the_thread(space, ana, dana, eve):
    signed_post(SHARED, follow(dana, space.uri))
    signed_post(SHARED, follow(eve, space.uri), **EVE_KEY)
    root = start_thread(ana, space, title="Means", body="What is a mean?")
    Delivery.objects.all().delete()
    answer = note(dana, 7, inReplyTo=root.uri)
    assert signed_post(SHARED, create(dana, answer, 7)).status_code == 202
    post = Post.objects.get(uri=answer["id"])
    assert post.space_id == space.pk and post.thread_root_id == root.pk
    assert post.author == dana
    # The Group passes the reply on to its other followers, not back to the replier's server.
    (wrapped,) = deliveries("Announce")
    assert wrapped.inbox_url == eve.shared_inbox_url
    assert wrapped.activity["object"] == {
        "id": f"{post.uri}#create",
        "type": "Create",
        "actor": dana.uri,
        "object": post.uri,
    }


def test_a_strangers_reply_stays_out_of_the_thread(space, ana, dana):
    root = start_thread(ana, space, title="Means", body="What is a mean?")
    signed_post(SHARED, create(dana, note(dana, 7, inReplyTo=root.uri), 7))
    assert not Post.objects.filter(author=dana).exists()


def test_a_hidden_remote_reply_stays_hidden_after_an_update(space, ana, dana):
    from connective.spaces.services.moderation import hide

    signed_post(SHARED, follow(dana, space.uri))
    root = start_thread(ana, space, title="Means", body="What is a mean?")
    answer = note(dana, 7, inReplyTo=root.uri)
    signed_post(SHARED, create(dana, answer, 7))
    post = Post.objects.get(uri=answer["id"])
    hide(post, ana, reason="Off topic")
    edited = answer | {"content": "<p>Edited</p>"}
    signed_post(SHARED, act(dana, "Update", edited, "7"))
    post.refresh_from_db()
    assert post.hidden_at is not None
    assert not Post.objects.visible_to(None).filter(pk=post.pk).exists()


# --- a group elsewhere announces to people here ---------------------------------------------


@pytest.fixture
def lemmy(db, ana):
    """A remote Group that Ana follows."""
    group = make_peer("maths", "lemmy.example", "rsa-b")
    Person.objects.filter(pk=group.pk).update(actor_type="Group")
    Connection.objects.create(owner=ana, target=group, direction="learn_with")
    return group


@pytest.fixture
def zed(settings, trap):  # noqa: F811
    """A remote author whose server is the trap (so their posts can be fetched from their id)."""
    settings.CONNECTIVE_FEDERATION_ALLOW_HTTP = True
    base = trap.url("/users/zed")
    return Person.objects.create(
        handle="zed",
        domain=trap.url("").removeprefix("http://").rstrip("/"),
        uri=base,
        inbox_url=f"{base}/inbox",
        followers_url=f"{base}/followers",
        public_key_pem="x",
    )


def group_announce(group, inner, n=1):
    return Activity.from_dict(
        {
            "id": f"{group.uri}/activities/announce/{n}",
            "type": "Announce",
            "actor": group.uri,
            "object": inner,
            "to": [PUBLIC_URI],
        }
    )


PUBLIC_URI = "https://www.w3.org/ns/activitystreams#Public"


def test_t03_a_groups_announced_create_is_fetched_from_the_posts_own_id(lemmy, zed, trap):  # noqa: F811
    doc = note(zed, 3) | {"id": trap.url("/notes/3"), "content": "<p>From the group</p>"}
    trap.serve("/notes/3", json.dumps(doc), content_type=AP)
    forged = doc | {"content": "<p>Forged by the group</p>"}
    inner = {"id": trap.url("/notes/3/activity"), "type": "Create", "actor": zed.uri}
    handle_group_announce(group_announce(lemmy, inner | {"object": forged}), lemmy)
    post = Post.objects.get(uri=doc["id"])
    assert post.author == zed and "From the group" in post.body_html
    assert trap.hits_for("/notes/3") == 1


def test_an_announce_from_a_group_nobody_here_follows_is_ignored(lemmy, zed, trap):  # noqa: F811
    Connection.objects.filter(target=lemmy).delete()
    inner = {"type": "Create", "actor": zed.uri, "object": trap.url("/notes/3")}
    with pytest.raises(Ignored):
        handle_group_announce(group_announce(lemmy, inner), lemmy)
    assert not trap.hits


def test_t09_an_announced_delete_counts_only_if_the_post_is_gone(lemmy, zed, trap):  # noqa: F811
    doc = note(zed, 4) | {"id": trap.url("/notes/4")}
    trap.serve("/notes/4", json.dumps(doc), content_type=AP)
    inner = {"type": "Create", "actor": zed.uri, "object": doc["id"]}
    handle_group_announce(group_announce(lemmy, inner), lemmy)
    delete = {"type": "Delete", "actor": zed.uri, "object": {"id": doc["id"]}}
    with pytest.raises(Ignored):  # still served: the group cannot delete it for its author
        handle_group_announce(group_announce(lemmy, delete, 2), lemmy)
    assert Post.objects.get(uri=doc["id"]).deleted_at is None
    trap.serve("/notes/4", b"", status=410)
    handle_group_announce(group_announce(lemmy, delete, 3), lemmy)
    assert Post.objects.get(uri=doc["id"]).deleted_at is not None


def test_an_announced_update_refetches_our_copy(lemmy, zed, trap):  # noqa: F811
    doc = note(zed, 5) | {"id": trap.url("/notes/5"), "content": "<p>First</p>"}
    trap.serve("/notes/5", json.dumps(doc), content_type=AP)
    handle_group_announce(group_announce(lemmy, {"type": "Create", "object": doc["id"]}), lemmy)
    trap.serve("/notes/5", json.dumps(doc | {"content": "<p>Second</p>"}), content_type=AP)
    forged = doc | {"content": "<p>Forged</p>"}
    handle_group_announce(group_announce(lemmy, {"type": "Update", "object": forged}, 2), lemmy)
    assert "Second" in Post.objects.get(uri=doc["id"]).body_html


# --- a deleted group says Delete and leaves a Tombstone -------------------------------------


def test_deleting_a_space_sends_delete_group_and_leaves_a_tombstone(client, space, ana, dana):
    from connective.federation.services.deliver import _farewell
    from connective.spaces.services.deletion import delete_space

    signed_post(SHARED, follow(dana, space.uri))
    actor = groups.space_actor(space)
    Delivery.objects.all().delete()
    delete_space(space, ana)
    (delete,) = deliveries("Delete")
    assert delete.sender == actor and delete.inbox_url == dana.shared_inbox_url
    assert delete.activity["actor"] == space.uri and delete.activity["object"] == space.uri
    actor.refresh_from_db()
    assert actor.deleted_at is not None and _farewell(delete)  # sent although retired
    assert not Connection.objects.filter(target=actor).exists()
    for path in ("", "outbox", "followers"):
        response = client.get(f"/spaces/{space.slug}/{path}", HTTP_ACCEPT=AP)
        assert response.status_code == 410, path
    doc = client.get(f"/spaces/{space.slug}/", HTTP_ACCEPT=AP).json()
    assert doc == {**doc, "id": space.uri, "type": "Tombstone", "formerType": "Group"}


def test_a_deleted_groups_row_takes_no_new_follow(space, ana, dana):
    from connective.spaces.services.deletion import delete_space

    groups.space_actor(space)
    delete_space(space, ana)
    Delivery.objects.all().delete()
    signed_post(SHARED, follow(dana, space.uri))
    assert not Connection.objects.filter(owner=dana).exists() and not deliveries()


def test_a_space_being_deleted_answers_410(client, space):
    from django.utils import timezone

    from connective.spaces.models import Space

    Space.all_objects.filter(pk=space.pk).update(deleted_at=timezone.now())
    assert client.get(f"/spaces/{space.slug}/", HTTP_ACCEPT=AP).status_code == 410


def test_a_new_space_at_a_deleted_ones_address_starts_afresh(client, space, ana, dana):
    from connective.spaces.services.deletion import delete_space
    from connective.spaces.services.spaces import create_space

    signed_post(SHARED, follow(dana, space.uri))
    delete_space(space, ana)
    again = create_space(ana, name="Statistics")
    assert again.slug == space.slug
    doc = client.get(f"/spaces/{again.slug}/", HTTP_ACCEPT=AP).json()
    assert doc["type"] == "Group"
    assert groups.follower_count(groups.space_actor(again)) == 0  # the old followers were told


def test_deleting_a_course_sends_delete_group_and_leaves_a_tombstone(client, ana, dana):
    from connective.courses.services.authoring_removal import delete_course

    course = build_course(ana)
    signed_post(SHARED, follow(dana, course.uri))
    Delivery.objects.all().delete()
    delete_course(course, ana)
    (delete,) = deliveries("Delete")  # the course's; its discussion space had no Group
    assert delete.activity["object"] == course.uri and delete.inbox_url == dana.shared_inbox_url
    response = client.get(f"/courses/{course.slug}/", HTTP_ACCEPT=AP)
    assert response.status_code == 410 and response.json()["type"] == "Tombstone"


def test_deleting_a_draft_course_leaves_no_trace_for_activitypub(client, ana):
    from connective.courses.services.authoring_removal import delete_course

    draft = build_course(ana, title="Later", publish=False)
    delete_course(draft, ana)
    assert client.get(f"/courses/{draft.slug}/", HTTP_ACCEPT=AP).status_code == 404
    assert not deliveries()
