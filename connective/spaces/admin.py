"""Spaces in the Django admin (read mostly: the pages and services do the work)."""

from django.contrib import admin

from connective.spaces.models import JoinRequest, Membership, ModerationAction, Space, Thread


class MembershipInline(admin.TabularInline):
    """Who belongs to a space, and who moderates it."""

    model = Membership
    raw_id_fields = ["person"]
    extra = 0


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    """Discussion spaces."""

    list_display = ["name", "slug", "members_only", "created_by", "last_activity_at"]
    list_filter = ["members_only"]
    search_fields = ["name", "slug", "description"]
    raw_id_fields = ["created_by"]
    readonly_fields = ["description_html", "uri", "created_at", "last_activity_at"]
    inlines = [MembershipInline]


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    """Threads: their space, first post, pin and last activity."""

    list_display = ["__str__", "space", "pinned_at", "last_activity_at"]
    raw_id_fields = ["space", "root"]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    """Requests to join members-only spaces."""

    list_display = ["person", "space", "created_at"]
    raw_id_fields = ["person", "space"]


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """The moderation log of every space (read only)."""

    list_display = ["created_at", "space", "moderator", "action", "person", "reason"]
    list_filter = ["action"]
    raw_id_fields = ["space", "moderator", "person", "post"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
