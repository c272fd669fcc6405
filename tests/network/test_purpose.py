"""The purpose in words."""

from connective.network.purpose import join_names, purpose_html, purpose_phrase


def test_purpose_phrase_reads_from_the_owners_side():
    assert (
        purpose_phrase("learn_from", ["open licensing"]) == "to learn about open licensing from you"
    )
    assert purpose_phrase("learn_with", ["OER", "R"]) == "to learn about OER and R with you"
    assert purpose_phrase("help", ["a", "b", "c"], "Ana") == "to help Ana with a, b and c"
    assert purpose_phrase("help", []) == "to help you"
    assert purpose_phrase("learn_from", []) == "to learn from you"
    assert join_names([]) == ""


def test_purpose_html_isolates_and_escapes_the_name_and_topics():
    html = purpose_html("learn_from", ["<b>x</b>"], "\u202eAna <script>")
    assert html == ("to learn about &lt;b&gt;x&lt;/b&gt; from <bdi>\u202eAna &lt;script&gt;</bdi>")
    assert purpose_html("help", ["OER"], "Ana") == "to help <bdi>Ana</bdi> with OER"
