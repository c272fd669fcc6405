"""The purpose form: why I connect, in a few fields."""

from collections.abc import Mapping
from typing import Any

from django import forms

from connective.core.uris import is_web_url
from connective.network.models import Connection, Direction
from connective.network.services.connections import LIMITS, Purpose
from connective.topics.normalize import InvalidTopic, split_topics
from connective.topics.services.resolve import validate_labels

MAX_TOPICS_FIELD = 1000


class PurposeForm(forms.Form):
    """Topics, direction, where we met, and a private note; `purpose()` hands it to the service."""

    topics = forms.CharField(
        label="Topics",
        required=False,
        max_length=MAX_TOPICS_FIELD,
        help_text="What you want to learn or help with, separated by commas.",
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
    met_url = forms.URLField(
        label="Link to where we met (optional)",
        required=False,
        max_length=LIMITS["met_url"],
        assume_scheme="https",
        error_messages={"invalid": "Enter a full web address starting with http:// or https://."},
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

    def clean_topics(self) -> list[str]:
        """Split on commas and check each label; at most 12 topics."""
        labels = split_topics(self.cleaned_data.get("topics", ""))
        try:
            return validate_labels(labels)
        except InvalidTopic as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_met_url(self) -> str:
        """Only absolute http(s) links: never javascript:, data: or relative paths."""
        url = self.cleaned_data.get("met_url", "")
        if url and not is_web_url(url):
            raise forms.ValidationError("A link must start with http:// or https://.")
        return url

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
