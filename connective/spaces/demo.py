"""Demo spaces: a few discussion spaces with threads and replies, the same on every load.

`load_demo(people)` is idempotent: a space whose slug already exists is left as it is. People
missing from `people` (keyed by handle) are skipped, and so is anything they would have written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from connective.accounts.models import Person
from connective.content.models import Post
from connective.spaces.models import Space
from connective.spaces.services.membership import join
from connective.spaces.services.moderation import pin
from connective.spaces.services.spaces import add_moderator, create_space
from connective.spaces.services.subscriptions import follow_space
from connective.spaces.services.threads import reply, start_thread


@dataclass
class DemoThread:
    """A thread: who starts it, its title and text, and replies as (author, text, answers)."""

    author: str
    title: str
    body: str
    replies: list[tuple[str, str, int | None]] = field(default_factory=list)
    pinned: bool = False


@dataclass
class DemoSpace:
    """A space, its moderators (the first creates it), members and threads."""

    slug: str
    name: str
    description: str
    topics: list[str]
    moderators: list[str]
    members: list[str]
    threads: list[DemoThread]
    members_only: bool = False


SPACES = [
    DemoSpace(
        slug="pln-newcomers",
        name="New to personal learning networks",
        description=(
            "A friendly place for people starting to build a **personal learning network**. "
            "Ask anything, share what worked for you, and say hello."
        ),
        topics=["personal learning networks", "connected learning"],
        moderators=["amara", "kenji"],
        members=["learner", "priya", "mateo", "aino", "fatima"],
        threads=[
            DemoThread(
                "amara",
                "Start here: introduce yourself",
                "Tell us who you are, what you are learning at the moment, and one person "
                "or place you have learned a lot from this year.",
                [
                    (
                        "learner",
                        "Hello! I am learning how to learn in the open. So far I "
                        "mostly read; this is my first post in a forum in years.",
                        None,
                    ),
                    (
                        "priya",
                        "Welcome! Reading first is a fine way in. What made you "
                        "decide to post today?",
                        0,
                    ),
                    (
                        "learner",
                        "A course asked me to, honestly. But it feels less scary than I thought.",
                        1,
                    ),
                    (
                        "mateo",
                        "Mateo here: I teach maths and learn mostly from other teachers' blogs.",
                        None,
                    ),
                ],
                pinned=True,
            ),
            DemoThread(
                "kenji",
                "How do you find people worth learning from?",
                "Search, topic pages, following who the people you trust follow... What "
                "actually works for you, and what was a waste of time?",
                [
                    (
                        "aino",
                        "I look at who replies thoughtfully in threads like this one, "
                        "then read what they shared before.",
                        None,
                    ),
                    ("fatima", "Topic pages, and asking one good question in public.", None),
                    (
                        "kenji",
                        "Both good. Asking in public surprised me too: strangers answered.",
                        1,
                    ),
                ],
            ),
        ],
    ),
    DemoSpace(
        slug="open-education-reading-circle",
        name="Open education reading circle",
        description=(
            "Each month we read one openly licensed text about open education and talk about "
            "it here. Suggestions welcome in the suggestions thread."
        ),
        topics=["open education", "reading"],
        moderators=["priya"],
        members=["learner", "hemi", "siobhan", "wei"],
        threads=[
            DemoThread(
                "priya",
                "Suggestions for next month",
                "Reply with a text you would like us to read: openly licensed, under an hour "
                "of reading, and something you would argue about.",
                [
                    (
                        "hemi",
                        "Something on open educational practices rather than resources, please.",
                        None,
                    ),
                    ("siobhan", "Seconded. Practices are where it gets interesting.", 0),
                ],
            ),
            DemoThread(
                "wei",
                "Is “open” about licences or about people?",
                "Our last text said openness is mostly a licence question. I am not so sure: "
                "a licensed text nobody can find or discuss does not feel very open.",
                [
                    (
                        "learner",
                        "I think both: the licence lets you, the people make you want to.",
                        None,
                    )
                ],
            ),
        ],
    ),
    DemoSpace(
        slug="facilitators-room",
        name="Facilitators’ room",
        description=(
            "For people who facilitate online courses and communities: plans, doubts and "
            "what went wrong. **Members only**, so we can be candid."
        ),
        topics=["facilitation", "online learning"],
        moderators=["siobhan"],
        members=["learner", "kwame", "laila"],
        members_only=True,
        threads=[
            DemoThread(
                "siobhan",
                "The quiet week-three dip",
                "Every course I run goes quiet in week three. What do you do about it, if "
                "anything?",
                [
                    (
                        "kwame",
                        "I stopped fighting it: I plan a lighter week three and say so.",
                        None,
                    ),
                    (
                        "laila",
                        "A short personal message to each quiet learner works for "
                        "me, but it does not scale.",
                        None,
                    ),
                ],
            ),
        ],
    ),
    DemoSpace(
        slug="tools-feeds-workflows",
        name="Tools, feeds and workflows",
        description="How we keep up: feed readers, note-taking, and the habits around them.",
        topics=["feeds", "note-taking"],
        moderators=["wei"],
        members=["kenji", "lan_nguyen", "joao"],
        threads=[
            DemoThread(
                "lan_nguyen",
                "Feed readers in 2026",
                "Which feed reader do you use, and how many feeds before it becomes noise?",
                [
                    ("joao", "About forty. Past that I skim and stop learning.", None),
                    ("wei", "I keep two folders: read now, and maybe never.", None),
                ],
            ),
        ],
    ),
]


def load_demo(people: dict[str, Person]) -> None:
    """Create the demo spaces, threads and replies that are not there yet."""
    for spec in SPACES:
        if spec.moderators[0] in people and not Space.objects.filter(slug=spec.slug).exists():
            _load_space(spec, people)


@transaction.atomic
def _load_space(spec: DemoSpace, people: dict[str, Person]) -> None:
    creator = people[spec.moderators[0]]
    space = create_space(
        creator,
        name=spec.name,
        description=spec.description,
        topics=spec.topics,
        members_only=spec.members_only,
        slug=spec.slug,
    )
    for handle in [*spec.moderators[1:], *spec.members]:
        if handle in people:
            join(space, people[handle])
    for handle in spec.moderators[1:]:
        if handle in people:
            add_moderator(space, creator, people[handle])
    if "learner" in people and people["learner"].pk != creator.pk:
        follow_space(people["learner"], space)
    for thread in spec.threads:
        _load_thread(space, thread, people, creator)


def _load_thread(
    space: Space, spec: DemoThread, people: dict[str, Person], moderator: Person
) -> None:
    if spec.author not in people:
        return
    root = start_thread(people[spec.author], space, title=spec.title, body=spec.body)
    written: list[Post] = []
    for author, body, answers in spec.replies:
        parent = written[answers] if answers is not None and answers < len(written) else root
        if author in people:
            written.append(reply(people[author], parent, body=body))
    if spec.pinned:
        pin(root.thread, moderator)
