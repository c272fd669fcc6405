"""Search URLs."""

from django.urls import URLPattern, URLResolver, path
from django.views.generic import TemplateView

app_name = "search"
urlpatterns: list[URLPattern | URLResolver] = [
    # Replaced by the search views; here so the navigation resolves.
    path("search/", TemplateView.as_view(template_name="404.html"), name="index"),
]
