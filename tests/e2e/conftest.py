"""Browser tests: Playwright drives Debian's Chromium against a live Connective server.

The `browser` and `page` fixtures live in tests/conftest.py, shared by every browser test.
"""

import os

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls our tests make
# between browser steps are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
