"""Admin for posts and useful marks."""

from django.contrib import admin

from connective.content.models import Post, Useful
from connective.core.forms import ASSUME_HTTPS


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    """Posts of every kind."""

    formfield_overrides = ASSUME_HTTPS
    list_display = [
        "__str__",
        "author",
        "kind",
        "visibility",
        "licence",
        "created_at",
        "deleted_at",
    ]
    list_filter = ["kind", "visibility", "licence"]
    search_fields = ["title", "body", "uri"]
    raw_id_fields = ["author", "in_reply_to", "thread_root", "mentions"]
    filter_horizontal = ["topics"]
    date_hierarchy = "created_at"


@admin.register(Useful)
class UsefulAdmin(admin.ModelAdmin):
    """Useful marks."""

    list_display = ["person", "post", "created_at"]
    raw_id_fields = ["person", "post"]
