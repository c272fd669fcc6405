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
    ben.discoverable = True  # not in ana's network: found because he chose to be
    ben.save(update_fields=["discoverable"])
    shy = make_person("shy", discoverable=True)
    set_topics(shy, expertise=["Open licensing"])
    Dismissal.objects.create(person=ana, kind="person", object_id=shy.pk)
    template = Template("{% load discovery_tags %}{% discovery_sidebar viewer %}")
    html = template.render(Context({"viewer": ana}))
    assert "Ben Okafor" in html and "Says they can help with Open licensing" in html
    assert "Shy" not in html
    assert 'href="/discover/"' in html and 'href="/network/map/"' in html


def test_own_evidence_speaks_to_the_person(ana, ben, chloe):
    """On my own profile the evidence says "you", never "they" or "them"."""
    set_topics(ben, expertise=["Open licensing"])
    resources(ben, "Open licensing", 2, useful_by=(chloe,))
    connect_to(ben, chloe)
    connect_to(chloe, ben, "learn_from", topics=["Open licensing"])
    template = Template("{% load discovery_tags %}{% expertise_evidence person viewer %}")
    html = template.render(Context({"person": ben, "viewer": ben}))
    assert "Why you are listed as able to help" in html
    assert (
        "Open licensing</a>: You say you can help with Open licensing; shared 2 resources on it, "
        "1 marked useful; <bdi>Chloe Martin</bdi> from your network connects to you to learn "
        "about it</li>" in html
    )
    reasons = html.split("<ul>")[1].split("</ul>")[0]
    assert "them" not in reasons and "they" not in reasons


def test_own_evidence_says_who_can_find_me(ben, ben_client):
    set_topics(ben, expertise=["Maps"])
    template = Template("{% load discovery_tags %}{% expertise_evidence person viewer %}")
    ben.discoverable = False
    html = template.render(Context({"person": ben, "viewer": ben}))
    assert "Maps</a>: You say you can help with Maps</li>" in html
    assert "Only people in your network and two hops out see you" in html
    assert 'href="/settings/privacy/"' in html
    ben_client.post("/settings/discovery/", {})  # "Suggest me to others" off
    html = template.render(Context({"person": ben, "viewer": ben}))
    assert "show you to nobody" in html and 'href="/settings/discovery/"' in html
