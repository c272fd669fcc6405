"""HTTP Signatures as pure functions: a frozen clock and fixed key pairs (SECURITY T-01, T-06)."""

from datetime import timedelta

import pytest

from connective.federation.signatures import (
    SignatureError,
    SignatureParseError,
    digest_header,
    request_key_id,
    sign_request,
    verify_request,
)
from tests.federation.signing import NOW, pem, sign_rfc9421

URL = "https://social.example/users/ana/inbox"
PATH = "/users/ana/inbox"
KEY_ID = "https://remote.example/users/dana#main-key"
BODY = b'{"type":"Follow"}'


def signed(body: bytes = BODY, *, now=NOW, key: str = "rsa-a", url: str = URL) -> dict[str, str]:
    return sign_request(
        "POST", url, {"Content-Type": "application/activity+json"}, body, KEY_ID, pem(key), now=now
    )


def verify(headers, *, body=BODY, path=PATH, key="rsa-a", now=NOW, method="POST"):
    verify_request(method, path, headers, body, pem(key, "public"), now=now)


def test_signed_request_verifies():
    headers = signed()
    assert set(headers) >= {"Host", "Date", "Digest", "Signature"}
    assert 'headers="(request-target) host date digest"' in headers["Signature"]
    assert 'algorithm="rsa-sha256"' in headers["Signature"]
    verify(headers)


def test_header_names_are_case_insensitive():
    verify({k.lower(): v for k, v in signed().items()})


def test_key_id_is_read_from_either_kind_of_signature():
    assert request_key_id(signed()) == KEY_ID
    assert request_key_id(sign_rfc9421("POST", URL, BODY, KEY_ID)) == KEY_ID


def test_t01_unsigned_request_is_refused():
    headers = signed()
    del headers["Signature"]
    with pytest.raises(SignatureError) as err:
        verify(headers)
    assert not isinstance(err.value, SignatureParseError)
    with pytest.raises(SignatureError):
        request_key_id(headers)


def test_t01_wrong_signature_bytes_are_refused():
    headers = signed(key="rsa-b")  # signed with another key than the one we check against
    with pytest.raises(SignatureError, match="does not verify"):
        verify(headers)


@pytest.mark.parametrize(
    "value",
    [
        "garbage",
        'keyId="x"',
        'keyId="x",signature="not base64!!"',
        'keyId="x",signature="abc=",headers="date" junk',
        'keyId="x",created="soon",signature="YWJj"',
        "x" * 10000,
    ],
)
def test_t01_unparseable_signature_is_a_parse_error(value):
    headers = signed()
    headers["Signature"] = value
    with pytest.raises(SignatureParseError):
        verify(headers)


def test_t06_missing_digest_is_refused():
    headers = signed()
    del headers["Digest"]
    with pytest.raises(SignatureError, match="digest"):
        verify(headers)


def test_t06_digest_not_among_signed_headers_is_refused():
    from connective.federation import signatures

    headers = sign_request("GET", URL, {}, None, KEY_ID, pem("rsa-a"), now=NOW)
    headers["Digest"] = digest_header(BODY)  # present, matching, but not signed
    with pytest.raises(SignatureError, match="digest is not signed"):
        verify(headers)
    assert "digest" not in signatures.parse_cavage(headers["Signature"]).headers


def test_t06_digest_that_does_not_match_the_body_is_refused():
    with pytest.raises(SignatureError, match="digest does not match"):
        verify(signed(), body=b'{"type":"Like"}')


@pytest.mark.parametrize("age", [timedelta(days=2), -timedelta(days=2), timedelta(hours=13)])
def test_t06_date_outside_the_window_is_refused(age):
    with pytest.raises(SignatureError, match="clock skew"):
        verify(signed(now=NOW - age))


def test_t06_date_within_twelve_hours_is_accepted():
    verify(signed(now=NOW - timedelta(hours=11)))


def test_t06_request_target_for_another_path_is_refused():
    with pytest.raises(SignatureError, match="does not verify"):
        verify(signed(), path="/inbox")


def test_t06_get_without_digest_verifies():
    headers = sign_request("GET", URL, {}, None, KEY_ID, pem("rsa-a"), now=NOW)
    verify(headers, method="GET", body=b"")


def test_t06_signature_without_request_target_is_refused():
    headers = signed()
    headers["Signature"] = headers["Signature"].replace("(request-target) ", "")
    with pytest.raises(SignatureError, match="request-target"):
        verify(headers)


def test_rfc9421_rsa_signature_verifies():
    verify(sign_rfc9421("POST", URL, BODY, KEY_ID))


def test_rfc9421_ed25519_signature_verifies():
    verify(sign_rfc9421("POST", URL, BODY, KEY_ID, "ed25519"), key="ed25519")


def test_rfc9421_tampered_body_is_refused():
    with pytest.raises(SignatureError, match="content-digest does not match"):
        verify(sign_rfc9421("POST", URL, BODY, KEY_ID), body=b"{}")


def test_rfc9421_without_signed_digest_is_refused():
    headers = sign_rfc9421("POST", URL, BODY, KEY_ID, components=("@method", "@target-uri", "date"))
    with pytest.raises(SignatureError, match="digest is not signed"):
        verify(headers)


def test_rfc9421_old_signature_is_refused():
    headers = sign_rfc9421("POST", URL, BODY, KEY_ID, now=NOW - timedelta(days=2))
    with pytest.raises(SignatureError, match="clock skew"):
        verify(headers)


def test_rfc9421_other_path_is_refused():
    with pytest.raises(SignatureError, match="does not verify"):
        verify(sign_rfc9421("POST", URL, BODY, KEY_ID), path="/inbox")


def test_rfc9421_malformed_input_is_a_parse_error():
    headers = sign_rfc9421("POST", URL, BODY, KEY_ID)
    headers["Signature-Input"] = "sig1=nonsense"
    with pytest.raises(SignatureParseError):
        verify(headers)


def test_unreadable_public_key_is_refused():
    with pytest.raises(SignatureError, match="cannot be read"):
        verify_request("POST", PATH, signed(), BODY, "not a pem", now=NOW)
