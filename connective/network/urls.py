"""My network, connecting with a purpose, requests, blocks and mutes."""

from django.urls import path

from connective.network.views import connect, manage, relations

app_name = "network"
urlpatterns = [
    path("network/", manage.index, name="index"),
    path("network/requests/", manage.requests, name="requests"),
    path("network/requests/<int:pk>/accept/", manage.accept, name="accept"),
    path("network/requests/<int:pk>/decline/", manage.decline, name="decline"),
    path("network/<int:pk>/edit/", connect.edit, name="edit"),
    path("network/<int:pk>/remove/", manage.remove, name="remove"),
    path("network/blocked/", relations.blocked, name="blocked"),
    path("connect/@<handle:handle>/", connect.connect, name="connect"),
    path("block/@<handle:handle>/", relations.block_view, name="block"),
    path("unblock/@<handle:handle>/", relations.unblock_view, name="unblock"),
    path("mute/@<handle:handle>/", relations.mute_view, name="mute"),
    path("unmute/@<handle:handle>/", relations.unmute_view, name="unmute"),
]
