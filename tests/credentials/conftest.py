"""Fixtures for credentials: an achievement and an issued statement."""

import pytest

from connective.credentials.services.issuing import Achievement, EvidenceItem, issue_statement

COURSE = "https://learn.example/courses/pln/"


def make_achievement(name: str = "Personal learning networks") -> Achievement:
    """A course-like achievement."""
    return Achievement(
        id=COURSE,
        name=name,
        description="A short open course on personal learning networks.",
        criteria="Completed every required activity with evidence.",
        topics=["pln", "learning"],
    )


def make_evidence() -> list[EvidenceItem]:
    """Two pieces of evidence."""
    return [
        EvidenceItem(id="https://learn.example/posts/1/", name="Define a PLN", narrative="A post."),
        EvidenceItem(id="https://learn.example/posts/2/", name="Position", narrative="An article."),
    ]


@pytest.fixture
def statement(ana):
    return issue_statement(ana, make_achievement(), make_evidence(), COURSE)
