"""Admin for connections, blocks and mutes."""

from django.contrib import admin

from connective.core.forms import ASSUME_HTTPS
from connective.network.models import Block, Connection, Mute


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    """Connections with their purpose."""

    formfield_overrides = ASSUME_HTTPS
    list_display = ["owner", "target", "direction", "status", "created_at", "last_interaction_at"]
    list_filter = ["direction", "status"]
    raw_id_fields = ["owner", "target"]
    filter_horizontal = ["topics"]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    """Blocks."""

    list_display = ["owner", "target", "created_at"]
    raw_id_fields = ["owner", "target"]


@admin.register(Mute)
class MuteAdmin(admin.ModelAdmin):
    """Mutes."""

    list_display = ["owner", "target", "created_at"]
    raw_id_fields = ["owner", "target"]
