"""Credentials of another issuer (another Connective), checked against what its site publishes.

The other site is a real loopback HTTP server serving the documents a Connective at that address
publishes; the credential is issued as that site would issue it.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.test import Client

from connective.core.http import allow_loopback
from connective.credentials.services.issuing import issue_statement, revoke
from connective.credentials.services.verification import VerificationError, verify_credential
from tests.credentials.conftest import make_achievement, make_evidence

PATHS = ["/statements/issuer/", "/statements/issuer/jwks.json", "/statements/status/revocation/"]


class Site:
    """A loopback web site serving fixed documents."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                body = site.files.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body or b"{}")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def site():
    site = Site()
    with allow_loopback(site.port):
        yield site
    site.server.shutdown()
    site.server.server_close()


def publish(settings, site: Site) -> None:
    """Serve what a Connective at the site's address publishes right now."""
    ours = settings.CONNECTIVE_SITE_URL
    settings.CONNECTIVE_SITE_URL = site.url
    client = Client()
    site.files = {path: client.get(path).content for path in PATHS}
    settings.CONNECTIVE_SITE_URL = ours


@pytest.fixture
def remote_statement(settings, site, ana):
    """A statement issued by the Connective at the site's address."""
    ours = settings.CONNECTIVE_SITE_URL
    settings.CONNECTIVE_SITE_URL = site.url
    item = issue_statement(ana, make_achievement(), make_evidence(), "https://learn.example/x/")
    settings.CONNECTIVE_SITE_URL = ours
    publish(settings, site)
    return item


def reason_for(data, **kwargs) -> str:
    try:
        verify_credential(data, **kwargs)
    except VerificationError as error:
        return error.reason
    return "valid"


def test_another_sites_credential_verifies_against_its_keys(remote_statement):
    assert reason_for(remote_statement.credential, fetch_remote=True) == "valid"
    assert reason_for(json.dumps(remote_statement.credential_document()), fetch_remote=True) == (
        "valid"
    )
    # Offline, another issuer's key is unknown.
    assert reason_for(remote_statement.credential) == "unknown issuer key"


def test_t35_another_sites_revocation_is_honoured(settings, site, ben, remote_statement):
    revoke(remote_statement, "Plagiarised", by=ben)
    publish(settings, site)
    assert reason_for(remote_statement.credential, fetch_remote=True) == "revoked"


def test_t35_tampered_remote_credential_is_a_bad_signature(remote_statement):
    header, payload, signature = remote_statement.credential.split(".")
    claims = json.loads(jwt.utils.base64url_decode(payload))
    claims["credentialSubject"]["achievement"]["name"] = "Something grander"
    forged_payload = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()
    token = ".".join([header, forged_payload, signature])
    assert reason_for(token, fetch_remote=True) == "bad signature"


def test_t35_key_not_published_by_the_issuer_is_unknown(site, remote_statement):
    """A key hosted elsewhere, or only embedded in the header, does not count for the issuer."""
    attacker = Ed25519PrivateKey.generate()
    jwk = jwt.algorithms.OKPAlgorithm.to_jwk(attacker.public_key(), as_dict=True)
    for kid in ("http://127.0.0.1:1/keys#k", None):
        headers = {"jwk": jwk, **({"kid": kid} if kid else {})}
        forged = jwt.encode(
            remote_statement.credential_json, attacker, algorithm="EdDSA", headers=headers
        )
        assert reason_for(forged, fetch_remote=True) == "unknown issuer key"


def test_t35_issuer_that_stops_publishing_the_key_is_unknown(site, remote_statement):
    site.files["/statements/issuer/"] = b'{"id": "x", "verificationMethod": []}'
    assert reason_for(remote_statement.credential, fetch_remote=True) == "unknown issuer key"


def test_missing_status_list_is_reported(site, remote_statement):
    del site.files["/statements/status/revocation/"]
    assert reason_for(remote_statement.credential, fetch_remote=True) == (
        "revocation status unavailable"
    )


def test_status_list_signed_by_someone_else_is_refused(site, remote_statement):
    claims = jwt.decode(
        site.files["/statements/status/revocation/"].decode(), options={"verify_signature": False}
    )
    site.files["/statements/status/revocation/"] = jwt.encode(
        claims, Ed25519PrivateKey.generate(), algorithm="EdDSA"
    ).encode()
    assert reason_for(remote_statement.credential, fetch_remote=True) == (
        "revocation status unavailable"
    )


def test_command_fetches_unless_offline(tmp_path, remote_statement):
    from io import StringIO

    from django.core.management import call_command

    path = tmp_path / "s.jwt"
    path.write_text(remote_statement.credential)
    out = StringIO()
    call_command("verify", str(path), stdout=out)
    assert out.getvalue().strip() == "valid"
    out = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("verify", str(path), "--offline", stdout=out)
    assert exit_.value.code == 1
    assert out.getvalue().strip() == "unknown issuer key"


def test_verify_page_fetches_for_signed_in_people_only(client, ana_client, remote_statement):
    form = {"credential": remote_statement.credential}
    assert (
        "Not valid: unknown issuer key" in client.post("/statements/verify/", form).content.decode()
    )
    assert "Valid" in ana_client.post("/statements/verify/", form).content.decode()


def test_t35_a_published_shared_secret_key_is_not_accepted(site, remote_statement):
    """An HMAC ("oct") key in the issuer's documents is never a signing key for a credential."""
    secret = "s3cret-s3cret-s3cret-s3cret-s3cret"
    jwk = {"kty": "oct", "kid": "hmac", "k": jwt.utils.base64url_encode(secret.encode()).decode()}
    site.files["/statements/issuer/"] = json.dumps(
        {"verificationMethod": [], "keys": [jwk]}
    ).encode()
    forged = jwt.encode(
        remote_statement.credential_json, secret, algorithm="HS256", headers={"kid": "hmac"}
    )
    assert reason_for(forged, fetch_remote=True) == "unknown issuer key"
