"""Infrastructure shared by every app; imports no domain app."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """html, uris, pagination, the outgoing HTTP client and the serve/worker commands."""

    name = "connective.core"
    label = "core"

    def ready(self) -> None:
        from connective.core import idlist, pgtimes

        idlist.register()
        pgtimes.register()
