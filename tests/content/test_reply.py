"""Replying: through the pages, to posts one can see, notifying whom it concerns."""

import pytest

from connective.content.models import Post, Visibility
from connective.network.models import Block
from connective.notifications.models import Notification
from tests.conftest import client_for
from tests.content.conftest import connect, post

pytestmark = pytest.mark.django_db


def test_reply_is_stored_in_the_thread_and_notifies_the_parent_author(ben_client, ana, ben):
    root = post(ana, "What should I read on connectivism?")
    response = ben_client.post(f"/posts/{root.pk}/reply/", {"body": "Start with Siemens."})
    reply = Post.objects.get(author=ben)
    assert response["Location"] == f"{root.get_absolute_url()}#post-{reply.pk}"
    assert (reply.in_reply_to, reply.thread_root) == (root, root)
    root.refresh_from_db()
    assert root.reply_count == 1
    notice = Notification.objects.get(recipient=ana)
    assert notice.kind == Notification.Kind.REPLY
    assert notice.actor == ben


def test_reply_to_a_reply_keeps_the_root(ana, ben, chloe):
    root = post(ana, "root")
    first = post(ben, "first", in_reply_to=root)
    client_for(chloe).post(f"/posts/{first.pk}/reply/", {"body": "second"})
    second = Post.objects.get(author=chloe)
    assert (second.in_reply_to, second.thread_root) == (first, root)


def test_reply_visibility_defaults_to_the_parents(ana, ben):
    connect(ben, ana)
    root = post(ana, "for my network", visibility=Visibility.NETWORK)
    form = client_for(ben).get(f"/posts/{root.pk}/reply/").content.decode()
    assert '<option value="network" selected>' in form
    client_for(ben).post(f"/posts/{root.pk}/reply/", {"body": "seen it"})
    assert Post.objects.get(author=ben).visibility == Visibility.NETWORK


def test_private_reply_reaches_the_person_it_answers(ana, ben, chloe):
    root = post(ana, "question")
    client_for(ben).post(
        f"/posts/{root.pk}/reply/", {"body": "just for you", "visibility": "private"}
    )
    reply = Post.objects.get(author=ben)
    assert client_for(ana).get(reply.get_absolute_url()).status_code == 200
    assert client_for(chloe).get(reply.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("visibility", [Visibility.PRIVATE, Visibility.NETWORK])
def test_replying_to_a_post_you_cannot_see_is_404_and_stores_nothing(ana, chloe, visibility):
    hidden = post(ana, "not for chloe", visibility=visibility)
    missing = client_for(chloe).post("/posts/999999/reply/", {"body": "hi"})
    response = client_for(chloe).post(f"/posts/{hidden.pk}/reply/", {"body": "hi"})
    assert response.status_code == missing.status_code == 404
    assert response.content == missing.content
    assert client_for(chloe).get(f"/posts/{hidden.pk}/reply/").status_code == 404
    assert Post.objects.count() == 1
    assert not Notification.objects.exists()


def test_replying_to_someone_you_blocked_is_404(ana, ben):
    root = post(ana, "public")
    Block.objects.create(owner=ben, target=ana)
    response = client_for(ben).post(f"/posts/{root.pk}/reply/", {"body": "hi"})
    assert response.status_code == 404
    assert Post.objects.count() == 1


def test_empty_reply_gives_a_message_and_stores_nothing(ben_client, ana):
    root = post(ana, "root")
    response = ben_client.post(f"/posts/{root.pk}/reply/", {"body": "  "})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Write something first." in html
    assert f'id="reply-{root.pk}-body_error"' in html
    assert Post.objects.count() == 1


def test_reply_page_and_htmx_form(ben_client, ana):
    root = post(ana, "root")
    page = ben_client.get(f"/posts/{root.pk}/reply/").content.decode()
    assert page.count("<h1") == 1 and "Reply to <bdi>Ana Lima</bdi>" in page
    partial = ben_client.get(f"/posts/{root.pk}/reply/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert f'action="/posts/{root.pk}/reply/"' in partial
    assert f'id="reply-{root.pk}-body"' in partial


def test_reply_needs_a_login(client, ana):
    root = post(ana, "root")
    assert client.post(f"/posts/{root.pk}/reply/", {"body": "hi"}).status_code == 302
    assert Post.objects.count() == 1


def test_mention_in_a_reply_notifies_once(ana, ben, chloe):
    root = post(ana, "root")
    client_for(ben).post(f"/posts/{root.pk}/reply/", {"body": "@ana @chloe look"})
    assert Notification.objects.filter(recipient=ana).count() == 1
    assert Notification.objects.get(recipient=chloe).kind == Notification.Kind.MENTION


def test_reply_goes_back_to_the_page_it_came_from_on_this_site_only(ben_client, ana, chloe):
    root = post(ana, "root")
    first = post(chloe, "first", in_reply_to=root)
    form = ben_client.get(f"/posts/{first.pk}/reply/?next=/posts/{root.pk}/").content.decode()
    assert f'name="next" value="/posts/{root.pk}/"' in form
    back = ben_client.post(
        f"/posts/{first.pk}/reply/", {"body": "one", "next": root.get_absolute_url()}
    )
    assert back["Location"].startswith(f"{root.get_absolute_url()}#post-")
    away = ben_client.post(
        f"/posts/{first.pk}/reply/", {"body": "two", "next": "https://evil.example/"}
    )
    assert away["Location"].startswith(f"{first.get_absolute_url()}#post-")
