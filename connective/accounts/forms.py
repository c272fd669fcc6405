"""Account forms: sign-up (used by allauth) and the settings pages.

The settings forms only parse; the services in accounts/services decide what is acceptable.
"""

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms

from connective.accounts.models import Person, PersonLink
from connective.accounts.services.links import MAX_LABEL, MAX_URL_LENGTH
from connective.accounts.services.profile import (
    MAX_BIO,
    MAX_DISPLAY_NAME,
    MAX_PROFILE_TOPICS,
    ProfileChange,
    normalise_display_name,
    parse_topics,
    topic_labels,
)

AVATAR_ACCEPT = "image/png,image/jpeg,image/gif,image/webp"


class SignupForm(AllauthSignupForm):
    """Sign-up with a display name besides the handle."""

    display_name = forms.CharField(
        max_length=MAX_DISPLAY_NAME,
        required=False,
        label="Display name",
        help_text="How your name appears to others. You can change it later.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Handle"
        self.fields["username"].widget.attrs.update(maxlength="30", placeholder="")
        self.fields[
            "username"
        ].help_text = (
            "2–30 letters, digits or underscores. People find you as @handle; it cannot change."
        )

    def clean_display_name(self) -> str:
        """Without control characters; an empty name falls back to the handle later."""
        return normalise_display_name(self.cleaned_data.get("display_name", ""))


class ProfileForm(forms.Form):
    """Name, bio, avatar and the topics a person learns and helps with."""

    display_name = forms.CharField(
        max_length=MAX_DISPLAY_NAME,
        label="Display name",
        help_text="How your name appears to others.",
        error_messages={"required": "Enter the name you want others to see."},
    )
    bio = forms.CharField(
        required=False,
        max_length=MAX_BIO,
        label="About you",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown: *emphasis*, [links](https://example.org), lists.",
    )
    avatar = forms.FileField(
        required=False,
        label="Upload a new picture",
        widget=forms.FileInput(attrs={"accept": AVATAR_ACCEPT}),
        help_text="PNG, JPEG, GIF or WebP, at most 2 MB. It is shown at up to 400×400 pixels.",
    )
    remove_avatar = forms.BooleanField(required=False, label="Remove my picture")
    interests = forms.CharField(
        required=False,
        max_length=2000,
        label="Learning",
        help_text=f"Topics you are learning, separated by commas (at most {MAX_PROFILE_TOPICS}).",
    )
    expertise = forms.CharField(
        required=False,
        max_length=2000,
        label="Can help with",
        help_text=f"Topics you can help others with, separated by commas "
        f"(at most {MAX_PROFILE_TOPICS}).",
    )

    @classmethod
    def initial_for(cls, person: Person) -> dict:
        """The form's starting values for `person`."""
        return {
            "display_name": person.display_name or person.handle,
            "bio": person.bio,
            "interests": topic_labels(person.interests.order_by("name")),
            "expertise": topic_labels(person.expertise.order_by("name")),
        }

    def change(self) -> ProfileChange:
        """The submitted values, for `update_profile`."""
        data = self.cleaned_data
        return ProfileChange(
            display_name=data["display_name"],
            bio=data["bio"],
            interests=parse_topics(data["interests"]),
            expertise=parse_topics(data["expertise"]),
        )


class PrivacyForm(forms.Form):
    """Who may connect without asking, and whether others can find me."""

    requires_approval = forms.BooleanField(
        required=False,
        label="Ask me before someone connects",
        help_text="New connections wait until you accept them.",
    )
    discoverable = forms.BooleanField(
        required=False,
        label="Let others find me",
        help_text="On: anyone on this server can find you in people search, and the expert "
        "finder, suggestions and topic pages can suggest you to them as someone who can help. "
        "Off (how every new account starts): only your network finds you in search, and you "
        "are suggested only to your network and to people two hops out.",
    )


class LinkForm(forms.Form):
    """One of the person's other places."""

    kind = forms.ChoiceField(choices=PersonLink.Kind.choices, label="Kind of place")
    url = forms.CharField(
        max_length=MAX_URL_LENGTH,
        label="Address",
        help_text="A web address starting with https://, or a fediverse account "
        "such as @you@example.social.",
    )
    label = forms.CharField(
        required=False,
        max_length=MAX_LABEL,
        label="Label (optional)",
        help_text="Shown instead of the address, e.g. “My teaching blog”.",
    )


class LoginForm(AllauthLoginForm):
    """Log in with a handle or an email address."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Handle or email"
        self.fields["remember"].label = "Keep me logged in on this device"
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)
