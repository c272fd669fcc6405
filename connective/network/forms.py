"""The purpose form: why I connect, in a few fields."""

from collections.abc import Mapping
from typing import Any

from django import forms

from connective.core.forms import WebAddressField
from connective.network.models import Connection, Direction
from connective.network.services.connections import LIMITS, Purpose
from connective.topics.forms import MAX_TOPICS_FIELD, TopicsField
from connective.topics.normalize import InvalidTopic, split_topics
from connective.topics.services.resolve import validate_labels


class PurposeForm(forms.Form):
    """Topics, direction, where we met, and a private note; `purpose()` hands it to the service."""

    # Optional: imports and federation make connections without topics, and a direction alone
    # is a purpose. But topics are what make a purpose useful, so the help text asks for them.
    topics = TopicsField(
        label="Topics (optional)",
        help_text="What you want to learn or help with, separated by commas. Topics make your "
        "purpose useful: they tell the other person what it is about, and let you find this "
        "connection by topic in My network.",
    )
    direction = forms.ChoiceField(
        label="Direction",
        choices=Direction.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a direction: learn from, learn with, or help.",
            "invalid_choice": "Choose a direction: learn from, learn with, or help.",
        },
    )
    met_where = forms.CharField(
        label="Where we met",
        required=False,
        max_length=LIMITS["met_where"],
        help_text="A course, a thread, a conference… in a few words. They can see this.",
    )
    met_url = WebAddressField(
        label="Link to where we met (optional)",
        required=False,
        max_length=LIMITS["met_url"],
        help_text="A post, resource or space, starting with http:// or https://.",
    )
    note = forms.CharField(
        label="Private note",
        required=False,
        max_length=LIMITS["note"],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only you see this. It is never shown or sent to them.",
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def purpose(self) -> Purpose:
        """The cleaned form as a Purpose for the connections service."""
        data = self.cleaned_data
        return Purpose(
            direction=data["direction"],
            topics=data["topics"],
            met_where=data["met_where"],
            met_url=data["met_url"],
            note=data["note"],
        )

    @classmethod
    def initial_for(cls, conn: Connection) -> dict[str, str]:
        """Initial values that show an existing connection's purpose."""
        return {
            "topics": ", ".join(t.name for t in conn.topics.all()),
            "direction": conn.direction,
            "met_where": conn.met_where,
            "met_url": conn.met_url,
            "note": conn.note,
        }


def preview_values(data: Mapping[str, Any] | None) -> tuple[str, list[str]]:
    """Direction and topic labels from unvalidated input, forgiving, for the sentence preview."""
    data = data or {}
    direction = data.get("direction", "")
    if direction not in Direction.values:
        direction = Direction.LEARN_FROM
    labels: list[str] = []
    for label in split_topics(str(data.get("topics", ""))[:MAX_TOPICS_FIELD]):
        try:
            labels = validate_labels([*labels, label], limit=12)
        except InvalidTopic:
            continue
    return direction, labels
