"""Which of our feeds out a page offers: one rule for the feeds themselves, the <head> links
and the visible links, so a page never advertises a feed that answers 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

RSS, ATOM = "application/rss+xml", "application/atom+xml"


@dataclass(frozen=True)
class OfferedFeed:
    """One feed out, in RSS and Atom: its route, its title (as the feed names itself) and what
    it carries, in words a reader understands ("public posts on Open licensing")."""

    name: str
    kwargs: dict[str, str]
    title: str
    what: str

    @property
    def rss_url(self) -> str:
        """The RSS 2.0 address (relative)."""
        return reverse(f"feeds:{self.name}_rss", kwargs=self.kwargs)

    @property
    def atom_url(self) -> str:
        """The Atom 1.0 address (relative)."""
        return reverse(f"feeds:{self.name}_atom", kwargs=self.kwargs)


def space_has_feed(space: Any) -> bool:
    """A space's feed exists when anyone may read the space."""
    return not space.members_only


def course_has_feed(course: Any) -> bool:
    """A course's announcements feed exists once it is published, in a space anyone may read."""
    if not course.is_published or course.space_id is None:
        return False
    return space_has_feed(course.space)


def offered_feeds(
    person: Any = None, topic: Any = None, space: Any = None, course: Any = None
) -> list[OfferedFeed]:
    """The feeds a profile, topic, space or course page offers (none for what has none)."""
    offered: list[OfferedFeed] = []
    if person is not None and person.is_local:
        who = {"handle": person.handle}
        offered += [
            OfferedFeed("person", who, f"{person.name}: posts", "posts"),
            OfferedFeed("blog", who, f"{person.name}: blog", "blog"),
            OfferedFeed("resources", who, f"{person.name}: resources", "shared resources"),
        ]
    if topic is not None:
        what = f"public posts on {topic.name}"
        offered.append(OfferedFeed("topic", {"key": topic.key}, f"#{topic.name}", what))
    if space is not None and space_has_feed(space):
        what = "new threads"
        offered.append(OfferedFeed("space", {"slug": space.slug}, str(space.name), what))
    if course is not None and course_has_feed(course):
        title = f"{course.title}: announcements"
        offered.append(OfferedFeed("course", {"slug": course.slug}, title, "announcements"))
    return offered
