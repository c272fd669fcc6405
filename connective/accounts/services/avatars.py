"""Turn an uploaded picture into a safe avatar: checked, decoded, re-encoded, renamed.

Nothing the client says is trusted: not the file name, not the content type. The bytes are
sniffed by Pillow (only PNG, JPEG, GIF and WebP decoders are tried), the dimensions are checked
from the header before any pixel is decoded, and the picture is re-encoded from its pixels, so
trailing HTML or script in a polyglot file never reaches the media folder.
"""

import io
import re
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
MAX_SOURCE_SIDE = 4096
AVATAR_SIDE = 400
_MARKUP = re.compile(rb"<\s*(?:script|html|svg|body|iframe|object|embed|\?xml|!doctype)", re.I)


class AvatarError(Exception):
    """The upload cannot be an avatar; the message says why, for the person."""


@dataclass(frozen=True)
class ProcessedAvatar:
    """A re-encoded avatar ready to store, with a generated name."""

    name: str
    content: ContentFile
    width: int
    height: int


def read_upload(upload, limit: int) -> bytes:
    """Read at most `limit` bytes of an upload, refusing anything larger."""
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise AvatarError(_too_large_message(limit))
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise AvatarError(_too_large_message(limit))
    if not data:
        raise AvatarError("The file is empty.")
    return data


def _too_large_message(limit: int) -> str:
    return f"The picture is too large: the limit is {limit // (1024 * 1024)} MB."


def _open_checked(data: bytes) -> Image.Image:
    """Open the bytes as one of the allowed formats and check the header's dimensions."""
    if _MARKUP.search(data[:4096]):
        raise AvatarError("This file contains web page markup, not a picture.")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise AvatarError("The picture's dimensions are too large.") from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise AvatarError("Choose a PNG, JPEG, GIF or WebP picture.") from exc
    if image.width > MAX_SOURCE_SIDE or image.height > MAX_SOURCE_SIDE:
        raise AvatarError(
            f"The picture's dimensions are too large: at most {MAX_SOURCE_SIDE}×"
            f"{MAX_SOURCE_SIDE} pixels."
        )
    return image


def _decode(data: bytes) -> Image.Image:
    """Verify the file's structure, then decode its (first frame's) pixels."""
    _open_checked(data).verify()
    image = _open_checked(data)  # verify() leaves the image unusable; open it again
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image.seek(0)
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise AvatarError("The picture's dimensions are too large.") from exc
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise AvatarError("The picture is damaged and cannot be read.") from exc
    return image


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def process_avatar(upload) -> ProcessedAvatar:
    """Check an uploaded picture and re-encode it to at most 400×400; AvatarError if unfit."""
    data = read_upload(upload, settings.AVATAR_MAX_BYTES)
    try:
        image = _decode(data)
    except AvatarError:
        raise
    except Exception as exc:  # Pillow raises many kinds for crafted files
        raise AvatarError("The picture is damaged and cannot be read.") from exc
    image = ImageOps.exif_transpose(image)
    out = io.BytesIO()
    if _has_alpha(image):
        image = image.convert("RGBA")
        image.thumbnail((AVATAR_SIDE, AVATAR_SIDE))
        image.save(out, format="PNG", optimize=True)
        extension = "png"
    else:
        image = image.convert("RGB")
        image.thumbnail((AVATAR_SIDE, AVATAR_SIDE))
        image.save(out, format="JPEG", quality=85, optimize=True)
        extension = "jpg"
    return ProcessedAvatar(
        name=f"{uuid.uuid4().hex}.{extension}",
        content=ContentFile(out.getvalue()),
        width=image.width,
        height=image.height,
    )
