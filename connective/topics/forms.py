"""The form field every app uses for a comma-separated list of topics."""

from typing import Any

from django import forms

from connective.topics.normalize import InvalidTopic, split_topics
from connective.topics.services.resolve import validate_labels

MAX_TOPICS_FIELD = 1000


class TopicsField(forms.CharField):
    """Comma-separated topics, checked the way the topics app checks them; cleans to labels."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Topics")
        kwargs.setdefault("required", False)
        super().__init__(max_length=MAX_TOPICS_FIELD, **kwargs)

    def clean(self, value: Any) -> list[str]:  # type: ignore[override]
        """The labels, or a ValidationError saying which rule a topic breaks."""
        text = super().clean(value)
        try:
            return validate_labels(split_topics(text or ""))
        except InvalidTopic as exc:
            raise forms.ValidationError(str(exc)) from exc
