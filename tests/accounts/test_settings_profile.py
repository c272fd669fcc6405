"""Profile settings: name, bio (T-22), topics, and the page's bidi isolation (T-26)."""

from html.parser import HTMLParser

import pytest
from django.test import Client

from connective.accounts.models import Person
from connective.topics.models import Topic

pytestmark = pytest.mark.django_db
URL = "/settings/"


def profile_data(**fields) -> dict:
    data = {
        "display_name": "Ana Lima",
        "bio": "I teach *statistics*.",
        "interests": "Open Education, data literacy",
        "expertise": "statistics",
    }
    data.update(fields)
    return data


def tags_and_attributes(html: str) -> list[tuple[str, list]]:
    """Every start tag in `html` with its attributes."""
    found: list[tuple[str, list]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collector().feed(html)
    return found


def snapshot(person: Person) -> tuple:
    person.refresh_from_db()
    return (
        person.display_name,
        person.bio,
        person.bio_html,
        person.avatar.name,
        sorted(person.interests.values_list("key", flat=True)),
        sorted(person.expertise.values_list("key", flat=True)),
    )


def test_settings_need_login():
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_profile_page_shows_the_form_with_labels_and_tabs(ana_client):
    page = ana_client.get(URL).content.decode()
    assert page.count("<h1") == 1
    for name in ("display_name", "bio", "avatar", "interests", "expertise"):
        assert f'for="id_{name}"' in page
    assert 'aria-label="Settings"' in page
    assert 'href="/settings/" aria-current="page"' in page
    for target in ("/settings/privacy/", "/settings/links/", "/accounts/email/"):
        assert f'href="{target}"' in page


def test_saving_the_profile_stores_name_bio_and_topics(ana, ana_client):
    response = ana_client.post(URL, profile_data())
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.display_name == "Ana Lima"
    assert ana.bio_html == "<p>I teach <em>statistics</em>.</p>\n"
    assert sorted(t.key for t in ana.interests.all()) == ["dataliteracy", "openeducation"]
    assert [t.key for t in ana.expertise.all()] == ["statistics"]
    page = ana_client.get(URL).content.decode()
    assert "Open Education, data literacy" in page


def test_topics_written_differently_are_one_topic(ana, ana_client):
    ana_client.post(URL, profile_data(interests="Open Education, #OpenEducation, open-education"))
    assert [t.key for t in ana.interests.all()] == ["openeducation"]
    assert Topic.objects.filter(key="openeducation").count() == 1


def test_clearing_topics_removes_them(ana, ana_client):
    ana_client.post(URL, profile_data())
    ana_client.post(URL, profile_data(interests="", expertise=""))
    assert not ana.interests.exists()
    assert not ana.expertise.exists()


@pytest.mark.parametrize(
    "bio",
    [
        "<script>alert(1)</script>hello",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<svg><animate onbegin=alert(1)></svg>",
        '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    ],
)
def test_t22_script_in_bio_is_removed(ana, ana_client, bio):
    ana_client.post(URL, profile_data(bio=bio))
    ana.refresh_from_db()
    assert ana.bio == bio  # the source is kept as written
    tags = tags_and_attributes(ana.bio_html)
    assert {tag for tag, _ in tags} <= {"p", "a", "em", "strong"}
    for _, attrs in tags:
        assert all(not name.startswith("on") for name, _ in attrs)
        assert all("javascript" not in (value or "").lower() for _, value in attrs)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"display_name": ""}, "display_name", "Enter the name"),
        ({"display_name": "   "}, "display_name", "Enter the name"),
        ({"display_name": "x" * 101}, "display_name", "at most 100"),
        ({"bio": "x" * 5001}, "bio", "at most 5000"),
        ({"interests": ", ".join(f"topic{i}" for i in range(13))}, "interests", "at most 12"),
        ({"expertise": "statistics, !!!"}, "expertise", "“!!!” cannot be a topic."),
        ({"interests": "x" * 65}, "interests", "at most 64"),
    ],
)
def test_bad_profile_input_is_refused_and_nothing_stored(ana, ana_client, fields, field, message):
    ana_client.post(URL, profile_data())
    before = snapshot(ana)
    data = profile_data(display_name="Changed")
    data.update(fields)
    response = ana_client.post(URL, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'id="id_{field}_error"' in page
    assert 'aria-invalid="true"' in page
    assert f'aria-describedby="id_{field}_helptext id_{field}_error"' in page
    assert snapshot(ana) == before


def test_bad_topics_create_no_topics(ana_client):
    ana_client.post(URL, profile_data(interests="fine topic, !!!", expertise="new one"))
    assert not Topic.objects.filter(key__in=["finetopic", "newone"]).exists()


def test_t26_display_name_with_rtl_override_is_isolated(ana, ana_client):
    name = "Ana \u202eevil\u202c Lima"
    ana_client.post(URL, profile_data(display_name=name))
    ana.refresh_from_db()
    assert ana.display_name == name
    page = ana_client.get(URL).content.decode()
    assert f"<bdi>{name}</bdi>" in page
    shown = page.replace(f'value="{name}"', "")  # the form field is isolated by its own box
    assert shown.count(name) == shown.count(f"<bdi>{name}</bdi>")


def test_t26_html_in_display_name_is_escaped(ana, ana_client):
    ana_client.post(URL, profile_data(display_name="<b>Ana</b>"))
    page = ana_client.get(URL).content.decode()
    assert "<b>Ana</b>" not in page
    assert "&lt;b&gt;Ana&lt;/b&gt;" in page


def test_control_characters_are_removed_from_the_display_name(ana, ana_client):
    response = ana_client.post(URL, profile_data(display_name="Ana\x07\x1b Lima  Maria"))
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.display_name == "Ana Lima Maria"


def test_settings_without_a_profile_are_refused():
    from connective.accounts.models import User

    user = User.objects.create_user(username="ghost", password="x-long-pass-123")
    client = Client()
    client.force_login(user)
    assert client.get(URL).status_code == 403


def test_get_and_post_only(ana_client):
    assert ana_client.put(URL).status_code == 405
