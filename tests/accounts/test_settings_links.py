"""Links to a person's other places: http(s) only, fediverse handles, own links only."""

import pytest
from django.test import Client

from connective.accounts.models import PersonLink
from connective.accounts.services.links import MAX_LINKS, LinkError, add_link

pytestmark = pytest.mark.django_db
URL = "/settings/links/"


def add(client: Client, url: str, kind: str = "website", label: str = ""):
    return client.post(URL, {"kind": kind, "url": url, "label": label})


def test_adding_a_website_shows_it_with_rel_me(ana, ana_client):
    response = add(ana_client, "https://ana.example/blog", "blog", "My teaching blog")
    assert response.status_code == 302
    link = PersonLink.objects.get(person=ana)
    assert (link.kind, link.url, link.label, link.verified_at) == (
        "blog",
        "https://ana.example/blog",
        "My teaching blog",
        None,
    )
    page = ana_client.get(URL).content.decode()
    assert '<a href="https://ana.example/blog" rel="me nofollow noopener">' in page
    assert page.count("<h1") == 1
    assert 'href="/settings/links/" aria-current="page"' in page


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://files.example/x",
        "data:text/html,<script>alert(1)</script>",
        "ana.example/blog",
        "//ana.example",
        "https://",
        "http://user:secret@ana.example/",
        "https://ana.example/" + "x" * 500,
        "",
    ],
)
def test_bad_urls_are_refused_and_nothing_stored(ana, ana_client, url):
    response = add(ana_client, url)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_url_error"' in page
    assert 'aria-invalid="true"' in page
    assert not PersonLink.objects.exists()
    assert 'href="javascript:' not in page


@pytest.mark.parametrize(
    "handle", ["@ana@social.example", "ana@Social.Example", " @ana@social.example "]
)
def test_fediverse_handle_becomes_a_profile_url(ana, ana_client, handle):
    assert add(ana_client, handle, "fediverse").status_code == 302
    link = PersonLink.objects.get(person=ana)
    assert link.url == "https://social.example/@ana"
    assert link.label == "@ana@social.example"


def test_fediverse_profile_url_is_kept(ana):
    link = add_link(ana, "fediverse", "https://social.example/users/ana")
    assert (link.url, link.label) == ("https://social.example/users/ana", "")


@pytest.mark.parametrize("handle", ["@ana@", "@ana@not a host", "@@x@y", "@ana@host/path"])
def test_bad_fediverse_handles_are_refused(ana, handle):
    with pytest.raises(LinkError):
        add_link(ana, "fediverse", handle)
    assert not PersonLink.objects.exists()


def test_handle_syntax_is_only_special_for_fediverse_links(ana):
    with pytest.raises(LinkError):
        add_link(ana, "website", "@ana@social.example")


def test_duplicate_link_is_refused(ana, ana_client):
    add(ana_client, "https://ana.example/")
    response = add(ana_client, "https://ana.example/")
    assert response.status_code == 400
    assert "already on your profile" in response.content.decode()
    assert PersonLink.objects.count() == 1


def test_unknown_kind_is_refused(ana, ana_client):
    assert add(ana_client, "https://ana.example/", kind="phone").status_code == 400
    assert not PersonLink.objects.exists()


def test_number_of_links_is_capped(ana):
    for i in range(MAX_LINKS):
        add_link(ana, "website", f"https://ana.example/{i}")
    with pytest.raises(LinkError, match="at most"):
        add_link(ana, "website", "https://ana.example/one-more")
    assert PersonLink.objects.count() == MAX_LINKS


def test_label_is_escaped(ana, ana_client):
    add(ana_client, "https://ana.example/", label="<img src=x onerror=alert(1)>")
    page = ana_client.get(URL).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_deleting_my_link(ana, ana_client):
    link = add_link(ana, "website", "https://ana.example/")
    response = ana_client.post(f"/settings/links/{link.pk}/delete/")
    assert response.status_code == 302
    assert not PersonLink.objects.exists()


def test_deleting_someone_elses_link_is_a_404_like_a_missing_one(ana, ben, ana_client):
    theirs = add_link(ben, "website", "https://ben.example/")
    other = ana_client.post(f"/settings/links/{theirs.pk}/delete/")
    missing = ana_client.post(f"/settings/links/{theirs.pk + 100}/delete/")
    assert other.status_code == missing.status_code == 404
    assert PersonLink.objects.filter(pk=theirs.pk).exists()


def test_deleting_needs_post_and_login(ana, ana_client):
    link = add_link(ana, "website", "https://ana.example/")
    assert ana_client.get(f"/settings/links/{link.pk}/delete/").status_code == 405
    response = Client().post(f"/settings/links/{link.pk}/delete/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert PersonLink.objects.filter(pk=link.pk).exists()
