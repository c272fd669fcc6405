"""Credentials URLs."""

from django.urls import URLPattern, URLResolver

app_name = "credentials"
urlpatterns: list[URLPattern | URLResolver] = []
