"""Statement pages: the public certificate, its downloads, and the verify page."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from connective.credentials.models import Statement


def _get(public_id: str) -> Statement:
    statement = (
        Statement.objects.select_related("recipient", "revoked_by")
        .filter(public_id=public_id, recipient__suspended_at__isnull=True)
        .first()
    )
    if statement is None:
        raise Http404
    return statement


@require_GET
def statement(request: HttpRequest, public_id: str) -> HttpResponse:
    """The public, certificate-like page of one statement."""
    item = _get(public_id)
    return render(request, "credentials/statement.html", {"statement": item})


def _attachment(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def download_json(request: HttpRequest, public_id: str) -> HttpResponse:
    """The credential as a JSON document, its JWT in a JwtProof2020 proof."""
    item = _get(public_id)
    body = json.dumps(item.credential_document(), indent=2, ensure_ascii=False)
    return _attachment(body, "application/json", f"statement-{item.public_id}.json")


@require_GET
def download_jwt(request: HttpRequest, public_id: str) -> HttpResponse:
    """The credential exactly as signed: a compact JWS (what OB 3.0 verifiers take)."""
    item = _get(public_id)
    return _attachment(item.credential, "application/vc+jwt", f"statement-{item.public_id}.jwt")


@require_GET
def badge_png(request: HttpRequest, public_id: str) -> HttpResponse:
    """A baked badge image: a PNG carrying the credential in an `openbadgecredential` chunk."""
    raise Http404


def verify(request: HttpRequest) -> HttpResponse:
    """Paste or upload a credential and see whether it is valid, or the precise reason."""
    return render(request, "credentials/verify.html", {})
