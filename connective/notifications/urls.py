"""The notification list."""

from django.urls import path

from connective.notifications.views import inbox

app_name = "notifications"
urlpatterns = [
    path("notifications/", inbox.index, name="index"),
    path("notifications/read/", inbox.mark_read, name="mark_read"),
]
