"""A feed item's card, written in Python like the post cards (content.templatetags.card_tags).

An item nobody acted on is a FeedItem row, not a post: its card says where it comes from (the
feed, linking to the site), when, its title and sanitised summary, its licence, and offers what
one does with an item in a feed reader — read the original, mark it useful, reply, share it as
my own resource. Marking useful and replying make the item a post (services/materialize.py);
the card then becomes that post's card.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from connective.content.templatetags.card_tags import (
    FEED_TEASER_CHARS,
    Batch,
    esc,
    licence_html,
    page_batch,
    short_time,
    teaser,
)

register = template.Library()
BUTTON = "button--small button--secondary"


def _meta(item: Any, batch: Batch, item_url: str) -> str:
    """Which feed (linking to its site), "From the web", when (linking to the item's page)."""
    feed = item.feed
    site = feed.site_url or feed.url
    when = item.at.astimezone(batch.now.tzinfo)
    name, letter = esc(feed.name), esc(feed.name[:1].upper())
    return (
        '<div class="card__meta">\n'
        f'    <span class="avatar avatar--sm" aria-hidden="true">{letter}</span>\n'
        f'    <a href="{esc(site)}" rel="nofollow noopener noreferrer ugc"><bdi>{name}</bdi></a>\n'
        '    <span class="kind">From the web</span>\n'
        f'    <a class="muted" href="{item_url}"><time datetime="{when.isoformat()}">'
        f"{short_time(when, batch.now)}</time></a>\n  </div>"
    )


def _source(item: Any) -> str:
    """The item's licence (when its feed states one) and where the original lives."""
    label = licence_html(item)  # reads item.licence_info, as a post's label does
    out = f"{label} " if label else ""
    if item.link:
        out += (
            f'<a href="{esc(item.link)}" rel="nofollow noopener noreferrer ugc">'
            f"Read on {esc(item.link_domain)}</a>"
        )
    return f'\n  <p class="source">{out}</p>' if out else ""


def _actions(item: Any, batch: Batch) -> str:
    """Useful and Reply (a form: both make the item a post), and Share as a resource."""
    if batch.viewer is None:
        return ""
    act = esc(batch.url("feeds:item_act", "pk", item.pk))
    reshare = esc(batch.url("feeds:item_reshare", "pk", item.pk))
    return (
        '\n  <div class="card__footer">\n'
        f'    <form method="post" action="{act}" class="inline-form">'
        f"{batch.hidden_fields('card')}"
        f'<button type="submit" name="action" value="reply" class="{BUTTON}">Reply</button> '
        f'<button type="submit" name="action" value="useful" class="{BUTTON}">Useful</button>'
        "</form>\n"
        f'    <a href="{reshare}">Share as a resource</a>\n  </div>'
    )


def feed_item_card_html(item: Any, batch: Batch, full: bool = False, actions: bool = True) -> str:
    """One feed item as a card (`full`: on its own page, without the link to itself)."""
    item_url = esc(batch.url("feeds:item", "pk", item.pk))
    title = esc(item.title or item.link_domain or "Untitled")
    # On its own page the title is the page's heading; in a list, a link to that page.
    tag = "h1" if full else "h3"
    heading = title if full else f'<a href="{item_url}">{title}</a>'
    footer = _actions(item, batch) if actions else ""
    # body_html was sanitised by our one sanitiser when the item was stored (feeds.content).
    body = item.body_html
    if not full and len(body) > FEED_TEASER_CHARS:
        body = teaser(body)
    return (
        f'<article class="card card--resource card--web" id="item-{item.pk}" '
        f'aria-labelledby="item-{item.pk}-title">\n'
        f"  {_meta(item, batch, item_url)}\n"
        f'  <{tag} class="card__title" id="item-{item.pk}-title">{heading}</{tag}>{_source(item)}\n'
        f'  <div class="card__body">{body}</div>{footer}\n</article>\n'
    )


@register.simple_tag(takes_context=True)
def feed_item_card(context: Any, item: Any, full: bool = False, actions: bool = True) -> SafeString:
    """`{% feed_item_card item %}`: one item's card."""
    batch = page_batch(context)
    return mark_safe(feed_item_card_html(item, batch, bool(full), bool(actions)))
