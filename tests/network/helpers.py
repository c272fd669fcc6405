"""Small helpers shared by the network tests."""

from html.parser import HTMLParser

from django.contrib.messages import get_messages

from connective.network.models import Connection
from connective.network.services.connections import Purpose, connect


def messages_of(response) -> list[str]:
    """The flash messages a response left for the next page."""
    return [str(m) for m in get_messages(response.wsgi_request)]


def link(owner, target, direction="learn_from", topics=("open licensing",), **fields) -> Connection:
    """Connect owner to target through the service."""
    return connect(owner, target, Purpose(direction=direction, topics=list(topics), **fields))


def form_data(**overrides) -> dict[str, str]:
    """A valid connect form, with overrides."""
    data = {
        "topics": "Open Licensing, #OER",
        "direction": "learn_from",
        "met_where": "The OER course forum",
        "met_url": "https://example.org/spaces/oer",
        "note": "Asked great questions about CC BY-SA.",
    }
    data.update(overrides)
    return data


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _BidiCheck(HTMLParser):
    """Collects text containing `char` that is neither inside <bdi> nor in an aria-hidden box."""

    def __init__(self, char: str) -> None:
        super().__init__()
        self.char = char
        self.stack: list[tuple[str, bool]] = []
        self.loose: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, dict(attrs).get("aria-hidden") == "true"))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.char in data and not any(t == "bdi" or hidden for t, hidden in self.stack):
            self.loose.append(data)


def unisolated(html: str, char: str = "\u202e") -> list[str]:
    """Visible text with a bidi control outside any <bdi> (T-26); empty when all are isolated."""
    checker = _BidiCheck(char)
    checker.feed(html)
    return checker.loose


# Every direction, with and without a topic, and how the other person reads it ("Ben connected
# to learn about OER from you"): the sentence must never say "with you" twice.
THEIR_PURPOSES = [
    ("learn_from", ["OER"], "to learn about OER from you"),
    ("learn_with", ["OER"], "to learn about OER with you"),
    ("help", ["OER"], "to help you with OER"),
    ("learn_from", [], "to learn from you"),
    ("learn_with", [], "to learn with you"),
    ("help", [], "to help you"),
]
