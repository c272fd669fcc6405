"""Find the people of an imported network here: by URI, by handle@host, or (with federation)
by asking their server. Whoever cannot be found is kept, never dropped."""

from __future__ import annotations

from connective.accounts.models import Person
from connective.core.uris import site_host
from connective.federation.services.resolve import ResolveError, resolve_actor, resolve_handle


def find_known(acct: str, uri: str) -> Person | None:
    """A person this server already knows under one of these addresses."""
    if uri:
        person = Person.objects.active().filter(uri=uri).order_by().first()
        if person is not None:
            return person
    handle, _, domain = acct.lstrip("@").partition("@")
    if not handle or not domain:
        return None
    domain = domain.lower().rstrip(".")
    if domain == site_host().lower():
        domain = ""
    return Person.objects.active().filter(handle__iexact=handle, domain=domain).order_by().first()


def find_or_fetch(acct: str, uri: str) -> tuple[Person | None, str]:
    """(person, "") if found here or on their server; (None, reason) otherwise."""
    person = find_known(acct, uri)
    if person is not None:
        return person, ""
    try:
        if uri:
            return resolve_actor(uri), ""
        if acct:
            return resolve_handle(acct), ""
    except ResolveError as exc:
        return None, str(exc) or "could not be found"
    return None, "no address to look up"
