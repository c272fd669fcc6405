"""Finding people and seeing the network: the expert finder, recommendations and the PLN map."""

from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    """The discovery app."""

    name = "connective.discovery"
    label = "discovery"
    verbose_name = "Discovery"
