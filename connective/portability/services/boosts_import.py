"""Boosts from an archive made again: the post is found here (or, for my own posts, as the
copy this import made), fetched from its server if we do not have it, then boosted through
content's boost_post with its original time. Importing twice adds nothing."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from connective.accounts.models import Person
from connective.content.models import Boost, Post
from connective.content.services.boosts import BoostError, boost_post
from connective.federation.services.remote_objects import fetch_post
from connective.portability.services.plan import BoostPlan, ImportPlan

CHUNK = 500


def known_posts(person: Person, uris: Iterable[str]) -> dict[str, Post]:
    """The posts here at these addresses: by their own address, or my imported copy of them."""
    wanted = list(dict.fromkeys(uris))
    found: dict[str, Post] = {}
    for start in range(0, len(wanted), CHUNK):
        part = wanted[start : start + CHUNK]
        for post in Post.objects.filter(author=person, imported_from__in=part):
            found[post.imported_from] = post
        for post in Post.objects.filter(uri__in=part).select_related("author"):
            if post.uri:
                found.setdefault(post.uri, post)
    return found


def _addresses(plan: ImportPlan) -> list[str]:
    return [a for b in plan.boosts for a in b.addresses]


def _post(here: dict[str, Post], item: BoostPlan) -> Post | None:
    for address in item.addresses:
        if address in here:
            return here[address]
    return None


def fetch_missing(person: Person, plan: ImportPlan, step=None) -> None:
    """Fetch from their servers the boosted posts we have not got (before the transaction:
    asking other servers takes seconds). My own posts in the archive are not fetched."""
    mine = {p.original for p in plan.posts}
    here = known_posts(person, _addresses(plan))
    fetched: set[str] = set()
    for item in plan.boosts:
        if not mine.intersection(item.addresses) and _post(here, item) is None:
            if item.post not in fetched:
                fetched.add(item.post)
                fetch_post(item.post)
        if step:
            step()


def preview_boosts(person: Person, plan: ImportPlan, tally) -> None:
    """Count the boosts: already mine, to add, or to look up on their server."""
    if not plan.boosts:
        return
    mine = {p.original for p in plan.posts}
    here = known_posts(person, _addresses(plan))
    boosted = set(
        Boost.objects.filter(person=person, post__in=list(here.values())).values_list(
            "post_id", flat=True
        )
    )
    for item in plan.boosts:
        post = _post(here, item)
        if post is not None and post.pk in boosted:
            tally.add("boosts", "already")
        elif post is not None or mine.intersection(item.addresses):
            tally.add("boosts", "added")
        else:
            tally.add("boosts", "to look up")


def make_boosts(person: Person, plan: ImportPlan, tally) -> None:
    """Boost again what the archive says I boosted (inside the import's transaction)."""
    if not plan.boosts:
        return
    here = known_posts(person, _addresses(plan))
    missing: list[str] = []
    for item in plan.boosts:
        post = _post(here, item)
        if post is None:
            missing.append(item.post)
            continue
        if Boost.objects.filter(person=person, post=post).exists():
            tally.add("boosts", "already")
            continue
        try:
            boost = boost_post(person, post, imported_at=item.created_at or timezone.now())
        except BoostError:
            missing.append(item.post)
            continue
        if boost is None:
            tally.add("boosts", "already")
            continue
        tally.add("boosts", "added")
    if missing:
        tally.add("boosts", "not found", len(missing))
        shown = ", ".join(missing[:20]) + (" …" if len(missing) > 20 else "")
        tally.notes.append(
            f"Boosted posts not found (deleted, or no longer open to all), so not boosted "
            f"here: {shown}."
        )
