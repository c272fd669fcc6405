"""Post cards, avatars, topic chips and licence labels written in Python.

A card drawn through `{% include %}` cost a template lookup, a new context and a dozen filters;
twenty of them were a third of the home page's time (docs/performance.md). These helpers write
the same markup with f-strings in which every value goes through `esc` (the escaping Django's
own `escape` does), except `body_html`, which was sanitised when the post was saved. The shared
partials (`_post_card.html`, `_avatar.html`, `_chips.html`, `_licence.html`) call them too, so a
card looks the same on every page.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from html import escape as _html_escape
from html import unescape
from operator import attrgetter
from time import monotonic
from typing import Any, NamedTuple

from django import template
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from connective.accounts.templatetags.people_tags import initial
from connective.accounts.viewer import viewer_person
from connective.content.models import Kind, Post, Visibility
from connective.content.services.boosts import boosted_ids, can_boost

register = template.Library()

ARTICLE_TEASER_WORDS = 60
# A feed item's HTML longer than this is shown in lists as its first words (a full-text feed
# would otherwise fill the stream with one post); shorter summaries keep their markup.
FEED_TEASER_CHARS = 1200
AVATAR_PIXELS = {"lg": 96, "sm": 28, "": 40}
KIND_LABELS: dict[str, str] = dict(Kind.choices)
VISIBILITY_LABELS: dict[str, str] = dict(Visibility.choices)

# Rendered cards by everything they show (post_card_html); cleared when full.
_CARDS: dict[tuple, str] = {}
_CARDS_MAX = 4096
_CARD_POST_FIELDS = (
    "pk",
    "kind",
    "title",
    "body_html",
    "link_url",
    "file_name",
    "licence",
    "visibility",
    "reply_count",
    "useful_count",
)


_post_shown = attrgetter(*_CARD_POST_FIELDS)
_author_shown = attrgetter("pk", "handle", "domain", "display_name", "actor_type")


# Space names and addresses for "in <space>", by space id, kept a few minutes (renames are rare).
_SPACES: dict[int, tuple[float, str, str]] = {}
_SPACE_TTL = 300.0


def space_label(post: Post) -> tuple[str, str] | None:
    """(name, URL) of the space a post belongs to, or None."""
    if not post.space_id:
        return None
    hit = _SPACES.get(post.space_id)
    now = monotonic()
    if hit is None or hit[0] < now:
        space = post.space
        if space is None:
            return None
        if len(_SPACES) >= _CARDS_MAX:
            _SPACES.clear()
        hit = _SPACES[post.space_id] = (now + _SPACE_TTL, space.name, space.get_absolute_url())
    return hit[1], hit[2]


class _Label(NamedTuple):
    key: str
    name: str


# Reversed URLs, by script prefix: a URL pattern does not change while the process runs.
_URLS: dict[tuple[str, str, str], str] = {}
_URLS_MAX = 20_000


def esc(value: object) -> str:
    """HTML-escape a value for text or a quoted attribute (& < > " ')."""
    return _html_escape(str(value), quote=True)


def cached_url(name: str, key: str, value: str | int, prefix: str | None = None) -> str:
    """reverse(name, kwargs={key: value}), remembered (URL patterns are fixed at start-up).

    `prefix` is the script prefix when the caller already has it (it is read per request).
    """
    slot = (get_script_prefix() if prefix is None else prefix, name, f"{key}={value}")
    url = _URLS.get(slot)
    if url is None:
        url = reverse(name, kwargs={key: value})
        if len(_URLS) >= _URLS_MAX:
            _URLS.clear()
        _URLS[slot] = url
    return url


@register.simple_tag
def fixed_url(name: str) -> str:
    """`{% fixed_url "stream:home" %}`: a URL without arguments, reversed once per prefix."""
    prefix = get_script_prefix()
    slot = (prefix, name, "")
    url = _URLS.get(slot)
    if url is None:
        url = _URLS[slot] = reverse(name)
    return url


class Batch:
    """What every card of one page shares: the time now (local), the script prefix and, given
    the request, the viewer with what their Boost buttons need (CSRF token, boosts made)."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        self.now = timezone.localtime()
        self.prefix = get_script_prefix()
        self.request = request
        self.viewer = viewer_person(request) if request is not None else None
        self.boosted: dict[int, bool] = {}
        self.page: list[Post] = []  # the list the cards belong to (for has_boosted)
        self._token = ""
        self._hidden: dict[tuple[str, str], str] = {}

    def csrf_token(self) -> str:
        """The request's CSRF token (one per page)."""
        if not self._token and self.request is not None:
            self._token = get_token(self.request)
        return self._token

    def hidden_fields(self, where: str, back: str = "") -> str:
        """The toggle's fixed fields (token, where, the way back), built once a page."""
        slot = (where, back)
        html = self._hidden.get(slot)
        if html is None:
            if not back and self.request is not None:
                back = self.request.get_full_path()
            html = self._hidden[slot] = (
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(self.csrf_token())}">'
                f'<input type="hidden" name="where" value="{esc(where)}">'
                f'<input type="hidden" name="next" value="{esc(back)}">'
            )
        return html

    def has_boosted(self, post: Post, page: Iterable[Post] = ()) -> bool:
        """Whether the viewer boosts `post`; the first ask loads the answer for `page` too."""
        if post.pk not in self.boosted:
            ids = {post.pk, *(p.pk for p in page if p.pk not in self.boosted)}
            mine = boosted_ids(self.viewer, ids)
            self.boosted.update({pk: pk in mine for pk in ids})
        return self.boosted[post.pk]

    def url(self, name: str, key: str, value: str | int) -> str:
        """A reversed URL, remembered."""
        return cached_url(name, key, value, self.prefix)


def short_time(when: datetime, now: datetime | None = None) -> str:
    """When something was posted, briefly: "just now", "5 min ago", "3 h ago", "21 Nov".

    Within a day, how long ago; after that, the date (in `now`'s time zone), with its year when
    it is not this year.
    """
    now = now or timezone.localtime()
    age = now - when
    if age < timedelta(minutes=1):
        return "just now"
    if age < timedelta(hours=1):
        return f"{age.seconds // 60} min ago"
    if age < timedelta(days=1):
        return f"{age.seconds // 3600} h ago"
    local = when.astimezone(now.tzinfo)
    day = f"{local.day} {local:%b}"
    return day if local.year == now.year else f"{day} {local.year}"


def avatar_html(person, size: str = "") -> str:
    """A person's picture, or their initial in a circle; decorative (the name is beside it)."""
    size = size if size in AVATAR_PIXELS else ""
    css = f"avatar avatar--{size}" if size else "avatar"
    if person.avatar:
        px = AVATAR_PIXELS[size]
        src = esc(person.avatar.url)
        return f'<img class="{css}" src="{src}" alt="" width="{px}" height="{px}">'
    return f'<span class="{css}" aria-hidden="true">{esc(initial(person))}</span>'


def chips_html(
    topics: Iterable[Any], variant: str = "", label: str = "", batch: Batch | None = None
) -> str:
    """Topic chips as a list of links; empty when there are no topics."""
    prefix = batch.prefix if batch else get_script_prefix()
    css = f"chip chip--{esc(variant)}" if variant else "chip"
    items = "".join(
        f'<li><a class="{css}" href="{esc(cached_url("web:topic", "key", t.key, prefix))}">'
        f"{esc(t.name)}</a></li>"
        for t in topics or ()
    )
    if not items:
        return ""
    labelled = f' aria-label="{esc(label)}"' if label else ""
    return f'<ul class="chips"{labelled}>{items}</ul>'


def licence_html(post: Post) -> str:
    """The licence of a resource as a short label, linking to its deed when it has one."""
    lic = post.licence_info
    if lic is None:
        return ""
    if lic.url:
        return (
            f'<a class="licence" href="{esc(lic.url)}" rel="license noopener" '
            f'title="{esc(lic.name)}">{esc(lic.label)}</a>'
        )
    return f'<span class="licence" title="{esc(lic.name)}">{esc(lic.label)}</span>'


def _meta(post: Post, post_url: str, batch: Batch, when: datetime, ago: str) -> str:
    """Who, what kind, when, where (a space) and for whom when it is not public."""
    author = post.author
    audience = ""
    # A feed's items are unlisted so that they stay out of listings; that is not news to readers.
    if post.visibility != Visibility.PUBLIC and author.actor_type != "Feed":
        label = VISIBILITY_LABELS.get(post.visibility, post.visibility)
        audience = f'\n    <span class="muted">· {esc(label)}</span>'
    space = space_label(post)
    if space:
        name, url = esc(space[0]), esc(space[1])
        audience += f'\n    <span class="muted">in <a href="{url}"><bdi>{name}</bdi></a></span>'
    profile = esc(batch.url("web:profile", "handle", author.path_handle))
    # A post made of a feed item (someone acted on it) reads as the item did.
    kind = "From the web" if author.actor_type == "Feed" else KIND_LABELS.get(post.kind, post.kind)
    return (
        f'<div class="card__meta">\n    {avatar_html(author, "sm")}\n'
        f'    <a href="{profile}"><bdi>{esc(author.name)}</bdi></a>\n'
        f'    <span class="kind">{esc(kind)}</span>\n'
        f'    <a class="muted" href="{post_url}"><time datetime="{when.isoformat()}">'
        f"{ago}</time></a>{audience}\n  </div>"
    )


def _heading(post: Post, post_url: str) -> str:
    """The title as a link, or a heading for screen readers when the post has none."""
    if post.title:
        return (
            f'<h3 class="card__title" id="post-{post.pk}-title">'
            f'<a href="{post_url}">{esc(post.title)}</a></h3>'
        )
    kind = esc(KIND_LABELS.get(post.kind, post.kind))
    return (
        f'<h3 class="visually-hidden" id="post-{post.pk}-title">'
        f"{kind} by <bdi>{esc(post.author.name)}</bdi></h3>"
    )


def _source(post: Post, batch: Batch) -> str:
    """A resource's licence, where it lives and its file."""
    if post.kind != Kind.RESOURCE:
        return ""
    out = f'\n  <p class="source">{licence_html(post)}'
    if post.link_url:
        out += (
            f' <a href="{esc(post.link_url)}" rel="nofollow noopener noreferrer ugc">'
            f"{esc(post.link_domain)}</a>"
        )
    if post.file:
        url = esc(batch.url("content:download", "pk", post.pk))
        out += f' <a href="{url}">Download {esc(post.file_name)}</a>'
    return out + "</p>"


def _body(post: Post, full: bool) -> str:
    """The sanitised body; in a list, an article, and a long item of a feed, shows its first
    words as plain text."""
    if not full and (
        post.kind == Kind.ARTICLE
        or (post.author.actor_type == "Feed" and len(post.body_html) > FEED_TEASER_CHARS)
    ):
        return teaser(post.body_html)
    # body_html was rendered from Markdown and sanitised (core.html) when the post was saved.
    return post.body_html


def teaser(html: str) -> str:
    """The first words of sanitised HTML as escaped plain text, with " …" when cut."""
    text = unescape(strip_tags(html))
    return esc(Truncator(text).words(ARTICLE_TEASER_WORDS, truncate=" …"))


def _footer(post: Post, post_url: str) -> str:
    """Replies (or a link to reply) and, for a resource, how many found it useful."""
    count = post.reply_count
    replies = f"{count} repl{'y' if count == 1 else 'ies'}" if count else "Reply"
    useful = ""
    if post.kind == Kind.RESOURCE and post.useful_count:
        useful = f"\n    <span>{post.useful_count} found this useful</span>"
    return f'<div class="card__footer">\n    <a href="{post_url}">{replies}</a>{useful}\n  </div>'


def post_card_html(
    post: Post,
    topics: Iterable[Any] | None = None,
    full: bool = False,
    batch: Batch | None = None,
) -> str:
    """One post as a card; its topics from `topics`, `post.topic_list` or `post.topics.all()`.

    A card is a pure function of what it shows, so a list's cards are kept (by everything they
    show, the time text included) and the same post on the next page view costs a lookup.
    """
    batch = batch or Batch()
    if topics is None:
        topics = getattr(post, "topic_list", None)
    if topics is None:
        topics = post.topics.all()
    labels = tuple((t.key, t.name) for t in topics)
    when = post.created_at.astimezone(batch.now.tzinfo)
    ago = short_time(when, batch.now)
    shown = (when.isoformat(), ago, labels, space_label(post), *_shown(post))
    key = None if full else (batch.prefix, *shown)
    html = _CARDS.get(key) if key else None
    if html is None:
        html = _card(post, labels, full, batch, when, ago)
        if key:
            if len(_CARDS) >= _CARDS_MAX:
                _CARDS.clear()
            _CARDS[key] = html
    return _per_viewer(html, post, batch)


def _per_viewer(html: str, post: Post, batch: Batch) -> str:
    """What a card shows beyond the post, outside the kept markup: who boosted it into this
    list, and the viewer's Boost button (in the footer)."""
    booster = getattr(post, "boosted_by", None)
    if booster is not None:
        head, rest = html.split("\n", 1)
        html = f"{head}\n  {boosted_by_html(booster, batch)}\n{rest}"
    if batch.viewer is not None and can_boost(post) and html.endswith(_FOOTER_END):
        form = boost_form_html(post, batch, batch.has_boosted(post, batch.page), "card")
        html = f"{html[: -len(_FOOTER_END)]}\n    {form}{_FOOTER_END}"
    return html


_FOOTER_END = "\n  </div>\n</article>\n"


def boosted_by_html(booster: Any, batch: Batch) -> str:
    """ "Boosted by <name>" above a card shown because someone boosted it."""
    profile = esc(batch.url("web:profile", "handle", booster.path_handle))
    return (
        f'<p class="meta card__boosted">Boosted by <a href="{profile}">'
        f"<bdi>{esc(booster.name)}</bdi></a></p>"
    )


def boost_form_html(post: Post, batch: Batch, boosted: bool, where: str, back: str = "") -> str:
    """The Boost toggle: a form that posts and comes back (`back`, else the page it is on, at
    the card: the view adds `#post-<id>`); with htmx it swaps itself (`where` = card) or the
    post page's boost block (`where` = page)."""
    url = esc(batch.url("content:boost", "pk", post.pk))
    target = f"#boost-{post.pk}" if where == "page" else "this"
    form_id = "" if where == "page" else f' id="boost-{post.pk}"'
    pressed = "true" if boosted else "false"
    css = "button--small" if boosted else "button--small button--secondary"
    return (
        f'<form method="post" action="{url}" class="inline-form boost-toggle"{form_id} '
        f'hx-post="{url}" '
        f'hx-target="{target}" hx-swap="outerHTML">{batch.hidden_fields(where, back)}'
        f'<input type="hidden" name="action" value="{"unboost" if boosted else "boost"}">'
        f'<button type="submit" class="{css}" aria-pressed="{pressed}" '
        f'title="Share with your network">Boost</button></form>'
    )


def _shown(post: Post) -> tuple:
    """Every field of a post and its author that its card shows (the cards' memo key)."""
    author = post.author
    return (
        _post_shown(post),
        post.file.name,
        _author_shown(author),
        author.avatar.name,
    )


def _card(post: Post, labels: tuple, full: bool, batch: Batch, when: datetime, ago: str) -> str:
    """The card's markup."""
    post_url = esc(batch.url("content:post", "pk", post.pk))
    topics = [_Label(key, name) for key, name in labels]
    chips = chips_html(topics, label="Topics", batch=batch)
    chips = f"{chips}\n  " if chips else ""
    return (
        f'<article class="card card--{esc(post.kind)}" id="post-{post.pk}" '
        f'aria-labelledby="post-{post.pk}-title">\n'
        f"  {_meta(post, post_url, batch, when, ago)}\n"
        f"  {_heading(post, post_url)}{_source(post, batch)}\n"
        f'  <div class="card__body">{_body(post, full)}</div>\n'
        f"  {chips}{_footer(post, post_url)}\n</article>\n"
    )


# Every tag below returns markup built from escaped values (see the module's docstring).


def page_batch(context: Any, posts: Iterable[Post] = ()) -> Batch:
    """The Batch of the request a template renders (kept on the request: one a page), knowing
    `posts` or, for cards drawn one by one, the `page` of the context."""
    request = context.get("request") if context is not None else None
    batch = getattr(request, "_card_batch", None)
    if batch is None:
        batch = Batch(request)
        if request is not None:
            request._card_batch = batch
    posts = list(posts) or list(getattr(context.get("page"), "items", None) or ())
    if posts:
        batch.page = posts
    return batch


@register.simple_tag(takes_context=True)
def post_card(context: Any, post: Post, full: bool = False) -> SafeString:
    """`{% post_card post %}`: one card."""
    batch = page_batch(context)
    return mark_safe(post_card_html(post, full=bool(full), batch=batch))


@register.simple_tag(takes_context=True)
def post_cards(context: Any, posts: Iterable[Post]) -> SafeString:
    """`{% post_cards page.items %}`: a list of cards, in order."""
    posts = list(posts)
    batch = page_batch(context, posts)
    return mark_safe("".join(post_card_html(post, batch=batch) for post in posts))


@register.simple_tag(takes_context=True)
def boost_control(context: Any, post: Post, back: str = "") -> SafeString:
    """`{% boost_control post %}`: the post page's Boost toggle (see _boost.html)."""
    batch = page_batch(context)
    if batch.viewer is None or not can_boost(post):
        return mark_safe("")
    boosted = bool(context.get("boosted"))
    return mark_safe(boost_form_html(post, batch, boosted, "page", back))


@register.simple_tag
def avatar(person, size: str = "") -> SafeString:
    """`{% avatar person "sm" %}`."""
    return mark_safe(avatar_html(person, size or ""))


@register.simple_tag
def chips(topics: Iterable[Any], variant: str = "", label: str = "") -> SafeString:
    """`{% chips topics variant="learning" label="Learning" %}`."""
    return mark_safe(chips_html(topics, variant or "", label or ""))


@register.simple_tag
def licence(post: Post) -> SafeString:
    """`{% licence post %}`: the licence label of a resource."""
    return mark_safe(licence_html(post))
