"""A blog's drafts and scheduled articles: private until published, then published once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from connective.content.models import Kind, Post, State
from connective.content.services.posts import (
    PostDraft,
    PostError,
    create_post,
    publish_due,
    publish_post,
)
from connective.core import events, periodic
from connective.notifications.models import Notification
from connective.stream.services.home import home_page
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def article(**kw) -> PostDraft:
    kw.setdefault("body", "Networks that teach.")
    return PostDraft(kind=Kind.ARTICLE, title="On PLNs", **kw)


def in_an_hour():
    return timezone.now() + timedelta(hours=1)


def test_a_draft_is_seen_by_nobody_but_its_author(ana, ben, client):
    post = create_post(ana, article(state=State.DRAFT))
    assert not Post.objects.visible_to(ben).filter(pk=post.pk).exists()
    assert not Post.objects.visible_to(ana).filter(pk=post.pk).exists()  # not in her stream
    assert list(Post.objects.drafts_of(ana)) == [post]
    assert client.get(f"/posts/{post.pk}/").status_code == 404
    assert client_for(ben).get(f"/posts/{post.pk}/").status_code == 404
    preview = client_for(ana).get(f"/posts/{post.pk}/")
    assert preview.status_code == 200 and "Only you can see it" in preview.content.decode()


def test_a_draft_does_not_notify_until_published(ana, ben):
    post = create_post(ana, article(body="Thanks @ben", state=State.DRAFT))
    assert not Notification.objects.filter(recipient=ben).exists()
    publish_post(post)
    assert Notification.objects.filter(recipient=ben, kind="mention").count() == 1
    publish_post(post)  # publishing again changes nothing
    assert Notification.objects.filter(recipient=ben, kind="mention").count() == 1


def test_publishing_announces_once_and_takes_its_place_as_of_now(ana):
    heard = []

    def listen(post):
        heard.append(post)

    events.subscribe(events.POST_PUBLISHED, listen)
    try:
        post = create_post(ana, article(state=State.DRAFT))
        Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(days=3))
        assert heard == []
        published = publish_post(post)
        publish_post(post)
    finally:
        events._subscribers[events.POST_PUBLISHED].remove(listen)
    assert [p.pk for p in heard] == [post.pk]
    assert published.created_at > timezone.now() - timedelta(minutes=1)


def test_scheduled_article_is_published_by_the_sweep_when_due(ana, ben):
    post = create_post(ana, article(state=State.SCHEDULED, publish_at=in_an_hour()))
    assert publish_due() == []
    assert Post.objects.get(pk=post.pk).state == State.SCHEDULED
    published = publish_due(now=timezone.now() + timedelta(hours=2))
    assert [p.pk for p in published] == [post.pk]
    assert Post.objects.visible_to(ben).filter(pk=post.pk).exists()
    assert Notification.objects.filter(recipient=ana, kind="post_published").count() == 1
    assert publish_due(now=timezone.now() + timedelta(hours=3)) == []


def test_the_publishing_sweep_is_registered_for_the_worker():
    assert "content.publish_due" in {sweep.name for sweep in periodic.sweeps()}


def test_a_schedule_must_lie_in_the_future(ana):
    with pytest.raises(PostError) as err:
        create_post(ana, article(state=State.SCHEDULED, publish_at=timezone.now()))
    assert err.value.field == "publish_at"
    assert not Post.objects.exists()


def test_a_reply_cannot_be_a_draft(ana, ben):
    parent = create_post(ben, PostDraft(body="Question?"))
    with pytest.raises(PostError):
        create_post(ana, PostDraft(body="Answer", in_reply_to=parent, state=State.DRAFT))
    assert Post.objects.count() == 1


def test_unknown_state_is_refused(ana):
    with pytest.raises(PostError):
        create_post(ana, article(state="someday"))
    assert not Post.objects.exists()


def test_a_draft_stays_out_of_the_home_stream(ana, ben):
    create_post(ana, article(state=State.DRAFT))
    assert home_page(ana, cursor=None).items == []


def test_composer_saves_a_draft(ana_client, ana):
    response = ana_client.post(
        "/posts/new/",
        {
            "kind": "article",
            "title": "Later",
            "body": "Soon.",
            "when": "draft",
            "visibility": "public",
        },
    )
    post = Post.objects.get()
    assert post.state == State.DRAFT
    assert response["Location"] == f"/posts/{post.pk}/"
    drafts = ana_client.get("/posts/drafts/").content.decode()
    assert "Later" in drafts and "Publish now" in drafts


def test_composer_schedules_an_article(ana_client):
    when = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    ana_client.post(
        "/posts/new/",
        {
            "kind": "article",
            "title": "T",
            "body": "B",
            "visibility": "public",
            "when": "scheduled",
            "publish_at": when,
        },
    )
    post = Post.objects.get()
    assert post.state == State.SCHEDULED and post.publish_at > timezone.now()


@pytest.mark.parametrize(
    ("publish_at", "message"),
    [
        ("", "Choose when to publish"),
        ("2001-01-01T10:00", "in the future"),
        ("soon", "Give a date"),
    ],
)
def test_composer_refuses_a_bad_schedule(ana_client, publish_at, message):
    response = ana_client.post(
        "/posts/new/",
        {
            "kind": "article",
            "title": "T",
            "body": "B",
            "when": "scheduled",
            "publish_at": publish_at,
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Post.objects.exists()


def test_publish_now_from_the_drafts_page(ana_client, ana, ben):
    post = create_post(ana, article(state=State.SCHEDULED, publish_at=in_an_hour()))
    response = ana_client.post(f"/posts/{post.pk}/publish/")
    assert response.status_code == 302
    assert Post.objects.visible_to(ben).filter(pk=post.pk).exists()


def test_nobody_else_can_publish_or_edit_my_draft(ana, ben):
    post = create_post(ana, article(state=State.DRAFT))
    other = client_for(ben)
    assert other.post(f"/posts/{post.pk}/publish/").status_code == 404
    assert other.get(f"/posts/{post.pk}/edit/").status_code == 404
    assert other.post(f"/posts/{post.pk}/delete/").status_code == 404
    assert Post.objects.get(pk=post.pk).state == State.DRAFT


def test_editing_a_draft_can_publish_it(ana_client, ana, ben):
    post = create_post(ana, article(state=State.DRAFT))
    ana_client.post(
        f"/posts/{post.pk}/edit/",
        {"title": "On PLNs", "body": "Done.", "when": "published", "visibility": "public"},
    )
    assert Post.objects.visible_to(ben).filter(pk=post.pk, body="Done.").exists()


def test_a_published_article_has_no_draft_choice_when_edited(ana_client, ana):
    post = create_post(ana, article())
    html = ana_client.get(f"/posts/{post.pk}/edit/").content.decode()
    assert 'name="when"' not in html


def test_deleting_a_draft_returns_to_the_drafts(ana_client, ana):
    post = create_post(ana, article(state=State.DRAFT))
    response = ana_client.post(f"/posts/{post.pk}/delete/")
    assert response["Location"] == "/posts/drafts/"
    assert not Post.objects.drafts_of(ana).exists()


def test_articles_have_comments_and_the_blog_links_drafts(ana_client, ana, ben):
    post = create_post(ana, article())
    create_post(ben, PostDraft(body="Nice piece", in_reply_to=post))
    assert "Comments" in client_for(ben).get(f"/posts/{post.pk}/").content.decode()
    blog = ana_client.get("/@ana/blog/").content.decode()
    assert "Drafts and scheduled articles" in blog and "On PLNs" in blog


def test_composer_prefills_from_the_link(ana_client):
    html = ana_client.get("/posts/new/?kind=article&topics=pln-position&title=My+PLN").content
    assert b'value="pln-position"' in html and b'value="My PLN"' in html
    too_long = ana_client.get("/posts/new/?kind=article&title=" + "x" * 500).content
    assert b"x" * 500 not in too_long
