"""Discovery URLs."""

from django.urls import URLPattern, URLResolver

app_name = "discovery"
urlpatterns: list[URLPattern | URLResolver] = []
