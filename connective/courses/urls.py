"""Courses URLs."""

from django.urls import URLPattern, URLResolver, path
from django.views.generic import TemplateView

app_name = "courses"
urlpatterns: list[URLPattern | URLResolver] = [
    # Replaced by the courses views; here so the navigation resolves.
    path("courses/", TemplateView.as_view(template_name="404.html"), name="index"),
]
