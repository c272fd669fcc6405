"""Accounts: users and people (local and remote actors in one table), profiles."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Sits above topics; everything about a person that is not their network or content."""

    name = "connective.accounts"
    label = "accounts"
