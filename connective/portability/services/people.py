"""Find the people of an imported network here: by URI, by handle@host, or (with federation)
by asking their server. Whoever cannot be found is kept, never dropped."""

from __future__ import annotations

from urllib.parse import urlsplit

from connective.accounts.models import Person
from connective.core import http
from connective.core.uris import site_host
from connective.federation.services.resolve import ResolveError, resolve_actor, resolve_handle

Found = tuple[Person | None, str]  # (the person, "") or (None, why they were not found)

# A failure of the server itself (not of one address on it): no answer, no connection, or an
# address we may not fetch. The other people on that server are not looked up in this import.
_SERVER_FAILURES = (http.FetchFailed, http.FetchTimeout, http.URLNotAllowed)
PRELOAD_CHUNK = 500


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


def split_address(address: str) -> tuple[str, str]:
    """(acct, uri) from one address that is either a web address or handle@host."""
    if address.startswith(("http://", "https://")):
        return "", address
    return (address, "") if "@" in address.lstrip("@") else ("", "")


def _host(acct: str, uri: str) -> str:
    if uri:
        return urlsplit(uri).netloc.lower()
    return acct.lstrip("@").partition("@")[2].lower()


class PeopleFinder:
    """Finds the people of one import, each address once. A server that does not answer is
    asked once: the others on it are reported as not found straight away, so an archive full
    of people on a dead server costs one time-out, not one per person."""

    def __init__(self) -> None:
        self.found: dict[tuple[str, str], Found] = {}
        self.dead: dict[str, str] = {}

    def preload(self, addresses: list[tuple[str, str]]) -> None:
        """Find the (acct, uri) pairs known here by their actor URI in a few queries, not one
        each (most of an archive's people are usually known already)."""
        wanted: dict[str, list[tuple[str, str]]] = {}
        for acct, uri in addresses:
            if uri and (acct, uri) not in self.found:
                wanted.setdefault(uri, []).append((acct, uri))
        uris = list(wanted)
        for start in range(0, len(uris), PRELOAD_CHUNK):
            chunk = uris[start : start + PRELOAD_CHUNK]
            for person in Person.objects.active().filter(uri__in=chunk).order_by():
                for key in wanted.get(person.uri, []):
                    self.found[key] = (person, "")

    def known(self, acct: str, uri: str) -> Person | None:
        """The person if this server knows them already; never asks another server."""
        found = self.found.get((acct, uri))
        return found[0] if found is not None else find_known(acct, uri)

    def find(self, acct: str, uri: str) -> Found:
        """(person, "") if known here or found on their server; (None, reason) otherwise."""
        key = (acct, uri)
        if key not in self.found:
            person = find_known(acct, uri)
            self.found[key] = (person, "") if person is not None else self._fetch(acct, uri)
        return self.found[key]

    def _fetch(self, acct: str, uri: str) -> Found:
        reason = "no address to look up"
        # The actor's address first; then WebFinger on the handle (a server that changed its
        # addresses still answers for the handle).
        for kind, value in (("uri", uri), ("acct", acct)):
            host = _host(acct if kind == "acct" else "", uri if kind == "uri" else "")
            if not value or host in self.dead:
                reason = self.dead.get(host, reason)
                continue
            try:
                return (resolve_actor(value) if kind == "uri" else resolve_handle(value)), ""
            except ResolveError as exc:
                reason = str(exc) or "could not be found"
                if isinstance(exc.__cause__, _SERVER_FAILURES):
                    self.dead[host] = reason
        return None, reason


def find_or_fetch(acct: str, uri: str) -> Found:
    """(person, "") if found here or on their server; (None, reason) otherwise."""
    return PeopleFinder().find(acct, uri)
