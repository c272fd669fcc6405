"""Compose believable text from the catalogue: templates filled with topics and people."""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from random import Random
from typing import Any, Generic, TypeVar

from connective.demo.services.catalog import PersonSpec, TopicSpec

_THIRD_PERSON = {"my": "their", "our": "their", "I": "they"}
_WORD = re.compile(r"\b(my|our|I)\b")
T = TypeVar("T")


class Deck(Generic[T]):
    """Draws items without repeating until every item has been used, then reshuffles."""

    def __init__(self, rng: Random, items: Sequence[T]) -> None:
        self._rng = rng
        self._items = list(items)
        self._left: list[T] = []
        self.rounds = 0

    def draw(self) -> T:
        """The next item."""
        if not self._left:
            self._left = list(self._items)
            self._rng.shuffle(self._left)
            self.rounds += 1
        return self._left.pop()

    @property
    def fresh(self) -> bool:
        """Whether the next draw is still from the first round (no repeats yet)."""
        return self.rounds == 0 or (self.rounds == 1 and bool(self._left))


class Voice:
    """Per-topic decks of insights, questions and subjects, so sentences rarely repeat."""

    def __init__(self, rng: Random, topics: dict[str, TopicSpec]) -> None:
        self.topics = topics
        self._decks: dict[tuple[str, str], Deck[str]] = {}
        self._rng = rng

    def _deck(self, label: str, what: str) -> Deck[str]:
        key = (label, what)
        if key not in self._decks:
            self._decks[key] = Deck(self._rng, getattr(self.topics[label], what))
        return self._decks[key]

    def draw(self, label: str, what: str) -> str:
        """The next insight, question or subject about a topic."""
        return self._deck(label, what).draw()

    def freshest(self, labels: Sequence[str], what: str) -> str:
        """The first topic among `labels` that still has unused sentences of this kind."""
        for label in labels:
            if self._deck(label, what).fresh:
                return label
        return labels[0]


def fill(template: str, slots: dict[str, Any]) -> str:
    """Fill `{name}` slots; a template never names a slot the caller did not give."""
    return string.Formatter().vformat(template, (), slots)


def pick(rng: Random, choice: str | Sequence[str]) -> str:
    """A template given as one string, or one of several variants."""
    return choice if isinstance(choice, str) else rng.choice(list(choice))


def capitalise(text: str) -> str:
    """Upper-case the first letter only ("OER" stays "OER")."""
    return text[:1].upper() + text[1:]


def third_person(group: str) -> str:
    """'my Year 9 class' → 'their Year 9 class', for notes written about someone else."""
    return _WORD.sub(lambda m: _THIRD_PERSON[m.group(1)], group)


def person_slots(spec: PersonSpec) -> dict[str, str]:
    """The slots every template may use about its writer."""
    return {"teaches": spec.teaches, "group": spec.group, "language": spec.language}


def topic_slots(topic: TopicSpec) -> dict[str, str]:
    """The slots every template may use about its topic."""
    return {"phrase": topic.phrase, "Phrase": capitalise(topic.phrase), "tag": topic.tag}


def weighted_sample(rng: Random, items: Sequence[tuple[str, float]], k: int) -> list[str]:
    """Up to k distinct items, more likely the heavier ones (keys u^(1/w), highest first)."""
    keyed = [(rng.random() ** (1.0 / weight), name) for name, weight in items if weight > 0]
    keyed.sort(reverse=True)
    return [name for _, name in keyed[:k]]
