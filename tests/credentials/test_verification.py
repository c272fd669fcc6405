"""Verifying statements: genuine ones pass, every tampering fails with a precise reason (T-35)."""

import base64
import json

import jwt
import pytest
from django.utils import timezone

from connective.credentials import signing
from connective.credentials.services.issuing import issue_statement, revoke
from connective.credentials.services.verification import (
    VerificationError,
    verify_credential,
)
from tests.credentials.conftest import COURSE, make_achievement, make_evidence


def reason_for(data, **kwargs) -> str:
    """The reason verification gives, or 'valid'."""
    try:
        verify_credential(data, **kwargs)
    except VerificationError as error:
        return error.reason
    return "valid"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def with_payload(token: str, change) -> str:
    """The token with its payload changed and its signature kept."""
    header, payload, signature = token.split(".")
    claims = json.loads(_unb64(payload))
    change(claims)
    return ".".join([header, _b64(json.dumps(claims).encode()), signature])


def document_of(statement) -> str:
    return json.dumps(statement.credential_document())


def test_genuine_credential_is_valid_in_every_form(statement):
    assert reason_for(statement.credential) == "valid"
    assert reason_for(document_of(statement)) == "valid"
    envelope = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": "EnvelopedVerifiableCredential",
        "id": "data:application/vc+jwt," + statement.credential,
    }
    assert reason_for(json.dumps(envelope)) == "valid"
    verified = verify_credential(statement.credential)
    assert verified.statement == statement
    assert verified.achievement["name"] == "Personal learning networks"


def test_t35_tampered_json_field_is_a_bad_signature(statement):
    document = statement.credential_document()
    document["credentialSubject"]["achievement"]["name"] = "Advanced PLN mastery"
    assert reason_for(json.dumps(document)) == "bad signature"


def test_t35_tampered_registered_claim_in_json_is_a_bad_signature(statement):
    document = statement.credential_document()
    document["sub"] = "http://testserver/@mallory"
    assert reason_for(json.dumps(document)) == "bad signature"


def test_t35_one_character_changed_in_the_downloaded_file_fails(statement):
    text = document_of(statement).replace("Personal learning", "Personal Learning", 1)
    assert reason_for(text) == "bad signature"


def test_t35_tampered_jwt_payload_is_a_bad_signature(statement):
    token = with_payload(statement.credential, lambda c: c.update(name="Something else"))
    assert reason_for(token) == "bad signature"


def test_t35_swapped_signature_is_a_bad_signature(ana, ben, statement):
    other = issue_statement(ben, make_achievement(), make_evidence(), COURSE)
    header, payload, _ = statement.credential.split(".")
    swapped = ".".join([header, payload, other.credential.split(".")[2]])
    assert reason_for(swapped) == "bad signature"


def test_t35_revoked_statement_is_reported_revoked(ben, statement):
    revoke(statement, "Plagiarised evidence", by=ben)
    assert reason_for(statement.credential) == "revoked"
    assert reason_for(document_of(statement)) == "revoked"


def test_t35_retired_key_still_verifies_what_it_signed(ana, statement):
    statement.key.retired_at = timezone.now()
    statement.key.save()
    assert reason_for(statement.credential) == "valid"
    newer = issue_statement(ana, make_achievement(), make_evidence(), COURSE + "other/")
    assert newer.key != statement.key
    assert reason_for(newer.credential) == "valid"


def test_t35_withdrawn_key_is_reported(statement):
    statement.key.withdrawn_at = timezone.now()
    statement.key.save()
    assert reason_for(statement.credential) == "revoked key"


def test_t35_unknown_key_id_is_reported(statement):
    header, payload, signature = statement.credential.split(".")
    fields = json.loads(_unb64(header))
    fields["kid"] = signing.key_url("key-0000000000000000")
    token = ".".join([_b64(json.dumps(fields).encode()), payload, signature])
    assert reason_for(token) == "unknown issuer key"


def test_t35_a_key_that_is_not_ours_is_unknown(ana, statement):
    """A credential signed with someone else's key but claiming to be ours."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    forged = jwt.encode(
        statement.credential_json,
        Ed25519PrivateKey.generate(),
        algorithm="EdDSA",
        headers={"kid": signing.key_url("key-forged")},
    )
    assert reason_for(forged) == "unknown issuer key"
    # Naming our real key while signing with another one is a bad signature.
    forged = jwt.encode(
        statement.credential_json,
        Ed25519PrivateKey.generate(),
        algorithm="EdDSA",
        headers={"kid": signing.key_url(statement.key.kid)},
    )
    assert reason_for(forged) == "bad signature"


def test_foreign_issuer_is_an_unknown_issuer_key(statement):
    token = with_payload(
        statement.credential,
        lambda c: c.update(
            iss="https://elsewhere.example/issuer", issuer="https://elsewhere.example/issuer"
        ),
    )
    assert reason_for(token) == "unknown issuer key"


def test_t35_replayed_credential_of_another_learner_is_refused(ana, ben, statement):
    assert reason_for(statement.credential, for_person=ana) == "valid"
    assert reason_for(statement.credential, for_person=ben) == "wrong recipient"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "malformed: empty"),
        (b"hello world", "malformed: neither JSON nor a JWT"),
        (b"\xff\xfe\x00garbage", "malformed: not UTF-8 text"),
        (b"{not json", "malformed: not JSON"),
        (b"[1, 2]", "malformed: neither JSON nor a JWT"),
        (b'{"a": 1}', "malformed: no proof: the credential is not signed"),
        (b'{"proof": "x"}', "malformed: proof is not an object"),
        (
            b'{"proof": {"type": "DataIntegrityProof"}}',
            "malformed: unsupported proof type 'DataIntegrityProof'",
        ),
        (b'{"proof": {"type": "JwtProof2020", "jwt": 5}}', "malformed: proof.jwt is not a JWT"),
        (b"a.b.c", "malformed: unreadable JWT"),
        (b"[" * 100_000, "malformed: neither JSON nor a JWT"),
        (b'{"x":' * 50_000, "malformed: not JSON"),
        (b"\x89PNG\r\n\x1a\nbroken", "malformed: unreadable PNG"),
    ],
)
def test_t35_malformed_input_gives_a_precise_reason(db, data, reason):
    assert reason_for(data) == reason


def test_t35_ten_megabytes_is_refused_unread(db):
    assert reason_for(b"{" + b" " * 10_000_000 + b"}") == "malformed: larger than 512 KB"


def test_t35_wrong_types_inside_a_signed_credential_are_malformed(statement):
    """Our own key signing nonsense (e.g. a bug) still gives a reason, not a traceback."""
    for change in (
        lambda c: c.update(credentialSubject="not an object"),
        lambda c: c.update(type="OpenBadgeCredential"),
        lambda c: c.update(
            credentialStatus={
                "statusListCredential": signing.status_list_url(),
                "statusListIndex": "x",
            }
        ),
        lambda c: c.update(validFrom=12),
    ):
        claims = dict(statement.credential_json)
        change(claims)
        token = signing.sign(claims, statement.key)
        assert reason_for(token).startswith("malformed: "), claims


def test_a_byte_order_mark_and_surrounding_whitespace_are_fine(statement):
    data = b"\xef\xbb\xbf\r\n" + document_of(statement).encode() + b"\r\n"
    assert reason_for(data) == "valid"
