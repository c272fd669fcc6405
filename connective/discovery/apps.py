"""Finding people and seeing the network: the expert finder, recommendations and the PLN map."""

from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    """The discovery app."""

    name = "connective.discovery"
    label = "discovery"
    verbose_name = "Discovery"

    def ready(self) -> None:
        """Tell network who asked not to be suggested ("Suggest me to others" off), so its
        "people to start with" leave them out; network may not import discovery."""
        from connective.discovery.services.evidence_reads import opted_out
        from connective.network.services.listing import register_not_suggested

        register_not_suggested(opted_out)
