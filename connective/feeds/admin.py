"""Feeds in the Django admin: every feed with its health and fetch log; force a refresh."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from connective.core.forms import ASSUME_HTTPS
from connective.feeds.models import Feed, FetchLog, OpmlImport, Subscription


class FetchLogInline(admin.TabularInline):
    """The last polls of a feed."""

    model = FetchLog
    extra = 0
    can_delete = False
    fields = ("at", "outcome", "status_code", "error", "new_items", "updated_items", "size")
    readonly_fields = fields
    ordering = ("-at",)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    """Feeds with their health; "refresh now" polls the chosen ones at once."""

    formfield_overrides = ASSUME_HTTPS
    list_display = ("feed_name", "status", "failure_count", "last_error", "last_success_at")
    list_filter = ("status",)
    search_fields = ("url", "title")
    readonly_fields = (
        "source",
        "etag",
        "last_modified",
        "last_polled_at",
        "last_success_at",
        "last_new_item_at",
        "not_modified_count",
        "claimed_until",
        "created_at",
    )
    inlines = [FetchLogInline]
    actions = ["refresh_now"]

    @admin.display(description="feed", ordering="title")
    def feed_name(self, obj: Feed) -> SafeString:
        """The feed's name isolated (<bdi>): a right-to-left title stays within its cell."""
        return format_html("<bdi>{}</bdi>", obj.name)

    @admin.action(description="Refresh now (poll at the worker's next turn)")
    def refresh_now(self, request: HttpRequest, queryset: QuerySet[Feed]) -> None:
        from connective.feeds.tasks import poll_feed_task

        ids = list(queryset.values_list("pk", flat=True)[:100])
        Feed.objects.filter(pk__in=ids).update(next_poll_at=timezone.now(), claimed_until=None)
        for pk in ids:
            poll_feed_task.enqueue(pk)
        self.message_user(request, f"{len(ids)} feed(s) queued for a refresh.", messages.SUCCESS)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Who follows what."""

    list_display = ("person", "feed_name", "paused", "own_blog", "created_at")
    list_select_related = ("person", "feed")
    list_filter = ("paused", "own_blog")
    raw_id_fields = ("person", "feed", "attached_person", "topic")

    @admin.display(description="feed")
    def feed_name(self, obj: Subscription) -> SafeString:
        """The name I follow it by, isolated (<bdi>)."""
        return format_html("<bdi>{}</bdi>", obj.name)


@admin.register(OpmlImport)
class OpmlImportAdmin(admin.ModelAdmin):
    """OPML imports and their results."""

    list_display = ("person", "status", "total", "created_at", "finished_at")
    readonly_fields = ("results", "outlines")
    raw_id_fields = ("person",)
