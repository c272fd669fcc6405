"""Forms for spaces: each checks what a browser sends; the services decide the rest."""

from __future__ import annotations

from django import forms

from connective.content.services.posts import LIMITS
from connective.spaces.services.moderation import REASON_MAX
from connective.spaces.services.spaces import DESCRIPTION_MAX, NAME_MAX
from connective.topics.forms import TopicsField


def _text(label: str, limit: int, *, required: bool = True, rows: int = 6, help_text: str = ""):
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required,
        strip=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": "Write something first.",
            "max_length": f"Keep it under {limit:,} characters.",
        },
    )


class _Form(forms.Form):
    """Labels without Django's trailing colon, like every other form of ours."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class SpaceForm(_Form):
    """A space's name, description, topics and openness."""

    name = forms.CharField(
        label="Name",
        max_length=NAME_MAX,
        error_messages={"required": "Give the space a name."},
    )
    description = _text(
        "Description", DESCRIPTION_MAX, required=False, help_text="What the space is for. Markdown."
    )
    topics = TopicsField(help_text="Separate topics with commas.")
    members_only = forms.BooleanField(
        label="Members only",
        required=False,
        help_text="Only members read its threads; a moderator approves each request to join.",
    )


class ThreadForm(_Form):
    """A new thread: a title and its first post."""

    title = forms.CharField(
        label="Title",
        max_length=LIMITS["title"],
        error_messages={"required": "Give the thread a title."},
    )
    body = _text("What do you want to discuss?", LIMITS["note"], help_text="Markdown.")
    topics = TopicsField(help_text="Separate topics with commas.")


class ReplyForm(_Form):
    """A reply in a thread, to its first post or to any reply (`parent`)."""

    body = _text("Your reply", LIMITS["note"], rows=4, help_text="Markdown.")
    parent = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62)


class HideForm(_Form):
    """Why a moderator hides a post; everyone reads the reason in the post's place."""

    reason = forms.CharField(
        label="Reason (everyone sees it)",
        max_length=REASON_MAX,
        error_messages={"required": "Say why the post is hidden."},
    )


class JoinForm(_Form):
    """An optional word to the moderators when asking to join."""

    message = forms.CharField(label="A word to the moderators", max_length=500, required=False)
