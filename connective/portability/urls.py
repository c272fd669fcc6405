"""Portability URLs."""

from django.urls import URLPattern, URLResolver

app_name = "portability"
urlpatterns: list[URLPattern | URLResolver] = []
