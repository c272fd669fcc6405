"""Feeds URLs."""

from django.urls import URLPattern, URLResolver

app_name = "feeds"
urlpatterns: list[URLPattern | URLResolver] = []
