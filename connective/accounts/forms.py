"""Account forms."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms


class SignupForm(AllauthSignupForm):
    """Sign-up with a display name besides the handle."""

    display_name = forms.CharField(
        max_length=100,
        required=False,
        label="Display name",
        help_text="How your name appears to others. You can change it later.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Handle"
        self.fields[
            "username"
        ].help_text = (
            "2–30 letters, digits or underscores. People find you as @handle; it cannot change."
        )
