"""The public documents a verifier needs: the issuer profile, its keys and the status list."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from connective.credentials import signing
from connective.credentials.models import IssuerKey, Statement

_CORS = {"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300"}


def _published_keys() -> list[IssuerKey]:
    """Every key that may verify a credential: active and retired (not withdrawn) ones."""
    return list(IssuerKey.objects.filter(withdrawn_at__isnull=True).order_by("created_at", "id"))


def _json(data: dict[str, Any], content_type: str = "application/json") -> JsonResponse:
    response = JsonResponse(data, content_type=content_type, json_dumps_params={"indent": 2})
    for name, value in _CORS.items():
        response[name] = value
    return response


@require_GET
def issuer_document(request: HttpRequest) -> JsonResponse:
    """The issuer Profile (OB 3.0) with its verification methods (one per published key)."""
    issuer = signing.issuer_id()
    methods = [
        {
            "id": signing.key_url(key.kid),
            "type": "JsonWebKey",
            "controller": issuer,
            "publicKeyJwk": key.public_jwk,
        }
        for key in _published_keys()
    ]
    ids = [m["id"] for m in methods]
    document = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            "https://w3id.org/security/jwk/v1",
        ],
        "id": issuer,
        "type": ["Profile"],
        "name": settings.CONNECTIVE_INSTANCE_NAME,
        "url": settings.CONNECTIVE_SITE_URL,
        "verificationMethod": methods,
        "assertionMethod": ids,
        "jwks_uri": signing.jwks_url(),
    }
    return _json(document)


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    """The issuer's public keys as a JSON Web Key Set (RFC 7517)."""
    keys = [signing.public_jwk(key) for key in _published_keys()]
    return _json({"keys": keys}, content_type="application/jwk-set+json")


@require_GET
def status_list(request: HttpRequest) -> HttpResponse:
    """The revocation BitstringStatusListCredential, signed as a compact JWT-VC."""
    revoked = [
        index
        for index in Statement.objects.revoked().values_list("status_index", flat=True)
        if index is not None
    ]
    token = signing.sign(signing.status_list_payload(revoked), signing.signing_key())
    response = HttpResponse(token, content_type="application/vc+jwt")
    for name, value in _CORS.items():
        response[name] = value
    response["Cache-Control"] = "public, max-age=60"
    return response
