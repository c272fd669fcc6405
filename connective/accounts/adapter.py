"""Hooks allauth calls: create the Person with the User, build mailed links from the site URL."""

from dataclasses import dataclass
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from connective.accounts.models import User
from connective.accounts.redirects import is_safe_next
from connective.accounts.services.people import create_local_person
from connective.core.uris import absolute_uri, site_host


@dataclass(frozen=True)
class ConfiguredSite:
    """What mail templates call `current_site`, from settings rather than the request."""

    name: str
    domain: str


def on_site(url: str, request: HttpRequest | None) -> str:
    """Rebase a URL that allauth built from the request's host onto CONNECTIVE_SITE_URL (T-32).

    allauth builds links with `request.build_absolute_uri`, so a request that arrived under
    another accepted host name (or a forwarded one) would otherwise put that host in mail.
    """
    if request is None or not isinstance(url, str):
        return url
    origin = f"{request.scheme}://{request.get_host()}"
    if url == origin or url.startswith(origin + "/"):
        return absolute_uri(url[len(origin) :] or "/")
    return url


class AccountAdapter(DefaultAccountAdapter):
    """Every local account gets its Person in the same transaction; links use the site URL."""

    def save_user(self, request: HttpRequest, user: User, form, commit: bool = True) -> User:
        """Save the user and create their Person, with the display name from sign-up."""
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            create_local_person(user, display_name=form.cleaned_data.get("display_name", ""))
        return user

    def clean_email(self, email: str) -> str:
        """Normalise before the uniqueness check: case-folded, surrounding space removed."""
        return super().clean_email(email.strip().lower())

    def is_safe_url(self, url: str | None) -> bool:
        """Only a path on this site may be a `next` target: `/…`, never `//host` or a scheme.

        Stricter than allauth's default, which also accepts relative references like
        ` 8"onmouseover=…` and absolute URLs on any allowed host (T-25).
        """
        return is_safe_next(url)

    def pre_authenticate(self, request: HttpRequest, **credentials) -> None:
        """Ask axes first, so a locked-out account gets its 429 with Retry-After (T-33).

        allauth's own per-login rate limit would otherwise answer first with a form error;
        it still applies afterwards, e.g. to failures spread over many addresses.
        """
        if not AxesProxyHandler.is_allowed(request, credentials):
            request.axes_locked_out = True  # type: ignore[attr-defined]
            request.axes_credentials = credentials  # type: ignore[attr-defined]
            raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)

    def get_reset_password_from_key_url(self, key: str) -> str:
        """The password-reset link, on the configured site (never the request's Host)."""
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_uri(path.replace("UID-KEY", quote(key)))

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation) -> str:
        """The email-confirmation link, on the configured site (never the request's Host)."""
        return absolute_uri(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Send with the configured site's name and host, and every own link on the site URL."""
        request = getattr(self, "request", None)
        context = {key: on_site(value, request) for key, value in context.items()}
        context["current_site"] = ConfiguredSite(
            name=settings.CONNECTIVE_INSTANCE_NAME, domain=site_host()
        )
        super().send_mail(template_prefix, email, context)
