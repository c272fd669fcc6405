"""Spaces URLs."""

from django.urls import URLPattern, URLResolver, path

from connective.spaces.views import deletion, moderation, spaces, threads

app_name = "spaces"
urlpatterns: list[URLPattern | URLResolver] = [
    path("spaces/", spaces.index, name="index"),
    path("spaces/new/", spaces.create, name="create"),
    path("spaces/<slug:slug>/", spaces.detail, name="space"),
    path("spaces/<slug:slug>/edit/", spaces.edit, name="edit"),
    path("spaces/<slug:slug>/delete/", deletion.delete, name="delete"),
    path("spaces/<slug:slug>/join/", spaces.join, name="join"),
    path("spaces/<slug:slug>/leave/", spaces.leave, name="leave"),
    path("spaces/<slug:slug>/follow/", spaces.follow, name="follow"),
    path("spaces/<slug:slug>/members/", moderation.members, name="members"),
    path("spaces/<slug:slug>/members/<int:person_id>/", moderation.member, name="member"),
    path("spaces/<slug:slug>/log/", moderation.log, name="log"),
    path("spaces/<slug:slug>/threads/new/", threads.start, name="start"),
    path("spaces/<slug:slug>/threads/<int:pk>/", threads.detail, name="thread"),
    path("spaces/<slug:slug>/threads/<int:pk>/edit/", threads.edit, name="edit_thread"),
    path("spaces/<slug:slug>/threads/<int:pk>/reply/", threads.reply, name="reply"),
    path("spaces/<slug:slug>/threads/<int:pk>/follow/", threads.follow, name="thread_follow"),
    path("spaces/<slug:slug>/threads/<int:pk>/moderate/", moderation.thread, name="moderate"),
    path("spaces/<slug:slug>/posts/<int:pk>/hide/", moderation.hide, name="hide"),
]
