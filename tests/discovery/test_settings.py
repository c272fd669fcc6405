"""Opting out of being suggested; forgetting "not interested"; the tags other pages use."""

import pytest
from django.template import Context, Template
from django.test import Client

from connective.discovery.models import DiscoveryPreference, Dismissal
from connective.discovery.services.experts import find_experts
from connective.discovery.services.preferences import suggest_me
from tests.discovery.helpers import connect_to, make_person, resources, set_topics, topic

pytestmark = pytest.mark.django_db


def test_settings_page_and_opt_out(ana, ben, ana_client):
    lic = topic("Open licensing")
    set_topics(ana, expertise=["Open licensing"])
    connect_to(ben, ana)
    assert [e.person.handle for e in find_experts(ben, [lic])] == ["ana"]
    page = ana_client.get("/settings/discovery/")
    assert page.status_code == 200 and "Suggest me to others" in page.content.decode()
    response = ana_client.post("/settings/discovery/", {})
    assert response.status_code == 302
    assert suggest_me(ana) is False
    assert find_experts(ben, [lic]) == []  # not even for my own connections
    html = Client().get("/topics/openlicensing/").content.decode()
    assert "Ana Lima" not in html
    ana_client.post("/settings/discovery/", {"suggest_me": "on"})
    assert suggest_me(ana) is True and DiscoveryPreference.objects.count() == 1


def test_forget_not_interested(ana, ben, ana_client):
    Dismissal.objects.create(person=ana, kind="person", object_id=ben.pk)
    Dismissal.objects.create(person=ben, kind="person", object_id=ana.pk)
    ana_client.post("/settings/discovery/", {"action": "reset"})
    assert list(Dismissal.objects.values_list("person_id", flat=True)) == [ben.pk]


def test_settings_need_login():
    assert Client().get("/settings/discovery/").status_code == 302


def test_expertise_evidence_tag(ana, ben, chloe):
    set_topics(ben, expertise=["Open licensing", "Maths"])
    resources(ben, "Open licensing", 2, useful_by=(chloe,))
    resources(ben, "Maths", 1, visibility="network")
    connect_to(ana, chloe)
    connect_to(chloe, ben, "learn_from", topics=["Open licensing"])
    template = Template("{% load discovery_tags %}{% expertise_evidence person viewer %}")
    html = template.render(Context({"person": ben, "viewer": ana}))
    assert (
        "Open licensing</a>: Says they can help with Open licensing; shared 2 resources on it"
        in html
    )
    assert "<bdi>Chloe Martin</bdi> from your network connects to them to learn about it" in html
    assert "Maths</a>: Says they can help with Maths</li>" in html  # the network post is hidden
    anonymous = template.render(Context({"person": ben, "viewer": None}))
    assert "Chloe" not in anonymous
    nobody = template.render(Context({"person": ana, "viewer": None}))
    assert nobody.strip() == ""


def test_sidebar_tag(ana, ben):
    set_topics(ana, interests=["Open licensing"])
    set_topics(ben, expertise=["Open licensing"])
    shy = make_person("shy")
    set_topics(shy, expertise=["Open licensing"])
    Dismissal.objects.create(person=ana, kind="person", object_id=shy.pk)
    template = Template("{% load discovery_tags %}{% discovery_sidebar viewer %}")
    html = template.render(Context({"viewer": ana}))
    assert "Ben Okafor" in html and "Says they can help with Open licensing" in html
    assert "Shy" not in html
    assert 'href="/discover/"' in html and 'href="/network/map/"' in html
