"""The expert finder: a hand-built graph with a known right answer, scope, exclusions, the page."""

import pytest
from django.test import Client

from connective.accounts.models import Person
from connective.discovery.services import experts
from connective.discovery.services.experts import INSTANCE, NETWORK, TWO_HOPS, find_experts
from connective.discovery.services.preferences import set_suggest_me
from connective.network.services.relations import block
from tests.conftest import client_for, make_remote_person
from tests.discovery.helpers import (
    connect_to,
    make_person,
    make_post,
    resources,
    set_topics,
    topic,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["whole", "chunked"])
def graph(ana, request, monkeypatch):
    """ana asks. pop: in her network, connected to by 8 people, no evidence on licensing.
    quiet: two hops out (via ben), 2 resources on it, 1 marked useful. far: on the
    instance only, declared expertise. Then three people with equal evidence at each distance.

    Each test runs twice: with the few candidates loaded whole (as a small topic is), and
    checked against the scope in chunks by the prepared query (as a big topic is)."""
    if request.param == "chunked":
        monkeypatch.setattr(experts, "MAX_WHOLE", 0)
    lic = topic("Open licensing")
    ben = make_person("ben", display_name="Ben", discoverable=True)
    pop = make_person("pop", display_name="Popular", discoverable=True)
    quiet = make_person("quiet", display_name="Quiet", discoverable=True)
    far = make_person("far", display_name="Far", discoverable=True)
    connect_to(ana, ben, "learn_with")
    connect_to(ana, pop, "learn_from", topics=["Maths"])
    for i in range(8):
        connect_to(make_person(f"fan{i}", discoverable=True), pop, "learn_from", topics=["Maths"])
    set_topics(pop, expertise=["Maths"])
    connect_to(ben, quiet, "learn_with", topics=["Cooking"])
    resources(quiet, "Open licensing", 2, useful_by=(ben,))
    set_topics(far, expertise=["Open licensing"])
    return {"topic": lic, "ben": ben, "pop": pop, "quiet": quiet, "far": far}


def handles(experts):
    return [e.person.handle for e in experts]


def test_popularity_alone_never_wins(ana, graph):
    found = find_experts(ana, [graph["topic"]])
    assert handles(found) == ["quiet", "far"]
    assert "pop" not in handles(found)
    quiet = found[0]
    assert quiet.distance == TWO_HOPS and quiet.score == 2 * 2 + 3
    assert quiet.reason == "Shared 2 resources on Open licensing, 1 marked useful"


def test_popular_person_with_weak_evidence_loses_to_less_connected_with_more(ana, graph):
    set_topics(graph["pop"], expertise=["Maths", "Open licensing"])  # declared only: 3 points
    found = find_experts(ana, [graph["topic"]])
    assert handles(found) == ["quiet", "pop", "far"]
    assert [e.distance for e in found] == [TWO_HOPS, NETWORK, INSTANCE]


def test_distance_breaks_ties_then_handle(ana, graph):
    set_topics(graph["ben"], expertise=["Open licensing"])  # network, 3 points
    zed = make_person("zed", discoverable=True)
    connect_to(graph["ben"], zed)  # two hops out
    set_topics(zed, expertise=["Open licensing"])
    amy = make_person("amy", discoverable=True)
    set_topics(amy, expertise=["Open licensing"])  # instance, same 3 points as far
    for i in range(3):  # far has followers and amy none: that decides nothing
        connect_to(make_person(f"admirer{i}"), graph["far"])
    found = find_experts(ana, [graph["topic"]])
    assert handles(found) == ["quiet", "ben", "zed", "amy", "far"]


def test_learning_ties_from_my_network_count_and_are_named(ana, graph):
    ben, far = graph["ben"], graph["far"]
    connect_to(ben, far, "learn_from", topics=["Open licensing"])
    found = {e.person.handle: e for e in find_experts(ana, [graph["topic"]])}
    assert found["far"].score == 3 + 3
    assert found["far"].distance == TWO_HOPS  # ben connects to far
    assert "<bdi>Ben</bdi> from your network connects to them" in found["far"].reason


def test_scope_and_exclusions(ana, graph):
    lic = ["Open licensing"]
    shy_near = make_person("shynear", discoverable=False)
    shy_far = make_person("shyfar", discoverable=False)
    connect_to(ana, shy_near)
    remote_near, remote_far = make_remote_person("rnear"), make_remote_person("rfar")
    connect_to(ana, remote_near)
    feed = make_person("feedy", discoverable=True)
    Person.objects.filter(pk=feed.pk).update(actor_type="Feed")
    connect_to(ana, feed)
    gone = make_person("gone", discoverable=True)
    connect_to(ana, gone)
    Person.objects.filter(pk=gone.pk).update(suspended_at=graph["topic"].created_at)
    blocker, blocked, quitter = (
        make_person("blocker", discoverable=True),
        make_person("blocked", discoverable=True),
        make_person("quit", discoverable=True),
    )
    block(blocker, ana)
    block(ana, blocked)
    set_suggest_me(quitter, False)
    everyone = (shy_near, shy_far, remote_near, remote_far, feed, gone, blocker, blocked, quitter)
    for person in everyone:
        set_topics(person, expertise=lic)
    set_topics(ana, expertise=lic)
    found = handles(find_experts(ana, [graph["topic"]]))
    assert sorted(found) == sorted(["quiet", "far", "shynear", "rnear"])


def test_anonymous_sees_only_the_opted_in_instance(graph):
    found = handles(find_experts(None, [graph["topic"]]))
    assert found == ["quiet", "far"]
    assert all(e.distance == INSTANCE for e in find_experts(None, [graph["topic"]]))


def test_limit_and_no_topics(ana, graph):
    assert handles(find_experts(ana, [graph["topic"]], limit=1)) == ["quiet"]
    assert find_experts(ana, []) == []


# --- the page -----------------------------------------------------------------------------


def test_page_by_topic_shows_reasons(ana, ana_client, graph):
    response = ana_client.get("/experts/", {"topic": "open-licensing"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Shared 2 resources on Open licensing, 1 marked useful" in html
    assert "Two hops out" in html and "Popular" not in html
    assert (
        response.headers["Cache-Control"].startswith("private")
        or "private" in response.headers["Cache-Control"]
    )


def test_page_by_free_text(ana_client, graph):
    response = ana_client.get("/experts/", {"q": "licensing"})
    assert [e.person.handle for e in response.context["experts"]] == ["quiet", "far"]
    empty = ana_client.get("/experts/", {"q": "underwater basket weaving"})
    assert empty.status_code == 200 and empty.context["experts"] == []
    assert "No topic matches" in empty.content.decode()


@pytest.mark.parametrize("key", ["no-such-topic", "%%", "x" * 300])
def test_unknown_topic_is_404(ana_client, graph, key):
    assert ana_client.get("/experts/", {"topic": key}).status_code == 404


def test_t21_huge_query_is_400_with_a_message(ana_client, graph):
    response = ana_client.get("/experts/", {"q": "x" * 100_000})
    assert response.status_code == 400
    assert "at most 100 characters" in response.content.decode()


@pytest.mark.parametrize("query", ["%", "_", "' OR 1=1 --", '"a" OR 1=1'])
def test_t21_wildcards_are_literal(ana_client, graph, query):
    response = ana_client.get("/experts/", {"q": query})
    assert response.status_code == 200 and response.context["experts"] == []


def test_anonymous_is_sent_to_log_in(graph):
    response = Client().get("/experts/", {"topic": "openlicensing"})
    assert response.status_code == 302 and "/accounts/login/" in response.headers["Location"]


def test_t28_page_never_counts_what_the_viewer_cannot_see(ana, graph):
    chloe = make_person("chloe", discoverable=True)
    resources(chloe, "Open licensing", 3, visibility="network")
    html = client_for(ana).get("/experts/", {"topic": "openlicensing"}).content.decode()
    assert "Chloe" not in html
    connect_to(ana, chloe)
    html = client_for(ana).get("/experts/", {"topic": "openlicensing"}).content.decode()
    assert "Shared 3 resources on Open licensing" in html


def test_people_i_already_connect_to_are_marked_not_offered(ana, ana_client, graph):
    set_topics(graph["ben"], expertise=["Open licensing"])
    html = ana_client.get("/experts/", {"topic": "openlicensing"}).content.decode()
    assert "You are connected" in html
    assert 'href="/connect/@ben/"' not in html and 'href="/connect/@quiet/"' in html


def test_ties_past_the_shortlist_are_ranked_nearer_then_by_handle(ana, graph):
    from connective.accounts.models import Person as P
    from connective.discovery.services.experts import SHORTLIST

    many = P.objects.bulk_create(
        P(
            handle=f"m{i:03d}",
            uri=f"https://testserver/m{i:03d}",
            display_name=f"M {i}",
            discoverable=True,
        )
        for i in range(SHORTLIST + 5)
    )
    P.expertise.through.objects.bulk_create(
        P.expertise.through(person_id=p.pk, topic_id=graph["topic"].pk) for p in many
    )
    found = find_experts(ana, [graph["topic"]], limit=5)
    assert handles(found) == ["quiet", "far", "m000", "m001", "m002"]
    assert found[2].person.display_name == "M 0"
    assert [t.name for t in found[1].person.expertise.all()] == ["Open licensing"]


def test_a_pending_request_is_not_shown_as_a_connection():
    from connective.discovery.services.experts import NETWORK, TWO_HOPS, Expert

    pending = Expert(person=None, evidence=None, distance=TWO_HOPS, reason="", connected=True)
    active = Expert(person=None, evidence=None, distance=NETWORK, reason="", connected=True)
    stranger = Expert(person=None, evidence=None, distance=TWO_HOPS, reason="")
    assert (pending.tie_label, active.tie_label, stranger.tie_label) == (
        "Request sent",
        "You are connected",
        "",
    )


def test_the_first_candidates_checked_are_four_per_place_then_chunks_of_500():
    from connective.discovery.services.experts import _chunks

    assert list(_chunks(1_200, 15)) == [(0, 60), (60, 560), (560, 1_060), (1_060, 1_200)]
    assert list(_chunks(40, 50)) == [(0, 40)]
    assert list(_chunks(0, 15)) == []


def test_a_window_smaller_than_the_topic_still_weighs_the_shortlist_exactly(
    ana, graph, monkeypatch
):
    """With the first pass reading only the newest 3 posts on the topic, the people listed
    still get every piece of evidence `gather` counts: all their posts, declared expertise,
    statements and who in ana's network learns from them."""
    from connective.discovery.services import evidence
    from connective.discovery.services.evidence import gather

    ben, quiet, far = graph["ben"], graph["quiet"], graph["far"]
    resources(far, "Open licensing", 4, useful_by=(ben, ana))  # older than quiet's newest below
    make_post(quiet, "article", title="On licensing", topics=["Open licensing"])
    make_post(quiet, "note", body="A note on licences", topics=["Open licensing"])
    make_post(quiet, "note", body="And another", topics=["Open licensing"])
    connect_to(ben, far, "learn_from", topics=["Open licensing"])
    monkeypatch.setattr(evidence, "POST_WINDOW", 3)
    found = {e.person.handle: e for e in find_experts(ana, [graph["topic"]])}
    exact = gather(ana, [graph["topic"]])
    assert set(found) == {"quiet", "far"}
    for person in (quiet, far):
        assert found[person.handle].evidence == exact[person.pk]
    assert found["far"].evidence.resources == 4 and found["far"].evidence.useful == 2
    assert found["far"].evidence.declared and found["far"].evidence.learner_ids == [ben.pk]
    assert found["quiet"].evidence.notes == 2 and found["quiet"].evidence.resources == 2
