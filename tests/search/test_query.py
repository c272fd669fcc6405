"""Search results: ranking, filters, snippets, facets and pages, on either database."""

from datetime import timedelta

import pytest
from django.utils import timezone

from connective.content.models import Kind, Post
from connective.search.services.index import index_post
from connective.search.services.query import BadCursor, search
from connective.topics.models import Topic
from tests.search.conftest import found, post, titles

pytestmark = pytest.mark.django_db


def _backdate(item, days):
    """Make a post older, as a scheduled publication or an import would, and index it again."""
    Post.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(days=days))
    index_post(Post.objects.get(pk=item.pk))


def test_title_match_ranks_above_a_body_match(ana, ben):
    body_only = post(ana, "Some thoughts; licensing comes up at the end.")
    titled = post(ana, "A guide.", kind=Kind.ARTICLE, title="Licensing explained")
    assert found(ben, "licensing") == [titled, body_only]


def test_more_relevant_wins_over_newer(ana, ben):
    relevant = post(ana, "Feedback, feedback and more feedback on feedback loops.")
    post(ana, "A passing mention of feedback among many other words about lunch and trains.")
    assert found(ben, "feedback")[0] == relevant


def test_recency_breaks_ties(ana, ben):
    older = post(ana, "Rubrics for peer assessment")
    newer = post(ana, "Rubrics for peer assessment")
    _backdate(older, days=3)
    assert found(ben, "rubrics") == [newer, older]


def test_every_word_must_match_and_stems_match(ana, ben):
    both = post(ana, "Learning with open resources")
    post(ana, "Learning alone")
    assert found(ben, "learn open") == [both]


def test_phrases_keep_words_together(ana, ben):
    together = post(ana, "We tried peer review this week")
    post(ana, "Review by a peer, eventually")
    assert found(ben, '"peer review"') == [together]


def _opt_in(*people):
    """Findable beyond their network (discovery is opt-in)."""
    from connective.accounts.models import Person

    Person.objects.filter(pk__in=[p.pk for p in people]).update(discoverable=True)


def test_people_are_found_by_name_bio_and_topics(ana, ben, client):
    from connective.accounts.services.profile import ProfileChange, update_profile

    _opt_in(ana)
    update_profile(
        ana,
        ProfileChange(
            display_name="Ana Lima",
            bio="Teacher of *statistics*.",
            interests=["open licensing"],
            expertise=["pedagogy"],
        ),
    )
    assert found(ben, "lima") == [ana]
    assert found(ben, "statistics") == [ana]
    assert found(ben, "pedagogy", kind="person") == [ana]


def test_kind_filter_and_facets(ana, ben):
    post(ana, "Open data note")
    post(ana, "Open data article body", kind=Kind.ARTICLE, title="Open data")
    results = search(ben, "data")
    assert results.facets == {"note": 1, "article": 1}
    narrowed = search(ben, "data", kind="article")
    assert [h.kind for h in narrowed.hits] == ["article"]
    assert narrowed.facets == {"note": 1, "article": 1}, "facets show the other kinds too"


def test_topic_licence_author_and_date_filters(ana, ben):
    tagged = post(ana, "Slides about rubrics", topics=["assessment"])
    post(ben, "Rubrics, untagged")
    resource = post(
        ana,
        "Rubric bank",
        kind=Kind.RESOURCE,
        title="Rubrics",
        link_url="https://r.example",
        licence="cc-by",
    )
    post(
        ana,
        "Rubric pack",
        kind=Kind.RESOURCE,
        title="Rubric pack",
        link_url="https://r.example",
        licence="cc0",
    )
    topic = Topic.objects.get(key="assessment")
    assert found(ben, "rubrics", topic=topic) == [tagged]
    assert found(ben, "rubrics", licence="cc-by") == [resource]
    assert set(found(ana, "rubrics", author=ben)) == {Post.objects.get(body="Rubrics, untagged")}
    _backdate(tagged, days=40)
    today = timezone.now().date()
    assert tagged not in found(ben, "rubrics", since=today - timedelta(days=10))
    assert found(ben, "rubrics", until=today - timedelta(days=30)) == [tagged]


def test_snippets_mark_the_matched_words(ana, ben):
    post(ana, "Long text " * 40 + "about formative assessment in practice " + "filler " * 40)
    hit = search(ben, "formative").hits[0]
    assert "<mark>formative</mark>" in hit.snippet_html.lower()
    assert len(hit.snippet_html) < 600


def test_a_phrase_marks_its_words_but_not_its_stopwords(ana, ben):
    post(ana, "filler " * 30 + "A question for people who teach history. " + "filler " * 30)
    post(ana, "People who teach, for a question, stay apart here.")
    hits = search(ben, '"a question for people who teach"').hits
    assert len(hits) == 1
    snippet = hits[0].snippet_html.lower()
    for word in ("question", "people", "teach"):
        assert f"<mark>{word}</mark>" in snippet
    for word in ("a", "for", "who"):
        assert f"<mark>{word}</mark>" not in snippet


def test_t22_snippets_escape_what_people_wrote(ana, ben):
    post(
        ana,
        "Try <script>alert(1)</script> and <img src=x onerror=alert(2)> with evaluation",
        kind=Kind.ARTICLE,
        title="<b>evaluation</b> & <i>tricks</i>",
    )
    hit = search(ben, "evaluation").hits[0]
    html = hit.title_html + hit.snippet_html
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "<mark>" in html
    assert "&lt;" in hit.title_html or "evaluation" in hit.title_html


def test_t22_marker_characters_in_text_cannot_forge_marks(ana, ben):
    post(ana, "\ue000<script>x</script>\ue001 rubric")
    hit = search(ben, "rubric").hits[0]
    assert "<script" not in hit.snippet_html
    assert hit.snippet_html.count("<mark>") == hit.snippet_html.count("</mark>") == 1


def test_cursor_pages_cover_everything_once(ana, ben):
    made = {post(ana, f"Seminar notes number {i}").pk for i in range(7)}
    seen, cursor = [], None
    for _ in range(10):
        page = search(ben, "seminar", cursor=cursor, limit=3)
        seen += [h.obj.pk for h in page.hits]
        cursor = page.next_cursor
        if not cursor:
            break
    assert sorted(seen) == sorted(made)


def test_t21_foreign_cursor_is_refused(ben):
    for cursor in ["nonsense", "A" * 500, "bmFufDIwMjZ8MQ"]:
        with pytest.raises(BadCursor):
            search(ben, "x", cursor=cursor)


def test_blank_query_returns_nothing(ana, ben):
    post(ana, "Anything")
    results = search(ben, "   ")
    assert results.hits == [] and results.facets == {}


def test_unlisted_posts_are_listed_only_for_their_author(ana, ben):
    item = post(ana, "Unlisted musings on syllabi", visibility="unlisted")
    assert found(ben, "syllabi") == []
    assert found(None, "syllabi") == []
    assert found(ana, "syllabi") == [item]


def test_feed_items_are_web_results(ana, ben):
    from tests.feeds.conftest import feed_item

    item = feed_item("Syndicated post about syllabi")
    results = search(ben, "syllabi")
    assert [h.obj for h in results.hits] == [item]
    assert results.hits[0].kind == "web"
    assert [h.obj for h in search(None, "syllabi").hits] == [item]  # anyone finds it
    item.delete()  # an item that has gone is found no more, whatever the index says
    assert search(ben, "syllabi").hits == []


def test_titles_helper_reads_people_and_posts(ana, ben):
    _opt_in(ana)
    post(ana, "Ana writes about ana")
    assert "ana" in titles(ben, "ana")


def test_facet_counting_and_ranking_stop_at_the_cap(ana, ben, monkeypatch, client):
    from connective.search.services import query

    monkeypatch.setattr(query, "FACET_CAP", 2)
    made = [post(ana, f"Capped words {i}") for i in range(3)]
    results = search(ben, "capped")
    assert results.capped and results.facets == {"note": 2}
    assert {h.obj for h in results.hits} == set(made[1:]), "ranked among the newest matches"
    assert "2+" in client.get("/search/", {"q": "capped"}).content.decode()


def test_a_kind_filter_past_the_cap_takes_its_own_window(ana, ben, monkeypatch):
    """The kind asked for is not crowded out by newer matches of other kinds."""
    from connective.search.services import query

    monkeypatch.setattr(query, "FACET_CAP", 2)
    article = post(ana, "An essay.", kind=Kind.ARTICLE, title="Capped essay")
    for i in range(3):
        post(ana, f"Capped words {i}")
    results = search(ben, "capped", kind="article")
    assert [h.obj for h in results.hits] == [article]
    assert results.capped and results.facets == {"note": 2}


def test_matches_hidden_from_the_viewer_never_crowd_out_older_ones(ana, ben, monkeypatch):
    """Newer posts the viewer may not see fill the first window: older matches are read until
    the viewer may see half a window's worth, and only what they may see is counted."""
    from connective.search.services import query

    monkeypatch.setattr(query, "FACET_CAP", 2)
    public = post(ana, "Crowded words, for everyone")
    for i in range(3):
        post(ana, f"Crowded words {i}, for Ana alone", visibility="private")
    for viewer in (None, ben):
        results = search(viewer, "crowded")
        assert [h.obj for h in results.hits] == [public]
        assert results.facets == {"note": 1} and not results.capped


def test_a_kind_past_the_cap_is_topped_up_too(ana, ben, monkeypatch):
    from connective.search.services import query

    monkeypatch.setattr(query, "FACET_CAP", 2)
    essay = post(ana, "An essay.", kind=Kind.ARTICLE, title="Crowded essay")
    for i in range(3):
        post(ana, "Hidden.", kind=Kind.ARTICLE, title=f"Crowded {i}", visibility="private")
        post(ana, f"Crowded words {i}")
    results = search(ben, "crowded", kind="article")
    assert [h.obj for h in results.hits] == [essay]


def test_topping_up_stops_after_a_bound(ana, monkeypatch):
    """However many newer matches are hidden, a search reads a bounded number of windows; the
    counts then say "at least"."""
    from connective.search.services import query

    monkeypatch.setattr(query, "FACET_CAP", 2)
    monkeypatch.setattr(query, "MAX_TOP_UPS", 1)
    post(ana, "Crowded words, for everyone")
    for i in range(5):
        post(ana, f"Crowded words {i}, for Ana alone", visibility="private")
    results = search(None, "crowded")
    assert results.hits == [] and results.capped


@pytest.mark.parametrize(
    "text, html",
    [
        (
            "\ue000Open\ue001 <b>peer</b> \ue000review\ue001",
            "<mark>Open</mark> &lt;b&gt;peer&lt;/b&gt; <mark>review</mark>",
        ),
        ("no marks & all", "no marks &amp; all"),
        ("\ue001stray close \ue000unclosed", "stray close <mark>unclosed</mark>"),
        ("\ue000\ue000twice\ue001\ue001", "<mark>twice</mark>"),
        ("", ""),
    ],
)
def test_t22_marked_text_is_escaped_and_marks_balanced(text, html):
    from connective.search.services.highlight import marked_html

    assert marked_html(text) == html
