"""Demo data: one short open course on personal learning networks, in our own words, with demo
learners at different stages (evidence from their demo posts) and `learner` holding a statement."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import transaction

from connective.accounts.models import Person
from connective.content.services.posts import PostDraft, create_post
from connective.courses.models import Activity, Course, Enrolment
from connective.courses.services.authoring import (
    ActivityDraft,
    CourseDraft,
    add_team_member,
    create_course,
    publish_course,
    save_activity,
    save_unit,
)
from connective.courses.services.enrolment import enrol
from connective.courses.services.evidence import mark_done, record_outside_evidence

TITLE = "Building your personal learning network"
SUMMARY = """\
A short open course for anyone who learns with other people — which is everyone.
Over three units you will say what a personal learning network (PLN) is, take a position on
whether the term earns its keep, and tend your own network with purpose.

Every activity is completed by **evidence**: a post in the course discussion, an article or a
resource with the activity's tag, or — for reading and reflecting — marking it done. Complete the
required activities and you receive a statement of participation that anyone can verify.
"""

UNITS = [
    (
        "What is a personal learning network?",
        "People, not platforms: who you learn from, learn with, and help.",
        [
            ActivityDraft(
                title="Define a PLN with the help of search and the forum",
                kind="discuss",
                estimated_minutes=120,
                instructions=(
                    "Search this site and the web for how people describe their learning "
                    "networks. Then, in your own words, write a two- or three-sentence "
                    "definition in this activity's thread, and reply to one other learner's "
                    "definition: what does theirs see that yours misses?"
                ),
            ),
            ActivityDraft(
                title="Read two accounts of learning in networks",
                kind="read",
                estimated_minutes=45,
                order=2,
                instructions=(
                    "Find two short accounts — a blog post, a chapter, a talk transcript — of "
                    "someone describing how other people shaped what they know. Note one "
                    "thing both accounts share."
                ),
            ),
        ],
    ),
    (
        "Is “PLN” a useful term?",
        "Every field names its ideas; some names help thinking and some get in the way.",
        [
            ActivityDraft(
                title="Write a position statement: is “PLN” a useful term?",
                kind="write",
                tag="pln-position",
                estimated_minutes=180,
                instructions=(
                    "Write an article of 400–800 words taking a position: does calling it a "
                    "*personal learning network* help you notice and tend it, or is it just a "
                    "new name for having colleagues and friends? Use at least one example from "
                    "your own learning. Tag it **#pln-position** — here, or on your own blog if "
                    "its feed is in your stream."
                ),
            ),
            ActivityDraft(
                title="Map who you learn from",
                kind="reflect",
                estimated_minutes=30,
                order=2,
                instructions=(
                    "List five people you learned something from this month and what it was. "
                    "Which of them would you have called part of your network before today?"
                ),
            ),
        ],
    ),
    (
        "Tend your network",
        "A network grows by sharing and by connecting on purpose.",
        [
            ActivityDraft(
                title="Share a resource that shaped your view",
                kind="share",
                tag="pln-shaped-me",
                estimated_minutes=30,
                instructions=(
                    "Share one resource — an article, a video, a tool — that changed how you "
                    "think about learning with others. Say in the description what it changed. "
                    "Tag it **#pln-shaped-me** and choose its licence."
                ),
            ),
            ActivityDraft(
                title="Make one connection with a purpose",
                kind="discuss",
                estimated_minutes=45,
                order=2,
                required=False,
                instructions=(
                    "Connect with someone you met in this course, saying what you want to learn "
                    "with them. Tell the thread who it was and why."
                ),
            ),
            ActivityDraft(
                title="Watch a talk on networked learning",
                kind="watch",
                estimated_minutes=30,
                order=3,
                required=False,
                instructions="Any talk you like; note one idea you will try.",
            ),
        ],
    ),
]

TEAM = ["siobhan", "joao"]
# What each demo learner has done: "discuss", "read", "write", "reflect", "share".
STAGES: dict[str, list[str]] = {
    "learner": ["discuss", "read", "write", "reflect", "share"],
    "amara": ["discuss", "read", "write"],
    "kenji": ["discuss"],
    "priya": [],
    "mateo": ["discuss", "read", "write", "reflect"],
}
WRITERS = [handle for handle, done in STAGES.items() if "write" in done]  # one position each


def _build(team: list[Person]) -> Course:
    lead = team[0]
    course = create_course(
        lead,
        CourseDraft(
            title=TITLE,
            summary=SUMMARY,
            topics=["Personal Learning Networks", "Networked Learning", "Open Education"],
            licence="cc-by-sa",
        ),
    )
    for other in team[1:]:
        add_team_member(course, other, by=lead)
    for order, (title, intro, activities) in enumerate(UNITS, start=1):
        unit = save_unit(course, title=title, intro=intro, order=order)
        for draft in activities:
            save_activity(unit, draft, lead)
    return publish_course(course, lead)


def _act(course: Course, kind: str) -> Activity:
    return course.activities.filter(kind=kind).order_by("unit__order", "order")[0]


# Each learner says it in their own words (the demo should not read like a copy machine).
DISCUSS = [
    "For me a PLN is the people I go to when I am stuck or curious — and who come to me. "
    "The tools change; the people and the reasons stay.",
    "Mine is small: three colleagues, a forum I lurk in, and two blogs I read every week. "
    "Writing that down surprised me — it is more than I thought.",
    "I used to say 'my followers'. Since this course I say 'the people I learn statistics "
    "from', and it changes whom I ask.",
    "A PLN is less a network than a habit: asking in public, thanking in public, sharing "
    "what I find.",
    "For me it is the people who answer when the documentation does not.",
]
POSITIONS = [
    (
        "Is “PLN” a useful term? Yes — because it makes me choose",
        "Naming my network made me notice it. Before, I had colleagues; now I ask *who am I "
        "learning this from, and who learns from me?* That question alone changed whom I write to.",
    ),
    (
        "Why I stopped counting followers",
        "Counting told me how loud I was, never what I learnt. Purposes tell me *why* each "
        "person matters — and who is missing.",
    ),
    (
        "A PLN is a garden, not a list",
        "Ties go dormant if I do not tend them. The map showed me three I had let wither; I "
        "wrote to all three this week.",
    ),
    (
        "What my network taught me about asking",
        "The best answers came from people I had helped before. Reciprocity is not a nicety; "
        "it is how the network works.",
    ),
]


def _do(course: Course, enrolment: Enrolment, person: Person, kind: str, n: int) -> None:
    """One activity's evidence, as the `n`th demo learner would have made it."""
    activity = _act(course, kind)
    if kind == "discuss":
        create_post(person, PostDraft(body=DISCUSS[n % len(DISCUSS)], in_reply_to=activity.thread))
    elif kind == "write":
        title, body = POSITIONS[WRITERS.index(person.handle) % len(POSITIONS)]
        create_post(
            person,
            PostDraft(
                kind="article",
                title=title,
                body=f"{body} #pln-position",
                topics=["pln-position", "Personal Learning Networks"],
            ),
        )
    elif kind == "share":
        record_outside_evidence(
            person,
            tags=["pln-shaped-me"],
            url=f"https://{person.handle}.blog.example/what-shaped-my-network",
            title="What shaped how I think about my network",
            published_at=datetime(2026, 11, 20, tzinfo=UTC),
        )
    else:
        mark_done(enrolment, activity, "")


@transaction.atomic
def load_demo(people: dict[str, Person]) -> None:
    """Create the demo course (once) with its learners at different stages."""
    if Course.objects.filter(title=TITLE).exists():
        return
    team = [people[h] for h in TEAM if h in people]
    if not team:
        return
    course = _build(team)
    for n, (handle, done) in enumerate(STAGES.items()):
        person = people.get(handle)
        if person is None:
            continue
        enrolment = enrol(course, person)
        for kind in done:
            _do(course, enrolment, person, kind, n)
