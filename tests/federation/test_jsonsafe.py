"""Untrusted JSON is parsed with caps and clear refusals (SECURITY.md T-18, T-07, T-20)."""

import pytest

from connective.federation.context import (
    AS_CONTEXT,
    BadShape,
    ap_context,
    check_shape,
    known_contexts,
)
from connective.federation.jsonsafe import BadJSON, TooLarge, parse_json
from tests.trap import trap  # noqa: F401


def test_parses_an_activity():
    doc = parse_json(b'{"type": "Note", "id": "https://peer.example/notes/1", "n": [1, 2.5]}')
    assert doc == {"type": "Note", "id": "https://peer.example/notes/1", "n": [1, 2.5]}


def test_t18_deep_nesting_is_refused():
    body = b"[" * 1000 + b"]" * 1000
    assert len(body) == 2000
    with pytest.raises(BadJSON, match="nesting"):
        parse_json(b'{"a": ' + body + b"}")


def test_t18_nesting_beyond_the_interpreter_recursion_limit_is_refused():
    body = b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(BadJSON):
        parse_json(body, max_bytes=len(body))


def test_t18_nesting_just_over_the_limit_is_refused_and_at_it_accepted():
    def nested(depth):
        return b'{"a":' * (depth - 1) + b"{}" + b"}" * (depth - 1)

    assert parse_json(nested(32))
    with pytest.raises(BadJSON, match="nesting"):
        parse_json(nested(33))


def test_t18_oversize_body_is_refused_before_parsing():
    body = b'{"a": "' + b"x" * (5 * 1024 * 1024) + b'"}'
    with pytest.raises(TooLarge):
        parse_json(body)
    # Not even valid JSON is looked at once the size is over the cap.
    with pytest.raises(TooLarge):
        parse_json(b"\xff" * 2048, max_bytes=1024)


def test_t18_huge_integer_is_refused():
    with pytest.raises(BadJSON, match="integer"):
        parse_json(b'{"n": ' + b"7" * 5000 + b"}")
    with pytest.raises(BadJSON, match="integer"):
        parse_json(b'{"n": -' + b"1" * 21 + b"}")
    assert parse_json(b'{"n": -' + b"1" * 20 + b"}")["n"] == -int("1" * 20)


def test_t18_duplicate_keys_are_refused():
    with pytest.raises(BadJSON, match="duplicate key 'actor'"):
        parse_json(b'{"actor": "https://a.example/u", "actor": "https://b.example/u"}')
    with pytest.raises(BadJSON, match="duplicate"):
        parse_json(b'{"object": {"id": 1, "id": 2}}')


@pytest.mark.parametrize(
    "body",
    [
        b'{"a": "\xff"}',
        b'{"a": "\xc3"}',
        b'{"a": "\xed\xa0\x80"}',  # an encoded surrogate is not UTF-8
        '{"a": "caf\u00e9"}'.encode("latin-1"),
    ],
)
def test_t18_invalid_utf8_is_refused(body):
    with pytest.raises(BadJSON, match="UTF-8"):
        parse_json(body)


@pytest.mark.parametrize(
    "body",
    [
        b'{"a": "\\ud800"}',
        b'{"\\udfff": 1}',
        b'{"a": "x\\u0000y"}',
        b'{"a": NaN}',
        b'{"a": -Infinity}',
        b"",
        b"{",
        b'{"a": 1} trailing',
        b"\xef\xbb\xbf{}",
    ],
)
def test_t18_malformed_json_is_refused(body):
    with pytest.raises(BadJSON):
        parse_json(body)


@pytest.mark.parametrize("body", [b"[]", b'"Note"', b"42", b"null", b"true"])
def test_t18_top_level_must_be_an_object(body):
    with pytest.raises(BadJSON, match="top level"):
        parse_json(body)


def test_unicode_text_survives():
    doc = parse_json('{"name": "Zoë 学习 🌱", "escaped": "\\u00e9"}'.encode())
    assert doc == {"name": "Zoë 学习 🌱", "escaped": "é"}


@pytest.mark.parametrize("keyword", ["@graph", "@reverse", "@included"])
def test_t07_top_level_jsonld_keywords_are_refused(keyword):
    doc = {"@context": AS_CONTEXT, "type": "Undo", keyword: [{"type": "Announce"}]}
    with pytest.raises(BadShape, match=keyword):
        check_shape(doc)


def test_t07_jsonld_keywords_inside_embedded_objects_are_refused():
    doc = {
        "type": "Undo",
        "object": {"type": "Announce", "@reverse": {"object": {"id": "https://x.example/1"}}},
        "signature": {"type": "RsaSignature2017", "signatureValue": "abc"},
    }
    with pytest.raises(BadShape):
        check_shape(doc)


def test_check_shape_accepts_a_mastodon_style_document():
    doc = {
        "@context": [
            AS_CONTEXT,
            "https://w3id.org/security/v1",
            {"toot": "http://joinmastodon.org/ns#", "featured": {"@id": "toot:featured"}},
        ],
        "id": "https://mastodon.example/users/zoe",
        "type": "Person",
        "attachment": [{"type": "PropertyValue", "name": "Blog", "value": "<a>x</a>"}],
    }
    check_shape(doc)


@pytest.mark.parametrize("bad", [["not", "an", "object"], "Note", 5, None])
def test_check_shape_refuses_non_objects(bad):
    with pytest.raises(BadShape):
        check_shape(bad)


def test_check_shape_refuses_a_context_of_the_wrong_type():
    with pytest.raises(BadShape):
        check_shape({"@context": 5, "type": "Note"})


def test_t20_unknown_context_urls_are_never_fetched(trap):  # noqa: F811
    """A context our guarded client COULD reach (the trap is allowed) is still never fetched."""
    trap.serve("/ctx.jsonld", b'{"@context": {}}', content_type="application/ld+json")
    doc = parse_json(
        b'{"@context": ["https://www.w3.org/ns/activitystreams",'
        b' "http://169.254.169.254/latest/meta-data/", "'
        + trap.url("/ctx.jsonld").encode()
        + b'"], "id": "https://peer.example/notes/1", "type": "Note"}'
    )
    check_shape(doc)
    assert known_contexts(doc) == [AS_CONTEXT]
    assert trap.hits == []


def test_our_context_names_activitystreams_first_and_our_terms():
    context = ap_context()
    assert context[0] == AS_CONTEXT
    terms = context[-1]
    assert terms["interests"]["@id"] == "connective:interests"
    assert terms["connective"].endswith("#")
