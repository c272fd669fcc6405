"""Spaces URLs."""

from django.urls import URLPattern, URLResolver, path
from django.views.generic import TemplateView

app_name = "spaces"
urlpatterns: list[URLPattern | URLResolver] = [
    # Replaced by the spaces views; here so the navigation resolves.
    path("spaces/", TemplateView.as_view(template_name="404.html"), name="index"),
    # Replaced by the spaces views; here so that Space.get_absolute_url resolves.
    path("spaces/<slug:slug>/", TemplateView.as_view(template_name="404.html"), name="space"),
]
