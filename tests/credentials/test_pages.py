"""The statement page, its downloads, the verify page and the issuer documents."""

import json

import jwt
from django.test import Client
from django.utils import timezone
from openbadgeslib import baking

from connective.credentials import signing
from connective.credentials.services.issuing import (
    Achievement,
    EvidenceItem,
    issue_statement,
    revoke,
)
from connective.credentials.services.verification import verify_credential

XSS = '"><img src=x onerror=alert(1)><script>alert(2)</script>'


def test_statement_page_shows_the_certificate(client, ana, statement):
    response = client.get(statement.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ana Lima" in html
    assert "Personal learning networks" in html
    assert 'href="https://learn.example/posts/1/"' in html
    assert "Define a PLN" in html
    assert "Download JSON" in html
    assert "Revoked on" not in html


def test_revoked_statement_page_says_when_and_why(client, ben, statement):
    revoke(statement, "Evidence was not the learner's own", by=ben)
    html = client.get(statement.get_absolute_url()).content.decode()
    assert "Revoked on" in html
    assert "Evidence was not the learner&#x27;s own" in html


def test_unknown_and_suspended_statements_are_the_same_404(client, ana, statement):
    missing = client.get("/statements/nope/")
    ana.suspended_at = timezone.now()
    ana.save()
    hidden = client.get(statement.get_absolute_url())
    assert missing.status_code == hidden.status_code == 404
    assert missing.content == hidden.content


def test_t23_html_in_achievement_and_evidence_is_escaped(client, ana):
    achievement = Achievement(
        id="https://learn.example/courses/x/",
        name=f"Course {XSS}",
        description=f"About {XSS}",
        criteria=f"Criteria {XSS}",
        topics=["pln"],
    )
    evidence = [
        EvidenceItem(id="javascript:alert(3)", name=f"Evidence {XSS}", narrative=f"Said {XSS}"),
        EvidenceItem(id="https://learn.example/posts/9/", name=XSS, narrative=""),
    ]
    item = issue_statement(ana, achievement, evidence, "https://learn.example/courses/x/")
    html = client.get(item.get_absolute_url()).content.decode()
    assert "<script>alert(2)" not in html
    assert "<img src=x" not in html
    assert "javascript:" not in html
    assert "&lt;script&gt;" in html
    # The verify page shows the same names, escaped too.
    html = client.post("/statements/verify/", {"credential": item.credential}).content.decode()
    assert "Valid" in html
    assert "<script>alert(2)" not in html and "javascript:" not in html


def test_t23_json_download_is_an_attachment_with_a_safe_name(client, statement):
    response = client.get(f"/statements/{statement.public_id}/credential.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="statement-{statement.public_id}.json"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    document = json.loads(response.content)
    assert document["proof"] == {"type": "JwtProof2020", "jwt": statement.credential}
    assert verify_credential(response.content).statement == statement


def test_jwt_download_is_the_credential_as_signed(client, statement):
    response = client.get(f"/statements/{statement.public_id}/credential.jwt")
    assert response.content.decode() == statement.credential
    assert response["Content-Disposition"].startswith("attachment;")


def test_baked_badge_carries_the_credential(client, statement):
    response = client.get(f"/statements/{statement.public_id}/badge.png")
    assert response["Content-Type"] == "image/png"
    token = baking.extract_png(response.content, keyword=baking.ITXT_KEYWORD_OB3)
    assert token == statement.credential
    assert verify_credential(response.content).statement == statement


def test_verify_page_accepts_paste_and_upload(client, statement):
    assert client.get("/statements/verify/").status_code == 200
    pasted = client.post("/statements/verify/", {"credential": statement.credential})
    assert "Valid" in pasted.content.decode()
    upload = client.get(f"/statements/{statement.public_id}/credential.json")
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("s.json", upload.content, content_type="application/json")
    uploaded = client.post("/statements/verify/", {"file": file})
    assert "Valid" in uploaded.content.decode()
    linked = client.get(f"/statements/verify/?statement={statement.public_id}")
    assert "Valid" in linked.content.decode()


def test_t35_verify_page_shows_the_precise_reason(client, ben, statement):
    document = statement.credential_document()
    document["credentialSubject"]["achievement"]["name"] = "Something grander"
    html = client.post("/statements/verify/", {"credential": json.dumps(document)}).content
    assert "Not valid: bad signature" in html.decode()
    html = client.post("/statements/verify/", {"credential": "{oops"}).content.decode()
    assert "Not valid: not a credential we can read" in html
    assert "This is not a credential we can read: not JSON." in html
    revoke(statement, "Plagiarised", by=ben)
    html = client.get(f"/statements/verify/?statement={statement.public_id}").content.decode()
    assert "Not valid: revoked" in html


def test_t35_verify_page_survives_a_huge_upload(client, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("big.json", b"{" + b" " * 10_000_000, content_type="application/json")
    response = client.post("/statements/verify/", {"file": big})
    assert response.status_code == 200
    assert "malformed: larger than 512 KB" in response.content.decode()


def test_pasted_junk_is_explained_without_speaking_of_a_file(client, db):
    response = client.post("/statements/verify/", {"credential": "hello world"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "This is not a credential we can read: neither JSON nor a JWT." in html


def test_verify_page_asks_for_something(client, db):
    response = client.post("/statements/verify/", {})
    assert response.status_code == 200
    assert "Paste a credential or choose a file." in response.content.decode()


def test_issuer_documents_publish_keys_and_status(client, ben, statement):
    profile = client.get("/statements/issuer/").json()
    assert profile["id"] == signing.issuer_id()
    assert profile["type"] == ["Profile"]
    method = profile["verificationMethod"][0]
    assert method["id"] == signing.key_url(statement.key.kid)
    assert method["publicKeyJwk"] == statement.key.public_jwk
    keys = client.get("/statements/issuer/jwks.json").json()["keys"]
    assert [k["kid"] for k in keys] == [signing.key_url(statement.key.kid)]
    assert "d" not in keys[0]
    revoke(statement, "Plagiarised", by=ben)
    token = client.get("/statements/status/revocation/").content.decode()
    claims = jwt.decode(token, jwt.PyJWK(keys[0]), algorithms=["EdDSA"])
    assert claims["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert claims["validUntil"] > claims["validFrom"]
    from openbadgeslib.ob3 import decode_encoded_list, set_indices

    bits = decode_encoded_list(claims["credentialSubject"]["encodedList"])
    assert set_indices(bits) == {statement.status_index}


def test_withdrawn_keys_are_not_published(client, statement):
    statement.key.withdrawn_at = timezone.now()
    statement.key.save()
    assert client.get("/statements/issuer/jwks.json").json()["keys"] == []


def test_library_status_check_reads_our_list(client, ben, statement):
    """An outside OB 3.0 verifier (openbadgeslib) sees the revocation in our status list."""
    from openbadgeslib.ob3 import OB3VerificationError, OB3Verifier

    from connective.credentials.services.verification import _pem

    def download(url: str) -> bytes:
        assert url == signing.status_list_url()
        return Client().get("/statements/status/revocation/").content

    verifier = OB3Verifier(pubkey_pem=_pem(jwt.PyJWK(statement.key.public_jwk)))
    verifier.verify(statement.credential, check_status=True, download=download)
    revoke(statement, "Plagiarised", by=ben)
    try:
        verifier.verify(statement.credential, check_status=True, download=download)
    except OB3VerificationError as error:
        assert "revocation" in str(error)
    else:
        raise AssertionError("the library accepted a revoked credential")


def test_statement_list_partial_escapes_and_links(ana, statement):
    from django.template.loader import render_to_string

    from connective.credentials.models import Statement

    html = render_to_string(
        "credentials/_statement_list.html",
        {"statements": Statement.objects.valid().filter(recipient=ana), "person": ana},
    )
    assert statement.get_absolute_url() in html
    empty = render_to_string("credentials/_statement_list.html", {"statements": [], "person": ana})
    assert "no statements of participation yet" in empty


def test_t35_ten_megabytes_pasted_is_a_400_not_a_500(client, db):
    response = client.post("/statements/verify/", {"credential": "x" * 10_000_000})
    assert response.status_code == 400


def test_t35_over_the_cap_but_under_the_upload_limit_is_malformed(client, db):
    response = client.post("/statements/verify/", {"credential": "{" + " " * 600_000 + "}"})
    assert response.status_code == 200
    assert "malformed: larger than 512 KB" in response.content.decode()
