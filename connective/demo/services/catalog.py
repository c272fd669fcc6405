"""The demo community's raw material, read from the JSON files in connective/demo/data/."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
LEARNER = "learner"


@dataclass(frozen=True)
class TopicSpec:
    """An education topic and the things people say about it."""

    label: str
    tag: str
    phrase: str
    subjects: tuple[str, ...]
    insights: tuple[str, ...]
    questions: tuple[str, ...]
    answers: tuple[str, ...] = ()

    def answer(self, question: str) -> str:
        """What someone in the network would reply to one of this topic's questions."""
        if question in self.questions and len(self.answers) == len(self.questions):
            return self.answers[self.questions.index(question)]
        return ""


@dataclass(frozen=True)
class PersonSpec:
    """One demo person: who they are, what they teach, learn and can help with."""

    handle: str
    name: str
    teaches: str
    group: str
    language: str
    bio: str
    interests: tuple[str, ...]
    expertise: tuple[str, ...]
    follows: tuple[str, ...]
    links: tuple[tuple[str, str], ...]
    requires_approval: bool = False

    def knows(self, label: str) -> bool:
        """Whether the topic is among this person's interests or expertise."""
        return label in self.interests or label in self.expertise


@dataclass(frozen=True)
class ResourceSpec:
    """A little OER: title, address, description, topics, and a licence if it is fixed."""

    title: str
    url: str
    description: str
    topics: tuple[str, ...]
    licence: str = ""


@dataclass(frozen=True)
class Catalog:
    """Everything the demo is composed from."""

    topics: dict[str, TopicSpec]
    people: tuple[PersonSpec, ...]
    resources: tuple[ResourceSpec, ...]
    writing: dict[str, Any] = field(hash=False)
    threads: dict[str, Any] = field(hash=False)
    learner: dict[str, Any] = field(hash=False)

    @property
    def handles(self) -> list[str]:
        """Every demo handle, in the order the people are created."""
        return [p.handle for p in self.people]

    def person(self, handle: str) -> PersonSpec:
        """The spec for a handle."""
        return next(p for p in self.people if p.handle == handle)


def _read(name: str) -> Any:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _read_all(prefix: str) -> list[Any]:
    items: list[Any] = []
    for path in sorted(DATA_DIR.glob(f"{prefix}_*.json")):
        items.extend(json.loads(path.read_text(encoding="utf-8")))
    return items


def _topic(raw: dict[str, Any]) -> TopicSpec:
    return TopicSpec(
        label=raw["label"],
        tag=raw["tag"],
        phrase=raw["phrase"],
        subjects=tuple(raw["subjects"]),
        insights=tuple(raw["insights"]),
        questions=tuple(raw["questions"]),
        answers=tuple(raw.get("answers", ())),
    )


def _person(raw: dict[str, Any]) -> PersonSpec:
    return PersonSpec(
        handle=raw["handle"],
        name=raw["name"],
        teaches=raw["teaches"],
        group=raw["group"],
        language=raw.get("language", ""),
        bio=raw["bio"],
        interests=tuple(raw["interests"]),
        expertise=tuple(raw["expertise"]),
        follows=tuple(raw.get("follows", ())),
        links=tuple(raw.get("links", {}).items()),
        requires_approval=bool(raw.get("requires_approval", False)),
    )


def _resource(raw: dict[str, Any]) -> ResourceSpec:
    return ResourceSpec(
        title=raw["title"],
        url=raw["url"],
        description=raw["description"],
        topics=tuple(raw["topics"]),
        licence=raw.get("licence", ""),
    )


@functools.cache
def catalog() -> Catalog:
    """The demo material, read once per process."""
    return Catalog(
        topics={t["label"]: _topic(t) for t in _read_all("topics")},
        people=tuple(_person(p) for p in _read_all("people")),
        resources=tuple(_resource(r) for r in _read_all("resources")),
        writing=_read("writing.json"),
        threads=_read("threads.json"),
        learner=_read("learner.json"),
    )
