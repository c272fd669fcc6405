"""Evidence that someone can help with a topic, as the viewer may see it, and how it is weighed.

For a set of topics (one topic, or the topics free text names) and a viewer, evidence is:
- declared expertise (the topic is in the person's "can help with" list);
- resources they shared on it, and how many of those others marked useful;
- articles and notes they wrote on it;
- valid (unrevoked) statements of participation for courses on it;
- which of the viewer's own connections connect to them to learn about it.
Posts count only if `Post.objects.visible_to(viewer)` lets the viewer see them: evidence a
viewer may not see is never counted, named or hinted at (SECURITY T-28).

All of it is gathered per topic set in a fixed number of queries, whatever the number of people.
`rough_scores` is the bounded first pass of the expert finder: the same evidence, but posts only
from the newest POST_WINDOW posts on the topics (read from the posts' topic links, in order),
so that a topic with 100,000 posts costs the same as one with 2,000; the people it shortlists
are then weighed exactly (`Rough.exact`: their posts counted in full).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Q
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from connective.accounts.models import Person
from connective.content.models import Kind
from connective.discovery.services import evidence_reads as reads
from connective.discovery.services.learn_ties import LearnTies, learners_from
from connective.network.models import Connection
from connective.network.purpose import join_names
from connective.topics.models import Topic
from connective.topics.normalize import InvalidTopic, topic_key

# The weight of each piece of evidence in the score (docs/discovery.md explains them).
WEIGHTS = {
    "declared": 3,  # says they can help with it
    "resource": 2,  # each resource shared on it
    "useful": 3,  # each of those resources that someone marked useful
    "article": 2,  # each article on it
    "note": 1,  # each note (or reply) on it
    "statement": 5,  # each valid statement of participation in a course on it
    "learner": 3,  # each of my connections who connects to them to learn about it
}
_WEIGHTS = tuple(
    WEIGHTS[name]
    for name in ("declared", "resource", "useful", "article", "note", "statement", "learner")
)
# No single kind of evidence counts more than this many times: ten more notes do not make
# an expert, and a flood of posts cannot buy the top place.
CAP = 10
MAX_NAMED = 3  # names in a sentence before "and N others"
MAX_QUERY_TOPICS = 5  # topics free text may stand for
POST_WINDOW = 2_000  # newest posts on the topics read by the first pass (rough_scores)


@dataclass
class Evidence:
    """What the viewer can see that says `person_id` can help with the topics."""

    person_id: int
    declared: bool = False
    resources: int = 0
    useful: int = 0
    articles: int = 0
    notes: int = 0
    statements: int = 0
    learner_ids: list[int] = field(default_factory=list)

    @property
    def score(self) -> int:
        """The weighted sum of the evidence, each count capped at CAP."""
        counts = (
            int(self.declared),
            self.resources,
            self.useful,
            self.articles,
            self.notes,
            self.statements,
            len(self.learner_ids),
        )
        return sum(w * min(n, CAP) for w, n in zip(_WEIGHTS, counts, strict=True))


def resolve_topics(raw: str) -> list[Topic]:
    """The topics free text stands for, at most MAX_QUERY_TOPICS: the topic whose key is the whole
    text, then those whose names hold it; failing those, for a list ("OER, rubrics") or a question
    ("how to licence my videos"), each part's or word's own topic, then the topics whose names
    share a word's stem ("lice" finds Open Licensing, "vide" Instructional Video)."""
    text = " ".join(raw.split())
    if not text:
        return []
    found: list[Topic] = []
    _add(found, _by_key(text))
    _add(found, Topic.objects.filter(name__icontains=text).order_by("name"))
    if found:
        return found
    parts = [p.strip() for p in text.split(",") if p.strip()]
    words = [w for w in re.findall(r"[^\W_]+", text.lower()) if w not in _STOPWORDS]
    for piece in [*parts, *words]:
        _add(found, _by_key(piece))
    for word in [w for w in words if len(w) >= 5]:
        stem = word[: max(4, len(word) - 3)]
        _add(found, Topic.objects.filter(name__icontains=stem).order_by("name"))
    return found


_STOPWORDS = frozenset(
    "a an and about for from how i in into is it me my of on or our the to with who what can "
    "help learn learning someone".split()
)


def _by_key(text: str) -> list[Topic]:
    try:
        return list(Topic.objects.filter(key=topic_key(text))[:1])
    except InvalidTopic:
        return []


def _add(found: list[Topic], more: Any) -> None:
    """Append topics (a list or a query) not found yet, until there are MAX_QUERY_TOPICS."""
    if len(found) >= MAX_QUERY_TOPICS:
        return
    for topic in more[:MAX_QUERY_TOPICS]:
        if len(found) < MAX_QUERY_TOPICS and all(t.pk != topic.pk for t in found):
            found.append(topic)


def network_ids(viewer: Person) -> set[int]:
    """People with an active connection to or from the viewer (the viewer's network)."""
    rows = (
        Connection.objects.active()
        .order_by()
        .filter(Q(owner_id=viewer.pk) | Q(target_id=viewer.pk))
    )
    found = {pk for pair in rows.values_list("owner_id", "target_id") for pk in pair}
    found.discard(viewer.pk)
    return found


def gather(
    viewer: Person | None,
    topics: Sequence[Topic],
    person_ids: Iterable[int] | None = None,
    network: set[int] | None = None,
) -> dict[int, Evidence]:
    """Evidence on `topics` per person (only people with some), limited to `person_ids` if given."""
    topic_ids = [t.pk for t in topics]
    ids = None if person_ids is None else list(person_ids)
    found: dict[int, Evidence] = {}

    def entry(pk: int) -> Evidence:
        return found.setdefault(pk, Evidence(pk))

    for pk in reads.declared(topic_ids, ids):
        entry(pk).declared = True
    _add_posts(viewer, topic_ids, ids, entry)
    for pk, n in reads.statements(topic_ids, ids).items():
        entry(pk).statements = n
    if viewer is not None:
        net = network_ids(viewer) if network is None else network
        for pk, learners in _learners(viewer, net, topic_ids, ids).items():
            entry(pk).learner_ids = learners
    return found


@dataclass
class Rough:
    """The first pass: counts per kind of evidence, and whether they are the whole story (every
    post on the topics was read: then they are what `gather` would count)."""

    counts: dict[str, Counter[int]]
    learners: dict[int, list[int]]
    complete: bool

    def scores(self) -> dict[int, int]:
        """The weighted score of everyone with some evidence."""
        scores: dict[int, int] = {}
        get = scores.get
        for name, counter in self.counts.items():  # thousands of people: plain dict arithmetic
            weight = WEIGHTS[name]
            for pk, n in counter.items():
                scores[pk] = get(pk, 0) + weight * (n if n < CAP else CAP)
        return scores

    def exact(
        self, viewer: Person | None, topics: Sequence[Topic], person_ids: list[int]
    ) -> dict[int, Evidence]:
        """What `gather` finds for `person_ids`: declared expertise, statements and learners
        were read whole by the first pass, so only the posts are counted again, all of them."""
        found = {
            pk: replace(self.evidence(pk), resources=0, useful=0, articles=0, notes=0)
            for pk in person_ids
        }
        _add_posts(viewer, [t.pk for t in topics], person_ids, found.__getitem__)
        return found

    def evidence(self, pk: int) -> Evidence:
        """One person's evidence from the counters (exact when `complete`)."""
        c = self.counts
        return Evidence(
            pk,
            declared=bool(c["declared"][pk]),
            resources=c["resource"][pk],
            useful=c["useful"][pk],
            articles=c["article"][pk],
            notes=c["note"][pk],
            statements=c["statement"][pk],
            learner_ids=self.learners.get(pk, []),
        )


def rough_scores(
    viewer: Person | None,
    topics: Sequence[Topic],
    network: set[int],
    ties: LearnTies | None = None,
) -> Rough:
    """A first, bounded pass: declared expertise, statements and learners as `gather` counts
    them, posts from the newest POST_WINDOW on the topics the viewer may see. Plain counters, no
    Evidence per person: a popular topic has thousands of candidates."""
    topic_ids = [t.pk for t in topics]
    counts: dict[str, Counter[int]] = {name: Counter() for name in WEIGHTS}
    counts["declared"].update(reads.declared(topic_ids, None))
    posts, complete = _recent_posts(viewer, topic_ids)
    for author_id, kind, useful_count in posts:
        if kind == Kind.RESOURCE:
            counts["resource"][author_id] += 1
            if useful_count > 0:
                counts["useful"][author_id] += 1
        else:
            counts["article" if kind == Kind.ARTICLE else "note"][author_id] += 1
    counts["statement"].update(reads.statements(topic_ids, None))
    learners: dict[int, list[int]] = {}
    if viewer is not None:
        learners = _learners(viewer, network, topic_ids, None, ties)
        counts["learner"].update({pk: len(owners) for pk, owners in learners.items()})
    return Rough(counts, learners, complete)


def _recent_posts(
    viewer: Person | None, topic_ids: list[int]
) -> tuple[list[tuple[int, str, int]], bool]:
    """(author, kind, useful count) of the newest POST_WINDOW posts on the topics that the viewer
    may see, and whether that is all of them: the (topic, post) index of the posts' topic links
    (content migration 0007) gives each topic's newest posts in order, from the index alone, so
    no topic's whole list of posts is read or sorted."""
    newest: set[int] = set()
    complete = True
    for topic_id in topic_ids:
        found = reads.newest_on_topic(topic_id, POST_WINDOW)
        complete = complete and len(found) < POST_WINDOW
        newest.update(found)
    if not newest:
        return [], complete
    return reads.visible_posts(viewer, sorted(newest, reverse=True)[:POST_WINDOW]), complete


def _add_posts(viewer: Person | None, topic_ids: list[int], ids: list[int] | None, entry) -> None:
    """Count the visible posts on the topics by kind, and the resources marked useful."""
    for author_id, kind, n, useful in reads.post_counts(viewer, topic_ids, ids):
        item = entry(author_id)
        if kind == Kind.RESOURCE:
            item.resources += n
            item.useful += useful
        elif kind == Kind.ARTICLE:
            item.articles += n
        else:
            item.notes += n


def _learners(
    viewer: Person,
    net: set[int],
    topic_ids: list[int],
    ids: list[int] | None,
    ties: LearnTies | None = None,
) -> dict[int, list[int]]:
    """For each person, which of the viewer's connections connect to them to learn the topics
    (from `ties` when the caller read them already: learn_ties.py)."""
    if not net:
        return {}
    if ties is not None:
        return learners_from(ties, topic_ids, ids)
    found: dict[int, set[int]] = defaultdict(set)
    for target_id, owner_id in reads.learner_ties(viewer, net, topic_ids, ids):
        found[target_id].add(owner_id)
    return {pk: sorted(owners) for pk, owners in found.items()}


def load_learners(evidence: Iterable[Evidence]) -> dict[int, Person]:
    """The people named in the evidence sentences, in one query."""
    ids = {pk for item in evidence for pk in item.learner_ids}
    if not ids:
        return {}
    return {p.pk: p for p in Person.objects.filter(pk__in=ids).only("pk", "handle", "display_name")}


def topic_label(topics: Sequence[Topic]) -> str:
    """How the sentence names the topics: "open licensing", or "a or b"."""
    names = [t.name for t in topics]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " or " + names[-1]


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def sentence(item: Evidence, topics_label: str, people: dict[int, Person]) -> SafeString:
    """Why someone is listed, in plain words, names in <bdi> (T-26), everything escaped.

    e.g. "Shared 4 resources on open licensing, 2 marked useful; Ben and Chloe connect to them
    to learn about it".
    """
    parts: list[SafeString] = []
    about = topics_label

    def on_it() -> str:
        nonlocal about
        said, about = about, "it"
        return said

    if item.declared:
        parts.append(format_html("says they can help with {}", on_it()))
    if item.resources:
        shared = format_html(
            "shared {} on {}", _count(item.resources, "resource", "resources"), on_it()
        )
        if item.useful:
            shared = format_html("{}, {} marked useful", shared, item.useful)
        parts.append(shared)
    writing = [
        _count(n, one, many)
        for n, one, many in ((item.articles, "article", "articles"), (item.notes, "note", "notes"))
        if n
    ]
    if writing:
        parts.append(format_html("wrote {} on {}", join_names(writing), on_it()))
    if item.statements:
        courses = _count(item.statements, "course", "courses")
        parts.append(
            format_html("completed {} on {} (statement of participation)", courses, on_it())
        )
    if item.learner_ids:
        parts.append(_learners_phrase(item.learner_ids, people, on_it()))
    text = format_html_join("; ", "{}", ((p,) for p in parts))
    return mark_safe(text[:1].upper() + text[1:]) if text else SafeString("")


def _learners_phrase(learner_ids: list[int], people: dict[int, Person], about: str) -> SafeString:
    """ "Ben and Chloe connect to them to learn about it" (names isolated, the rest counted)."""
    named = [people[pk] for pk in learner_ids if pk in people]
    shown = named[:MAX_NAMED]
    others = len(learner_ids) - len(shown)
    names = [format_html("<bdi>{}</bdi>", p.name) for p in shown]
    if others:
        names.append(SafeString(_count(others, "other person", "other people")))
    who = mark_safe(join_names(names))  # each part escaped above
    verb = "connects" if len(learner_ids) == 1 else "connect"
    return format_html("{} from your network {} to them to learn about {}", who, verb, about)
