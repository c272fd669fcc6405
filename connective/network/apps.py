"""The learning network: connections with a purpose, blocks and mutes."""

from django.apps import AppConfig


class NetworkConfig(AppConfig):
    """Sits above accounts and notifications; content builds on it (visibility)."""

    name = "connective.network"
    label = "network"
