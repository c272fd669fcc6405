"""What the demo loader carries from one stage to the next: people, ties, posts and their dates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from random import Random

from connective.accounts.models import Person
from connective.content.models import Post
from connective.demo.services.catalog import Catalog, PersonSpec
from connective.demo.services.compose import Voice
from connective.network.models import Connection
from connective.topics.models import Topic


@dataclass
class Written:
    """A top-level post the loader wrote, with what later stages need to know about it."""

    post: Post
    author: str
    kind: str  # insight, question, mention, private, event, life, article or resource
    topic: str
    at: datetime
    question: str = ""


@dataclass
class Dates:
    """The dates the loader wants objects to carry; applied in one pass at the end."""

    posts: dict[int, datetime] = field(default_factory=dict)
    connections: dict[int, tuple[datetime, datetime | None, datetime | None]] = field(
        default_factory=dict
    )
    useful: dict[tuple[int, int], datetime] = field(default_factory=dict)
    people: dict[int, datetime] = field(default_factory=dict)


@dataclass
class Demo:
    """The loader's working state; every choice is drawn from `rng`, so a run is repeatable."""

    rng: Random
    now: datetime
    cat: Catalog
    voice: Voice
    people: dict[str, Person] = field(default_factory=dict)
    joined: dict[str, datetime] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    dates: Dates = field(default_factory=Dates)
    friends: dict[str, list[str]] = field(default_factory=dict)
    linked: set[tuple[str, str]] = field(default_factory=set)
    written: list[Written] = field(default_factory=list)
    by_key: dict[str, Written] = field(default_factory=dict)

    def spec(self, handle: str) -> PersonSpec:
        """The catalogue entry for a demo handle."""
        return self.cat.person(handle)

    def days_ago(self, days: float) -> datetime:
        """A moment `days` before the load."""
        return self.now - timedelta(days=days)

    def between(self, start: datetime, end: datetime) -> datetime:
        """A moment drawn evenly between two others (`start` if the span is empty)."""
        span = (end - start).total_seconds()
        if span <= 0:
            return start
        return start + timedelta(seconds=int(self.rng.random() * span))

    def after(self, moment: datetime, min_hours: float, max_hours: float) -> datetime:
        """A moment some hours after another, never later than the load itself."""
        hours = min_hours + self.rng.random() * (max_hours - min_hours)
        return min(moment + timedelta(hours=hours), self.now - timedelta(minutes=1))

    def note_tie(self, conn: Connection) -> None:
        """Remember an active connection, for visibility and for picking friends to mention."""
        owner, target = conn.owner.handle, conn.target.handle
        if not conn.is_active or (owner, target) in self.linked:
            return
        self.linked.update({(owner, target), (target, owner)})
        self.friends.setdefault(owner, []).append(target)
        self.friends.setdefault(target, []).append(owner)

    def can_see(self, handle: str, written: Written) -> bool:
        """Whether a demo person may see a post the loader wrote (mirrors visible_to)."""
        visibility = written.post.visibility
        if handle == written.author or visibility in ("public", "unlisted"):
            return True
        if visibility == "network":
            return (handle, written.author) in self.linked
        return False

    def stamp(self, written: Written) -> Written:
        """Keep a post the loader wrote, and the date it should carry."""
        self.dates.posts[written.post.pk] = written.at
        self.written.append(written)
        return written
