"""Search URLs."""

from django.urls import URLPattern, URLResolver, path

from connective.search.views import search

app_name = "search"
urlpatterns: list[URLPattern | URLResolver] = [
    path("search/", search.index, name="index"),
]
