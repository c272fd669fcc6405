"""A search result written in Python, as the stream's cards are (content/templatetags/card_tags.py).

Twenty results drawn through `{% include %}`, each with its own context, avatar and chip
partials, were a third of a search page's time. Every value goes through `esc`, except the
highlighted title and snippet, which the search service escaped before marking the matches.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from connective.content.templatetags.card_tags import avatar_html, chips_html, esc, licence_html
from connective.search.models import DocKind, Source
from connective.search.services.query import Hit

register = template.Library()
MAX_CHIPS = 5


@register.simple_tag
def search_result(hit: Hit) -> SafeString:
    """One result as an <article> card: a person, or a post, feed item, space or course."""
    body = _person(hit) if hit.kind == DocKind.PERSON else _item(hit)
    css = f"card search-result search-result--{esc(hit.kind)}"
    return mark_safe(f'<article class="{css}">{body}</article>')


def _snippet(hit: Hit) -> str:
    return f'<p class="search-result__snippet">{hit.snippet_html}</p>' if hit.snippet_html else ""


def _person(hit: Hit) -> str:
    person = hit.obj
    helping = chips_html(list(person.expertise.all())[:MAX_CHIPS], "helping", "Can help with")
    learning = chips_html(list(person.interests.all())[:MAX_CHIPS], "learning", "Learning")
    return (
        f'<div class="person">{avatar_html(person)}<div>'
        f'<a class="person__name" href="{esc(person.get_absolute_url())}">'
        f"<bdi>{esc(person.name)}</bdi></a>"
        f' <span class="handle">@{esc(person.path_handle)}</span>'
        f"{_snippet(hit)}{helping}{learning}</div></div>"
    )


def _item(hit: Hit) -> str:
    """A post, feed item, space or course: kind, byline, title, licence and site, snippet."""
    obj = hit.obj
    domain = getattr(obj, "link_domain", "") or ""
    source = licence_html(obj) if getattr(obj, "licence_info", None) else ""
    if domain:
        source += f" <span>{esc(domain)}</span>"
    if source:
        source = f'<p class="source">{source}</p>'
    kind = f'<span class="kind">{esc(hit.kind_label)}</span>'
    return (
        f'<div class="card__meta">{kind}{_byline(hit)}</div>'
        f'<h3 class="card__title"><a href="{esc(obj.get_absolute_url())}">{_title(hit)}</a></h3>'
        f"{source}{_snippet(hit)}"
    )


def _byline(hit: Hit) -> str:
    """Who and when (a feed's name for its items), or "Members only" for a closed space."""
    obj = hit.obj
    if hit.kind == DocKind.SPACE:
        return ' <span class="muted">Members only</span>' if obj.members_only else ""
    if hit.doc.source == Source.FEED_ITEM:
        feed = obj.feed
        return (
            f' <a href="{esc(feed.site_url or feed.url)}" rel="nofollow noopener noreferrer ugc">'
            f"<bdi>{esc(feed.name)}</bdi></a> {_time(obj.at)}"
        )
    if hit.kind == DocKind.COURSE:
        return ""
    author = obj.author
    return (
        f' <a href="{esc(author.get_absolute_url())}"><bdi>{esc(author.name)}</bdi></a>'
        f" {_time(obj.created_at)}"
    )


def _title(hit: Hit) -> str:
    if hit.doc.title:
        return str(hit.title_html)
    if hit.doc.source == Source.FEED_ITEM:
        return esc(hit.obj.link_domain or "Untitled")
    author: Any = getattr(hit.obj, "author", None)
    name = f" by <bdi>{esc(author.name)}</bdi>" if author is not None else ""
    return f"{esc(hit.kind_label)}{name}"


def _time(when: datetime) -> str:
    """<time> with the ISO date and "29 Nov 2026", in the site's time zone."""
    local = timezone.localtime(when)
    return f'<time datetime="{local.isoformat()}">{local.day} {local:%b} {local.year}</time>'
