"""Admin for notifications."""

from django.contrib import admin

from connective.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Notifications, newest first."""

    list_display = ["recipient", "actor", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["recipient", "actor"]
