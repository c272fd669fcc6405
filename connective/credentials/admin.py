"""Credentials in the Django admin: statements (read-only, revocable) and issuer keys."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from connective.core.forms import ASSUME_HTTPS
from connective.credentials.models import IssuerKey, Statement
from connective.credentials.services.issuing import revoke


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    """Statements are signed documents: shown, never edited; revoked through the service."""

    formfield_overrides = ASSUME_HTTPS
    list_display = ["achievement_name", "recipient", "issued_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["achievement_name", "recipient__handle", "source_uri", "public_id"]
    raw_id_fields = ["recipient", "revoked_by"]
    actions = ["revoke_selected"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(
        description="Revoke the selected statements (reason: revoked by an administrator)"
    )
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[Statement]) -> None:
        person = getattr(request.user, "person", None)
        for statement in queryset.filter(revoked_at__isnull=True):
            revoke(statement, "Revoked by an administrator", by=person)
        messages.success(request, "Revoked.")


@admin.register(IssuerKey)
class IssuerKeyAdmin(admin.ModelAdmin):
    """Keys are managed with `connective issuer_keys`; the admin only shows them."""

    list_display = ["kid", "algorithm", "created_at", "retired_at", "withdrawn_at"]
    exclude = ["private_key_pem"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
