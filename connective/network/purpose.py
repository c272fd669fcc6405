"""Say a purpose in words: "to learn about open licensing from you"."""

from collections.abc import Sequence

from connective.network.models import Direction


def join_names(names: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def purpose_phrase(direction: str, topic_names: Sequence[str], other: str = "you") -> str:
    """The purpose as it reads after 'connected with X …', from the owner's side."""
    about = join_names(topic_names)
    if direction == Direction.HELP:
        return f"to help {other} with {about}" if about else f"to help {other}"
    if direction == Direction.LEARN_WITH:
        return f"to learn about {about} with {other}" if about else f"to learn with {other}"
    return f"to learn about {about} from {other}" if about else f"to learn from {other}"
