"""Fixtures for spaces: an open space and a members-only one, both moderated by Ana."""

import pytest

from connective.spaces.services.spaces import create_space


@pytest.fixture
def space(ana):
    return create_space(ana, name="Open learning", description="About *open* learning.")


@pytest.fixture
def closed(ana):
    return create_space(ana, name="Staff room", members_only=True, topics=["teaching"])
