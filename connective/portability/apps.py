"""Taking the network away: export, import, account migration and deletion."""

from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    """The portability app."""

    name = "connective.portability"
    label = "portability"
    verbose_name = "Portability"

    def ready(self) -> None:
        """Jobs a dead worker left behind are picked up again by the worker's clock."""
        from connective.core import periodic
        from connective.portability.services.jobs import resume_stalled

        periodic.register("portability.resume_stalled", resume_stalled, every=60)
