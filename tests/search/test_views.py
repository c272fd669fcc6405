"""The search page: results, filters, guidance, redirects and hostile input (T-21, T-22)."""

import pytest
from django.urls import reverse

from connective.content.models import Kind
from tests.search.conftest import found, post

pytestmark = pytest.mark.django_db

URL = "/search/"


def test_search_page_shows_highlighted_results(client, ana):
    post(ana, "Notes on formative assessment", kind=Kind.ARTICLE, title="Formative assessment")
    response = client.get(URL, {"q": "formative"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>Formative</mark> assessment" in html
    assert 'aria-current="page"' in html  # the "Everything" facet


def test_url_name_is_search_index():
    assert reverse("search:index") == URL


def test_blank_query_shows_guidance(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "What would you like to find?" in response.content.decode()


def test_header_has_a_search_form(client):
    html = client.get("/").content.decode()
    assert 'role="search"' in html and f'action="{URL}"' in html and 'name="q"' in html


def test_kind_filter_links_carry_counts(client, ana):
    post(ana, "Open data note")
    post(ana, "Open data article", kind=Kind.ARTICLE, title="Open data")
    html = client.get(URL, {"q": "data", "kind": "article"}).content.decode()
    assert "Open data note" not in html
    assert "Notes" in html and "Articles" in html


def test_resource_shows_licence_and_people_show_handles(client, ana):
    post(
        ana,
        "A bank",
        kind=Kind.RESOURCE,
        title="Rubric bank",
        link_url="https://r.example/x",
        licence="cc-by-sa",
    )
    html = client.get(URL, {"q": "rubric"}).content.decode()
    assert "CC BY-SA" in html and "r.example" in html
    ana.discoverable = True  # anonymous visitors find only people who chose to be found
    ana.save(update_fields=["discoverable"])
    html = client.get(URL, {"q": "ana"}).content.decode()
    assert "@ana" in html


def test_result_bylines_have_no_stray_separators(client, ana):
    """The byline is a row of parts (kind, author, date); the licence and source sit under the
    title as on a post card, so no "·" is left at the end of a line."""
    post(
        ana,
        "A bank",
        kind=Kind.RESOURCE,
        title="Rubric bank",
        link_url="https://r.example/x",
        licence="cc-by-sa",
    )
    post(ana, "A rubric note")
    html = client.get(URL, {"q": "rubric"}).content.decode()
    assert "·" not in html.split('<ol class="search-results">')[1]
    assert '<p class="source"><a class="licence"' in html and "<span>r.example</span>" in html
    assert html.count('<p class="source">') == 1  # the note has neither licence nor link


def test_a_topic_search_leads_to_who_can_help(client, ana, ana_client):
    post(ana, "Rubrics for #PeerReview")
    html = ana_client.get(URL, {"q": "peer review"}).content.decode()
    assert (
        '“PeerReview” is a topic: <a href="/experts/?topic=peerreview">who can help with '
        "PeerReview?</a>" in html
    )
    assert "/experts/" not in ana_client.get(URL, {"q": "rubrics"}).content.decode()
    assert "/experts/" not in client.get(URL, {"q": "peer review"}).content.decode()  # log in first


def test_bad_filters_are_a_clear_400(client):
    response = client.get(URL, {"q": "x", "topic": "no-such-topic-here"})
    assert response.status_code == 400
    assert "Nothing is tagged with that topic yet." in response.content.decode()
    response = client.get(URL, {"q": "x", "since": "2026-02-30"})
    assert response.status_code == 400
    response = client.get(URL, {"q": "x", "author": "nobody-at-all"})
    assert response.status_code == 400
    response = client.get(URL, {"q": "x", "kind": "secret"})
    assert response.status_code == 400


def test_by_takes_a_handle_or_a_name(client, ana, ben):
    from tests.conftest import make_person

    mine, theirs = post(ana, "Rubrics I use"), post(ben, "Rubrics too")
    for by in ("ana", "@ana", "Ana Lima", "  ana   LIMA "):
        assert found(None, "rubrics", author=_by(by)) == [mine], by
    assert found(None, "rubrics", author=_by("Ben Okafor")) == [theirs]
    make_person("ana2", display_name="Ana Lima")
    response = client.get(URL, {"q": "rubrics", "author": "Ana Lima"})
    assert response.status_code == 400
    assert "More than one person is called that" in response.content.decode()
    assert client.get(URL, {"q": "rubrics", "author": "@Ana Lima"}).status_code == 400


def _by(raw: str):
    from connective.search.forms import FiltersForm

    form = FiltersForm({"author": raw})
    assert form.is_valid(), form.errors
    return form.cleaned_data["author"]


def test_t21_huge_query_is_a_400_with_a_message(client):
    response = client.get(URL, {"q": "a" * 100_000})
    assert response.status_code == 400
    html = response.content.decode()
    assert "at most 200 characters" in html
    assert "a" * 201 not in html


@pytest.mark.parametrize(
    "q",
    [
        '"a" OR 1=1',
        "NEAR(a b",
        "title: secret",
        '"unbalanced',
        "%",
        "_",
        "%_%",
        ".*(a|b)+[^c]{2,}\\",
        "'; DROP TABLE search_searchdocument; --",
        "a AND NOT b",
        "*",
        "^x",
        "x:y:z",
        "\x00",
    ],
)
def test_t21_hostile_queries_are_plain_text(client, ana, q):
    post(ana, "Harmless words about 1 a b c")
    response = client.get(URL, {"q": q})
    assert response.status_code == 200


@pytest.mark.parametrize("q", ['"matters" OR thing', "matters NOT thing", "matters OR 1=1"])
def test_t21_fts_syntax_does_not_widen_a_search(client, ana, q):
    """OR and NOT are words like any other: every word must match, so these find nothing."""
    post(ana, "Private matters", visibility="private")
    public = post(ana, "Public matters")
    post(ana, "Another thing entirely, 1=1")
    assert found(None, "matters") == [public]  # the control
    assert found(None, q) == []
    assert client.get(URL, {"q": q}).status_code == 200


def test_t21_deep_pagination_is_cursor_only(client, ana):
    post(ana, "Paging words")
    assert client.get(URL, {"q": "paging", "page": "10000000"}).status_code == 200
    response = client.get(URL, {"q": "paging", "cursor": "A" * 5000})
    assert response.status_code == 400


def test_more_results_link_follows_the_cursor(client, ana):
    for i in range(25):
        post(ana, f"Workshop report {i}")
    html = client.get(URL, {"q": "workshop"}).content.decode()
    assert "More results" in html
    next_url = html.split('class="button button--secondary" href="')[1].split('"')[0]
    second = client.get(URL + next_url.replace("&amp;", "&")).content.decode()
    assert second.count("search-result ") == 5


def test_t22_results_page_escapes(client, ana):
    post(
        ana,
        "<script>alert(1)</script> seminar <img src=x onerror=alert(1)>",
        kind=Kind.ARTICLE,
        title="<svg onload=alert(1)> seminar",
    )
    html = client.get(URL, {"q": "seminar"}).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html and "<svg onload" not in html


@pytest.mark.parametrize(
    "q", ["@dana@remote.example", "dana@remote.example", "https://remote.example/@dana"]
)
def test_handles_and_addresses_go_to_the_lookup_if_there_is_one(client, q):
    from django.urls import NoReverseMatch

    try:
        lookup = reverse("federation:lookup")
    except NoReverseMatch:
        lookup = None
    response = client.get(URL, {"q": q})
    if lookup is None:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(lookup + "?q=")


def test_an_email_like_phrase_with_spaces_is_a_search(client):
    assert client.get(URL, {"q": "mail ana@example.org please"}).status_code == 200


def test_space_and_course_results_render(client, ana):
    from connective.courses.models import Course
    from connective.courses.services.authoring import CourseDraft, create_course
    from connective.search.services.index import index_course
    from connective.spaces.services.spaces import create_space

    create_space(
        ana, name="Heutagogy room", description="Self-determined learning", members_only=True
    )
    course = create_course(ana, CourseDraft(title="Heutagogy course", summary="Four weeks"))
    Course.objects.filter(pk=course.pk).update(state=Course.State.PUBLISHED)
    course.refresh_from_db()
    index_course(course)
    html = client.get(URL, {"q": "heutagogy"}).content.decode()
    assert "Members only" in html and "/spaces/" in html
    assert course.get_absolute_url() in html
