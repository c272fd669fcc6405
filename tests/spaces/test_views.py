"""The pages: space list, space page, thread page, starting and replying, join and leave."""

import pytest
from django.urls import reverse

from connective.content.models import Post
from connective.spaces.models import JoinRequest, Space, Thread
from connective.spaces.services.membership import join
from connective.spaces.services.threads import reply, start_thread
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def thread_url(root):
    return reverse("spaces:thread", kwargs={"slug": root.space.slug, "pk": root.pk})


def test_create_a_space_through_the_form(ana_client, ana):
    response = ana_client.post(
        reverse("spaces:create"),
        {"name": "Reading group", "description": "We *read*", "topics": "books, reading"},
    )
    space = Space.objects.get(slug="reading-group")
    assert response.status_code == 302 and response["Location"] == space.get_absolute_url()
    assert space.is_moderator(ana)
    assert {t.name for t in space.topics.all()} == {"books", "reading"}
    page = ana_client.get(space.get_absolute_url())
    assert b"<em>read</em>" in page.content
    assert b"Start a thread" in page.content


def test_bad_space_form_is_a_400_and_stores_nothing(ana_client):
    response = ana_client.post(reverse("spaces:create"), {"name": "", "topics": "x" * 2000})
    assert response.status_code == 400
    assert b"Give the space a name." in response.content
    assert not Space.objects.exists()


def test_space_list_orders_by_last_activity_and_filters(ana, ben, client):
    from connective.spaces.services.spaces import create_space

    quiet = create_space(ana, name="Quiet", topics=["maths"])
    busy = create_space(ben, name="Busy", topics=["art"])
    start_thread(ana, quiet, title="Late", body="newest")
    body = client.get(reverse("spaces:index")).content.decode()
    assert body.index("Quiet") < body.index("Busy")
    body = client.get(reverse("spaces:index") + "?topic=art").content.decode()
    assert "Busy" in body and "Quiet" not in body
    mine = client_for(ben).get(reverse("spaces:index") + "?mine=1").content.decode()
    assert "Busy" in mine and "Quiet" not in mine
    assert busy.slug in mine


def test_space_page_lists_threads_pinned_first_then_by_activity(space, ana, ben, client):
    old = start_thread(ana, space, title="Old thread", body="a")
    new = start_thread(ana, space, title="New thread", body="b")
    body = client.get(space.get_absolute_url()).content.decode()
    assert body.index("New thread") < body.index("Old thread")
    Thread.objects.filter(root=old).update(pinned_at=new.created_at)
    body = client.get(space.get_absolute_url()).content.decode()
    assert body.index("Old thread") < body.index("New thread")
    join(space, ben)
    reply(ben, new, body="bump")
    assert "1 reply" in client.get(space.get_absolute_url()).content.decode()


def test_start_a_thread_and_reply_through_the_pages(space, ana, ben):
    ana_client = client_for(ana)
    response = ana_client.post(
        reverse("spaces:start", args=[space.slug]), {"title": "Hello", "body": "First *post*"}
    )
    root = Post.objects.get(title="Hello")
    assert response.status_code == 302 and response["Location"] == thread_url(root)
    ben_client = client_for(ben)
    ben_client.post(reverse("spaces:join", args=[space.slug]))
    response = ben_client.post(
        reverse("spaces:reply", args=[space.slug, root.pk]), {"body": "Hi *Ana*", "parent": root.pk}
    )
    answer = Post.objects.get(in_reply_to=root)
    assert response.status_code == 302 and response["Location"].endswith(f"#post-{answer.pk}")
    ana_client.post(
        reverse("spaces:reply", args=[space.slug, root.pk]), {"body": "nested", "parent": answer.pk}
    )
    page = ben_client.get(thread_url(root)).content.decode()
    assert "<em>Ana</em>" in page and "nested" in page and "<em>post</em>" in page


def test_empty_title_and_huge_body_are_refused(space, ana_client):
    url = reverse("spaces:start", args=[space.slug])
    response = ana_client.post(url, {"title": "", "body": "text"})
    assert response.status_code == 400 and b"Give the thread a title." in response.content
    response = ana_client.post(url, {"title": "Big", "body": "x" * 5001})
    assert response.status_code == 400 and b"Keep it under 5,000 characters." in response.content
    assert not Post.objects.exists()


def test_non_member_reply_shows_contents_refusal(space, ana, ben_client):
    root = start_thread(ana, space, title="Hello", body="hi")
    response = ben_client.post(
        reverse("spaces:reply", args=[space.slug, root.pk]), {"body": "me", "parent": root.pk}
    )
    assert response.status_code == 400
    assert "Join the space to reply in it." in response.content.decode()
    assert not Post.objects.filter(in_reply_to=root).exists()


def test_reply_to_a_post_of_another_thread_is_refused(space, ana):
    one = start_thread(ana, space, title="One", body="1")
    two = start_thread(ana, space, title="Two", body="2")
    response = client_for(ana).post(
        reverse("spaces:reply", args=[space.slug, one.pk]), {"body": "x", "parent": two.pk}
    )
    assert response.status_code == 400
    assert not Post.objects.filter(in_reply_to=two).exists()


def test_unknown_slug_and_unknown_thread_are_404(space, ana, client):
    root = start_thread(ana, space, title="Hello", body="hi")
    assert client.get("/spaces/no-such-space/").status_code == 404
    assert client.get(f"/spaces/{space.slug}/threads/999999/").status_code == 404
    assert client.get(f"/spaces/no-such-space/threads/{root.pk}/").status_code == 404
    assert client.get(f"/spaces/{space.slug}/threads/99999999999999999999/").status_code == 404


def test_join_and_leave_an_open_space(space, ben, ben_client):
    ben_client.post(reverse("spaces:join", args=[space.slug]))
    assert space.is_member(ben)
    ben_client.post(reverse("spaces:leave", args=[space.slug]))
    assert not space.is_member(ben)


def test_last_moderator_leaving_is_refused_with_a_message(space, ana, ben, ana_client):
    join(space, ben)
    response = ana_client.post(reverse("spaces:leave", args=[space.slug]), follow=True)
    assert "Make another member a moderator" in response.content.decode()
    assert space.is_moderator(ana)


def test_the_only_member_leaving_is_offered_deletion(space, ana, ana_client):
    response = ana_client.post(reverse("spaces:leave", args=[space.slug]))
    assert response["Location"] == reverse("spaces:delete", args=[space.slug])
    page = ana_client.get(response["Location"]).content.decode()
    assert "You are its only member" in page
    assert space.is_moderator(ana)  # nothing changed


def test_members_only_join_is_a_request_a_moderator_approves(closed, ana, ben, ben_client):
    ben_client.post(reverse("spaces:join", args=[closed.slug]), {"message": "I teach too"})
    assert not closed.is_member(ben)
    assert JoinRequest.objects.get(space=closed, person=ben).message == "I teach too"
    page = client_for(ana).get(reverse("spaces:members", args=[closed.slug])).content.decode()
    assert "I teach too" in page
    client_for(ana).post(
        reverse("spaces:member", args=[closed.slug, ben.pk]), {"action": "approve"}
    )
    assert closed.is_member(ben)
    assert not JoinRequest.objects.exists()


def test_follow_and_unfollow_a_space_and_a_thread(space, ana, ben, ben_client):
    root = start_thread(ana, space, title="Hello", body="hi")
    ben_client.post(reverse("spaces:follow", args=[space.slug]), {"action": "follow"})
    assert space.subscriptions.filter(person=ben).exists()
    ben_client.post(reverse("spaces:follow", args=[space.slug]), {"action": "unfollow"})
    assert not space.subscriptions.filter(person=ben).exists()
    ben_client.post(
        reverse("spaces:thread_follow", args=[space.slug, root.pk]), {"action": "follow"}
    )
    assert root.thread.subscriptions.filter(person=ben).exists()
    ben_client.post(
        reverse("spaces:thread_follow", args=[space.slug, root.pk]), {"action": "unfollow"}
    )
    assert not root.thread.subscriptions.filter(person=ben).exists()


def test_t22_script_in_a_thread_body_is_sanitised(space, ana, client):
    root = start_thread(
        ana,
        space,
        title="<script>alert(1)</script>",
        body='<script>alert(2)</script> [x](javascript:alert(3)) <img src=x onerror="alert(4)">',
    )
    page = client.get(thread_url(root)).content.decode()
    assert "<script>alert" not in page
    assert 'href="javascript' not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(1)" in page
    listing = client.get(space.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in listing


def test_t22_script_in_a_space_description_is_sanitised(ana, client):
    from connective.spaces.services.spaces import create_space

    space = create_space(
        ana, name="<b>x</b>", description="<script>alert(1)</script>[a](javascript:x)"
    )
    for url in (space.get_absolute_url(), reverse("spaces:index")):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and 'href="javascript' not in page
        assert "<b>x</b>" not in page


def test_thread_author_edits_title_and_body_others_get_404(space, ana, ben):
    root = start_thread(ana, space, title="Helo", body="typo")
    url = reverse("spaces:edit_thread", args=[space.slug, root.pk])
    assert client_for(ben).post(url, {"title": "Mine", "body": "x"}).status_code == 404
    response = client_for(ana).post(url, {"title": "Hello", "body": "fixed", "topics": ""})
    assert response.status_code == 302
    root.refresh_from_db()
    assert (root.title, root.body, root.visibility) == ("Hello", "fixed", "public")
    assert client_for(ana).post(url, {"title": "", "body": "x"}).status_code == 400


def test_deleted_first_post_keeps_its_replies_readable(space, ana, ben, client):
    from connective.content.services.posts import delete_post

    root = start_thread(ana, space, title="Gone soon", body="first words")
    lonely = start_thread(ana, space, title="No replies", body="x")
    join(space, ben)
    reply(ben, root, body="a reply that stays")
    delete_post(root)
    delete_post(lonely)
    page = client.get(thread_url(root)).content.decode()
    assert "This post was deleted." in page and "a reply that stays" in page
    assert "first words" not in page
    assert client.get(thread_url(lonely)).status_code == 404
    assert "Gone soon" not in client.get(space.get_absolute_url()).content.decode()


@pytest.mark.parametrize("action", ["", "toggle", "FOLLOW"])
def test_following_a_space_or_thread_needs_a_known_action(space, ana, ben, ben_client, action):
    from connective.spaces.services import subscriptions

    join(space, ben)
    subscriptions.follow_space(ben, space)
    root = start_thread(ana, space, title="Welcome", body="Say hello")
    thread = Thread.objects.get(root=root)
    subscriptions.follow_thread(ben, thread)
    for url in (
        reverse("spaces:follow", args=[space.slug]),
        reverse("spaces:thread_follow", args=[space.slug, root.pk]),
    ):
        response = ben_client.post(url, {"action": action} if action else {})
        assert response.status_code == 400, url
        assert b"Choose follow or unfollow." in response.content
    assert subscriptions.follows_space(ben, space) and subscriptions.follows_thread(ben, thread)
