"""The PLN map: ties from my side, groups, the SVG and its list twin, health."""

from datetime import timedelta

import pytest
from django.utils import timezone

from connective.discovery.models import Dismissal
from connective.discovery.services.pln_map import group_ties, health, network_ties
from connective.discovery.services.svg import STYLES, render_map
from connective.network.models import Connection
from connective.network.services.listing import is_dormant
from connective.topics.models import Topic
from tests.conftest import make_remote_person
from tests.discovery.helpers import connect_to, make_person, set_topics

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(ana, ben, chloe):
    """ana learns from ben (mutual: ben helps ana), learns with chloe about maths (dormant),
    and dana (remote) connected to ana to learn from her."""
    connect_to(ana, ben, "learn_from", topics=["Open licensing"])
    connect_to(ben, ana, "help", topics=["Open licensing"])
    connect_to(ana, chloe, "learn_with", topics=["Maths"])
    old = timezone.now() - timedelta(days=120)
    Connection.objects.filter(owner=ana, target=chloe).update(
        created_at=old, accepted_at=old, last_interaction_at=old
    )
    dana = make_remote_person("dana")
    connect_to(dana, ana, "learn_from", topics=["Open licensing"])
    return {"dana": dana}


def test_ties_are_seen_from_my_side(ana, network):
    ties = {t.person.handle: t for t in network_ties(ana)}
    assert (ties["ben"].direction, ties["ben"].mutual, ties["ben"].dormant) == (
        "learn_from",
        True,
        False,
    )
    assert (ties["chloe"].direction, ties["chloe"].dormant) == ("learn_with", True)
    assert (ties["dana"].direction, ties["dana"].incoming_only) == ("help", True)
    assert ties["dana"].words == "you help them · they connected with you"


@pytest.mark.parametrize(
    ("created", "accepted", "interaction", "dormant"),
    [
        (120, 120, 120, True),
        (120, 120, 10, False),  # an interaction lately keeps an old tie alive
        (120, 10, None, False),  # no interaction yet: accepted lately
        (120, 100, None, True),
        (10, None, None, False),  # neither interaction nor acceptance: asked lately
        (100, None, None, True),
    ],
)
def test_the_map_finds_dormant_ties_as_my_network_list_does(
    ana, ben, created, accepted, interaction, dormant
):
    """The map reads when each tie was last alive in SQL (LAST_ALIVE); the list of my network
    reads the three times of a Connection (is_dormant): both must agree."""
    connect_to(ana, ben, "learn_from")
    now = timezone.now()

    def ago(days):
        return None if days is None else now - timedelta(days=days)

    ties = Connection.objects.filter(owner=ana, target=ben)
    ties.update(
        created_at=ago(created), accepted_at=ago(accepted), last_interaction_at=ago(interaction)
    )
    assert is_dormant(ties.get(), now) is dormant
    assert [t.dormant for t in network_ties(ana, now)] == [dormant]


def test_people_are_grouped_by_their_most_shared_topic(ana, network):
    groups = group_ties(network_ties(ana))
    assert [(g.name, [t.person.handle for t in g.ties]) for g in groups] == [
        ("Open licensing", ["ben", "dana"]),
        ("Maths", ["chloe"]),
    ]


def test_svg_styles_direction_by_colour_and_dash(ana, network):
    svg = render_map(ana.name, group_ties(network_ties(ana)), timezone.localdate())
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    for colour, dash, text in STYLES.values():
        assert f'stroke="{colour}"' in svg and text in svg
        if dash:
            assert f'stroke-dasharray="{dash}"' in svg
    assert 'opacity="0.3"' in svg  # chloe's dormant tie
    assert 'stroke-width="4"' in svg  # ben's mutual tie
    assert "\u2068Ben Okafor\u2069" in svg and "Open licensing" in svg
    assert "<script" not in svg and "<style" not in svg


def test_dormancy_is_explained_with_the_configured_days(ana, network, settings):
    settings.CONNECTIVE_DORMANT_DAYS = 30
    ties = {t.person.handle: t for t in network_ties(ana)}
    assert ties["chloe"].words == "you learn with them · dormant (no interaction for 30 days)"
    svg = render_map(ana.name, group_ties(list(ties.values())), timezone.localdate())
    assert "Faded: dormant, no interaction for 30 days" in svg and "90 days" not in svg


def test_t22_t26_names_cannot_break_out_of_the_svg(ana):
    evil = make_person("evil", display_name="</text><script>alert(1)</script>")
    connect_to(ana, evil, "learn_from")
    Connection.objects.get(owner=ana).topics.set([Topic.objects.create(key="bx", name="<b>x</b>")])
    ana.display_name = '"><svg onload=alert(1)>'
    svg = render_map(ana.display_name, group_ties(network_ties(ana)), timezone.localdate())
    assert "<script>" not in svg and "&lt;svg onload=alert(1)&gt;" in svg
    assert "&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "<svg onload" not in svg
    assert "<b>" not in svg and "&lt;b&gt;x&lt;/b&gt;" in svg


def test_empty_network_map(ana):
    svg = render_map(ana.name, [], timezone.localdate())
    assert "No connections yet" in svg


def test_big_networks_keep_names_in_tooltips(ana):
    for i in range(85):
        connect_to(ana, make_remote_person(f"p{i:02d}", "many.example"))
    svg = render_map(ana.name, group_ties(network_ties(ana)), timezone.localdate())
    assert svg.count("<title>") == 85
    assert '<text x="' in svg and "\u2068P00\u2069</text>" not in svg


def test_health_figures(ana, network, ben, chloe):
    set_topics(ana, interests=["Open licensing", "Maths", "Physics", "Cooking"])
    set_topics(ben, expertise=["Cooking"])
    expert = make_person("eve", display_name="Eve", discoverable=True)
    set_topics(expert, expertise=["Physics"])
    figures = health(ana, network_ties(ana))
    assert (figures["size"], figures["mutual"], figures["reciprocity"]) == (3, 1, 33)
    assert figures["dormant"] == 1
    assert (figures["server"]["count"], figures["server"]["share"]) == (2, 67)
    assert figures["topic"] == {"name": "Open licensing", "count": 2, "share": 67}
    gaps = figures["gaps"]
    assert [g["topic"] for g in gaps] == ["Physics"]  # maths, licensing: ties; cooking: ben
    assert gaps[0]["suggested"][0]["name"] == "Eve"
    assert gaps[0]["suggested"][0]["reason"] == "Says they can help with Physics"


def test_gaps_do_not_suggest_people_i_dismissed(ana, network):
    """ "Not interested" in a person holds on the map too: they are not recommended again."""
    set_topics(ana, interests=["Physics"])
    eve = make_person("eve", display_name="Eve", discoverable=True)
    fay = make_person("fay", display_name="Fay", discoverable=True)
    set_topics(eve, expertise=["Physics"])
    set_topics(fay, expertise=["Physics"])
    Dismissal.objects.create(person=ana, kind=Dismissal.Kind.PERSON, object_id=eve.pk)
    (gap,) = health(ana, network_ties(ana))["gaps"]
    assert [s["name"] for s in gap["suggested"]] == ["Fay"]


def test_several_gaps_name_the_learners_from_ties_read_once(ana, network, ben, chloe):
    """With more than one gap the network's learn-from ties are read once for all of them; each
    gap's suggestions still say who in my network learns the topic from them."""
    set_topics(ana, interests=["Physics", "Cooking"])
    eve = make_person("eve", display_name="Eve", discoverable=True)
    fay = make_person("fay", display_name="Fay", discoverable=True)
    connect_to(ben, eve, "learn_from", topics=["Physics"])
    connect_to(chloe, fay, "learn_from", topics=["Cooking"])
    gaps = {g["topic"]: g["suggested"] for g in health(ana, network_ties(ana))["gaps"]}
    assert set(gaps) == {"Physics", "Cooking"}
    assert [s["name"] for s in gaps["Physics"]] == ["Eve"]
    assert "Ben Okafor from your network connects to them" in gaps["Physics"][0]["reason"]
    assert [s["name"] for s in gaps["Cooking"]] == ["Fay"]
    assert "Chloe Martin from your network connects to them" in gaps["Cooking"][0]["reason"]


def test_map_page_has_picture_list_and_health(ana, network, ana_client):
    response = ana_client.get("/network/map/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert "The map as a list" in html and "you learn from them · mutual" in html
    assert "dormant" in html and "Network health" in html
    assert 'href="/@ben/"' in html


def test_map_page_needs_login(client):
    response = client.get("/network/map/")
    assert response.status_code == 302


def test_svg_links_are_the_profile_addresses(ana, network):
    """Links are written without a reverse() per person: they must be what reverse() gives."""
    import re

    groups = group_ties(network_ties(ana))
    svg = render_map("Ana", groups, timezone.localdate())
    hrefs = set(re.findall(r'<a href="([^"]+)"', svg))
    people = [tie.person for group in groups for tie in group.ties]
    assert hrefs == {p.get_absolute_url() for p in people}
    assert any("@" in p.path_handle for p in people), "a remote person is among them"


def test_the_map_costs_the_same_queries_for_3_ties_and_for_30(
    ana, network, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        network_ties(ana)
    for i in range(27):
        connect_to(ana, make_person(f"extra{i}"), "learn_with", topics=[f"Topic {i % 4}"])
    with CaptureQueriesContext(connection) as many:
        assert len(network_ties(ana)) == 30
    assert len(many.captured_queries) == len(few.captured_queries)
