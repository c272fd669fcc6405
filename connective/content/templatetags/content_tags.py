"""Template tags of the content app: the composer that sits on top of the home stream."""

import secrets

from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from connective.content.forms import form_class_for
from connective.content.views.compose import composer_context

register = template.Library()

# The composer is the same for everyone but for the CSRF token: it is rendered once per kind
# and page (its form widgets are most of an empty home page's rendering time) with a
# placeholder that each request replaces with its own token.
_CSRF_PLACEHOLDER = f"csrf-{secrets.token_hex(16)}"
_PANELS: dict[tuple[str, str, str], str] = {}
_PANELS_MAX = 64


def _panel(kind: str | None, next_url: str) -> str:
    """The composer panel's HTML with the CSRF placeholder, rendered on first use."""
    kind = form_class_for(kind).kind  # any unknown value is a note: one slot, not many
    slot = (get_script_prefix(), kind, next_url)
    html = _PANELS.get(slot)
    if html is None:
        values = composer_context(kind, tab_param="compose", next_url=next_url)
        values.update(csrf_token=_CSRF_PLACEHOLDER, on_stream=True)
        html = render_to_string("content/_composer_panel.html", values)
        if settings.DEBUG:  # templates may change under a development server
            return html
        if len(_PANELS) >= _PANELS_MAX:
            _PANELS.clear()
        _PANELS[slot] = html
    return html


@register.simple_tag(takes_context=True)
def composer(context: template.Context) -> SafeString:
    """The composer for the kind chosen with `?compose=` on the current page (a note at first)."""
    request = context["request"]
    html = _panel(request.GET.get("compose"), request.path)
    # The page's own lazy token (the logout form in the header uses the same one), so the
    # secret is masked once per page.
    token = context.get("csrf_token") or get_token(request)
    # Our own template's output, escaped when it was rendered; the token is escaped here.
    return mark_safe(html.replace(_CSRF_PLACEHOLDER, escape(str(token))))
