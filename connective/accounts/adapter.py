"""Hooks allauth calls: create the Person with the User, keep redirects on this host."""

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from connective.accounts.models import User
from connective.accounts.services.people import create_local_person


class AccountAdapter(DefaultAccountAdapter):
    """Every local account gets its Person in the same transaction."""

    def save_user(self, request: HttpRequest, user: User, form, commit: bool = True) -> User:
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            create_local_person(user, display_name=form.cleaned_data.get("display_name", ""))
        return user

    def clean_email(self, email: str) -> str:
        """Normalise before the uniqueness check: case-folded, surrounding space removed."""
        return super().clean_email(email.strip().lower())
