"""Say a purpose in words: "to learn about open licensing from you"."""

from collections.abc import Sequence

from django.utils.html import format_html
from django.utils.safestring import SafeString

from connective.network.models import Direction


def join_names(names: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _parts(direction: str, topic_names: Sequence[str]) -> tuple[str, str]:
    """The words before and after the other person's name, e.g. ("to help ", " with X")."""
    about = join_names(topic_names)
    if direction == Direction.HELP:
        return ("to help ", f" with {about}") if about else ("to help ", "")
    if direction == Direction.LEARN_WITH:
        return (f"to learn about {about} with ", "") if about else ("to learn with ", "")
    return (f"to learn about {about} from ", "") if about else ("to learn from ", "")


def purpose_phrase(direction: str, topic_names: Sequence[str], other: str = "you") -> str:
    """The purpose as it reads after 'connected with X …', from the owner's side."""
    before, after = _parts(direction, topic_names)
    return f"{before}{other}{after}"


def purpose_html(direction: str, topic_names: Sequence[str], other_name: str) -> SafeString:
    """The purpose naming the other person, escaped, the name isolated in <bdi> (T-26)."""
    before, after = _parts(direction, topic_names)
    return format_html("{}<bdi>{}</bdi>{}", before, other_name, after)
