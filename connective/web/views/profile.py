"""The public profile page: who someone is, what they learn and help with, what they shared."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html

from connective.accounts.models import Person, PersonLink
from connective.accounts.services.people import person_by_path_handle
from connective.accounts.viewer import viewer_person
from connective.content.models import Kind, Post
from connective.core.htmx import is_htmx
from connective.core.pagination import BadCursor, Page, paginate
from connective.core.uris import site_host
from connective.credentials.models import Statement
from connective.federation.services.refresh import refresh_if_stale
from connective.federation.views.actors import actor_response, wants_activitypub
from connective.network.models import Block, Connection, Direction, Mute
from connective.network.purpose import purpose_html, purpose_phrase
from connective.stream.services.boosts import profile_page as posts_and_boosts

# tab in the URL → (label, kind shown; None = every kind)
TABS: dict[str, tuple[str, str | None]] = {
    "posts": ("Posts", None),
    "blog": ("Blog", Kind.ARTICLE),
    "resources": ("Resources", Kind.RESOURCE),
    "courses": ("Courses completed", None),
}
NETWORK_WORDS = {
    Direction.LEARN_FROM: "to learn from",
    Direction.LEARN_WITH: "to learn with",
    Direction.HELP: "to help",
}


@dataclass
class ShownLink:
    """A link to one of the person's other places, ready to print."""

    url: str
    text: str
    kind: str
    verified: bool


@dataclass
class Ties:
    """How the viewer and the person are connected, in sentences."""

    mine: Connection | None = None
    theirs: Connection | None = None
    my_sentence: str = ""
    their_sentence: str = ""
    mutual: bool = False


def profile(request: HttpRequest, handle: str, tab: str = "posts") -> HttpResponse:
    """A person's profile with one tab of what they shared (posts, blog or resources)."""
    if tab not in TABS:
        raise Http404
    if tab == "posts" and wants_activitypub(request):  # the profile URL is the actor's id
        local = Person.objects.local().filter(handle__iexact=handle).first()
        document = actor_response(request, local) if local else None
        if document is not None:
            return document
    person = _find_person(handle)
    elsewhere = _page_elsewhere(person)
    if elsewhere:
        return redirect(elsewhere)
    if person.path_handle != handle:
        return _canonical_redirect(request, person, tab)
    viewer = viewer_person(request)
    if tab == "courses":
        return _courses_tab(request, person, viewer)
    try:
        page = profile_page(person, viewer, TABS[tab][1], request.GET.get("cursor") or None)
    except BadCursor:
        return HttpResponseBadRequest("That page link is not valid.", content_type="text/plain")
    context = {"person": person, "page": page, "tab": tab}
    if is_htmx(request) and request.GET.get("cursor"):
        return render(request, "web/_profile_posts.html", context)
    context.update(_profile_context(person, viewer, tab))
    response = render(request, "web/profile.html", context)
    patch_vary_headers(response, ["Accept"])  # the same URL is the actor for ActivityPub clients
    return response


def _courses_tab(request: HttpRequest, person: Person, viewer: Person | None) -> HttpResponse:
    """The statements of participation a person holds (public, like the statements themselves)."""
    statements = Statement.objects.valid().filter(recipient=person).order_by("-issued_at")
    context = {"person": person, "tab": "courses", "statements": list(statements[:200])}
    context.update(_profile_context(person, viewer, "courses"))
    return render(request, "web/profile.html", context)


def _page_elsewhere(person: Person) -> str:
    """Where a person's page is when it is not here: a feed's site (the author of the posts made
    of its items is no one to connect with), a moved account's new home; else "" (a remote
    profile is refreshed first when stale)."""
    if person.actor_type == "Feed":
        return person.url or person.uri
    if not person.is_local:
        refresh_if_stale(person)
    if person.moved_to_id and person.moved_to is not None:
        return person.moved_to.get_absolute_url()
    return ""


def _find_person(handle: str) -> Person:
    """The person for a path handle; `ana@<our host>` means the local `ana`."""
    name, _, domain = handle.partition("@")
    if domain and domain.lower().rstrip(".") == site_host().lower():
        handle = name
    person = person_by_path_handle(handle)
    if person is None or (person.is_local and person.actor_type != "Person"):
        raise Http404  # a space's, course's or the instance's actor has no profile page
    return person


def _canonical_redirect(request: HttpRequest, person: Person, tab: str) -> HttpResponse:
    """301 to the profile under its canonical handle (case, local host written out)."""
    if tab == "posts":
        url = person.get_absolute_url()
    else:
        url = reverse("web:profile_tab", kwargs={"handle": person.path_handle, "tab": tab})
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url, permanent=True)


def profile_posts(person: Person, viewer: Person | None, kind: str | None):
    """What `viewer` may see of `person`'s top-level posts; unlisted ones included."""
    qs = Post.objects.visible_to(viewer).top_level().filter(author_id=person.pk)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("author").prefetch_related("topics")


def profile_page(
    person: Person, viewer: Person | None, kind: str | None, cursor: str | None
) -> Page:
    """One cursor page of a profile tab (the Posts tab also lists what the person boosted)."""
    posts = profile_posts(person, viewer, kind)
    if kind is None:
        return posts_and_boosts(person, viewer, posts, cursor)
    return paginate(posts, cursor)


def _profile_context(person: Person, viewer: Person | None, tab: str) -> dict:
    """Everything around the posts: chips, links, ties, actions."""
    is_self = viewer is not None and viewer.pk == person.pk
    context: dict[str, Any] = {
        "tabs": [(key, label) for key, (label, _kind) in TABS.items()],
        "tab_label": TABS[tab][0],
        "interests": list(person.interests.all()),
        "expertise": list(person.expertise.all()),
        "links": shown_links(person),
        "network": network_summary(person),
        "is_self": is_self,
        "ties": Ties(),
        "muted": False,
        "blocked": False,
    }
    if is_self:
        context["nav"] = "profile"
    elif viewer is not None:
        ties = ties_between(viewer, person)
        context["ties"] = ties
        context["connection"] = ties.mine
        context["muted"] = Mute.objects.filter(owner=viewer, target=person).exists()
        context["blocked"] = Block.objects.filter(owner=viewer, target=person).exists()
    return context


def shown_links(person: Person) -> list[ShownLink]:
    """The person's other places, each named by its label, fediverse handle or domain."""
    shown = []
    for link in person.links.all():
        kind = link.get_kind_display()
        text = link.label
        if text.strip().casefold() in {kind.casefold(), link.kind}:
            text = ""  # "Blog" under the heading "Blog" says nothing: name the site instead
        if link.kind == PersonLink.Kind.FEDIVERSE:
            text = fediverse_handle(link.url) or text
        shown.append(
            ShownLink(
                url=link.url,
                text=text or urlsplit(link.url).hostname or link.url,
                kind=kind,
                verified=link.verified_at is not None,
            )
        )
    return shown


def fediverse_handle(url: str) -> str:
    """`@ana@host` for a profile URL like https://host/@ana or https://host/users/ana, else ''."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if not parts.hostname or not segments:
        return ""
    if len(segments) == 1 and segments[0].startswith("@") and len(segments[0]) > 1:
        name = segments[0][1:]
    elif len(segments) == 2 and segments[0] in {"users", "u", "profile"}:
        name = segments[1]
    else:
        return ""
    if "@" in name:  # https://host/@ana@elsewhere: a remote account shown by that server
        return f"@{name}"
    return f"@{name}@{parts.hostname}"


def network_summary(person: Person) -> list[str]:
    """ "3 people to learn from", … — the shape of a network by purpose, not its size as rank."""
    counts = dict(
        Connection.objects.active()
        .filter(owner_id=person.pk)
        .order_by()
        .values_list("direction")
        .annotate(n=Count("id"))
    )
    phrases = []
    for direction, words in NETWORK_WORDS.items():
        n = counts.get(direction, 0)
        if n:
            phrases.append(f"{n} {'person' if n == 1 else 'people'} {words}")
    return phrases


def ties_between(viewer: Person, person: Person) -> Ties:
    """The viewer's connection to the person and theirs to the viewer, with their purposes."""
    rows = Connection.objects.between(viewer.pk, person.pk).prefetch_related("topics")
    ties = Ties()
    for conn in rows:
        names = [t.name for t in conn.topics.all()]
        if conn.owner_id == viewer.pk:
            ties.mine = conn
            ties.my_sentence = format_html(
                "You connected {}", purpose_html(conn.direction, names, person.name)
            )
        elif conn.is_active:
            ties.theirs = conn
            ties.their_sentence = format_html(
                "<bdi>{}</bdi> connected {}",
                person.name,
                purpose_phrase(conn.direction, names),
            )
    ties.mutual = bool(ties.mine and ties.mine.is_active and ties.theirs)
    return ties
