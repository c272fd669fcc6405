"""The profile's "Courses completed" tab lists valid statements of participation."""

import pytest

from connective.credentials.services.issuing import Achievement, issue_statement, revoke

pytestmark = pytest.mark.django_db


def achievement(name: str) -> Achievement:
    return Achievement(
        id=f"https://connective.test/courses/{name}/",
        name=name,
        description="A short open course.",
        criteria="Every required activity has evidence.",
        topics=["pln"],
    )


def test_courses_tab_lists_statements_but_not_revoked_ones(client, ana, ben):
    kept = issue_statement(ana, achievement("Networks <b>101</b>"), [], "https://c.test/a/")
    gone = issue_statement(ana, achievement("Revoked course"), [], "https://c.test/b/")
    revoke(gone, "Evidence was plagiarised.", ben)
    html = client.get("/@ana/courses/").content.decode()
    assert kept.get_absolute_url() in html
    assert "Networks &lt;b&gt;101&lt;/b&gt;" in html  # escaped (T-23)
    assert "Revoked course" not in html
    assert 'aria-current="page">Courses completed' in html


def test_courses_tab_empty_state(client, ana):
    html = client.get("/@ana/courses/").content.decode()
    assert "No completed courses yet." in html
