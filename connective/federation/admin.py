"""Federation in the Django admin: domain blocks, reports, and what came in and went out."""

from django.contrib import admin

from connective.core.forms import ASSUME_HTTPS
from connective.federation.models import (
    Delivery,
    DomainBlock,
    HostHealth,
    InboxActivity,
    InboxHealth,
    Report,
)


@admin.register(DomainBlock)
class DomainBlockAdmin(admin.ModelAdmin):
    """Block or silence a whole domain; optionally refuse its media."""

    list_display = ["domain", "severity", "reject_media", "created_at"]
    list_filter = ["severity", "reject_media"]
    search_fields = ["domain", "reason"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Reports that arrived as Flag activities."""

    list_display = ["activity_id", "reporter", "target", "created_at", "resolved_at"]
    list_filter = ["resolved_at"]
    raw_id_fields = ["reporter", "target", "posts"]


@admin.register(InboxActivity)
class InboxActivityAdmin(admin.ModelAdmin):
    """Verified activities received, with the outcome of processing them."""

    list_display = ["type", "actor_uri", "state", "received_at"]
    list_filter = ["state", "type"]
    search_fields = ["activity_id", "actor_uri"]
    readonly_fields = ["activity_id", "actor_uri", "type", "raw", "received_at"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Outgoing deliveries, one per activity and inbox."""

    formfield_overrides = ASSUME_HTTPS
    list_display = ["activity_id", "inbox_url", "state", "attempts", "next_attempt_at"]
    list_filter = ["state"]
    search_fields = ["activity_id", "inbox_url"]
    raw_id_fields = ["sender"]


@admin.register(InboxHealth)
class InboxHealthAdmin(admin.ModelAdmin):
    """Remote inboxes that failed or are gone."""

    formfield_overrides = ASSUME_HTTPS
    list_display = ["url", "host", "failures", "gone_at", "last_success_at"]
    search_fields = ["url", "host"]


@admin.register(HostHealth)
class HostHealthAdmin(admin.ModelAdmin):
    """Remote hosts and their circuit breaker."""

    list_display = ["host", "consecutive_failures", "open_until", "last_success_at"]
    search_fields = ["host"]
