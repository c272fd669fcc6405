"""Evidence: what counts, for whom, how it is weighed, and the sentence that says it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from connective.content.models import Kind, Visibility
from connective.discovery.services.evidence import (
    CAP,
    WEIGHTS,
    Evidence,
    gather,
    load_learners,
    resolve_topics,
    sentence,
)
from tests.discovery.helpers import (
    connect_to,
    make_person,
    make_post,
    resources,
    set_topics,
    topic,
)

pytestmark = pytest.mark.django_db


def test_each_kind_of_evidence_is_counted(ana, ben, chloe):
    lic = topic("Open licensing")
    set_topics(ben, expertise=["Open licensing"])
    resources(ben, "Open licensing", 4, useful_by=(ana, chloe))
    make_post(ben, Kind.ARTICLE, topics=["Open licensing"])
    make_post(ben, body="a note on #OpenLicensing")
    make_post(ben, body="off topic")
    found = gather(None, [lic])[ben.pk]
    assert (found.declared, found.resources, found.useful) == (True, 4, 2)
    assert (found.articles, found.notes, found.statements) == (1, 1, 0)
    assert found.score == 3 + 4 * 2 + 2 * 3 + 2 + 1


def test_learners_are_my_connections_who_learn_it_from_them(ana, ben, chloe):
    lic = topic("Open licensing")
    dana = make_person("dana", display_name="Dana")
    eve = make_person("eve")
    for mine in (ben, chloe):
        connect_to(ana, mine, "learn_with")
        connect_to(mine, dana, "learn_from", topics=["Open licensing"])
    connect_to(eve, dana, "learn_from", topics=["Open licensing"])  # not in ana's network
    make_person("fred")
    found = gather(ana, [lic])
    assert found[dana.pk].learner_ids == sorted([ben.pk, chloe.pk])
    names = load_learners(found.values())
    text = sentence(found[dana.pk], "Open licensing", names)
    assert text == (
        "<bdi>Ben Okafor</bdi> and <bdi>Chloe Martin</bdi> from your network connect to them "
        "to learn about Open licensing"
    )


def test_learn_ties_read_once_give_what_each_topic_query_gives(ana, ben, chloe, monkeypatch):
    """The network's learn-from ties read once by topic (learn_ties.py) name the same learners as
    asking per topic: suspended learners, ties to the viewer, ties outside the network, other
    directions and other topics stay out; a network past the bound is asked per topic."""
    from connective.discovery.services import learn_ties as module
    from connective.discovery.services.evidence import _learners

    lic, video = topic("Open licensing"), topic("Video")
    dana, eve, gone = make_person("dana"), make_person("eve"), make_person("gone")
    for mine in (ben, chloe, gone):
        connect_to(ana, mine, "learn_with")
        connect_to(mine, dana, "learn_from", topics=["Open licensing", "Video"])
    connect_to(ben, eve, "learn_from", topics=["Video"])
    connect_to(chloe, eve, "help", topics=["Open licensing"])
    connect_to(ben, ana, "learn_from", topics=["Open licensing"])
    connect_to(eve, dana, "learn_from", topics=["Open licensing"])
    gone.suspended_at = timezone.now()
    gone.save()
    net = {ben.pk, chloe.pk, gone.pk}
    ties = module.learn_ties(ana.pk, net)
    for topics, ids in [([lic.pk], None), ([video.pk], None), ([lic.pk, video.pk], [eve.pk])]:
        assert _learners(ana, net, topics, ids, ties) == _learners(ana, net, topics, ids)
    assert _learners(ana, net, [lic.pk], None, ties) == {dana.pk: sorted([ben.pk, chloe.pk])}
    monkeypatch.setattr(module, "MAX_NETWORK", 2)
    assert module.learn_ties(ana.pk, net) is None


def test_sentence_reads_like_the_example(ana, ben, chloe):
    item = Evidence(1, resources=4, useful=2, learner_ids=[ben.pk, chloe.pk])
    text = sentence(item, "open licensing", {ben.pk: ben, chloe.pk: chloe})
    assert text == (
        "Shared 4 resources on open licensing, 2 marked useful; <bdi>Ben Okafor</bdi> and "
        "<bdi>Chloe Martin</bdi> from your network connect to them to learn about it"
    )
    assert sentence(Evidence(1), "x", {}) == ""


def test_t26_names_and_topics_in_sentences_are_escaped(ana):
    evil = make_person("evil", display_name='<img src=x onerror="alert(1)">\u202e')
    item = Evidence(1, declared=True, learner_ids=[evil.pk, 999, 998, 997])
    text = sentence(item, "<b>topic</b>", {evil.pk: evil})
    assert "<img" not in text and "<b>" not in text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in text
    assert "3 other people" in text


def test_t28_private_and_network_posts_count_only_for_those_who_may_see_them(ana, ben, chloe):
    lic = topic("Open licensing")
    dana = make_person("dana")
    resources(ben, "Open licensing", 2, visibility=Visibility.NETWORK)
    make_post(ben, body="for @chloe only #OpenLicensing", visibility=Visibility.PRIVATE)
    connect_to(dana, ben)
    assert ben.pk not in gather(None, [lic])
    assert ben.pk not in gather(ana, [lic])  # a stranger sees nothing of it
    assert gather(dana, [lic])[ben.pk].resources == 2  # in ben's network
    assert gather(dana, [lic])[ben.pk].notes == 0
    mentioned = gather(chloe, [lic])[ben.pk]
    assert (mentioned.resources, mentioned.notes) == (0, 1)


def test_deleted_hidden_and_draft_posts_never_count(ana, ben):
    lic = topic("Open licensing")
    gone, hidden = resources(ben, "Open licensing", 2)
    make_post(ben, Kind.ARTICLE, topics=["Open licensing"], state="draft")
    gone.deleted_at = timezone.now()
    gone.save()
    hidden.hidden_at = timezone.now()
    hidden.save()
    assert ben.pk not in gather(ana, [lic])


def test_each_count_is_capped():
    flood = Evidence(1, notes=500)
    assert flood.score == WEIGHTS["note"] * CAP


def test_statements_count_only_valid_ones_for_courses_on_the_topic(ana, ben):
    from connective.courses.models import Course
    from connective.credentials.models import Statement

    lic = topic("Open licensing")
    course = Course.objects.create(slug="oer", title="OER", uri="https://c.example/courses/oer")
    course.topics.set([lic])
    other = Course.objects.create(slug="maths", title="Maths", uri="https://c.example/courses/m")
    now = timezone.now()
    for person, uri, revoked in (
        (ben, course.uri, None),
        (ana, course.uri, now),
        (ana, other.uri, None),
    ):
        Statement.objects.create(
            recipient=person,
            source_uri=uri,
            achievement_name="x",
            issued_at=now - timedelta(days=1),
            credential="jws",
            revoked_at=revoked,
        )
    found = gather(None, [lic])
    assert found[ben.pk].statements == 1
    assert ana.pk not in found
    assert "Completed 1 course on Open licensing" in sentence(found[ben.pk], "Open licensing", {})


def test_free_text_maps_to_topics_by_key_and_name(db):
    for name in ("Open licensing", "Licensing law", "Maths"):
        topic(name)
    assert [t.name for t in resolve_topics("open-licensing")] == ["Open licensing"]
    assert [t.name for t in resolve_topics("licensing")] == ["Licensing law", "Open licensing"]
    assert resolve_topics("   ") == []
    assert resolve_topics("%") == []


def test_free_text_lists_and_questions_find_their_topics(db):
    for name in ("OER", "Rubrics", "Open Licensing", "Instructional Video", "Maths"):
        topic(name)
    assert [t.name for t in resolve_topics("OER, rubrics")] == ["OER", "Rubrics"]
    found = [t.name for t in resolve_topics("how to licence my videos")]
    assert found == ["Open Licensing", "Instructional Video"]
    assert resolve_topics("how to do it") == []
