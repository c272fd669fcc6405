"""Forms for course teams and learners; each cleans to what a service takes."""

from __future__ import annotations

from typing import Any

from django import forms

from connective.content.licences import DEFAULT_LICENCE, LICENCES
from connective.courses.models import Activity, CourseTeam
from connective.courses.services.authoring import MAX_MINUTES, ActivityDraft, CourseDraft
from connective.courses.services.evidence import MAX_REFLECTION
from connective.topics.forms import TopicsField

LICENCE_CHOICES = [
    (lic.code, lic.name if lic.name == lic.label else f"{lic.name} ({lic.label})")
    for lic in LICENCES.values()
]


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def apply_error(self, exc: Exception) -> None:
        """Show a service refusal beside its field (or above the form)."""
        field = getattr(exc, "field", None)
        self.add_error(field if field in self.fields else None, str(exc))


def _markdown(label: str, limit: int, rows: int = 6, help_text: str = "Markdown.") -> Any:
    return forms.CharField(
        label=label,
        required=False,
        max_length=limit,
        strip=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        error_messages={"max_length": f"Keep it under {limit:,} characters."},
    )


def _order() -> forms.IntegerField:
    return forms.IntegerField(
        label="Order",
        min_value=1,
        max_value=1000,
        initial=1,
        help_text="Lower numbers come first.",
        error_messages={"invalid": "Give a whole number.", "required": "Give an order."},
    )


class CourseForm(_Form):
    """A course's title, summary, topics and the licence of its text."""

    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "A course needs a title."}
    )
    summary = _markdown("Summary", 20_000, help_text="Markdown. What learners will do and why.")
    topics = TopicsField(help_text="Separate topics with commas.")
    licence = forms.ChoiceField(
        label="Licence of the course text",
        choices=LICENCE_CHOICES,
        initial=DEFAULT_LICENCE,
        error_messages={"invalid_choice": "Choose one of the listed licences."},
    )

    def to_draft(self) -> CourseDraft:
        """The cleaned data for the authoring service."""
        data = self.cleaned_data
        return CourseDraft(
            title=data["title"],
            summary=data.get("summary", ""),
            topics=data.get("topics", []),
            licence=data["licence"],
        )


class UnitForm(_Form):
    """A unit's title, introduction and place."""

    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "A unit needs a title."}
    )
    intro = _markdown("Introduction", 20_000, rows=4)
    order = _order()


class ActivityForm(_Form):
    """An activity: what to do, how long it takes, and how it is completed."""

    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "An activity needs a title."}
    )
    kind = forms.ChoiceField(
        label="Kind",
        choices=Activity.Kind.choices,
        help_text="Discuss: a post in its thread. Write: an article with the tag. Share: a "
        "resource with the tag. Read, watch, reflect: the learner marks it done.",
        error_messages={"invalid_choice": "Choose a kind of activity."},
    )
    instructions = _markdown("Instructions", 20_000, rows=8)
    estimated_minutes = forms.IntegerField(
        label="Estimated time (minutes)",
        min_value=1,
        max_value=MAX_MINUTES,
        initial=30,
        error_messages={
            "invalid": "Give the time in whole minutes.",
            "required": "Give an estimated time.",
            "min_value": "Estimate between 1 minute and 100 hours.",
            "max_value": "Estimate between 1 minute and 100 hours.",
        },
    )
    required = forms.BooleanField(label="Required for the statement", required=False, initial=True)
    tag = forms.CharField(
        label="Tag",
        max_length=64,
        required=False,
        help_text="For write and share: the hashtag that marks evidence, e.g. pln-position.",
    )
    order = _order()

    def to_draft(self) -> ActivityDraft:
        """The cleaned data for the authoring service."""
        data = self.cleaned_data
        return ActivityDraft(
            title=data["title"],
            kind=data["kind"],
            instructions=data.get("instructions", ""),
            estimated_minutes=data["estimated_minutes"],
            required=bool(data.get("required")),
            tag=data.get("tag", ""),
            order=data["order"],
        )


class TeamMemberForm(_Form):
    """Add someone on this server to the course team."""

    handle = forms.CharField(
        label="Handle",
        max_length=64,
        help_text="Their handle on this server, e.g. ana.",
        error_messages={"required": "Give a handle."},
    )
    role = forms.ChoiceField(
        label="Role", choices=CourseTeam.Role.choices, initial=CourseTeam.Role.FACILITATOR
    )


class DoneForm(_Form):
    """Mark a read, watch or reflect activity done, with an optional private reflection."""

    reflection = _markdown(
        "Private reflection (optional)",
        MAX_REFLECTION,
        rows=3,
        help_text="Only you can see it. It is not part of your statement.",
    )


class RevokeForm(_Form):
    """Revoke a learner's statement, saying why."""

    reason = forms.CharField(
        label="Reason",
        max_length=500,
        help_text="The learner and anyone verifying the statement will see it.",
        error_messages={"required": "Give a reason."},
    )
