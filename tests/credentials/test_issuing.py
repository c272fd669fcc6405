"""Issuing and revoking statements."""

import jwt

from connective.credentials.models import IssuerKey, Statement
from connective.credentials.services.issuing import IssuingError, issue_statement, revoke
from tests.credentials.conftest import COURSE, make_achievement, make_evidence


def test_issue_signs_an_open_badge_credential(ana, statement):
    payload = jwt.decode(statement.credential, options={"verify_signature": False})
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    subject = payload["credentialSubject"]
    assert subject["id"] == ana.uri
    assert subject["name"] == "Ana Lima"
    assert subject["achievement"]["name"] == "Personal learning networks"
    assert subject["achievement"]["criteria"] == {
        "narrative": "Completed every required activity with evidence."
    }
    assert subject["achievement"]["tag"] == ["pln", "learning"]
    assert [e["id"] for e in payload["evidence"]] == [
        "https://learn.example/posts/1/",
        "https://learn.example/posts/2/",
    ]
    status = payload["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusListIndex"] == str(statement.status_index)
    assert payload["issuer"]["id"].endswith("/statements/issuer/")
    assert statement.credential_json == payload


def test_issue_is_idempotent_per_source(ana, statement):
    again = issue_statement(ana, make_achievement("Other name"), make_evidence(), COURSE)
    assert again.pk == statement.pk
    assert Statement.objects.count() == 1
    assert IssuerKey.objects.count() == 1


def test_revoked_statement_can_be_issued_anew(ana, ben, statement):
    revoked = revoke(statement, "Evidence was plagiarised", by=ben)
    assert revoked.revoked_at is not None
    assert revoked.revoked_by == ben
    fresh = issue_statement(ana, make_achievement(), make_evidence(), COURSE)
    assert fresh.pk != statement.pk
    assert list(Statement.objects.valid()) == [fresh]


def test_revoke_needs_a_reason(ben, statement):
    try:
        revoke(statement, "  ", by=ben)
    except IssuingError:
        pass
    else:
        raise AssertionError("revoke without a reason was accepted")
    statement.refresh_from_db()
    assert statement.revoked_at is None


def test_remote_people_get_no_statement(remote):
    try:
        issue_statement(remote, make_achievement(), make_evidence(), COURSE)
    except IssuingError:
        pass
    else:
        raise AssertionError("a remote person was issued a statement")


def test_statement_needs_a_source_address_and_a_named_achievement(ana):
    import pytest

    for achievement, source in (
        (make_achievement(), ""),
        (make_achievement(), "javascript:alert(1)"),
        (make_achievement(""), COURSE),
    ):
        with pytest.raises(IssuingError):
            issue_statement(ana, achievement, make_evidence(), source)
    assert not Statement.objects.exists()
