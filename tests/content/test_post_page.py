"""The post page: the post in full, its licence, who found it useful, edit and delete."""

import pytest

from connective.content.models import Kind, Useful
from connective.content.services.useful import mark_useful
from connective.notifications.models import Notification
from tests.conftest import client_for, make_person
from tests.content.conftest import connect, post, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def resource(ana):
    return post(
        ana,
        "A guide to **licences**.",
        kind=Kind.RESOURCE,
        title="Choosing a licence",
        link_url="https://oer.example.org/guide",
        licence="cc-by-nc-sa",
        topics=["open licensing"],
    )


def test_resource_page_shows_title_source_licence_and_topics(client, resource):
    html = client.get(resource.get_absolute_url()).content.decode()
    assert html.count("<h1") == 1
    assert '<h1 class="card__title" id="post-title">Choosing a licence</h1>' in html
    assert ">oer.example.org</a>" in html
    deed = "https://creativecommons.org/licenses/by-nc-sa/4.0/"
    assert f'<a class="licence" href="{deed}" rel="license noopener"' in html
    assert ">CC BY-NC-SA 4.0</a>" in html
    assert "Creative Commons Attribution-NonCommercial-ShareAlike 4.0" in html
    assert 'href="/topics/openlicensing/"' in html
    assert "<strong>licences</strong>" in html


def test_licence_on_the_card_in_the_stream(ana_client, resource):
    html = ana_client.get("/home/").content.decode()
    assert 'href="https://creativecommons.org/licenses/by-nc-sa/4.0/"' in html
    assert ">CC BY-NC-SA 4.0</a>" in html


def test_licence_on_the_card_on_the_landing_page(client, resource):
    html = client.get("/").content.decode()
    assert ">CC BY-NC-SA 4.0</a>" in html


def test_all_rights_reserved_has_no_deed_link(client, ana):
    item = post(
        ana, "", kind=Kind.RESOURCE, title="Mine", link_url="https://a.example", licence="arr"
    )
    html = client.get(item.get_absolute_url()).content.decode()
    assert '<span class="licence" title="All rights reserved">All rights reserved</span>' in html


def test_article_page_shows_the_full_body(client, ana):
    body = "word " * 200 + "THE-END"
    article = post(ana, body, kind=Kind.ARTICLE, title="Long")
    assert "THE-END" in client.get(article.get_absolute_url()).content.decode()


def test_useful_toggle_counts_once_and_notifies(ben_client, ben, ana, resource):
    url = f"/posts/{resource.pk}/useful/"
    assert ben_client.post(url, {"action": "mark"}).status_code == 302
    ben_client.post(url, {"action": "mark"})
    resource.refresh_from_db()
    assert resource.useful_count == 1
    assert Useful.objects.count() == 1
    assert Notification.objects.filter(recipient=ana, kind=Notification.Kind.USEFUL).count() == 1
    html = ben_client.get(resource.get_absolute_url()).content.decode()
    assert "You found this useful." in html
    assert 'aria-pressed="true"' in html
    others = client_for(make_person("cleo")).get(resource.get_absolute_url()).content.decode()
    assert '1 found this useful: <a href="/@ben/"><bdi>Ben Okafor</bdi></a>.' in others
    ben_client.post(url, {"action": "unmark"})
    resource.refresh_from_db()
    assert resource.useful_count == 0


@pytest.mark.parametrize("data", [{}, {"action": ""}, {"action": "toggle"}, {"action": "x"}])
def test_useful_with_a_missing_or_unknown_action_is_a_400_and_keeps_the_mark(
    ben_client, resource, data
):
    url = f"/posts/{resource.pk}/useful/"
    ben_client.post(url, {"action": "mark"})
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = ben_client.post(url, data, **headers)
        assert response.status_code == 400
        assert response.content.decode() == "Choose mark or unmark."
    resource.refresh_from_db()
    assert resource.useful_count == 1 and Useful.objects.count() == 1


def test_useful_with_htmx_returns_the_partial(ben_client, resource):
    response = ben_client.post(
        f"/posts/{resource.pk}/useful/", {"action": "mark"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith(f'<div class="useful" id="useful-{resource.pk}">')
    assert "You found this useful." in html
    assert 'value="unmark"' in html


def test_useful_goes_back_only_to_this_site(ben_client, resource):
    url = f"/posts/{resource.pk}/useful/"
    assert ben_client.post(url, {"action": "mark", "next": "/home/"})["Location"] == "/home/"
    evil = {"action": "unmark", "next": "https://evil.example/"}
    off_site = ben_client.post(url, evil)["Location"]
    assert off_site == resource.get_absolute_url()


def test_own_post_has_no_useful_button_and_cannot_be_marked(ana_client, resource):
    html = ana_client.get(resource.get_absolute_url()).content.decode()
    assert f'action="/posts/{resource.pk}/useful/"' not in html
    ana_client.post(f"/posts/{resource.pk}/useful/", {"action": "mark"})
    assert Useful.objects.count() == 0


def test_useful_needs_a_login_and_a_visible_post(client, chloe, ana):
    hidden = post(
        ana,
        "mine",
        kind=Kind.RESOURCE,
        title="x",
        link_url="https://a.example",
        licence="cc0",
        visibility="private",
    )
    mark = {"action": "mark"}
    assert client.post(f"/posts/{hidden.pk}/useful/", mark).status_code == 302
    assert client_for(chloe).post(f"/posts/{hidden.pk}/useful/", mark).status_code == 404
    assert client_for(chloe).post(f"/posts/{hidden.pk}/useful/").status_code == 404
    assert Useful.objects.count() == 0


def test_many_markers_are_summarised(ana, resource):
    for n in range(30):
        mark_useful(make_person(f"fan{n}"), resource)
    resource.refresh_from_db()
    html = client_for(ana).get(resource.get_absolute_url()).content.decode()
    assert "30 found this useful" in html
    assert "and 6 more" in html


def test_your_own_mark_reads_you_and_the_others_are_named(ana, ben, ben_client, resource):
    """Ben marked it with two others: "You and 2 others found this useful: <them>." """
    first, second = make_person("cleo", display_name="Cleo Hart"), make_person("dev")
    mark_useful(first, resource)
    mark_useful(ben, resource)
    mark_useful(second, resource)
    html = ben_client.get(resource.get_absolute_url()).content.decode()
    sentence = html.split('<p class="meta">You and 2 others found this useful: ', 1)[1]
    sentence = sentence.split("</p>", 1)[0]
    assert "Cleo Hart" in sentence and "/@dev/" in sentence and "Ben Okafor" not in sentence
    assert (
        client_for(ana)
        .get(resource.get_absolute_url())
        .content.decode()
        .count("3 found this useful: ")
        == 1
    )


def test_your_mark_among_many_counts_the_rest_once(ana, ben, ben_client, resource):
    mark_useful(ben, resource)
    for n in range(30):
        mark_useful(make_person(f"fan{n}"), resource)
    html = ben_client.get(resource.get_absolute_url()).content.decode()
    assert "You and 30 others found this useful: " in html
    assert "and 6 more." in html and "Ben Okafor</bdi></a>," not in html


def test_author_sees_edit_and_delete_others_do_not(ana_client, ben_client, resource):
    assert (
        f'href="/posts/{resource.pk}/edit/"'
        in ana_client.get(f"/posts/{resource.pk}/").content.decode()
    )
    assert (
        f'href="/posts/{resource.pk}/edit/"'
        not in ben_client.get(f"/posts/{resource.pk}/").content.decode()
    )


def test_edit_own_post(ana_client, resource):
    form = ana_client.get(f"/posts/{resource.pk}/edit/").content.decode()
    assert 'value="Choosing a licence"' in form
    response = ana_client.post(
        f"/posts/{resource.pk}/edit/",
        {
            "title": "Choosing a licence (2nd ed.)",
            "link_url": "https://oer.example.org/guide2",
            "body": "Updated.",
            "licence": "cc0",
            "topics": "open licensing, copyright",
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert (resource.title, resource.licence) == ("Choosing a licence (2nd ed.)", "cc0")
    assert resource.edited_at is not None
    assert sorted(t.key for t in resource.topics.all()) == ["copyright", "openlicensing"]


def test_edit_keeps_an_uploaded_file_and_can_replace_it(ana_client, ana):
    item = post(ana, "", kind=Kind.RESOURCE, title="Slides", licence="cc-by", file=upload())
    data = {"title": "Slides", "licence": "cc-by", "visibility": "public", "body": ""}
    assert ana_client.post(f"/posts/{item.pk}/edit/", data).status_code == 302
    item.refresh_from_db()
    assert item.file_name == "slides.pdf"
    new = upload("v2.pdf", b"%PDF v2")
    ana_client.post(f"/posts/{item.pk}/edit/", {**data, "file": new})
    item.refresh_from_db()
    assert (item.file_name, item.file.read()) == ("v2.pdf", b"%PDF v2")


def test_bad_edit_changes_nothing(ana_client, resource):
    data = {"title": "", "link_url": "javascript:alert(1)", "licence": "cc-by-xyz"}
    response = ana_client.post(f"/posts/{resource.pk}/edit/", data)
    assert response.status_code == 400
    resource.refresh_from_db()
    assert resource.title == "Choosing a licence"
    assert resource.link_url == "https://oer.example.org/guide"


def test_edit_and_delete_by_someone_else_is_404(ben_client, resource):
    for url in (f"/posts/{resource.pk}/edit/", f"/posts/{resource.pk}/delete/"):
        assert ben_client.get(url).status_code == 404
        assert ben_client.post(url, {"title": "mine now", "body": "x"}).status_code == 404
    resource.refresh_from_db()
    assert resource.title == "Choosing a licence" and resource.deleted_at is None


def test_delete_asks_then_deletes(ana_client, resource):
    page = ana_client.get(f"/posts/{resource.pk}/delete/").content.decode()
    assert "Delete this post?" in page
    response = ana_client.post(f"/posts/{resource.pk}/delete/", follow=True)
    assert response.redirect_chain[-1][0] == "/home/"
    assert "Your post was deleted." in response.content.decode()
    resource.refresh_from_db()
    assert resource.deleted_at is not None


def test_deleted_public_post_is_gone_and_private_one_is_missing(client, ana_client, ana, ben):
    public = post(ana, "public")
    private = post(ana, "private", visibility="private")
    for item in (public, private):
        ana_client.post(f"/posts/{item.pk}/delete/")
    assert client.get(public.get_absolute_url()).status_code == 410
    assert client.get(private.get_absolute_url()).status_code == 404
    assert client_for(ben).get(private.get_absolute_url()).status_code == 404
    assert ana_client.get(private.get_absolute_url()).status_code == 410


def test_network_post_page_for_a_connection(ana, ben):
    item = post(ana, "for my network", visibility="network")
    connect(ben, ana)
    assert client_for(ben).get(item.get_absolute_url()).status_code == 200


def test_t22_post_page_shows_hostile_markdown_as_text_under_a_strict_csp(client, ana):
    body = (
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[x](javascript:alert(1)) <svg><animate onbegin=alert(1)>\n\n"
        '<iframe srcdoc="<script>alert(1)</script>"></iframe>'
    )
    article = post(ana, body, kind=Kind.ARTICLE, title="<b>Title</b>")
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    for bad in (
        "<script>alert",
        "<img src=x",
        'href="javascript:',
        "<svg><",
        "<iframe",
        "<b>Title",
    ):
        assert bad not in html
    assert "&lt;b&gt;Title&lt;/b&gt;" in html
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "object-src 'none'" in csp
