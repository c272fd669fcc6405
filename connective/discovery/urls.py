"""Discovery URLs: the expert finder, recommendations, the PLN map and its snapshots, settings."""

from django.urls import path

from connective.discovery.views import experts, pln_map, recommend, settings

app_name = "discovery"
urlpatterns = [
    path("experts/", experts.experts, name="experts"),
    path("discover/", recommend.discover, name="discover"),
    path("discover/not-interested/", recommend.not_interested, name="dismiss"),
    path("settings/discovery/", settings.discovery_settings, name="settings"),
    path("network/map/", pln_map.pln_map, name="map"),
    path("network/map/snapshots/", pln_map.snapshots, name="snapshots"),
    path("network/map/snapshots/<int:pk>/", pln_map.snapshot, name="snapshot"),
    path("network/map/snapshots/<int:pk>/map.svg", pln_map.snapshot_svg, name="snapshot_svg"),
    path(
        "network/map/snapshots/<int:pk>/public/", pln_map.snapshot_publish, name="snapshot_publish"
    ),
    path("network/map/snapshots/<int:pk>/delete/", pln_map.snapshot_delete, name="snapshot_delete"),
    path("network/map/public/<str:token>.svg", pln_map.snapshot_public, name="snapshot_public"),
]
