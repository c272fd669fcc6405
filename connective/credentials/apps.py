"""Statements of participation: Open Badges 3.0 credentials, signed, verified, revoked."""

from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    """The credentials app."""

    name = "connective.credentials"
    label = "credentials"
    verbose_name = "Credentials"
