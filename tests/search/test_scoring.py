"""How found documents are weighed: which words count, and filters that must not change a score."""

import pytest

from connective.content.models import Kind
from connective.search.models import SearchDocument
from connective.search.services.backends import SQLiteBackend, backend
from connective.search.services.terms import parse
from tests.search.conftest import found, post

pytestmark = pytest.mark.django_db


def test_a_phrase_is_weighed_by_its_longest_word_that_is_not_a_stopword():
    scored = SQLiteBackend.scored_words(parse('rubrics "a question for people who teach" rubrics'))
    assert scored.words == ("rubrics", "question")
    assert scored.phrases == ()


def test_a_phrase_of_stopwords_is_weighed_by_its_longest_word():
    assert SQLiteBackend.scored_words(parse('"to be or not"')).words == ("not",)


def test_the_phrase_said_more_often_ranks_first(ana, ben):
    once = post(ana, "Peer review helps. Lunch was late, trains were slow, the day went on.")
    twice = post(ana, "Peer review helps. Peer review again, as promised, later on.")
    assert found(ben, '"peer review"') == [twice, once]


def _resource(author, body, licence):
    return post(
        author,
        body,
        kind=Kind.RESOURCE,
        title="Rubric bank",
        link_url="https://r.example",
        licence=licence,
    )


def test_facets_do_not_change_a_score_whichever_way_it_is_computed(ana, ben, monkeypatch):
    """A filtered search's candidates are scored with the facets in the full-text query when the
    range between them holds many other documents, and without them when it does not; the
    facets weigh nothing, so the scores must be equal either way."""
    for n in range(4):
        _resource(ana, "Rubrics " * (n + 1) + "for a course.", "cc-by")
        _resource(ana, "Rubrics, shared under another licence.", "cc0")
        post(ana, f"A note on rubrics number {n}.")
    engine = backend()
    terms = parse("rubrics")
    facets = (("licence", "cc-by"), ("kind", "resource"))
    rows = engine.candidates(SearchDocument.objects.all(), terms, 50, facets)
    ids = [row[0] for row in rows]
    assert len(ids) == 4
    without = engine.scores(ids, terms, facets)  # a dense range: the facets are left out
    monkeypatch.setattr(SQLiteBackend, "DENSE_RANGE", 0)
    with_facets = engine.scores(ids, terms, facets)
    assert set(without) == set(ids)
    assert with_facets == without
    assert len(set(without.values())) == 4, "each says 'rubrics' a different number of times"
