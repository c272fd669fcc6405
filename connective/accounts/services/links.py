"""A person's links to their other places: website, blog, feed, fediverse account."""

import logging
import re
from dataclasses import dataclass

from connective.accounts.models import Person, PersonLink
from connective.core.errors import FieldError
from connective.core.uris import is_web_url

logger = logging.getLogger("connective.accounts")

MAX_URL_LENGTH = 500
MAX_LINKS = 12
MAX_LABEL = 100
# @user@host or user@host, as the fediverse writes an account address.
_FEDIVERSE_HANDLE = re.compile(
    r"^@?(?P<user>[A-Za-z0-9_][A-Za-z0-9_.\-]{0,63})@(?P<host>[^@/\s]+)$"
)


class LinkError(FieldError):
    """A link was refused; `field` names the form field the message belongs to."""


@dataclass(frozen=True)
class LinkTarget:
    """A checked URL and the label to show for it."""

    url: str
    label: str


def check_url(raw: str) -> str:
    """An absolute http(s) URL of at most 500 characters, without user credentials."""
    url = (raw or "").strip()
    if not url:
        raise LinkError("url", "Enter the address of the page.")
    if len(url) > MAX_URL_LENGTH:
        raise LinkError("url", f"An address can be at most {MAX_URL_LENGTH} characters.")
    if not is_web_url(url):
        if "@" in url.split("//", 1)[-1].split("/", 1)[0]:
            raise LinkError("url", "An address with a user name or password in it is not allowed.")
        raise LinkError("url", "Enter a full web address starting with https:// or http://.")
    return url


def fediverse_target(raw: str) -> LinkTarget:
    """`@user@host` becomes https://host/@user labelled @user@host; a profile URL stays as is."""
    text = (raw or "").strip()
    match = _FEDIVERSE_HANDLE.match(text)
    if not match:
        return LinkTarget(url=check_url(text), label="")
    user, host = match.group("user"), match.group("host").lower().rstrip(".")
    try:
        url = check_url(f"https://{host}/@{user}")
    except LinkError as exc:
        message = f"“{text}” is not a fediverse address like @you@example.social."
        raise LinkError("url", message) from exc
    return LinkTarget(url=url, label=f"@{user}@{host}")


def add_link(person: Person, kind: str, raw_url: str, label: str = "") -> PersonLink:
    """Add one of the person's other places; LinkError says what is wrong and stores nothing."""
    if kind not in PersonLink.Kind.values:
        raise LinkError("kind", "Choose what kind of place this is.")
    if kind == PersonLink.Kind.FEDIVERSE:
        target = fediverse_target(raw_url)
    else:
        target = LinkTarget(url=check_url(raw_url), label="")
    label = " ".join((label or "").split()) or target.label
    if len(label) > MAX_LABEL:
        raise LinkError("label", f"A label can be at most {MAX_LABEL} characters.")
    if person.links.filter(url=target.url).exists():
        raise LinkError("url", "This link is already on your profile.")
    if person.links.count() >= MAX_LINKS:
        raise LinkError("url", f"You can list at most {MAX_LINKS} links; remove one first.")
    return PersonLink.objects.create(person=person, kind=kind, url=target.url, label=label)


def remove_link(person: Person, pk: int) -> bool:
    """Remove one of the person's own links; False when they have no link with that id."""
    deleted, _ = PersonLink.objects.filter(person=person, pk=pk).delete()
    return deleted > 0
