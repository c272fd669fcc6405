"""The lookup page: @name@host or a profile URL → the person's profile here (T-10)."""

import pytest
from django.core.cache import cache

from connective.accounts.models import Person
from connective.federation.views.lookup import looks_like_lookup
from tests.federation.remote_peer import rebased, serve_actor, serve_webfinger
from tests.trap import bare_trap, trap  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Rate-limit counters live in the cache, which outlives each test's database."""
    cache.clear()


@pytest.fixture(autouse=True)
def _http_peers(settings):
    settings.CONNECTIVE_FEDERATION_ALLOW_HTTP = True


def test_login_required(client):
    response = client.get("/lookup/", {"q": "@zoe@mastodon.example"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_empty_lookup_shows_the_form(ana_client):
    response = ana_client.get("/lookup/")
    assert response.status_code == 200
    assert b'name="q"' in response.content
    assert b"<h1>Find someone on another server</h1>" in response.content


def test_handle_lookup_records_the_person_and_redirects_to_their_profile(ana_client, trap):  # noqa: F811
    doc = rebased("mastodon", trap)
    serve_actor(trap, doc)
    handle = serve_webfinger(trap, "zoe", doc["id"])
    response = ana_client.get("/lookup/", {"q": f"@{handle}"})
    assert response.status_code == 302
    person = Person.objects.get(uri=doc["id"])
    assert response["Location"] == f"/@{person.path_handle}/"


def test_profile_url_lookup(ana_client, trap):  # noqa: F811
    doc = rebased("lemmy", trap)
    serve_actor(trap, doc)
    response = ana_client.get("/lookup/", {"q": doc["id"]})
    assert response.status_code == 302
    assert Person.objects.filter(uri=doc["id"]).exists()


def test_our_own_people_are_found_without_a_request(ana_client, ben):
    response = ana_client.get("/lookup/", {"q": ben.uri + "/"})
    assert response.status_code == 302
    assert response["Location"] == "/@ben/"


def test_t10_private_address_gives_a_clear_error(ana_client, bare_trap):  # noqa: F811
    response = ana_client.get("/lookup/", {"q": f"@zoe@127.0.0.1:{bare_trap.port}"})
    assert response.status_code == 403
    assert b"URL not allowed" in response.content
    response = ana_client.get("/lookup/", {"q": "http://169.254.169.254/latest/meta-data/"})
    assert response.status_code == 403
    assert bare_trap.hits == []
    assert not Person.objects.filter(handle="zoe").exists()


def test_unknown_person_gives_not_found(ana_client, trap):  # noqa: F811
    host = trap.url("").removeprefix("http://").rstrip("/")
    response = ana_client.get("/lookup/", {"q": f"@nobody@{host}"})
    assert response.status_code == 404
    assert b"Nobody called nobody" in response.content


def test_slow_server_gives_timed_out(ana_client, trap, settings):  # noqa: F811
    settings.CONNECTIVE_FEDERATION_TIMEOUT = 0.5
    trap.silent("/.well-known/webfinger")
    host = trap.url("").removeprefix("http://").rstrip("/")
    response = ana_client.get("/lookup/", {"q": f"@zoe@{host}"})
    assert response.status_code == 504
    assert b"did not answer in time" in response.content


@pytest.mark.parametrize("q", ["zoe", "@zoe", "a b@c", "x" * 700, "javascript:alert(1)"])
def test_malformed_queries_are_refused_with_an_error(ana_client, q):
    response = ana_client.get("/lookup/", {"q": q})
    assert response.status_code in (400, 404)
    assert b"field__error" in response.content


def test_the_query_is_escaped_on_the_error_page(ana_client):
    response = ana_client.get("/lookup/", {"q": '"><script>alert(1)</script>@x'})
    assert b"<script>alert(1)</script>" not in response.content


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("@zoe@mastodon.example", True),
        ("zoe@mastodon.example", True),
        ("https://mastodon.example/@zoe", True),
        ("statistics", False),
        ("open licensing", False),
        ("javascript:alert(1)", False),
    ],
)
def test_search_page_can_tell_a_lookup(q, expected):
    assert looks_like_lookup(q) is expected


def test_a_post_address_shows_the_post_here(ana_client, trap):  # noqa: F811
    actor = rebased("mastodon", trap)
    serve_actor(trap, actor)
    note = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": trap.url("/users/zoe/statuses/1"),
        "type": "Note",
        "attributedTo": actor["id"],
        "content": "<p>Confidence intervals, explained.</p>",
        "published": "2026-11-28T10:00:00Z",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": [actor["followers"]],
    }
    serve_actor(trap, note)
    response = ana_client.get("/lookup/", {"q": note["id"]})
    assert response.status_code == 302
    from connective.content.models import Post

    post = Post.objects.get(uri=note["id"])
    assert response["Location"] == post.get_absolute_url()
    assert "Confidence intervals" in post.body_html


def test_a_post_nobody_may_see_is_not_shown(ana_client, trap):  # noqa: F811
    actor = rebased("mastodon", trap)
    serve_actor(trap, actor)
    note = {
        "id": trap.url("/users/zoe/statuses/2"),
        "type": "Note",
        "attributedTo": actor["id"],
        "content": "<p>for followers</p>",
        "to": [actor["followers"]],
    }
    serve_actor(trap, note)
    response = ana_client.get("/lookup/", {"q": note["id"]})
    assert response.status_code == 404
    assert b"not a person" in response.content


def test_t33_lookup_is_throttled_per_account(ana_client, ben, settings):
    settings.CONNECTIVE_LOOKUP_RATE = "100/m/ip,2/m/user"
    for _ in range(2):
        assert ana_client.get("/lookup/", {"q": ben.uri}).status_code == 302
    response = ana_client.get("/lookup/", {"q": ben.uri})
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert b"Too many look-ups" in response.content


def test_t33_lookup_is_throttled_per_client_address(ana_client, ben_client, ben, settings):
    settings.CONNECTIVE_LOOKUP_RATE = "2/m/ip,100/m/user"
    assert ana_client.get("/lookup/", {"q": ben.uri}).status_code == 302
    assert ben_client.get("/lookup/", {"q": ben.uri}).status_code == 302
    assert ben_client.get("/lookup/", {"q": ben.uri}).status_code == 429
