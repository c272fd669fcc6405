"""Conversations under the demo's posts: threaded replies, and resources marked useful."""

from __future__ import annotations

from datetime import datetime

from connective.content.licences import licence_for
from connective.content.models import Post
from connective.content.services.posts import PostDraft, PostError, create_post
from connective.content.services.useful import UsefulError, mark_useful
from connective.demo.services.catalog import LEARNER
from connective.demo.services.compose import fill, person_slots, topic_slots, weighted_sample
from connective.demo.services.state import Demo, Written

# Which top-level posts start a conversation, and how often.
REPLY_CHANCE = {"question": 1.0, "article": 0.4, "resource": 0.25, "insight": 0.15}
ANSWER_CHANCE = 0.65
AGAIN_CHANCE = 0.6
CLOSED_LICENCES = {"cc-by-nd", "cc-by-nc-nd", "arr"}
NONCOMMERCIAL = {"cc-by-nc", "cc-by-nc-sa"}
USEFUL_MARKS = {"resource": [0, 1, 1, 2, 2, 3], "article": [0, 0, 1, 2]}


def _audience(demo: Demo, written: Written, count: int) -> list[str]:
    """Up to `count` people who can see the post, likelier if connected or on the topic."""
    candidates = []
    for spec in demo.cat.people:
        handle = spec.handle
        if handle in (written.author, LEARNER) or not demo.can_see(handle, written):
            continue
        weight = 0.2 + 3 * ((handle, written.author) in demo.linked)
        weight += 2 * (bool(written.topic) and spec.knows(written.topic))
        candidates.append((handle, weight))
    return weighted_sample(demo.rng, candidates, count)


# --- replies --------------------------------------------------------------------------------


def write_replies(demo: Demo) -> int:
    """Threads under questions, some articles, resources and notes; how many replies."""
    made = 0
    for written in list(demo.written):
        chance = REPLY_CHANCE.get(written.kind, 0.0)
        if written.author == LEARNER or written.post.visibility == "private":
            continue
        if demo.rng.random() >= chance:
            continue
        count = 2 if written.kind == "question" and demo.rng.random() < 0.3 else 1
        used: set[str] = set()
        for replier in _audience(demo, written, count):
            made += _thread(demo, written, replier, used)
    return made


def _category(demo: Demo, written: Written) -> str:
    if written.kind == "resource":
        licence = written.post.licence
        if licence in CLOSED_LICENCES:
            return "resource_closed"
        if licence in NONCOMMERCIAL and demo.rng.random() < 0.4:
            return "resource_nc"
        return "resource_open"
    return {"question": "question", "article": "article"}.get(written.kind, "note")


def _templates(
    demo: Demo, root: Written, slots: dict[str, str], used: set[str]
) -> list[dict[str, str]]:
    """What a reply may say: a real answer to a question first, then the usual replies."""
    category = _category(demo, root)
    answer = demo.cat.topics[root.topic].answer(root.question) if root.question else ""
    if category == "question" and answer and answer not in used:
        return [{"reply": answer, **follow} for follow in demo.cat.threads["answered"]]
    return [
        t
        for t in demo.cat.threads[category]
        if t["reply"] not in used
        and _usable(t, slots)
        and not (t.get("needs") and not slots.get(t["needs"]))
    ]


def _thread(demo: Demo, root: Written, replier: str, used: set[str]) -> int:
    """A reply, perhaps the author's answer, perhaps the replier's answer to that."""
    slots = _slots(demo, root, replier)
    options = _templates(demo, root, slots, used)
    if not options:
        return 0
    template = demo.rng.choice(options)
    used.add(template["reply"])
    reply, at = _reply(demo, root.post, replier, fill(template["reply"], slots), root.at)
    if reply is None or "answer" not in template or demo.rng.random() >= ANSWER_CHANCE:
        return int(reply is not None)
    answer, at = _reply(demo, reply, root.author, fill(template["answer"], slots), at)
    if answer is None or "again" not in template or demo.rng.random() >= AGAIN_CHANCE:
        return 1 + int(answer is not None)
    again, _ = _reply(demo, answer, replier, fill(template["again"], slots), at)
    return 2 + int(again is not None)


def _slots(demo: Demo, root: Written, replier: str) -> dict[str, str]:
    slots = person_slots(demo.spec(replier))
    if root.topic:
        slots.update(topic_slots(demo.cat.topics[root.topic]))
        experts = [
            p.handle
            for p in demo.cat.people
            if root.topic in p.expertise and p.handle not in (root.author, replier, LEARNER)
        ]
        if experts:
            slots["expert"] = demo.rng.choice(experts)
    licence = licence_for(root.post.licence)
    if licence is not None:
        slots["licence"] = licence.label
    return slots


def _usable(template: dict[str, str], slots: dict[str, str]) -> bool:
    """A template whose every slot can be filled."""
    try:
        for part in ("reply", "answer", "again"):
            fill(template.get(part, ""), slots)
    except (KeyError, IndexError):
        return False
    return True


def _reply(
    demo: Demo, parent: Post, handle: str, body: str, after: datetime
) -> tuple[Post | None, datetime]:
    """Reply through the content service, dated a little after what it answers."""
    draft = PostDraft(kind="note", body=body, visibility=parent.visibility, in_reply_to=parent)
    try:
        post = create_post(demo.people[handle], draft)
    except PostError:
        return None, after
    at = demo.after(after, 1, 60)
    demo.dates.posts[post.pk] = at
    return post, at


def reply_as(demo: Demo, parent: Post, handle: str, body: str, at: datetime) -> Post | None:
    """A reply written out in full (the learner's threads), dated exactly."""
    draft = PostDraft(kind="note", body=body, visibility=parent.visibility, in_reply_to=parent)
    try:
        post = create_post(demo.people[handle], draft)
    except PostError:
        return None
    demo.dates.posts[post.pk] = at
    return post


# --- useful marks ---------------------------------------------------------------------------


def mark_posts_useful(demo: Demo) -> int:
    """People who care about a resource's (or an article's) topic mark it useful."""
    made = 0
    for written in list(demo.written):
        choices = USEFUL_MARKS.get(written.kind)
        if choices is None or written.author == LEARNER:
            continue
        for handle in _audience(demo, written, demo.rng.choice(choices)):
            made += mark(demo, handle, written)
    return made


def mark(demo: Demo, handle: str, written: Written) -> int:
    """One useful mark through the content service, dated after the post; 1 if made."""
    person = demo.people[handle]
    try:
        made = mark_useful(person, written.post)
    except UsefulError:
        return 0
    if made:
        demo.dates.useful[(person.pk, written.post.pk)] = demo.after(written.at, 1, 24 * 25)
    return int(made)
