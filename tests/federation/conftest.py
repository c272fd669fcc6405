"""What every federation test starts without."""

import pytest

from connective.federation.services import known_keys


@pytest.fixture(autouse=True)
def _no_keys_kept_between_tests():
    """The inbox's per-process key table (known_keys) holds rows of earlier tests' databases:
    the same peer, with another key, may come back in the next test."""
    known_keys.clear()
    yield
    known_keys.clear()
