"""Deleting a space: its owner or a site admin, after a confirmation page; every post goes
through delete_post (tombstones, search, federation), in batches for a big space."""

import pytest
from django.urls import reverse

from connective.content.models import Post
from connective.core import events
from connective.network.services.relations import block, mute
from connective.notifications.models import Notification
from connective.search.models import SearchDocument
from connective.spaces.models import Membership, Space, Thread
from connective.spaces.services import deletion
from connective.spaces.services.deletion import delete_space, purge_deleted_spaces
from connective.spaces.services.membership import ask_to_join, join
from connective.spaces.services.spaces import SpaceError, add_moderator
from connective.spaces.services.threads import reply, start_thread
from tests.conftest import client_for, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(space, ana, ben, chloe):
    """The open space with two members, two threads and three replies."""
    for person in (ben, chloe):
        join(space, person)
    first = start_thread(ana, space, title="Hello", body="First")
    second = start_thread(ben, space, title="Second", body="Another")
    for body in ("one", "two"):
        reply(ben, first, body=body)
    reply(chloe, second, body="three")
    return space


def heard(event):
    got = []
    events.subscribe(event, lambda **payload: got.append(payload))
    return got


def test_the_owner_confirms_and_the_space_is_gone_everywhere(busy, ana, ben, chloe, client):
    owner = client_for(ana)
    edit_page = owner.get(reverse("spaces:edit", args=[busy.slug])).content.decode()
    assert reverse("spaces:delete", args=[busy.slug]) in edit_page
    confirm = owner.get(reverse("spaces:delete", args=[busy.slug])).content.decode()
    assert "2 threads" in confirm and "5 posts" in confirm and "2 other members" in confirm
    post_ids = list(Post.objects.filter(space=busy).values_list("pk", flat=True))
    response = owner.post(reverse("spaces:delete", args=[busy.slug]))
    assert response.status_code == 302 and response.url == reverse("spaces:index")
    assert not Space.all_objects.filter(pk=busy.pk).exists()
    assert not Thread.objects.exists() and not Membership.objects.exists()
    assert client.get(reverse("spaces:space", args=[busy.slug])).status_code == 404
    assert busy.name not in client.get(reverse("spaces:index")).content.decode()
    tombstones = Post.objects.filter(pk__in=post_ids)
    assert tombstones.count() == 5 and not tombstones.filter(deleted_at__isnull=True).exists()
    assert client.get(f"/posts/{post_ids[0]}/").status_code == 410
    assert not SearchDocument.objects.filter(source="space", object_id=busy.pk).exists()
    assert not SearchDocument.objects.filter(source="post", object_id__in=post_ids).exists()
    told = Notification.objects.filter(kind="space_deleted")
    assert sorted(n.recipient.handle for n in told) == ["ben", "chloe"]
    assert told.first().data == {"space": "Open learning"} and told.first().actor == ana
    assert not Notification.objects.filter(object_key__startswith="post:").exists()


def test_every_post_is_deleted_through_the_content_service_and_the_space_announced_once(busy, ana):
    posts, spaces = heard(events.POST_DELETED), heard(events.SPACE_DELETED)
    delete_space(busy, ana)
    assert len(posts) == 5 and [p["space"].pk for p in spaces] == [busy.pk]
    delete_space(busy, ana)  # twice (a double click) deletes nothing more
    assert len(posts) == 5 and len(spaces) == 1


def test_a_big_space_is_deleted_in_batches_by_the_sweep(busy, ana, ben, monkeypatch, client):
    monkeypatch.setattr(deletion, "REQUEST_BATCH", 2)
    remaining = delete_space(busy, ana)
    assert remaining == 3
    assert client.get(reverse("spaces:space", args=[busy.slug])).status_code == 404
    with pytest.raises(SpaceError):  # nobody can post in it meanwhile
        reply(ben, Post.objects.filter(space=busy, in_reply_to=None).first(), body="late")
    assert purge_deleted_spaces(batch=2) == 1
    assert purge_deleted_spaces(batch=2) == 0
    assert not Space.all_objects.filter(pk=busy.pk).exists()
    assert not Post.objects.filter(deleted_at__isnull=True).exists()
    assert purge_deleted_spaces() == 0  # nothing left to do


def test_only_the_owner_or_a_site_admin_may_delete(busy, ana, ben, chloe):
    add_moderator(busy, ana, ben)
    for person in (ben, chloe):  # a moderator who is not the owner, and a member
        assert client_for(person).get(reverse("spaces:delete", args=[busy.slug])).status_code == 403
        assert (
            client_for(person).post(reverse("spaces:delete", args=[busy.slug])).status_code == 403
        )
    assert Space.objects.filter(pk=busy.pk).exists()
    with pytest.raises(SpaceError):
        delete_space(busy, ben)
    admin = make_person("admin")
    admin.user.is_staff = True
    admin.user.save()
    page = client_for(admin).get(reverse("spaces:space", args=[busy.slug])).content.decode()
    assert reverse("spaces:delete", args=[busy.slug]) in page
    client_for(admin).post(reverse("spaces:delete", args=[busy.slug]))
    assert not Space.all_objects.filter(pk=busy.pk).exists()
    assert Notification.objects.filter(kind="space_deleted", recipient=ana).exists()


def test_members_who_blocked_or_muted_the_owner_are_not_told(busy, ana, ben, chloe):
    block(ben, ana)
    mute(chloe, ana)
    delete_space(busy, ana)
    assert not Notification.objects.filter(kind="space_deleted").exists()


def test_pending_requests_and_their_notices_go_with_a_members_only_space(closed, ana, ben):
    ask_to_join(closed, ben)
    assert Notification.objects.filter(recipient=ana, kind="join_request").exists()
    delete_space(closed, ana)
    assert not Notification.objects.filter(kind="join_request").exists()
    assert not Space.all_objects.exists()


def test_the_worker_carries_on_deleting_big_spaces():
    """The sweep is registered with the worker's clock (SpacesConfig.ready)."""
    from connective.core import periodic

    sweeps = {sweep.name: sweep.run for sweep in periodic.sweeps()}
    assert sweeps["spaces.purge_deleted"] is purge_deleted_spaces


def test_a_course_discussion_space_goes_only_with_its_course(ana):
    from tests.courses.conftest import build_course

    course = build_course(ana)
    space = Space.objects.get(pk=course.space_id)
    url = reverse("spaces:delete", args=[space.slug])
    page = client_for(ana).get(url)
    assert page.status_code == 409 and "goes when the course is deleted" in page.content.decode()
    assert client_for(ana).post(url).status_code == 409
    with pytest.raises(SpaceError):
        delete_space(space, ana)
    assert Space.objects.filter(pk=space.pk).exists()


def test_a_space_being_deleted_keeps_its_address_until_it_is_gone(busy, ana, monkeypatch):
    """A new space cannot take the address (or actor id) of one still being deleted."""
    from connective.spaces.services.spaces import create_space

    monkeypatch.setattr(deletion, "REQUEST_BATCH", 1)
    delete_space(busy, ana)
    again = create_space(ana, name="Open learning")
    assert again.slug != busy.slug
    with pytest.raises(SpaceError):
        create_space(ana, name="Other", slug=busy.slug)


def test_t26_the_deleted_message_isolates_a_right_to_left_name(ana, ana_client):
    from connective.spaces.services.spaces import create_space

    rtl = create_space(ana, name="\u202eevil live", description="x")
    page = ana_client.post(f"/spaces/{rtl.slug}/delete/", follow=True).content.decode()
    assert "The space “<bdi>\u202eevil live</bdi>” is deleted." in page


def test_the_confirmation_counts_in_plain_words(ana, ana_client):
    from connective.spaces.services.spaces import create_space

    empty = create_space(ana, name="Quiet room", description="x")
    page = ana_client.get(f"/spaces/{empty.slug}/delete/").content.decode()
    assert "it has no threads yet;" in page
    assert "nobody else is a member; pending requests to join are dropped" in page
    assert "0 thread" not in page and "1 member are" not in page
