"""Feeds URLs: the settings page, OPML, re-sharing items, and feeds out (RSS and Atom)."""

from django.urls import URLPattern, URLResolver, path

from connective.feeds.views import items, subscriptions, syndication

app_name = "feeds"
urlpatterns: list[URLPattern | URLResolver] = [
    path("settings/feeds/", subscriptions.settings_page, name="settings"),
    path("settings/feeds/follow/", subscriptions.subscribe_view, name="subscribe"),
    path("settings/feeds/<int:pk>/pause/", subscriptions.pause, name="pause"),
    path(
        "settings/feeds/<int:pk>/unsubscribe/", subscriptions.unsubscribe_view, name="unsubscribe"
    ),
    path("settings/feeds/opml/import/", subscriptions.opml_import, name="opml_import"),
    path("settings/feeds/opml/import/<int:pk>/", subscriptions.opml_job, name="opml_job"),
    path("settings/feeds/opml/export/", subscriptions.opml_export, name="opml_export"),
    path("posts/<int:pk>/reshare/", items.reshare_view, name="reshare"),
    path("web/<int:pk>/", items.item_page, name="item"),
    path("web/<int:pk>/act/", items.item_act, name="item_act"),
    path("web/<int:pk>/reshare/", items.item_reshare, name="item_reshare"),
    *syndication.urlpatterns,
]
