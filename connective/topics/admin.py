"""Admin for topics."""

from django.contrib import admin

from connective.topics.models import Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    """Topics by key."""

    list_display = ["name", "key", "created_at"]
    search_fields = ["name", "key"]
