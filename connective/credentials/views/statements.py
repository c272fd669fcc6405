"""Statement pages: the public certificate, its downloads, and the verify page."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from connective.core.uris import is_web_url
from connective.credentials import badge
from connective.credentials.forms import VerifyForm
from connective.credentials.models import Statement
from connective.credentials.services.verification import (
    VerificationError,
    Verified,
    verify_credential,
)


def _get(public_id: str) -> Statement:
    """A statement by its public id; a suspended recipient's answers like a missing one."""
    statement = (
        Statement.objects.select_related("recipient", "revoked_by")
        .filter(public_id=public_id, recipient__suspended_at__isnull=True)
        .first()
    )
    if statement is None:
        raise Http404
    return statement


def _evidence(payload: dict[str, object]) -> list[dict[str, object]]:
    """Evidence entries for display; a link only for plain web addresses."""
    items = payload.get("evidence")
    shown = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            link = item.get("id")
            shown.append(
                {**item, "link": link if isinstance(link, str) and is_web_url(link) else ""}
            )
    return shown


@require_GET
def statement(request: HttpRequest, public_id: str) -> HttpResponse:
    """The public, certificate-like page of one statement."""
    item = _get(public_id)
    payload = item.credential_json
    subject = payload.get("credentialSubject") or {}
    context = {
        "statement": item,
        "achievement": subject.get("achievement") or {},
        "issuer": payload.get("issuer") or {},
        "evidence": _evidence(payload),
        "source_link": item.source_uri if is_web_url(item.source_uri) else "",
    }
    return render(request, "credentials/statement.html", context)


def _attachment(body: str | bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    # The public id is URL-safe base64 ([A-Za-z0-9_-]), so the filename needs no quoting.
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def download_json(request: HttpRequest, public_id: str) -> HttpResponse:
    """The credential as a JSON document, its JWT in a JwtProof2020 proof."""
    item = _get(public_id)
    body = json.dumps(item.credential_document(), indent=2, ensure_ascii=False) + "\n"
    return _attachment(body, "application/json", f"statement-{item.public_id}.json")


@require_GET
def download_jwt(request: HttpRequest, public_id: str) -> HttpResponse:
    """The credential exactly as signed: a compact JWS (what OB 3.0 verifiers take)."""
    item = _get(public_id)
    return _attachment(item.credential, "application/vc+jwt", f"statement-{item.public_id}.jwt")


@require_GET
def badge_png(request: HttpRequest, public_id: str) -> HttpResponse:
    """A baked badge image: a PNG carrying the credential in an `openbadgecredential` chunk."""
    item = _get(public_id)
    return _attachment(badge.baked_png(item.credential), "image/png", f"badge-{item.public_id}.png")


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Paste or upload a credential and see whether it is valid, or the precise reason.

    `?statement=<public id>` checks one of our statements as stored (the statement page links here).
    """
    form = VerifyForm(request.POST, request.FILES) if request.method == "POST" else VerifyForm()
    data: bytes | str | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["data"]
    elif request.method == "GET" and request.GET.get("statement"):
        data = _get(request.GET["statement"][:40]).credential
    result: Verified | None = None
    error: VerificationError | None = None
    if data is not None:
        try:
            # Fetching another issuer's keys is for signed-in people only, so anonymous visitors
            # cannot make this server fetch addresses of their choosing.
            result = verify_credential(data, fetch_remote=request.user.is_authenticated)
        except VerificationError as failure:
            error = failure
    context: dict[str, object] = {"form": form, "result": result, "error": error}
    if result is not None:
        context["evidence"] = _evidence(result.payload)
    return render(request, "credentials/verify.html", context)
