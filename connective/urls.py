"""The root URL map: only includes."""

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, register_converter

from connective.core.converters import HandleConverter, ProfileTabConverter, TopicKeyConverter

register_converter(HandleConverter, "handle")
register_converter(TopicKeyConverter, "topickey")
register_converter(ProfileTabConverter, "profiletab")

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("connective.web.urls")),
    path("", include("connective.stream.urls")),
    path("", include("connective.accounts.urls")),
    path("", include("connective.network.urls")),
    # Before content: /posts/<pk>/ answers ActivityPub clients there, and hands browsers on.
    path("", include("connective.federation.urls")),
    path("", include("connective.content.urls")),
    path("", include("connective.notifications.urls")),
    path("", include("connective.spaces.urls")),
    path("", include("connective.courses.urls")),
    path("", include("connective.credentials.urls")),
    path("", include("connective.feeds.urls")),
    path("", include("connective.search.urls")),
    path("", include("connective.discovery.urls")),
    path("", include("connective.portability.urls")),
]

if settings.SERVE_MEDIA:
    from connective.core.views import media

    urlpatterns += [path("media/<path:path>", media, name="media")]
