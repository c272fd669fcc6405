"""Discovery: WebFinger, host-meta and NodeInfo 2.1."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from connective.content.models import Post, Visibility
from connective.core.uris import site_host
from tests.conftest import make_person, make_remote_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Rate-limit counters live in the cache, which outlives each test's database."""
    cache.clear()


def webfinger(client, resource):
    return client.get("/.well-known/webfinger", {"resource": resource})


def test_webfinger_finds_a_local_person(client, ana):
    response = webfinger(client, f"acct:ana@{site_host()}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jrd+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    jrd = response.json()
    assert jrd["subject"] == f"acct:ana@{site_host()}"
    links = {link["rel"]: link for link in jrd["links"]}
    assert links["self"] == {"rel": "self", "type": "application/activity+json", "href": ana.uri}
    assert links["http://webfinger.net/rel/profile-page"]["href"].endswith("/@ana/")
    assert "{uri}" in links["http://ostatus.org/schema/1.0/subscribe"]["template"]


@pytest.mark.parametrize(
    "resource",
    ["acct:ANA@{host}", "ana@{host}", "@ana@{host}", "acct:ana@{host}."],
)
def test_webfinger_accepts_the_usual_spellings(client, ana, resource):
    response = webfinger(client, resource.format(host=site_host()))
    assert response.status_code == 200
    assert response.json()["links"][0]["href"] == ana.uri


def test_webfinger_accepts_the_profile_url(client, ana):
    assert webfinger(client, ana.uri).status_code == 200
    assert webfinger(client, ana.uri + "/").status_code == 200


def test_webfinger_404_for_unknown_remote_and_suspended(client, ana):
    make_remote_person("dana")
    make_person("sam", suspended_at=timezone.now())
    for resource in (
        f"acct:nobody@{site_host()}",
        "acct:dana@remote.example",
        "acct:ana@remote.example",
        f"acct:sam@{site_host()}",
        "https://remote.example/users/dana",
    ):
        response = webfinger(client, resource)
        assert response.status_code == 404, resource


@pytest.mark.parametrize(
    "resource", ["", "acct:", "acct:ana", "ana", "acct:a b@host", "acct:ana@x@y", "x" * 700]
)
def test_webfinger_400_for_malformed_resources(client, resource):
    assert webfinger(client, resource).status_code == 400


def test_webfinger_without_resource_is_400(client):
    assert client.get("/.well-known/webfinger").status_code == 400


def test_host_meta_points_at_webfinger(client):
    response = client.get("/.well-known/host-meta")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xrd+xml")
    assert b'template="http' in response.content
    assert b"/.well-known/webfinger?resource={uri}" in response.content


def test_nodeinfo_discovery_and_document(client, ana, ben):
    index = client.get("/.well-known/nodeinfo").json()
    assert index["links"][0]["rel"] == "http://nodeinfo.diaspora.software/ns/schema/2.1"
    assert index["links"][0]["href"].endswith("/nodeinfo/2.1")
    now = timezone.now()
    remote = make_remote_person("dana")
    Post.objects.create(author=ana, body="public", created_at=now)
    Post.objects.create(author=ana, body="mine", visibility=Visibility.NETWORK, created_at=now)
    Post.objects.create(author=remote, body="theirs", created_at=now)
    response = client.get("/nodeinfo/2.1")
    assert response.status_code == 200
    assert "nodeinfo.diaspora.software/ns/schema/2.1" in response["Content-Type"]
    doc = response.json()
    assert doc["version"] == "2.1"
    assert doc["software"]["name"] == "connective"
    assert doc["protocols"] == ["activitypub"]
    assert doc["usage"]["users"]["total"] == 2
    assert doc["usage"]["users"]["activeMonth"] == 1
    assert doc["usage"]["localPosts"] == 1
    assert doc["openRegistrations"] is True


def test_nodeinfo_follows_the_registration_setting(client, settings):
    settings.CONNECTIVE_OPEN_REGISTRATIONS = False
    assert client.get("/nodeinfo/2.1").json()["openRegistrations"] is False


def test_discovery_refuses_posts(client):
    assert client.post("/.well-known/webfinger").status_code == 405


def test_webfinger_accepts_our_host_with_its_port(client, ana, settings):
    """Two instances on one loopback address differ by port (two-instance tests)."""
    settings.CONNECTIVE_SITE_URL = "http://127.0.0.1:8001"
    assert webfinger(client, "acct:ana@127.0.0.1:8001").status_code == 200
    assert webfinger(client, "acct:ana@127.0.0.1:8002").status_code == 404


# --- T-33: throttled per client address ----------------------------------------------------


def test_t33_webfinger_is_throttled_per_client_address(client, ana, settings):
    settings.CONNECTIVE_WEBFINGER_RATE = "3/m/ip"
    resources = [f"acct:ana@{site_host()}", f"acct:nobody@{site_host()}", "acct:ANA@x.example"]
    assert [webfinger(client, r).status_code for r in resources] == [200, 404, 404]
    response = webfinger(client, f"acct:ana@{site_host()}")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert b"try again in 60 seconds" in response.content
    other = client.get(
        "/.well-known/webfinger", {"resource": f"acct:ana@{site_host()}"}, REMOTE_ADDR="10.9.8.7"
    )
    assert other.status_code == 200


@pytest.mark.parametrize(
    "path", ["/.well-known/webfinger/", "/.WELL-KNOWN/webfinger", "/.well-known/WebFinger"]
)
def test_t33_path_variants_do_not_escape_the_throttle(client, ana, settings, path):
    """Only the one route answers: a variant is a 404, never a second, unthrottled door."""
    settings.CONNECTIVE_WEBFINGER_RATE = "1/m/ip"
    assert webfinger(client, f"acct:ana@{site_host()}").status_code == 200
    assert client.get(path, {"resource": f"acct:ana@{site_host()}"}).status_code == 404
    assert webfinger(client, f"acct:ana@{site_host()}").status_code == 429


# --- one name, one actor: people, spaces and courses (WebFinger and the pages agree) --------


def _page_handle(client, space) -> str:
    """The fediverse name the space's page shows ("" if none)."""
    page = client.get(f"/spaces/{space.slug}/", HTTP_ACCEPT="text/html").content.decode()
    marker = "on the fediverse: <code>"
    return page.split(marker, 1)[1].split("</code>", 1)[0] if marker in page else ""


def _fingered(client, name):
    """The `self` href WebFinger answers for acct:name@host, or its status code."""
    response = webfinger(client, f"acct:{name}@{site_host()}")
    if response.status_code != 200:
        return response.status_code
    return next(link["href"] for link in response.json()["links"] if link["rel"] == "self")


def test_webfinger_404_is_neutral(client):
    response = webfinger(client, f"acct:nobody@{site_host()}")
    assert response.status_code == 404
    assert response.content.decode() == "No such account here."


def test_a_space_named_like_a_person_never_takes_their_name(client):
    from connective.spaces.services.spaces import create_space

    ukulele = make_person("ukulele")
    space = create_space(make_person("ana"), name="Ukulele", slug="ukulele")
    assert _fingered(client, "ukulele") == ukulele.uri and _page_handle(client, space) == ""
    # The person deleted: their name stays theirs, so neither WebFinger nor the page hands
    # it to the space (both count deleted people the same way).
    now = timezone.now()
    type(ukulele).objects.filter(pk=ukulele.pk).update(suspended_at=now, deleted_at=now)
    assert _fingered(client, "ukulele") == 404 and _page_handle(client, space) == ""
    space_url = client.get(f"/spaces/{space.slug}/", HTTP_ACCEPT="application/activity+json")
    assert webfinger(client, space_url.json()["id"]).status_code == 404  # same rule by URL


def test_a_space_with_a_free_name_is_found_by_it_and_its_page_says_so(client):
    from connective.spaces.services.spaces import create_space

    space = create_space(make_person("ana"), name="Ukulele")
    assert _page_handle(client, space) == f"@ukulele@{site_host()}"
    assert _fingered(client, "ukulele") == space.uri


def test_a_members_only_space_is_found_but_its_page_offers_no_address(client):
    """WebFinger finds it (a Follow of it gets a Reject); its page does not offer an address
    nobody could follow."""
    from connective.spaces.services.spaces import create_space

    space = create_space(make_person("ana"), name="Staff", members_only=True)
    assert _page_handle(client, space) == ""
    assert _fingered(client, "staff") == space.uri
    assert webfinger(client, space.uri).status_code == 200


def test_a_courses_discussion_space_is_found_as_the_course(client):
    from tests.courses.conftest import build_course

    course = build_course(make_person("ana"))
    space = course.space
    assert _page_handle(client, space) == "" and _fingered(client, space.slug) == 404
    assert webfinger(client, space.uri).status_code == 404
    assert _fingered(client, f"course.{course.slug}") == course.uri
