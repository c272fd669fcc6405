"""The baked badge image: a PNG we draw once, carrying a credential in an iTXt chunk."""

from __future__ import annotations

import io
from functools import cache

from openbadgeslib import baking
from PIL import Image, ImageDraw

SIZE = 256


@cache
def base_png() -> bytes:
    """The badge picture without a credential: a ribbon-less rosette in the site's accent colour."""
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, SIZE - 8, SIZE - 8), fill=(44, 93, 140, 255))
    draw.ellipse((28, 28, SIZE - 28, SIZE - 28), outline=(255, 255, 255, 255), width=6)
    # A check mark: the statement says the learner completed something.
    draw.line([(82, 132), (116, 166), (178, 96)], fill=(255, 255, 255, 255), width=16)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def baked_png(token: str) -> bytes:
    """The badge PNG with `token` in an `openbadgecredential` iTXt chunk (OB 3.0 baking)."""
    return baking.bake_png(base_png(), token, keyword=baking.ITXT_KEYWORD_OB3)
