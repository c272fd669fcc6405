"""Map snapshots: save, list, view, publish as an image, embed in a post, delete."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.test import Client
from django.utils import timezone

from connective.accounts.models import Person
from connective.accounts.services.profile import update_privacy
from connective.core.html import render_markdown
from connective.discovery.models import MapSnapshot
from connective.discovery.services.snapshots import (
    WITHHELD,
    build_map,
    public_svg,
    save_snapshot,
    set_public,
)
from connective.discovery.services.svg import render_map
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
    public = public_svg(snap)
    assert "Shy Person" not in public and "\u2068Far\u2069" not in public
    assert "Ben Okafor" in public and WITHHELD in public
    assert "<a href" not in public


def test_public_copy_speaks_of_its_owner_by_name_not_as_you(ana, ben, snap):
    """The owner's copy is for them ("You learn from them"); a published one is read by
    others, so the middle, the tooltips and the legend speak of the owner."""
    assert ">You<" in snap.svg and "you learn from them" in snap.svg
    public = public_svg(snap)
    assert ">You<" not in public and "you " not in public.replace("your", "").lower()
    assert "\u2068Ana Lima\u2069 learns from them" in public
    assert "Learns from them" in public and "Mutual: connected both ways" in public


def published(owner) -> tuple[MapSnapshot, str]:
    """A snapshot of the owner's map made public, and its public address."""
    snap = save_snapshot(owner)
    set_public(snap, True)
    return snap, snap.public_path()


def test_public_copy_forgets_a_name_whose_owner_opts_out_later(ana, ben, ana_client):
    connect_to(ana, ben, "learn_from", topics=["Open licensing"])
    snap, url = published(ana)
    assert "Ben Okafor" in Client().get(url).content.decode()
    client_for(ben).post("/settings/privacy/", {})  # "Let others find me" turned off
    assert Person.objects.get(pk=ben.pk).discoverable is False
    image = Client().get(url).content.decode()
    assert "Ben Okafor" not in image and f"\u2068{WITHHELD}\u2069" in image
    assert "Open licensing" in image and "Ana Lima" in image  # the picture itself stays
    own = ana_client.get(f"/network/map/snapshots/{snap.pk}/map.svg").content.decode()
    assert "Ben Okafor" in own  # the owner's dated record keeps the name


def test_public_copy_shows_a_name_once_its_owner_opts_in(ana, ben):
    update_privacy(ben, requires_approval=False, discoverable=False)
    connect_to(ana, ben)
    _snap, url = published(ana)
    assert "Ben Okafor" not in Client().get(url).content.decode()
    update_privacy(ben, requires_approval=False, discoverable=True)
    assert "Ben Okafor" in Client().get(url).content.decode()


def test_public_copy_forgets_people_who_stop_being_suggested_or_are_suspended(ana, ben, chloe):
    for person in (ben, chloe):
        connect_to(ana, person)
    _snap, url = published(ana)
    image = Client().get(url).content.decode()
    assert "Ben Okafor" in image and "Chloe Martin" in image
    client_for(ben).post("/settings/discovery/", {})  # "Suggest me to others" turned off
    Person.objects.filter(pk=chloe.pk).update(suspended_at=timezone.now())
    image = Client().get(url).content.decode()
    assert "Ben Okafor" not in image and "Chloe Martin" not in image
    assert image.count(f"\u2068{WITHHELD}\u2069") == 4  # each: a label and a tooltip


def test_a_suspended_owners_public_snapshot_is_not_served(ana, ben):
    connect_to(ana, ben)
    _snap, url = published(ana)
    Person.objects.filter(pk=ana.pk).update(suspended_at=timezone.now())
    assert Client().get(url).status_code == 404


def test_migration_withholds_every_name_of_snapshots_saved_before_layouts(ana, ben, chloe):
    """A public copy stored by the old code keeps no name but the owner's, and keeps serving."""
    migration = importlib.import_module(
        "connective.discovery.migrations.0002_snapshot_layout_public_copy_drawn_when_served"
    )
    chloe.display_name = "Chloe \u2069 — Martin"  # isolate marks and a dash in a name
    chloe.save(update_fields=["display_name"])
    for person in (ben, chloe):
        connect_to(ana, person, "learn_from", topics=["Open licensing"])
    view = build_map(ana)
    old_copy = render_map(ana.name, view.groups, timezone.localdate())  # "you", as then
    snap = MapSnapshot.objects.create(
        owner=ana, svg=str(view.svg), public_svg=old_copy, summary="Map", token="old"
    )
    set_public(snap, True)
    migration.withhold_every_name(django_apps, None)
    image = Client().get(snap.public_path()).content.decode()
    assert "Ben" not in image and "Chloe" not in image and "Martin" not in image
    assert image.count(f"<title>\u2068{WITHHELD}\u2069 — you learn from them</title>") == 2
    assert "Ana Lima" in image and "Open licensing" in image


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
    assert 'value="Personal Learning Networks"' in html  # the demo's and the field's topic
