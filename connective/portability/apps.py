"""Taking the network away: export, import, account migration and deletion."""

from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    """The portability app."""

    name = "connective.portability"
    label = "portability"
    verbose_name = "Portability"
