"""The public profile page: who someone is, their topics, links, ties and what they shared."""

import pytest
from django.test import Client
from django.utils import timezone

from connective.accounts.models import Person, PersonLink
from connective.content.models import Kind, Post, Visibility
from connective.core.html import render_markdown
from connective.core.pagination import PAGE_SIZE
from connective.network.models import Mute
from connective.network.services.relations import block
from tests.conftest import client_for, make_person
from tests.web.helpers import connect_to, make_post, set_topics

pytestmark = pytest.mark.django_db


def test_profile_shows_name_handle_and_topic_chips(ana):
    set_topics(ana, interests=["Open Licensing"], expertise=["Moodle", "Instructional design"])
    html = Client().get("/@ana/").content.decode()
    assert "<h1><bdi>Ana Lima</bdi></h1>" in html
    assert f"@{ana.acct}" in html
    assert 'class="chip chip--learning" href="/topics/openlicensing/">Open Licensing</a>' in html
    assert 'class="chip chip--helping" href="/topics/moodle/">Moodle</a>' in html
    assert "Instructional design" in html


def test_t22_script_in_bio_is_not_on_the_page(ana):
    bio = "I teach **maths**.\n\n<script>alert(1)</script><img src=x onerror=alert(2)>"
    Person.objects.filter(pk=ana.pk).update(bio=bio, bio_html=render_markdown(bio))
    html = Client().get("/@ana/").content.decode()
    assert "<strong>maths</strong>" in html
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html  # shown as inert text at most


def test_t26_rtl_override_in_display_name_is_isolated(db):
    make_person("eve", display_name="Eve \u202egnp.exe")
    html = Client().get("/@eve/").content.decode()
    assert "<h1><bdi>Eve \u202egnp.exe</bdi></h1>" in html


def test_t26_name_inside_purpose_sentence_is_isolated(db):
    eve = make_person("eve", display_name="\u202eEve")
    viewer = make_person("finn")
    connect_to(viewer, eve, topics=["Maths"])
    html = client_for(viewer).get("/@eve/").content.decode()
    assert "You connected to learn about Maths from <bdi>\u202eEve</bdi>." in html


def test_links_are_rel_me_and_named_by_label_handle_or_domain(ana):
    PersonLink.objects.create(person=ana, kind="blog", url="https://ana.example/blog/")
    PersonLink.objects.create(
        person=ana, kind="website", url="https://lima.example/", label="My site"
    )
    PersonLink.objects.create(person=ana, kind="fediverse", url="https://social.example/@ana")
    html = Client().get("/@ana/").content.decode()
    assert '<a href="https://ana.example/blog/" rel="me noopener">ana.example</a>' in html
    assert '<a href="https://lima.example/" rel="me noopener">My site</a>' in html
    assert ">@ana@social.example</a>" in html


def test_a_link_labelled_with_its_kind_is_named_by_its_domain(ana):
    PersonLink.objects.create(person=ana, kind="blog", url="https://ana.example/", label="Blog")
    html = Client().get("/@ana/").content.decode()
    assert '<a href="https://ana.example/" rel="me noopener">ana.example</a>' in html
    assert 'rel="me noopener">Blog</a>' not in html


def test_anonymous_sees_log_in_to_connect_and_no_actions(ana):
    html = Client().get("/@ana/").content.decode()
    assert 'href="/accounts/login/?next=/connect/%40ana/">Log in to connect</a>' in html
    assert 'href="/connect/@ana/"' not in html
    assert "/block/@ana/" not in html


def test_other_person_sees_connect_mute_and_block(ana, ben_client):
    html = ben_client.get("/@ana/").content.decode()
    assert 'href="/connect/@ana/"' in html
    assert 'action="/mute/@ana/"' in html
    assert 'action="/block/@ana/"' in html
    assert "Edit profile" not in html


def test_muted_and_blocked_show_the_undo_forms(ana, ben):
    Mute.objects.create(owner=ben, target=ana)
    block(ben, ana)
    html = client_for(ben).get("/@ana/").content.decode()
    assert 'action="/unmute/@ana/"' in html
    assert 'action="/unblock/@ana/"' in html
    assert 'href="/connect/@ana/"' not in html


def test_own_profile_offers_edit_and_marks_nav(ana, ana_client):
    response = ana_client.get("/@ana/")
    html = response.content.decode()
    assert 'href="/settings/">Edit profile</a>' in html
    assert response.context["nav"] == "profile"
    assert "/connect/@ana/" not in html
    assert "/block/@ana/" not in html


def test_connected_viewer_sees_purpose_and_mutual_marker(ana, ben):
    connect_to(ben, ana, "learn_from", ["Open licensing"])
    connect_to(ana, ben, "help", ["Open licensing"])
    html = client_for(ben).get("/@ana/").content.decode()
    assert "You connected to learn about Open licensing from <bdi>Ana Lima</bdi>." in html
    assert "<bdi>Ana Lima</bdi> connected to help you with Open licensing." in html
    assert "Mutual" in html
    assert 'href="/connect/@ana/"' not in html


def test_one_way_connection_is_not_mutual(ana, ben):
    connect_to(ben, ana, "learn_with")
    html = client_for(ben).get("/@ana/").content.decode()
    assert "You connected to learn with <bdi>Ana Lima</bdi>." in html
    assert "Mutual" not in html


def test_pending_request_is_shown(ben):
    shy = make_person("shy", requires_approval=True)
    connect_to(ben, shy, "learn_with")
    html = client_for(ben).get("/@shy/").content.decode()
    assert "Request pending" in html
    assert "Waiting for <bdi>Shy</bdi> to accept." in html


def test_network_is_described_by_purpose(ana, ben, chloe):
    connect_to(ana, ben, "learn_from")
    connect_to(ana, chloe, "learn_from")
    html = Client().get("/@ana/").content.decode()
    assert "2 people to learn from" in html
    assert "follower" not in html.lower()


def test_tabs_filter_by_kind(ana):
    make_post(ana, Kind.NOTE, body="a short note")
    make_post(ana, Kind.ARTICLE, title="My first article")
    make_post(ana, Kind.RESOURCE, title="Fractions worksheet", licence="cc-by-nc")
    client = Client()
    everything = client.get("/@ana/").content.decode()
    blog = client.get("/@ana/blog/").content.decode()
    resources = client.get("/@ana/resources/").content.decode()
    assert all(s in everything for s in ["a short note", "My first article", "Fractions worksheet"])
    assert "My first article" in blog
    assert "a short note" not in blog and "Fractions worksheet" not in blog
    assert "Fractions worksheet" in resources and "My first article" not in resources
    assert "CC BY-NC 4.0" in resources


def test_replies_are_not_on_the_posts_tab(ana, ben):
    parent = make_post(ben, body="a question")
    make_post(ana, body="my answer here", in_reply_to=parent)
    html = Client().get("/@ana/").content.decode()
    assert "my answer here" not in html


def test_unlisted_posts_appear_on_the_profile(ana):
    make_post(ana, body="quietly shared", visibility=Visibility.UNLISTED)
    assert "quietly shared" in Client().get("/@ana/").content.decode()


def test_t28_network_and_private_posts_only_for_permitted_viewers(ana, ben, chloe):
    make_post(ana, body="for my network only", visibility=Visibility.NETWORK)
    make_post(ana, body="just for @ben here", visibility=Visibility.PRIVATE)
    connect_to(ben, ana)

    def page_for(client):
        return client.get("/@ana/").content.decode()

    anonymous, stranger = page_for(Client()), page_for(client_for(chloe))
    connected, author = page_for(client_for(ben)), page_for(client_for(ana))
    for html in (anonymous, stranger):
        assert "for my network only" not in html
        assert "just for" not in html
    assert "for my network only" in connected
    assert "just for" in connected  # ben is mentioned
    assert "for my network only" in author and "just for" in author


def test_t28_blocked_viewer_sees_no_posts(ana, ben):
    make_post(ana, body="public thoughts")
    block(ana, ben)
    assert "public thoughts" not in client_for(ben).get("/@ana/").content.decode()


def test_remote_person_profile(remote):
    make_post(remote, body="hello from afar")
    response = Client().get("/@dana@remote.example/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "@dana@remote.example" in html
    assert "hello from afar" in html
    assert 'href="https://remote.example/@dana"' in html


def test_remote_blog_tab(remote):
    assert Client().get("/@dana@remote.example/blog/").status_code == 200


@pytest.mark.parametrize(
    "path", ["/@nobody/", "/@dana@elsewhere.example/", "/@nobody/blog/", "/@ana/followers/"]
)
def test_unknown_person_or_tab_is_404(ana, remote, path):
    assert Client().get(path).status_code == 404


def test_suspended_person_is_404(ana):
    Person.objects.filter(pk=ana.pk).update(suspended_at=timezone.now())
    assert Client().get("/@ana/").status_code == 404


def test_handle_written_differently_redirects_to_canonical(ana):
    assert Client().get("/@ANA/blog/").headers["Location"] == "/@ana/blog/"
    local = Client().get(f"/@ana@{ana.acct.split('@')[1]}/")
    assert local.status_code == 301 and local.headers["Location"] == "/@ana/"


def test_pagination_by_cursor(ana):
    for i in range(PAGE_SIZE + 3):
        make_post(ana, body=f"note number {i:02d}")
    client = Client()
    first = client.get("/@ana/")
    page = first.context["page"]
    assert len(page.items) == PAGE_SIZE and page.next_cursor
    second = client.get(f"/@ana/?cursor={page.next_cursor}")
    assert [p.body for p in second.context["page"].items] == [
        "note number 02",
        "note number 01",
        "note number 00",
    ]
    assert second.context["page"].next_cursor is None


def test_htmx_next_page_is_a_partial(ana):
    for i in range(PAGE_SIZE + 1):
        make_post(ana, body=f"note {i}")
    cursor = Client().get("/@ana/").context["page"].next_cursor
    html = Client().get(f"/@ana/?cursor={cursor}", HTTP_HX_REQUEST="true").content.decode()
    assert "note 0" in html
    assert "<html" not in html


@pytest.mark.parametrize("cursor", ["nonsense", "x" * 500, "MjAyNnxub3RhbnVtYmVy"])
def test_bad_cursor_is_400(ana, cursor):
    assert Client().get(f"/@ana/?cursor={cursor}").status_code == 400


def test_query_count_does_not_grow_with_posts(ana, ben, django_assert_max_num_queries):
    set_topics(ana, interests=["Maths"], expertise=["Physics"])
    connect_to(ben, ana, topics=["Maths"])
    for i in range(PAGE_SIZE):
        make_post(ana, Kind.RESOURCE, title=f"res {i}", topics=["Maths", f"T{i}"])
    client = client_for(ben)
    with django_assert_max_num_queries(21):  # the Posts tab also reads the person's boosts
        response = client.get("/@ana/")
    assert len(response.context["page"].items) == PAGE_SIZE


def test_empty_own_profile_teaches(ana_client):
    html = ana_client.get("/@ana/resources/").content.decode()
    assert "Share a link or a file with a licence" in html


def test_deleted_posts_are_gone(ana):
    post = make_post(ana, body="soon gone")
    Post.objects.filter(pk=post.pk).update(deleted_at=timezone.now())
    assert "soon gone" not in Client().get("/@ana/").content.decode()


def test_posts_tab_lists_what_the_person_boosted_and_other_tabs_do_not(ana, ben):
    from connective.content.services.boosts import boost_post

    shared = make_post(ana, body="worth passing on")
    boost_post(ben, shared)
    html = Client().get("/@ben/").content.decode()
    assert "worth passing on" in html
    assert 'class="meta card__boosted">Boosted by' in html
    assert "worth passing on" not in Client().get("/@ben/blog/").content.decode()


def test_a_space_or_course_actor_row_has_no_profile_page(db):
    Person.objects.create(
        handle="space.1", uri="https://testserver/spaces/maths/", actor_type="Group"
    )
    assert Client().get("/@space.1/").status_code == 404
