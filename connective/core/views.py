"""Serving uploaded media safely from the embedded server."""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpRequest
from django.utils._os import safe_join

SAFE_INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


def media(request: HttpRequest, path: str) -> FileResponse:
    """An uploaded file: images inline, everything else as an attachment of opaque type.

    Nothing uploaded is ever served as HTML, SVG or ActivityStreams JSON (SECURITY T-05).
    """
    try:
        full = Path(safe_join(str(settings.MEDIA_ROOT), path))
    except (ValueError, SuspiciousFileOperation) as exc:
        raise Http404("No such file.") from exc
    if not full.is_file():
        raise Http404("No such file.")
    guessed, _ = mimetypes.guess_type(full.name)
    inline = guessed in SAFE_INLINE_TYPES
    response = FileResponse(
        full.open("rb"),
        as_attachment=not inline,
        filename=full.name,
        content_type=guessed if inline else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
