"""Write the demo's top-level posts: little OER with licences, short notes and blog articles."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from connective.content.licences import LICENCES
from connective.content.services.posts import PostDraft, create_post
from connective.demo.services.catalog import LEARNER, PersonSpec, ResourceSpec
from connective.demo.services.compose import Deck, fill, person_slots, pick, topic_slots
from connective.demo.services.state import Demo, Written

# How often each licence turns up among resources whose licence is not fixed by the catalogue.
LICENCE_WEIGHTS = {
    "cc-by": 22,
    "cc-by-sa": 14,
    "cc0": 8,
    "cc-by-nc": 8,
    "cc-by-nc-sa": 9,
    "cc-by-nd": 4,
    "cc-by-nc-nd": 4,
    "pdm": 0,
    "arr": 6,
}
NOTE_KINDS = {"insight": 40, "question": 28, "mention": 12, "private": 5, "event": 8, "life": 5}
ARTICLE_WRITERS = 30
BLOGGING = "Blogging for Reflection"


def writers(demo: Demo) -> list[PersonSpec]:
    """Everyone but the learner, whose posts come from the catalogue as written."""
    return [p for p in demo.cat.people if p.handle != LEARNER]


def post_time(demo: Demo, handle: str) -> datetime:
    """When a person posted: after they joined, more often recently than long ago."""
    start = demo.joined[handle] + timedelta(days=3)
    end = demo.days_ago(0.25)
    return end - (end - start) * (demo.rng.random() ** 1.3)


def visibility(demo: Demo, weights: dict[str, int]) -> str:
    """A visibility drawn from weights such as {"public": 85, "network": 15}."""
    return demo.rng.choices(list(weights), weights=list(weights.values()))[0]


def publish(
    demo: Demo, handle: str, kind: str, topic: str, draft: PostDraft, question: str = ""
) -> Written:
    """Create the post through the content service and remember when it should date from."""
    post = create_post(demo.people[handle], draft)
    at = post_time(demo, handle)
    return demo.stamp(Written(post, handle, kind, topic, at, question))


# --- resources ------------------------------------------------------------------------------


def licence_deck(demo: Demo, needed: int, already: set[str]) -> list[str]:
    """Licences for `needed` resources: every code not yet used at least once, then weighted."""
    codes = list(LICENCES)
    deck = [code for code in codes if code not in already][:needed]
    weights = [LICENCE_WEIGHTS.get(code, 2) for code in codes]
    deck += demo.rng.choices(codes, weights=weights, k=needed - len(deck))
    demo.rng.shuffle(deck)
    return deck


def write_resources(demo: Demo) -> None:
    """Each catalogue resource, shared by one of the experts on its first topic, in turn."""
    resources = demo.cat.resources
    fixed = {r.licence for r in resources if r.licence}
    deck = licence_deck(demo, sum(1 for r in resources if not r.licence), fixed)
    turns: dict[str, int] = {}
    for spec in resources:
        label = spec.topics[0]
        experts = [p.handle for p in writers(demo) if label in p.expertise]
        author = experts[turns.get(label, 0) % len(experts)]
        turns[label] = turns.get(label, 0) + 1
        _share(demo, author, spec, spec.licence or deck.pop())


def _share(demo: Demo, author: str, spec: ResourceSpec, licence: str) -> None:
    body = spec.description
    if licence != "pdm":
        slots = {**person_slots(demo.spec(author)), **topic_slots(demo.cat.topics[spec.topics[0]])}
        line = fill(demo.rng.choice(demo.cat.writing["share_lines"]), slots)
        body = f"{body}\n\n{line}" if line else body
    draft = PostDraft(
        kind="resource",
        title=spec.title,
        body=body,
        link_url=spec.url,
        licence=licence,
        visibility=visibility(demo, {"public": 88, "unlisted": 6, "network": 6}),
        topics=list(spec.topics),
    )
    publish(demo, author, "resource", spec.topics[0], draft)


# --- notes ----------------------------------------------------------------------------------


def write_notes(demo: Demo) -> None:
    """Two to four notes from everyone: insights, questions, thanks, events, everyday life."""
    makers: dict[str, Callable[[Demo, PersonSpec], None]] = {
        "insight": _insight,
        "question": _question,
        "mention": _mention,
        "private": _mention,
        "event": _event,
        "life": _life,
    }
    for spec in writers(demo):
        for _ in range(demo.rng.choice([2, 3, 3, 4])):
            kind = demo.rng.choices(list(NOTE_KINDS), weights=list(NOTE_KINDS.values()))[0]
            if kind == "private":
                _mention(demo, spec, private=True)
            else:
                makers[kind](demo, spec)


def _shuffled(demo: Demo, labels: tuple[str, ...]) -> list[str]:
    items = list(labels)
    demo.rng.shuffle(items)
    return items


def _note_slots(demo: Demo, spec: PersonSpec, label: str) -> dict[str, str]:
    others = [t for t in spec.expertise + spec.interests if t != label]
    return {
        **person_slots(spec),
        **topic_slots(demo.cat.topics[label]),
        "subject": demo.voice.draw(label, "subjects"),
        "moment": demo.rng.choice(demo.cat.writing["moments"]),
        "tag2": demo.cat.topics[demo.rng.choice(others)].tag,
    }


def _note(demo: Demo, spec: PersonSpec, kind: str, label: str, slots: dict[str, str]) -> None:
    body = _dedupe_tags(fill(demo.rng.choice(demo.cat.writing["notes"][kind]), slots))
    weights = {
        "insight": {"public": 80, "unlisted": 8, "network": 12},
        "question": {"public": 90, "network": 10},
        "event": {"public": 40, "network": 60},
        "life": {"public": 50, "network": 50},
        "private": {"private": 1},
    }.get(kind, {"public": 1})
    draft = PostDraft(kind="note", body=body, visibility=visibility(demo, weights))
    publish(demo, spec.handle, kind, label, draft, slots.get("question", ""))


def _dedupe_tags(text: str) -> str:
    """Drop a hashtag that a template filled in twice ("#OER #OER")."""
    seen: set[str] = set()
    words = []
    for word in text.split(" "):
        if word.startswith("#"):
            if word.lower() in seen:
                continue
            seen.add(word.lower())
        words.append(word)
    return " ".join(words)


def _insight(demo: Demo, spec: PersonSpec) -> None:
    label = demo.voice.freshest(_shuffled(demo, spec.expertise), "insights")
    slots = _note_slots(demo, spec, label)
    slots["insight"] = demo.voice.draw(label, "insights")
    _note(demo, spec, "insight", label, slots)


def _question(demo: Demo, spec: PersonSpec) -> None:
    label = demo.voice.freshest(_shuffled(demo, spec.interests), "questions")
    slots = _note_slots(demo, spec, label)
    slots["question"] = demo.voice.draw(label, "questions")
    _note(demo, spec, "question", label, slots)


def _mention(demo: Demo, spec: PersonSpec, private: bool = False) -> None:
    friends = [h for h in demo.friends.get(spec.handle, []) if h != LEARNER]
    if not friends:
        _insight(demo, spec)
        return
    friend = demo.rng.choice(friends)
    other = demo.spec(friend)
    shared = [t for t in spec.expertise + spec.interests if other.knows(t)]
    label = demo.rng.choice(shared or list(spec.interests))
    slots = _note_slots(demo, spec, label)
    slots["friend"] = friend
    _note(demo, spec, "private" if private else "mention", label, slots)


def _event(demo: Demo, spec: PersonSpec) -> None:
    label = demo.rng.choice(spec.expertise)
    _note(demo, spec, "event", label, _note_slots(demo, spec, label))


def _life(demo: Demo, spec: PersonSpec) -> None:
    _note(demo, spec, "life", "", {})


# --- articles -------------------------------------------------------------------------------


class _Slots(dict):
    """Template slots computed on first use, so unused ones draw nothing from the decks."""

    def __init__(self, fixed: dict[str, str], lazy: dict[str, Callable[[], str]]) -> None:
        super().__init__(fixed)
        self.lazy = lazy

    def __missing__(self, key: str) -> str:
        value = self.lazy[key]()
        self[key] = value
        return value


def write_articles(demo: Demo) -> None:
    """Articles from thirty people, and a second one from each keen blogger."""
    people = writers(demo)
    authors = demo.rng.sample(people, k=min(ARTICLE_WRITERS, len(people)))
    authors += [p for p in people if BLOGGING in p.expertise]
    shapes = Deck(demo.rng, demo.cat.writing["articles"])
    events = Deck(demo.rng, demo.cat.writing["events"])
    for spec in authors:
        _article(demo, spec, shapes.draw(), events.draw())


def _article(demo: Demo, spec: PersonSpec, shape: dict[str, Any], event: str) -> None:
    label = demo.voice.freshest(_shuffled(demo, spec.expertise), "insights")
    others = [t for t in spec.interests + spec.expertise if t != label]
    other = demo.rng.choice(others)
    slots = _Slots(
        {
            **person_slots(spec),
            **topic_slots(demo.cat.topics[label]),
            "event": event,
        },
        {
            "subject": lambda: demo.voice.draw(label, "subjects"),
            "i1": lambda: demo.voice.draw(label, "insights"),
            "i2": lambda: demo.voice.draw(label, "insights"),
            "q1": lambda: demo.voice.draw(label, "questions"),
            "q2": lambda: demo.voice.draw(label, "questions"),
            "o1": lambda: demo.voice.draw(other, "insights"),
            "friend": lambda: _friend_for(demo, spec, label),
        },
    )
    title = fill(shape["title"], slots)
    body = "\n\n".join(fill(pick(demo.rng, part), slots) for part in shape["body"])
    topics = [label, other] if "o1" in slots else [label]
    draft = PostDraft(
        kind="article",
        title=title[:1].upper() + title[1:],
        body=body,
        topics=topics,
        visibility=visibility(demo, {"public": 90, "unlisted": 10}),
    )
    publish(demo, spec.handle, "article", label, draft)


def _friend_for(demo: Demo, spec: PersonSpec, label: str) -> str:
    """An @mention of someone in the writer's network, preferably someone who knows the topic."""
    friends = [h for h in demo.friends.get(spec.handle, []) if h != LEARNER]
    knowing = [h for h in friends if demo.spec(h).knows(label)]
    if not (knowing or friends):
        return "a colleague"
    return "@" + demo.rng.choice(knowing or friends)
