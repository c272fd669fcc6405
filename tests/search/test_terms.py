"""Query parsing: only letters and digits reach a backend (T-21)."""

import pytest

from connective.search.services.terms import MAX_WORDS, QueryTooLong, Terms, parse


def test_words_are_lowercased_and_deduplicated():
    assert parse("Open open LICENSING") == Terms(("open", "licensing"))


def test_a_quoted_pair_is_a_phrase():
    terms = parse('"peer review" ethics')
    assert terms.phrases == (("peer", "review"),)
    assert terms.words == ("ethics",)
    assert terms.fts5() == '"ethics" "peer review"'


def test_t21_unbalanced_quote_is_just_text():
    assert parse('"peer review') == Terms(("peer", "review"))


@pytest.mark.parametrize(
    "query",
    ['"a" OR 1=1', "NEAR(a b)", "title: x", "a* -b ^c", "%_%", ".*[a-z]+(?=x)\\", "a:b'c;--"],
)
def test_t21_operators_and_metacharacters_become_quoted_words(query):
    expression = parse(query).fts5()
    for piece in expression.split(" "):
        if piece:
            assert piece.startswith('"') and piece.endswith('"')
            assert piece[1:-1].replace(" ", "").isalnum()


def test_t21_only_symbols_means_no_terms():
    assert not parse('%_ () *:^ "" \'')


def test_t21_query_over_the_cap_is_refused():
    with pytest.raises(QueryTooLong):
        parse("a" * 201)


def test_t21_words_are_capped():
    terms = parse(" ".join(f"w{i}" for i in range(40)))
    assert len(terms.words) == MAX_WORDS


def test_the_text_of_html_keeps_punctuation_next_to_links_and_splits_blocks():
    from connective.search.services.documents import html_text

    assert html_text('<p>Read <a href="x">my network</a>. Then <strong>ask</strong>!</p>') == (
        "Read my network. Then ask!"
    )
    assert html_text("<p>one</p><p>two</p><ul><li>three</li></ul>") == "one two three"
