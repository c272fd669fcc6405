"""One topic, however it is written: "Open Education", "open-education" and "#OpenEducation"."""

import re
import unicodedata

MAX_TOPIC_LENGTH = 64
MAX_TOPICS_PER_ITEM = 12
_SEPARATORS = re.compile(r"[\s\-_.·'’]+")
_HASHTAG = re.compile(rf"(?<![\w/&#])#(\w[\w\-]{{0,{MAX_TOPIC_LENGTH - 1}}})")
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


class InvalidTopic(ValueError):
    """A tag that cannot be a topic (empty, too long, or made of symbols)."""


def clean_label(raw: str) -> str:
    """The human form of a tag: NFKC, no leading '#', no bidi controls, single spaces."""
    text = unicodedata.normalize("NFKC", raw)
    text = _BIDI_CONTROLS.sub("", text).strip().lstrip("#").strip()
    return " ".join(text.split())


def topic_key(raw: str) -> str:
    """The identity of a topic: NFKC, case-folded, with separators and '#' removed."""
    label = clean_label(raw)
    key = _SEPARATORS.sub("", label.casefold())
    key = unicodedata.normalize("NFKC", key)
    if not key:
        raise InvalidTopic("A topic needs at least one letter or digit.")
    if len(key) > MAX_TOPIC_LENGTH or len(label) > MAX_TOPIC_LENGTH * 2:
        raise InvalidTopic(f"A topic can be at most {MAX_TOPIC_LENGTH} characters long.")
    if not all(ch.isalnum() for ch in key):
        raise InvalidTopic("A topic may contain letters, digits, spaces and hyphens only.")
    return key


def split_topics(raw: str) -> list[str]:
    """Split a comma-separated field into labels, dropping empties."""
    return [part for part in (clean_label(p) for p in raw.split(",")) if part]


def hashtags(text: str) -> list[str]:
    """The #hashtags in a text, in order, each once (by key)."""
    seen: set[str] = set()
    found = []
    for tag in _HASHTAG.findall(text or ""):
        try:
            key = topic_key(tag)
        except InvalidTopic:
            continue
        if key not in seen:
            seen.add(key)
            found.append(tag)
    return found
