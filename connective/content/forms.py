"""Forms for posting: each checks what a browser sends and turns it into a PostDraft."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.utils import timezone

from connective.content.licences import DEFAULT_LICENCE, LICENCES
from connective.content.models import Kind, Post, State, Visibility
from connective.content.services.posts import LIMITS, PostDraft, PostError
from connective.core.forms import WebAddressField
from connective.topics.forms import TopicsField
from connective.topics.normalize import MAX_TOPICS_PER_ITEM

TOPICS_HELP = (
    f"Separate topics with commas. #hashtags in the text count too; at most "
    f"{MAX_TOPICS_PER_ITEM} in all."
)
LICENCE_CHOICES = [
    (lic.code, lic.name if lic.name == lic.label else f"{lic.name} ({lic.label})")
    for lic in LICENCES.values()
]
MB = 1024 * 1024


def _text(label: str, limit: int, required: bool = True, rows: int = 4, **kw: Any):
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required,
        strip=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": kw.pop("required_message", "Write something first."),
            "max_length": f"Keep it under {limit:,} characters.",
        },
        **kw,
    )


def _title(required_message: str) -> forms.CharField:
    return forms.CharField(
        label="Title", max_length=LIMITS["title"], error_messages={"required": required_message}
    )


class PostForm(forms.Form):
    """What every kind of post shares: topics and who may see it."""

    kind: ClassVar[str] = Kind.NOTE
    submit_label: ClassVar[str] = "Post"
    body_required: ClassVar[bool] = True

    topics = TopicsField(help_text=TOPICS_HELP)
    visibility = forms.ChoiceField(
        label="Who can see this", choices=Visibility.choices, initial=Visibility.PUBLIC
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def to_draft(self) -> PostDraft:
        """The cleaned data as a PostDraft for the posting service."""
        data = self.cleaned_data
        return PostDraft(
            kind=self.kind,
            body=data.get("body", ""),
            title=data.get("title", ""),
            link_url=data.get("link_url", ""),
            file=data.get("file") or None,
            licence=data.get("licence", ""),
            visibility=data.get("visibility") or Visibility.PUBLIC,
            topics=data.get("topics", []),
        )

    def apply_error(self, exc: PostError) -> None:
        """Show a service refusal beside the field it concerns (or above the form)."""
        field = exc.field if exc.field in self.fields else None
        self.add_error(field, str(exc))

    @classmethod
    def initial_from(cls, post: Post) -> dict[str, Any]:
        """The form's starting values for editing `post`."""
        return {
            "title": post.title,
            "body": post.body,
            "link_url": post.link_url,
            "licence": post.licence or DEFAULT_LICENCE,
            "visibility": post.visibility,
            "topics": ", ".join(topic.name for topic in post.topics.all()),
        }


class NoteForm(PostForm):
    """A short note."""

    kind = Kind.NOTE
    submit_label = "Post note"
    body = _text(
        "What would you like to share?",
        LIMITS["note"],
        help_text="Markdown. @mention people, #tag topics.",
    )
    field_order = ["body", "topics", "visibility"]


WHEN_CHOICES = [
    (State.PUBLISHED, "Publish now"),
    (State.DRAFT, "Keep as a draft (only you can see it)"),
    (State.SCHEDULED, "Schedule for later"),
]


class ArticleForm(PostForm):
    """A long-form article for the person's blog: published now, kept as a draft, or scheduled."""

    kind = Kind.ARTICLE
    submit_label = "Save article"
    title = _title("An article needs a title.")
    body = _text(
        "Article",
        LIMITS["article"],
        rows=12,
        help_text="Markdown: headings, lists, links, quotes, code and tables.",
        required_message="An article needs a body.",
    )
    when = forms.ChoiceField(
        label="When",
        choices=WHEN_CHOICES,
        initial=State.PUBLISHED,
        required=False,  # left out, the article is published now
        widget=forms.RadioSelect,
    )
    publish_at = forms.DateTimeField(
        label="Publish at",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        error_messages={"invalid": "Give a date and time, e.g. 2026-12-01 09:00."},
        help_text=f"For a scheduled article: date and time ({settings.TIME_ZONE}).",
    )
    field_order = ["title", "body", "topics", "visibility", "when", "publish_at"]

    def __init__(self, *args: Any, published: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if published:  # a published article stays published; only its text changes
            del self.fields["when"]
            del self.fields["publish_at"]

    def clean(self) -> dict[str, Any]:
        """A schedule needs a time in the future."""
        data = super().clean() or {}
        if data.get("when") == State.SCHEDULED and "publish_at" not in self.errors:
            at = data.get("publish_at")
            if at is None:
                self.add_error("publish_at", "Choose when to publish the article.")
            elif at <= timezone.now():
                self.add_error("publish_at", "Choose a time in the future.")
        return data

    def to_draft(self) -> PostDraft:
        """The article with its publication state."""
        draft = super().to_draft()
        draft.state = self.cleaned_data.get("when") or State.PUBLISHED
        draft.publish_at = self.cleaned_data.get("publish_at")
        return draft

    @classmethod
    def initial_from(cls, post: Post) -> dict[str, Any]:
        """Editing a draft or scheduled article starts from its state and time."""
        initial = super().initial_from(post)
        initial["when"] = post.state
        if post.publish_at:
            initial["publish_at"] = timezone.localtime(post.publish_at)
        return initial


class ResourceForm(PostForm):
    """A little OER: a link and/or a file, described and licensed."""

    kind = Kind.RESOURCE
    submit_label = "Share resource"
    title = _title("A resource needs a title.")
    link_url = WebAddressField(
        label="Address (URL)",
        required=False,
        max_length=LIMITS["url"],
        assume_scheme="https",
        error_messages={"invalid": "Give a web address starting with http:// or https://."},
        help_text="Where the resource lives. You can give an address, upload a file, or both.",
    )
    file = forms.FileField(
        label="File",
        required=False,
        help_text=f"Up to {settings.RESOURCE_FILE_MAX_BYTES // MB} MB.",
    )
    body = _text("Description", LIMITS["resource"], required=False)
    licence = forms.ChoiceField(
        label="Licence",
        choices=LICENCE_CHOICES,
        initial=DEFAULT_LICENCE,
        error_messages={"invalid_choice": "Choose one of the listed licences."},
        help_text="The licence travels with the resource wherever it is shown.",
    )
    field_order = ["title", "link_url", "file", "body", "licence", "topics", "visibility"]

    def __init__(self, *args: Any, has_file: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_file = has_file
        if has_file:
            self.fields["file"].help_text = "Upload a new file to replace the current one."

    def clean_file(self) -> Any:
        """Refuse a file over the size limit before anything is stored."""
        upload = self.cleaned_data.get("file")
        limit = settings.RESOURCE_FILE_MAX_BYTES
        if upload and upload.size > limit:
            raise forms.ValidationError(f"Files can be at most {limit // MB} MB.")
        return upload

    def clean(self) -> dict[str, Any]:
        """A resource needs somewhere to find it: an address or a file."""
        data = super().clean() or {}
        has_place = data.get("link_url") or data.get("file") or self.has_file
        if not has_place and "link_url" not in self.errors and "file" not in self.errors:
            self.add_error("link_url", "Give the resource's address or upload a file.")
        return data


class ReplyForm(PostForm):
    """A reply in a thread: a note, visible by default to whoever could see what it answers."""

    submit_label = "Reply"
    body = _text("Your reply", LIMITS["note"], rows=3, help_text="Markdown.")
    field_order = ["body", "visibility"]

    def __init__(self, *args: Any, parent: Post | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parent = parent
        if parent is not None and not self.is_bound:
            # An item of a feed is public on the web: a reply to it starts public too.
            feed_item = getattr(parent.author, "actor_type", "") == "Feed"
            self.fields["visibility"].initial = (
                Visibility.PUBLIC if feed_item else parent.visibility
            )
        self.fields["visibility"].required = False
        del self.fields["topics"]

    def to_draft(self) -> PostDraft:
        """A note answering the parent; its visibility defaults to the parent's."""
        draft = super().to_draft()
        if not self.cleaned_data.get("visibility") and self.parent is not None:
            draft.visibility = self.parent.visibility
        draft.in_reply_to = self.parent
        return draft


FORMS: dict[str, type[PostForm]] = {
    Kind.NOTE: NoteForm,
    Kind.ARTICLE: ArticleForm,
    Kind.RESOURCE: ResourceForm,
}


def form_class_for(kind: str | None) -> type[PostForm]:
    """The form for a kind of post (a note for anything unknown)."""
    return FORMS.get(kind or "", NoteForm)
