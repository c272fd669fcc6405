"""Template helpers for showing people."""

from django import template

register = template.Library()


@register.filter
def initial(person) -> str:
    """The first letter or digit of a person's name (skipping bidi controls), else of the handle."""
    for text in (getattr(person, "display_name", ""), getattr(person, "handle", "")):
        for ch in text or "":
            if ch.isalnum():
                return ch.upper()
    return "?"
