"""Courses URLs."""

from django.urls import URLPattern, URLResolver, path

from connective.courses.views import authoring, authoring_removal, learning, team

app_name = "courses"
urlpatterns: list[URLPattern | URLResolver] = [
    path("courses/", learning.index, name="index"),
    path("courses/new/", authoring.new, name="new"),
    path("courses/<slug:slug>/", learning.course, name="course"),
    path("courses/<slug:slug>/enrol/", learning.enrol_view, name="enrol"),
    path("courses/<slug:slug>/unenrol/", learning.unenrol_view, name="unenrol"),
    path("courses/<slug:slug>/activities/<int:pk>/done/", learning.done, name="done"),
    path("courses/<slug:slug>/activities/<int:pk>/undo/", learning.undo, name="undo"),
    path("courses/<slug:slug>/edit/", authoring.edit, name="edit"),
    path("courses/<slug:slug>/publish/", authoring.publish, name="publish"),
    path("courses/<slug:slug>/remove/", authoring_removal.remove_course, name="remove"),
    path("courses/<slug:slug>/members/", authoring.add_member, name="add_member"),
    path("courses/<slug:slug>/units/new/", authoring.unit_form, name="unit_new"),
    path("courses/<slug:slug>/units/<int:pk>/", authoring.unit_form, name="unit_edit"),
    path(
        "courses/<slug:slug>/units/<int:pk>/delete/",
        authoring_removal.unit_delete,
        name="unit_delete",
    ),
    path(
        "courses/<slug:slug>/units/<int:unit_pk>/activities/<int:pk>/delete/",
        authoring_removal.activity_delete,
        name="activity_delete",
    ),
    path(
        "courses/<slug:slug>/units/<int:unit_pk>/activities/new/",
        authoring.activity_form,
        name="activity_new",
    ),
    path(
        "courses/<slug:slug>/units/<int:unit_pk>/activities/<int:pk>/",
        authoring.activity_form,
        name="activity_edit",
    ),
    path("courses/<slug:slug>/team/", team.overview, name="team"),
    path("courses/<slug:slug>/team/<int:pk>/revoke/", team.revoke, name="revoke"),
]
