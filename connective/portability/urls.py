"""Export and import under settings."""

from django.urls import path

from connective.portability.views import account, moving, pages

app_name = "portability"
urlpatterns = [
    path("settings/move/", pages.index, name="index"),
    path("settings/move/export/", pages.start_export, name="export"),
    path("settings/move/export/<int:pk>/", pages.export_status, name="export_status"),
    path("settings/move/export/<int:pk>/download/", pages.download, name="download"),
    path("settings/move/import/", pages.upload, name="upload"),
    path("settings/move/import/<int:pk>/", pages.import_detail, name="import"),
    path("settings/move/import/<int:pk>/confirm/", pages.confirm, name="confirm"),
    path("settings/move/unresolved/<int:pk>/forget/", pages.forget_unresolved, name="forget"),
    path("settings/move/delete/", account.delete, name="delete"),
    path("settings/move/aliases/", moving.aliases, name="aliases"),
    path("settings/move/aliases/forget/", moving.forget_alias, name="forget_alias"),
    path("settings/move/account/", moving.move, name="move"),
]
