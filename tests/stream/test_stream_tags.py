"""The stream's filter choices: the chosen one selected, every name escaped."""

from connective.stream.services.cards import TopicLabel
from connective.stream.templatetags.stream_tags import kind_options, topic_options


def test_kind_options_mark_the_chosen_kind():
    html = kind_options([("note", "Note"), ("resource", "Resource")], "resource")
    assert html == (
        '<option value="">Everything</option><option value="note">Notes</option>'
        '<option value="resource" selected>Resources</option>'
    )


def test_t26_topic_options_escape_names_and_select_the_filter():
    followed = [TopicLabel(1, "oer", "OER"), TopicLabel(2, "x", '<b>"x"</b>')]
    interests = [TopicLabel(3, "art", "Art")]
    html = topic_options(followed, interests, topic=TopicLabel(3, "art", "Art"))
    assert html.startswith('<option value="">All topics</option><option value="oer">OER</option>')
    assert '<option value="x">&lt;b&gt;&quot;x&quot;&lt;/b&gt;</option>' in html
    assert html.endswith('<option value="art" selected>Art</option>')
    assert " selected" not in topic_options(followed, topic=None)
