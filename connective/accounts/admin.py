"""Admin for users and people."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from connective.accounts.models import Person, PersonLink, User
from connective.core.forms import ASSUME_HTTPS

admin.site.register(User, UserAdmin)


class PersonLinkInline(admin.TabularInline):
    """A person's other places."""

    formfield_overrides = ASSUME_HTTPS
    model = PersonLink
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """Local and remote people."""

    formfield_overrides = ASSUME_HTTPS
    list_display = ["handle", "domain", "display_name", "created_at", "suspended_at"]
    list_filter = ["domain", "requires_approval", "discoverable"]
    search_fields = ["handle", "display_name", "uri"]
    raw_id_fields = ["user"]
    filter_horizontal = ["interests", "expertise", "followed_topics"]
    inlines = [PersonLinkInline]
