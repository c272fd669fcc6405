"""The home stream."""

from django.urls import path

from connective.stream.views import home

app_name = "stream"
urlpatterns = [
    path("home/", home.home, name="home"),
]
