"""Fixtures for account tests: a clean cache (allauth keeps rate limits there), pictures."""

import io

import pytest
from django.core.cache import cache
from PIL import Image


@pytest.fixture(autouse=True)
def _clean_cache():
    """allauth counts attempts in the cache; each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (800, 600), mode: str = "RGB") -> bytes:
    """A small picture in `fmt`, made here."""
    out = io.BytesIO()
    Image.new(mode, size, color=(40, 90, 160) if mode == "RGB" else None).save(out, format=fmt)
    return out.getvalue()
