"""Small helpers shared by the network tests."""

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
