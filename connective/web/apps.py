"""The web shell: base templates, the stylesheet, shared partials, the landing page."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    """Presentation shared by every app; holds no models."""

    name = "connective.web"
    label = "web"
