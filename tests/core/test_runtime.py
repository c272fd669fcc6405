"""A web process settles before its first request: shared things loaded, then frozen."""

from __future__ import annotations

import gc
import importlib

import pytest
from django.template.loader import get_template

from connective.core.runtime import our_templates, settle


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_settle_freezes_what_loading_made(unfrozen):
    assert gc.get_freeze_count() == 0
    settle()
    assert gc.get_freeze_count() > 50_000
    assert len(gc.get_objects()) < gc.get_freeze_count() / 5


def test_the_wsgi_application_settles_once_loaded(unfrozen):
    import connective.wsgi

    gc.unfreeze()
    importlib.reload(connective.wsgi)
    assert gc.get_freeze_count() > 50_000


def test_every_template_of_ours_is_listed_and_loads():
    names = our_templates()
    assert {"search/index.html", "discovery/experts.html", "404.html"} <= set(names)
    assert len(names) >= 100
    for name in names:
        get_template(name)
