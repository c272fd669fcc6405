"""Map snapshots: save, list, view, publish as an image, embed in a post, delete."""

import pytest
from django.test import Client

from connective.core.html import render_markdown
from connective.discovery.models import MapSnapshot
from connective.discovery.services.snapshots import WITHHELD, save_snapshot
from tests.conftest import client_for, make_remote_person
from tests.discovery.helpers import connect_to, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def snap(ana, ben):
    connect_to(ana, ben, "learn_from", topics=["Open licensing"])
    return save_snapshot(ana)


def test_save_from_the_map_page(ana, ben, ana_client):
    connect_to(ana, ben, "learn_from", topics=["Open licensing"])
    response = ana_client.post("/network/map/snapshots/")
    snap = MapSnapshot.objects.get()
    assert (
        response.status_code == 302
        and response.headers["Location"] == f"/network/map/snapshots/{snap.pk}/"
    )
    assert snap.owner == ana and "\u2068Ben Okafor\u2069" in snap.svg
    assert snap.health["size"] == 1
    assert snap.summary.endswith(": 1 person in 1 topic group, 0% mutual.")
    listing = ana_client.get("/network/map/snapshots/").content.decode()
    assert snap.get_absolute_url() in listing


def test_snapshot_page_and_owner_svg(snap, ana_client):
    html = ana_client.get(snap.get_absolute_url()).content.decode()
    assert f'src="/network/map/snapshots/{snap.pk}/map.svg"' in html
    assert "Network health" in html and "Make it public" in html
    svg = ana_client.get(f"/network/map/snapshots/{snap.pk}/map.svg")
    assert svg.status_code == 200 and svg.headers["Content-Type"].startswith("image/svg+xml")
    assert svg.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in svg.headers["Content-Security-Policy"]


def test_someone_elses_snapshot_is_the_same_404(snap, ben):
    other = client_for(ben)
    for url in (
        snap.get_absolute_url(),
        f"/network/map/snapshots/{snap.pk}/map.svg",
        "/network/map/snapshots/999999/",
    ):
        assert other.get(url).status_code == 404
    assert other.post(f"/network/map/snapshots/{snap.pk}/delete/").status_code == 404
    assert (
        other.post(f"/network/map/snapshots/{snap.pk}/public/", {"public": "1"}).status_code == 404
    )
    snap.refresh_from_db()
    assert snap.public is False


@pytest.mark.parametrize("pk", ["99999999999999999999999", "0"])
def test_invalid_snapshot_ids_are_404(snap, ana_client, pk):
    assert ana_client.get(f"/network/map/snapshots/{pk}/").status_code == 404
    assert ana_client.post(f"/network/map/snapshots/{pk}/delete/").status_code == 404


def test_publish_serves_a_strict_image_and_unpublish_hides_it(snap, ana_client):
    public_url = snap.public_path()
    assert Client().get(public_url).status_code == 404
    response = ana_client.post(f"/network/map/snapshots/{snap.pk}/public/", {"public": "1"})
    assert response.status_code == 302
    image = Client().get(public_url)
    assert image.status_code == 200
    assert image.headers["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    csp = image.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    ana_client.post(f"/network/map/snapshots/{snap.pk}/public/", {"public": "0"})
    assert Client().get(public_url).status_code == 404
    assert Client().get("/network/map/public/not-a-token.svg").status_code == 404


def test_public_copy_withholds_names_of_people_who_did_not_opt_in(ana, ben):
    ben.discoverable = True  # chose "Let others find me"; shy kept the default
    ben.save(update_fields=["discoverable"])
    shy = make_person("shy", display_name="Shy Person", discoverable=False)
    far = make_remote_person("far")
    for person in (ben, shy, far):
        connect_to(ana, person)
    snap = save_snapshot(ana)
    assert "Shy Person" in snap.svg and "Far" in snap.svg
    assert "Shy Person" not in snap.public_svg and "\u2068Far\u2069" not in snap.public_svg
    assert "Ben Okafor" in snap.public_svg and WITHHELD in snap.public_svg
    assert "<a href" not in snap.public_svg


def test_embed_markdown_survives_the_sanitiser_and_opens_the_composer(snap, ana_client):
    ana_client.post(f"/network/map/snapshots/{snap.pk}/public/", {"public": "1"})
    response = ana_client.get(snap.get_absolute_url())
    markdown = response.context["embed_markdown"]
    assert markdown.startswith("![Map of") and snap.public_path() in markdown
    html = render_markdown(markdown)
    assert "<img" in html and snap.public_path() in html
    compose = response.context["compose_url"]
    assert compose.startswith("/posts/new/?kind=article") and "body=" in compose
    assert "Write a blog post with this map" in response.content.decode()


def test_delete(snap, ana_client):
    response = ana_client.post(f"/network/map/snapshots/{snap.pk}/delete/")
    assert response.status_code == 302 and not MapSnapshot.objects.exists()
    assert ana_client.get(f"/network/map/snapshots/{snap.pk}/delete/").status_code == 405


def test_demo_saves_one_snapshot_for_learner_once(ana, ben):
    from connective.discovery.demo import load_demo

    connect_to(ana, ben)
    load_demo({"learner": ana, "ben": ben})
    load_demo({"learner": ana, "ben": ben})
    assert MapSnapshot.objects.filter(owner=ana).count() == 1
    load_demo({})  # no learner: nothing to do


def test_the_composer_opens_with_the_embed_markdown(snap, ana_client):
    ana_client.post(f"/network/map/snapshots/{snap.pk}/public/", {"public": "1"})
    response = ana_client.get(snap.get_absolute_url())
    composer = ana_client.get(response.context["compose_url"])
    assert composer.status_code == 200
    html = composer.content.decode()
    assert snap.public_path() in html and "My learning network" in html
