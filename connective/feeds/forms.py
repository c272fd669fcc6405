"""Forms of the feeds pages."""

from __future__ import annotations

from django import forms

from connective.accounts.models import Person
from connective.content.licences import LICENCE_CHOICES
from connective.network.models import Connection


def network_of(person: Person):
    """The people in my network (an active connection either way), by name."""
    active = Connection.objects.filter(status=Connection.Status.ACTIVE)
    ids = set(active.filter(owner=person).values_list("target_id", flat=True))
    ids |= set(active.filter(target=person).values_list("owner_id", flat=True))
    return Person.objects.filter(pk__in=ids).order_by("display_name", "handle")


class SubscribeForm(forms.Form):
    """Paste a site or feed address; say whose blog it is, what it is about, or that it is mine."""

    url = forms.CharField(
        label="Site or feed address",
        max_length=400,
        help_text="A blog's address is enough: we find its feed.",
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "url"}),
    )
    attached_person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Whose blog is it?",
        empty_label="Nobody in my network",
    )
    topic = forms.CharField(label="Topic (optional)", max_length=100, required=False)
    own_blog = forms.BooleanField(
        required=False,
        label="This is my own blog",
        help_text="Posts tagged for a course activity count as your evidence.",
    )

    def __init__(self, *args, person: Person, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attached_person"].queryset = network_of(person)  # type: ignore[attr-defined]


class OpmlForm(forms.Form):
    """An OPML file to import."""

    file = forms.FileField(label="OPML file", help_text="At most 500 feeds and 1 MB.")


class ReshareForm(forms.Form):
    """Share a feed item as my own resource, keeping its link and licence."""

    title = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Why it is worth reading (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    licence = forms.ChoiceField(
        choices=LICENCE_CHOICES,
        help_text="The licence the original states; if it states none, all rights are reserved.",
    )
    topics = forms.CharField(max_length=500, required=False, help_text="Separate with commas.")
