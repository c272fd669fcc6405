"""The expert finder's and the recommendations' pages: a topic nobody has used, how a tie reads."""

import re

import pytest
from django.test import Client

from connective.content.models import Post
from connective.content.services.useful import mark_useful
from connective.topics.models import Topic
from tests.conftest import client_for
from tests.discovery.helpers import connect_to, make_person, make_post, set_topics, topic

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("raw", ["no-such-topic", "%%", "x" * 300])
def test_unknown_topic_is_the_finders_own_404(ana, raw):
    response = client_for(ana).get("/experts/", {"topic": raw})
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Who can help me?</h1>" in html
    assert "No topic called" in html and 'action="/experts/"' in html
    assert "/search/?q=" in html


def test_a_blank_topic_is_no_topic(ana):
    response = client_for(ana).get("/experts/", {"topic": "   "})
    assert response.status_code == 200 and "No topic called" not in response.content.decode()


def test_unknown_topic_suggests_similar_topics_and_search(ana):
    topic("Open licensing")
    html = client_for(ana).get("/experts/", {"topic": "licensing"}).content.decode()
    assert "No topic called “licensing”" in html
    assert 'Did you mean\n    <a href="/experts/?topic=openlicensing">Open licensing</a>?' in html
    assert 'href="/search/?q=licensing"' in html


def test_a_tie_only_they_made_reads_connects_to_you(ana, ben):
    set_topics(ana, interests=["Maps"])
    set_topics(ben, expertise=["Maps"])
    connect_to(ben, ana)
    html = client_for(ana).get("/discover/").content.decode()
    assert "Connects to you" in html and "Ben Okafor" in html


def test_each_person_shows_the_points_the_reason_adds_up_to(ana, ben, chloe):
    """3 for saying so + 2 a resource + 3 for the one marked useful = 8, shown beside the reason."""
    set_topics(ben, expertise=["Maps"])
    make_post(ben, "resource", title="Map kit", topics=["Maps"])
    mark_useful(chloe, Post.objects.get(title="Map kit"))
    connect_to(ana, ben)
    html = client_for(ana).get("/experts/", {"topic": "maps"}).content.decode()
    assert "Says they can help with Maps; shared 1 resource on it, 1 marked useful" in html
    assert "— 8 points" in html


def test_t22_t26_an_experts_card_escapes_their_name_and_handle_everywhere(ana):
    evil = make_person("evil", display_name='"><script>alert(1)</script>\u202e', discoverable=True)
    maps = Topic.objects.create(key="bmaps", name="<b>Maps</b>")  # made past the label check
    evil.expertise.add(maps)
    ana.interests.add(maps)
    for url in (f"/experts/?topic={maps.key}", "/discover/"):
        html = client_for(ana).get(url).content.decode()
        assert "<script>" not in html and "<b>Maps" not in html
        escaped = "<bdi>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\u202e</bdi>"
        assert f'href="/@evil/">{escaped}</a>' in html
        assert f'<span class="visually-hidden"> with {escaped}</span>' in html
        assert 'href="/connect/@evil/"' in html
    assert f'<span class="visually-hidden"> in {escaped}</span>' in html  # Not interested


def test_not_interested_on_a_suggested_person_hides_them(ana):
    ben = make_person("ben", display_name="Ben", discoverable=True)
    set_topics(ben, expertise=["Maps"])
    set_topics(ana, interests=["Maps"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(ana.user)
    html = client.get("/discover/").content.decode()
    form = html[html.index('action="/discover/not-interested/"') :].split("</form>")[0]
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))
    assert fields["kind"] == "person" and fields["id"] == str(ben.pk)
    response = client.post("/discover/not-interested/", fields)
    assert response.status_code == 302 and response["Location"] == "/discover/"
    assert 'href="/@ben/"' not in client.get("/discover/").content.decode()
