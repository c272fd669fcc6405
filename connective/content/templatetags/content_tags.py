"""Template tags of the content app: the composer that sits on top of the home stream."""

from typing import Any

from django import template

from connective.content.views.compose import composer_context

register = template.Library()


@register.inclusion_tag("content/_composer_panel.html", takes_context=True)
def composer(context: template.Context) -> dict[str, Any]:
    """The composer for the kind chosen with `?compose=` on the current page (a note at first)."""
    request = context["request"]
    values = composer_context(
        request.GET.get("compose"), tab_param="compose", next_url=request.path
    )
    values.update(csrf_token=context.get("csrf_token"), on_stream=True)
    return values
