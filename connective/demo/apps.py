"""The demo community: about 40 people learning about education, loaded by `connective demo`."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Top layer: builds the demo through every app's services."""

    name = "connective.demo"
    label = "demo"
