"""Our own line icons (20 px, in the text colour), written out once instead of a template each."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_PATHS: dict[str, str] = {
    "bell": (
        '<path d="M6 16.5V11a6 6 0 0 1 12 0v5.5l1.5 2h-15z"/><path d="M10 21a2.2 2.2 0 0 0 4 0"/>'
    ),
    "sliders": (
        '<path d="M4 7h9M17 7h3M4 17h3M11 17h9"/><circle cx="15" cy="7" r="2"/>'
        '<circle cx="9" cy="17" r="2"/>'
    ),
    "leave": '<path d="M10 4H5.5v16H10"/><path d="M15 8l4 4-4 4M19 12H9.5"/>',
    "connect": (
        '<circle cx="7" cy="8" r="3"/><circle cx="17" cy="16" r="3"/><path d="M9.5 10.2l5 3.6"/>'
        '<path d="M15 5.5h4v4"/><path d="M5 14.5v4h4"/>'
    ),
    "share": '<path d="M6 3.5h8l4 4v13H6z"/><path d="M14 3.5v4h4"/><path d="M9 12.5h6M9 16h4"/>',
    "find": (
        '<circle cx="10.5" cy="10.5" r="6"/><path d="M15 15l5 5"/><circle cx="10.5" cy="9" r="2"/>'
        '<path d="M7.2 14a3.6 3.6 0 0 1 6.6 0"/>'
    ),
    "licence": '<circle cx="12" cy="12" r="8.5"/><path d="M14.5 9.5a3.5 3.5 0 1 0 0 5"/>',
    "people": (
        '<circle cx="9" cy="8.5" r="3"/><path d="M3.5 19a5.5 5.5 0 0 1 11 0"/>'
        '<circle cx="17" cy="9.5" r="2.3"/><path d="M15.5 14.2a4.5 4.5 0 0 1 5.5 4.3"/>'
    ),
    "pen": '<path d="M4 20l1-4.5L15.5 5a2.1 2.1 0 0 1 3 3L8 18.5z"/><path d="M13.5 7l3 3"/>',
}
_SVG = (
    '<svg class="icon" width="20" height="20" viewBox="0 0 24 24" fill="none" '
    'stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" '
    'aria-hidden="true" focusable="false">{}</svg>'
)
# Decorative: the text beside an icon names it. Our own constant markup, so safe to mark.
ICONS: dict[str, SafeString] = {
    name: format_html(_SVG, mark_safe(paths)) for name, paths in _PATHS.items()
}


@register.simple_tag
def icon(name: str) -> SafeString:
    """`{% icon "bell" %}`: bell, sliders, leave, connect, share, find, licence, people or pen."""
    return ICONS.get(name) or format_html(_SVG, "")


_LOGO: list[SafeString] = []


@register.simple_tag
def logo() -> SafeString:
    """`{% logo %}`: our mark (web/_logo.svg), read once."""
    if _LOGO and not settings.DEBUG:
        return _LOGO[0]
    # Our own file, rendered without any context: nothing in it comes from a user.
    drawn = mark_safe(render_to_string("web/_logo.svg").strip())
    _LOGO[:] = [drawn]
    return drawn
