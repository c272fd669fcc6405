"""The form renderer: the commonest widgets written in Python, the rest by Django's templates.

Django draws every widget through its template engine: a `<select>` of twelve licences is
thirty-odd template includes, 3 ms, more than the search page spends on its results' data. The
widgets below (text-like inputs, selects, text areas) are written here exactly as Django's own
templates write them (tests/core/test_renderer.py compares the two, escaping included, and checks
that no app of ours overrides those templates); any other template goes to Django's renderer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

WIDGETS = "django/forms/widgets/"
# Django's templates that are exactly `{% include "django/forms/widgets/input.html" %}`.
INPUT_KINDS = (
    "checkbox", "color", "date", "datetime", "email", "file", "hidden", "number", "password",
    "search", "tel", "text", "time", "url",
)  # fmt: skip


def _e(value: Any) -> str:
    """What `{{ value }}` (or `{{ value|stringformat:'s' }}`) prints: escaped unless safe."""
    return str(conditional_escape(value))


def render_attrs(attrs: Mapping[str, Any]) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, a bare ` name` for True, nothing for
    False."""
    return "".join(
        f" {_e(name)}" if value is True else f' {_e(name)}="{_e(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def render_input(widget: Mapping[str, Any]) -> str:
    """django/forms/widgets/input.html."""
    value = widget["value"]
    shown = "" if value is None else f' value="{_e(value)}"'
    return (
        f'<input type="{_e(widget["type"])}" name="{_e(widget["name"])}"{shown}'
        f"{render_attrs(widget['attrs'])}>"
    )


def render_select(widget: Mapping[str, Any]) -> str | None:
    """django/forms/widgets/select.html with its options; None when an option has a template
    of its own (then Django draws the whole select)."""
    parts = [f'<select name="{_e(widget["name"])}"{render_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_e(group_name)}">')
        for option in group_choices:
            if option["template_name"] != f"{WIDGETS}select_option.html":
                return None
            parts.append(
                f'\n  <option value="{_e(option["value"])}"{render_attrs(option["attrs"])}>'
                f"{_e(option['label'])}</option>\n"  # the option template's last newline
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def render_textarea(widget: Mapping[str, Any]) -> str:
    """django/forms/widgets/textarea.html."""
    text = _e(widget["value"]) if widget["value"] else ""
    attrs = render_attrs(widget["attrs"])
    return f'<textarea name="{_e(widget["name"])}"{attrs}>\n{text}</textarea>'


Writer = Callable[[Mapping[str, Any]], str | None]
WRITERS: dict[str, Writer] = {f"{WIDGETS}{kind}.html": render_input for kind in INPUT_KINDS}
WRITERS[f"{WIDGETS}select.html"] = render_select
WRITERS[f"{WIDGETS}textarea.html"] = render_textarea


class PythonWidgetsRenderer(DjangoTemplates):
    """Django's template renderer, with the widgets of WRITERS written in Python."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        writer = WRITERS.get(template_name)
        widget = context.get("widget") if writer is not None else None
        if writer is not None and isinstance(widget, Mapping):
            html = writer(widget)
            if html is not None:
                return mark_safe(html)  # every value escaped above  # noqa: S308
        return super().render(template_name, context, request)
