"""What a web process does once the app is loaded, before its first request."""

from __future__ import annotations

import gc
import logging
from pathlib import Path

from django.apps import apps
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import get_resolver

log = logging.getLogger(__name__)


def settle() -> None:
    """Load what every request shares, then put it out of the garbage collector's reach.

    Loading (modules, models, settings, URL patterns, our templates compiled) makes about
    130,000 objects that live as long as the process. A full collection walks every tracked
    object, and scattered over the heap these cost 60-90 ms a collection on a small server: a
    stall a few requests in a hundred paid on top of their own time. Frozen (gc.freeze, as
    Python's documentation advises for servers), a full collection walks only what requests
    made: a few milliseconds. Nothing frozen is ever freed, which is right for what lives until
    the process ends. Templates and URL patterns are otherwise loaded by the first requests,
    after the freeze: they are loaded here first.
    """
    get_resolver().url_patterns  # noqa: B018 - imports every urls module
    for name in our_templates():
        try:
            get_template(name)
        except (TemplateDoesNotExist, TemplateSyntaxError) as exc:  # its pages will say so
            log.warning("template %s does not load: %s", name, exc)
    gc.collect()
    gc.freeze()


def our_templates() -> list[str]:
    """The names of our apps' templates (app/templates/<name>)."""
    names = []
    for config in apps.get_app_configs():
        if not config.name.startswith("connective."):
            continue
        root = Path(config.path) / "templates"
        names += [p.relative_to(root).as_posix() for p in root.rglob("*.html")]
    return sorted(names)
