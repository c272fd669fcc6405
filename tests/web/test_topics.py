"""Topic pages: one topic however it is written, its people with evidence, its posts; the index."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.test import Client
from django.utils import timezone

from connective.content.models import Kind, Post, Visibility
from connective.content.services.useful import mark_useful
from connective.core.pagination import PAGE_SIZE
from connective.network.models import Mute
from connective.network.services.relations import block
from connective.topics.models import Topic
from connective.topics.services.resolve import get_or_create_topics
from tests.conftest import client_for, make_person
from tests.web.helpers import connect_to, make_post, set_topics

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_ed(db) -> Topic:
    return get_or_create_topics(["Open Education"])[0]


@pytest.mark.parametrize("written", ["Open Education", "open-education", "#OpenEducation"])
def test_every_spelling_redirects_to_the_one_topic_page(open_ed, written):
    response = Client().get(f"/topics/{quote(written)}/")
    assert response.status_code == 301
    assert response.headers["Location"] == "/topics/openeducation/"


def test_canonical_topic_page(open_ed):
    response = Client().get("/topics/openeducation/")
    assert response.status_code == 200
    assert "<h1>Open Education</h1>" in response.content.decode()
    assert response.context["nav"] == "topics"


@pytest.mark.parametrize("key", ["nothing-here", "%25%25", "a" * 64])
def test_unknown_topic_is_404(open_ed, key):
    assert Client().get(f"/topics/{key}/").status_code == 404


def test_unknown_topic_suggests_similar_topics_and_search(open_ed):
    response = Client().get("/topics/open-stuff/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "No topic called “<bdi>open stuff</bdi>”" in html
    assert 'href="/topics/openeducation/"' in html
    assert 'href="/search/?q=open%20stuff"' in html


def test_who_is_learning_hides_undiscoverable_and_remote(open_ed, ana, ben, remote):
    shy = make_person("shy", display_name="Shy Person", discoverable=False)
    for person in (ana, ben, shy, remote):
        set_topics(person, interests=["Open Education"])
    make_post(ben, body="notes on #OpenEducation")
    learners = Client().get("/topics/openeducation/").context["learners"]
    assert [entry.person.handle for entry in learners] == ["ben", "ana"]
    assert learners[0].why == "1 post on this topic"


def test_who_can_help_with_evidence(open_ed, ana, ben, chloe):
    set_topics(ana, expertise=["Open Education"])
    for i in range(3):
        make_post(ben, Kind.RESOURCE, title=f"OER guide {i}", topics=["open education"])
    make_post(ben, Kind.RESOURCE, title="hidden", topics=["open education"], visibility="network")
    make_post(ben, Kind.NOTE, body="just a #OpenEducation note")
    guides = Post.objects.filter(title__startswith="OER guide")
    mark_useful(ana, guides[0])
    mark_useful(chloe, guides[0])
    mark_useful(chloe, guides[1])
    response = Client().get("/topics/openeducation/")
    helpers = {e.person.handle: e.why for e in response.context["helpers"]}
    assert helpers == {
        "ben": "Shared 3 resources on Open Education, 2 marked useful; wrote 1 note on it",
        "ana": "Says they can help with Open Education",
    }
    assert [e.person.handle for e in response.context["helpers"]] == ["ben", "ana"]
    assert "Shared 3 resources on Open Education, 2 marked useful" in response.content.decode()


def test_undiscoverable_expert_is_not_listed(open_ed, ana):
    set_topics(ana, expertise=["Open Education"])
    ana.discoverable = False
    ana.save()
    assert Client().get("/topics/openeducation/").context["helpers"] == []


def test_people_lists_are_capped(open_ed):
    for i in range(15):
        set_topics(make_person(f"p{i:02d}"), interests=["open education"])
    assert len(Client().get("/topics/openeducation/").context["learners"]) == 12


def test_posts_and_resources_tabs(open_ed, ana):
    make_post(ana, body="a #OpenEducation thought")
    make_post(ana, Kind.RESOURCE, title="Open textbook", topics=["Open Education"])
    make_post(ana, body="off topic")
    client = Client()
    posts = client.get("/topics/openeducation/").content.decode()
    resources = client.get("/topics/openeducation/?tab=resources").content.decode()
    assert "thought" in posts and "Open textbook" in posts and "off topic" not in posts
    assert "Open textbook" in resources and "thought" not in resources
    assert "CC BY-SA 4.0" in resources


def test_unlisted_posts_are_absent(open_ed, ana):
    make_post(ana, body="quiet #OpenEducation", visibility=Visibility.UNLISTED)
    assert "quiet" not in client_for(ana).get("/topics/openeducation/").content.decode()


def test_t28_network_and_private_posts_absent_from_topic_page(open_ed, ana, ben, chloe):
    make_post(ana, body="network #OpenEducation news", visibility=Visibility.NETWORK)
    make_post(ana, body="whisper #OpenEducation for @ben", visibility=Visibility.PRIVATE)
    connect_to(ben, ana)
    anonymous = Client().get("/topics/openeducation/").content.decode()
    stranger = client_for(chloe).get("/topics/openeducation/").content.decode()
    connected = client_for(ben).get("/topics/openeducation/").content.decode()
    for html in (anonymous, stranger):
        assert "news" not in html and "whisper" not in html
    assert "news" in connected
    assert "whisper" not in connected  # a direct post is a message, not a topic broadcast


def test_muted_and_blocked_authors_are_left_out(open_ed, ana, ben, chloe):
    make_post(ana, body="ana on #OpenEducation")
    make_post(chloe, body="chloe on #OpenEducation")
    Mute.objects.create(owner=ben, target=ana)
    block(ben, chloe)
    html = client_for(ben).get("/topics/openeducation/").content.decode()
    assert "ana on" not in html and "chloe on" not in html
    assert "ana on" in Client().get("/topics/openeducation/").content.decode()


def test_follow_button_state(open_ed, ana, ana_client):
    html = Client().get("/topics/openeducation/").content.decode()
    assert "Log in to follow" in html
    html = ana_client.get("/topics/openeducation/").content.decode()
    assert 'action="/topics/openeducation/follow/"' in html
    assert 'value="follow"' in html
    ana.followed_topics.add(open_ed)
    response = ana_client.get("/topics/openeducation/")
    assert response.context["following"] is True
    assert 'value="unfollow"' in response.content.decode()


def test_topic_pagination_and_bad_cursor(open_ed, ana):
    for i in range(PAGE_SIZE + 2):
        make_post(ana, body=f"#OpenEducation item {i:02d}")
    client = Client()
    cursor = client.get("/topics/openeducation/").context["page"].next_cursor
    second = client.get(f"/topics/openeducation/?cursor={cursor}").context["page"]
    assert len(second.items) == 2 and second.next_cursor is None
    assert client.get("/topics/openeducation/?cursor=garbage").status_code == 400


def test_topic_page_query_count_is_bounded(open_ed, ana, django_assert_max_num_queries):
    for i in range(12):
        person = make_person(f"h{i:02d}")
        set_topics(person, interests=["Open Education", "Maths"], expertise=["Open Education"])
        make_post(person, Kind.RESOURCE, title=f"r{i}", topics=["Open Education", "Physics"])
    client = client_for(ana)
    # the page, the topic's posts and people, the expert finder's evidence (its newest
    # documents first), and which of the page's posts I boosted
    with django_assert_max_num_queries(18):
        response = client.get("/topics/openeducation/")
    assert len(response.context["helpers"]) == 12


# --- the index ---------------------------------------------------------------------------


def test_index_orders_by_activity_with_followed_first(ana, ben):
    set_topics(ben, interests=["Maths", "Physics"], expertise=["Maths"])
    make_post(ben, body="#Maths again")
    get_or_create_topics(["Quiet topic"])
    set_topics(ana, followed=["Quiet topic"])
    names = [t.name for t in client_for(ana).get("/topics/").context["topics"]]
    assert names == ["Quiet topic", "Maths", "Physics"]


def test_index_counts_only_recent_public_posts(ana):
    make_post(ana, body="#Maths now")
    make_post(ana, body="#Maths hidden", visibility=Visibility.NETWORK)
    old = make_post(ana, body="#Maths long ago")
    Post.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=120))
    topic = Client().get("/topics/").context["topics"][0]
    assert (topic.name, topic.recent_posts) == ("Maths", 1)


def _unseen_posts(author, body: str) -> None:
    """Three public posts on a topic that nobody else may see: a draft, one a moderator hid,
    one in a members-only space."""
    from connective.content.models import State
    from connective.spaces.models import Space

    closed = Space.objects.create(slug="staffroom", name="Staff room", members_only=True)
    draft, hidden, spaced = (make_post(author, body=body) for _ in range(3))
    Post.objects.filter(pk=draft.pk).update(state=State.DRAFT)
    Post.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    Post.objects.filter(pk=spaced.pk).update(space=closed)


def test_t28_who_is_learning_counts_only_posts_anyone_may_see(open_ed, ben):
    set_topics(ben, interests=["Open Education"])
    make_post(ben, body="notes on #OpenEducation")
    _unseen_posts(ben, "more on #OpenEducation")
    make_post(ben, body="unlisted #OpenEducation", visibility=Visibility.UNLISTED)
    learners = Client().get("/topics/openeducation/").context["learners"]
    assert [(entry.person.handle, entry.why) for entry in learners] == [
        ("ben", "1 post on this topic")
    ]


def test_t28_index_counts_only_posts_anyone_may_see(ana):
    make_post(ana, body="#Maths now")
    _unseen_posts(ana, "#Maths unseen")
    topic = Client().get("/topics/").context["topics"][0]
    assert (topic.name, topic.recent_posts) == ("Maths", 1)


def test_index_counts_only_people_its_topic_page_may_list(ana, ben, remote):
    from connective.discovery.services.preferences import set_suggest_me

    shy = make_person("shy", discoverable=False)
    quiet = make_person("quiet", discoverable=True)
    set_suggest_me(quiet, False)
    for person in (ana, ben, remote, shy, quiet):
        set_topics(person, interests=["Maths"], expertise=["Maths"])
    topic = Client().get("/topics/").context["topics"][0]
    learners = Client().get(f"/topics/{topic.key}/").context["learners"]
    findable = sorted(entry.person.handle for entry in learners)
    assert (topic.learning, topic.helping) == (len(findable), len(findable))
    assert "shy" not in findable and "quiet" not in findable and remote.handle not in findable


def test_index_search_by_name_or_key(db):
    get_or_create_topics(["Open Education", "Open licensing", "Maths"])

    def names(q):
        return [t.name for t in Client().get("/topics/", {"q": q}).context["topics"]]

    assert names("open") == ["Open Education", "Open licensing"]
    assert names("open-edu") == ["Open Education"]
    assert names("zzz") == []


@pytest.mark.parametrize("query", ["%", "_", "%open%", "' OR 1=1 --", '"a" OR 1=1', ".*"])
def test_t21_wildcards_and_syntax_are_literal(db, query):
    get_or_create_topics(["Open Education", "Maths"])
    response = Client().get("/topics/", {"q": query})
    assert response.status_code == 200
    assert response.context["topics"] == []


def test_t21_underscore_matches_only_literal_underscore(db):
    get_or_create_topics(["snake_case", "Maths"])
    names = [t.name for t in Client().get("/topics/", {"q": "_"}).context["topics"]]
    assert names == ["snake_case"]


def test_t21_oversized_query_is_400_with_a_message(db):
    response = Client().get("/topics/", {"q": "x" * 10_000})
    assert response.status_code == 400
    html = response.content.decode()
    assert "at most 100 characters" in html
    assert 'aria-invalid="true"' in html


def test_index_query_count_is_bounded(ana, django_assert_max_num_queries):
    for i in range(30):
        make_post(ana, body=f"#topic{i} here")
    client = client_for(ana)
    with django_assert_max_num_queries(6):
        response = client.get("/topics/")
    assert len(response.context["topics"]) == 30


def test_t26_person_card_isolates_names_and_shows_chips(open_ed):
    eve = make_person("eve", display_name="\u202eEve")
    set_topics(eve, interests=["Open Education"], expertise=["Open Education"])
    html = Client().get("/topics/openeducation/").content.decode()
    assert '<a class="person__name" href="/@eve/"><bdi>\u202eEve</bdi></a>' in html
    assert 'class="chip chip--helping" href="/topics/openeducation/"' in html
    assert 'class="chip chip--learning" href="/topics/openeducation/"' in html


def test_non_latin_topic_keys_resolve(db):
    topic = get_or_create_topics(["Educação Aberta"])[0]
    url = topic.get_absolute_url()
    assert Client().get(url).status_code == 200
    response = Client().get(f"/topics/{quote('EDUCAÇÃO-aberta')}/")
    assert response.status_code == 301 and response.headers["Location"] == url
