"""In-app notifications: new connection, reply, mention, useful mark."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Sits just above accounts so that every domain app can notify."""

    name = "connective.notifications"
    label = "notifications"
