"""Block and mute: what they end, what they hide, and the pages that undo them."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from connective.content.models import Post
from connective.content.services.posts import PostDraft, create_post
from connective.network.models import Block, Connection, Mute
from connective.notifications.models import Notification
from tests.conftest import client_for, make_remote_person
from tests.network.helpers import link, messages_of

pytestmark = pytest.mark.django_db


def url(name: str, person) -> str:
    return reverse(f"network:{name}", kwargs={"handle": person.path_handle})


def test_block_ends_connections_both_ways_and_redirects_to_the_profile(ana, ben, ben_client):
    link(ben, ana)
    link(ana, ben)
    response = ben_client.post(url("block", ana))
    assert response.status_code == 302
    assert response.url == ana.get_absolute_url()
    assert any("You blocked <bdi>Ana Lima</bdi>." in m for m in messages_of(response))
    assert Block.objects.filter(owner=ben, target=ana).exists()
    assert not Connection.objects.exists()


def test_block_hides_the_blockers_posts_from_the_blocked(ana, ben, ana_client):
    post = create_post(ana, PostDraft(body="Notes on open licensing"))
    assert Post.objects.visible_to(ben).filter(pk=post.pk).exists()
    ana_client.post(url("block", ben))
    assert not Post.objects.visible_to(ben).filter(pk=post.pk).exists()
    assert Post.objects.visible_to(ana).filter(pk=post.pk).exists()


def test_unblock_lifts_the_block(ana, ben, ana_client):
    ana_client.post(url("block", ben))
    response = ana_client.post(url("unblock", ben))
    assert "You unblocked <bdi>Ben Okafor</bdi>." in messages_of(response)
    assert not Block.objects.exists()


def test_mute_hides_them_from_my_home_stream(ana, ben, ben_client):
    link(ben, ana)
    create_post(ana, PostDraft(body="A fresh reading list on OER"))
    assert "A fresh reading list on OER" in ben_client.get("/home/").content.decode()
    response = ben_client.post(url("mute", ana))
    assert any("You muted <bdi>Ana Lima</bdi>." in m for m in messages_of(response))
    assert "A fresh reading list on OER" not in ben_client.get("/home/").content.decode()
    ben_client.post(url("unmute", ana))
    assert not Mute.objects.exists()
    assert "A fresh reading list on OER" in ben_client.get("/home/").content.decode()


def test_mute_suppresses_notifications(ana, ben, ana_client):
    ana_client.post(url("mute", ben))
    client_for(ben).post(
        url("connect", ana), {"topics": "OER", "direction": "learn_from", "note": ""}
    )
    assert Connection.objects.filter(owner=ben, target=ana).exists()
    assert not Notification.objects.filter(recipient=ana).exists()


@pytest.mark.parametrize("action", ["block", "unblock", "mute", "unmute"])
def test_relations_refuse_yourself_with_a_message(ana, ana_client, action):
    response = ana_client.post(url(action, ana))
    assert response.status_code == 302
    assert f"You cannot {action} yourself." in messages_of(response)
    assert not Block.objects.exists() and not Mute.objects.exists()


@pytest.mark.parametrize("action", ["block", "unblock", "mute", "unmute"])
def test_relations_404_for_an_unknown_handle(ben_client, action):
    assert ben_client.post(f"/{action}/@nobody/").status_code == 404
    assert ben_client.get(f"/{action}/@nobody/").status_code in (404, 405)
    assert not Block.objects.exists() and not Mute.objects.exists()


@pytest.mark.parametrize("action", ["unblock", "mute", "unmute"])
def test_relations_refuse_get(ana, ben_client, action):
    assert ben_client.get(url(action, ana)).status_code == 405
    assert not Block.objects.exists() and not Mute.objects.exists()


def main_of(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_block_asks_first_and_lists_the_connections_it_deletes(ana, ben, ben_client):
    link(ben, ana, topics=["OER"], met_where="OER course", note="ask about NC licences")
    link(ana, ben, direction="help", topics=["R"], note="ana-private-note")
    response = ben_client.get(url("block", ana))
    assert response.status_code == 200
    page = main_of(response)
    assert "<h1>Block <bdi>Ana Lima</bdi>?</h1>" in page
    assert "You connected to learn about OER from <bdi>Ana Lima</bdi>." in page
    assert "ask about NC licences" in page
    assert "Deleted with it: your purpose, where you met and your private note." in page
    assert "<bdi>Ana Lima</bdi> connected to help you with R." in page
    assert "Unblocking later does not bring these back." in page
    assert "ana-private-note" not in page
    assert f'<form method="post" action="{url("block", ana)}"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert f'<a href="{ana.get_absolute_url()}">Cancel</a>' in page
    assert not Block.objects.exists()
    assert Connection.objects.count() == 2


def test_block_confirmation_names_requests_still_waiting(ana, ben, ben_client):
    ana.requires_approval = True
    ana.save()
    link(ben, ana, direction="learn_with", topics=[])
    page = main_of(ben_client.get(url("block", ana)))
    assert "You asked to connect to learn with <bdi>Ana Lima</bdi>." in page
    assert "Unblocking later does not bring this back." in page


def test_block_confirmation_without_connections_says_nothing_is_deleted(ana, ben_client):
    page = main_of(ben_client.get(url("block", ana)))
    assert "no connection is deleted" in page
    assert "What will be deleted" not in page


def test_block_confirmation_says_a_remote_server_is_told(ben_client):
    dana = make_remote_person("dana")
    page = main_of(ben_client.get(url("block", dana)))
    assert "their server (remote.example) is sent the block" in page
    assert not Block.objects.exists()


def test_profile_block_button_opens_the_confirmation_instead_of_blocking(ana, ben_client):
    html = ben_client.get(ana.get_absolute_url()).content.decode()
    form = re.search(r'<form method="(\w+)" action="/block/@ana/"', html)
    assert form is not None and form.group(1) == "get"
    assert ben_client.get(url("block", ana)).status_code == 200
    assert not Block.objects.exists()


def test_the_block_itself_still_needs_a_post_with_csrf(ana, ben, ben_client):
    link(ben, ana)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(ben.user)
    assert strict.post(url("block", ana)).status_code == 403
    assert not Block.objects.exists() and Connection.objects.exists()
    strict.get(url("block", ana))
    token = strict.cookies["csrftoken"].value
    response = strict.post(url("block", ana), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Block.objects.filter(owner=ben, target=ana).exists()
    assert not Connection.objects.exists()


def test_block_confirmation_keeps_a_safe_next_and_drops_an_unsafe_one(ana, ben_client):
    page = main_of(ben_client.get(url("block", ana), {"next": "/search/?q=oer"}))
    assert 'name="next" value="/search/?q=oer"' in page
    page = main_of(ben_client.get(url("block", ana), {"next": "//evil.example/"}))
    assert "evil.example" not in page


def test_block_confirmation_for_yourself_or_someone_already_blocked_goes_back(ana, ben, ben_client):
    response = ben_client.get(url("block", ben))
    assert response.status_code == 302 and "You cannot block yourself." in messages_of(response)
    ben_client.post(url("block", ana))
    response = ben_client.get(url("block", ana))
    assert response.status_code == 302
    assert "You already block <bdi>Ana Lima</bdi>." in messages_of(response)


def test_relations_need_a_login(ana, client):
    response = client.post(url("block", ana))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not Block.objects.exists()


def test_blocked_page_lists_blocks_and_mutes_with_undo(ana, ben, chloe, ben_client):
    ben_client.post(url("block", ana))
    ben_client.post(url("mute", chloe))
    page = ben_client.get(reverse("network:blocked")).content.decode()
    assert "<bdi>Ana Lima</bdi>" in page and url("unblock", ana) in page
    assert "<bdi>Chloe Martin</bdi>" in page and url("unmute", chloe) in page
    response = ben_client.post(url("unmute", chloe), {"next": reverse("network:blocked")})
    assert response.url == reverse("network:blocked")
    assert not Mute.objects.exists()


@pytest.mark.parametrize("nxt", ["//evil.example/", "https://evil.example/", "https:evil"])
def test_t25_next_after_a_block_never_leaves_the_site(ana, ben_client, nxt):
    response = ben_client.post(url("block", ana), {"next": nxt})
    assert response.url == ana.get_absolute_url()


def test_a_blocked_person_cannot_connect_or_be_connected(ana, ben, ben_client, ana_client):
    ana_client.post(url("block", ben))
    data = {"topics": "OER", "direction": "learn_from"}
    assert (
        "You cannot connect with this person."
        in ben_client.post(url("connect", ana), data).content.decode()
    )
    assert (
        "You cannot connect with this person."
        in ana_client.post(url("connect", ben), data).content.decode()
    )
    assert not Connection.objects.exists()
