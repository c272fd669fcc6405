"""The search page's filters, checked before anything reaches the index."""

from __future__ import annotations

from typing import Any

from django import forms

from connective.accounts.models import Person
from connective.content.licences import LICENCE_CHOICES
from connective.search.models import DocKind
from connective.topics.models import Topic
from connective.topics.normalize import InvalidTopic, topic_key


class FiltersForm(forms.Form):
    """Kind, topic, licence, author and dates; every field optional."""

    kind = forms.ChoiceField(choices=[("", "Everything"), *DocKind.choices], required=False)
    topic = forms.CharField(max_length=100, required=False)
    licence = forms.ChoiceField(choices=[("", "Any licence"), *LICENCE_CHOICES], required=False)
    author = forms.CharField(max_length=320, required=False, label="By")
    since = forms.DateField(required=False, label="From")
    until = forms.DateField(required=False, label="To")

    def clean_topic(self) -> Topic | None:
        """The Topic named (by label or key); unknown topics are refused clearly."""
        raw = self.cleaned_data["topic"].strip()
        if not raw:
            return None
        try:
            topic = Topic.objects.filter(key=topic_key(raw)).first()
        except InvalidTopic as exc:
            raise forms.ValidationError(str(exc)) from exc
        if topic is None:
            raise forms.ValidationError("Nothing is tagged with that topic yet.")
        return topic

    def clean_author(self) -> Person | None:
        """The person with that handle (`ana`, `@ana` or `dana@remote.example`), or else the
        one person known here by that name ("Ana Lima")."""
        raw = " ".join(self.cleaned_data["author"].split())
        if not raw:
            return None
        handle, _, domain = raw.lstrip("@").partition("@")
        people = Person.objects.filter(suspended_at__isnull=True)
        person = people.filter(handle__iexact=handle, domain__iexact=domain).first()
        if person is None and not raw.startswith("@"):
            named = list(people.filter(display_name__iexact=raw)[:2])
            if len(named) > 1:
                raise forms.ValidationError(
                    "More than one person is called that: give their handle (@name)."
                )
            person = named[0] if named else None
        if person is None:
            raise forms.ValidationError("No one known here has that handle or name.")
        return person

    def clean(self) -> dict[str, Any]:
        """A date range must run forwards."""
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date comes before the start date.")
        return data
