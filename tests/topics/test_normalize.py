"""Topics are one thing however they are written."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connective.topics.models import Topic
from connective.topics.normalize import (
    InvalidTopic,
    clean_label,
    hashtags,
    split_topics,
    topic_key,
)
from connective.topics.services.resolve import get_or_create_topics, validate_labels


@pytest.mark.parametrize(
    "raw",
    [
        "Open Education",
        "open-education",
        "#OpenEducation",
        "OPEN_EDUCATION",
        "  open   education ",
        "Ｏｐｅｎ Education",
    ],
)
def test_spellings_of_one_topic_share_a_key(raw):
    assert topic_key(raw) == "openeducation"


def test_case_folding_handles_german_sharp_s():
    assert topic_key("Straße") == topic_key("STRASSE")


@pytest.mark.parametrize("raw", ["", "#", "---", "<script>", "a" * 65, "α/β"])
def test_bad_labels_are_refused(raw):
    with pytest.raises(InvalidTopic):
        topic_key(raw)


def test_t26_bidi_controls_are_removed_from_labels():
    assert clean_label("\u202eevil\u202c topic") == "evil topic"


def test_hashtags_are_found_once_each_in_order():
    text = "Reading about #OER and #open-education, again #oer; not a#tag nor &#39;"
    assert hashtags(text) == ["OER", "open-education"]


def test_split_topics_drops_empty_parts():
    assert split_topics("OER, , #Rubrics ,") == ["OER", "Rubrics"]


def test_validate_labels_caps_the_number_of_topics():
    with pytest.raises(InvalidTopic, match="at most 12"):
        validate_labels([f"topic{i}" for i in range(13)])


def test_validate_labels_deduplicates_by_key():
    assert validate_labels(["Open Education", "#openeducation", "OER"]) == ["Open Education", "OER"]


@pytest.mark.django_db
def test_get_or_create_keeps_the_first_spelling_as_name():
    first = get_or_create_topics(["Open Education"])[0]
    again = get_or_create_topics(["#OpenEducation", "open-education"])
    assert [t.pk for t in again] == [first.pk]
    assert Topic.objects.get().name == "Open Education"


@given(st.text(min_size=1, max_size=40))
def test_key_is_stable_under_renormalisation(raw):
    try:
        key = topic_key(raw)
    except InvalidTopic:
        return
    assert topic_key(key) == key
    assert topic_key("#" + raw) == key
