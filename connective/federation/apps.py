"""ActivityPub: WebFinger, NodeInfo, actors, signatures, inbox, outbox and delivery."""

from django.apps import AppConfig


class FederationConfig(AppConfig):
    """The federation app."""

    name = "connective.federation"
    label = "federation"
    verbose_name = "Federation"
