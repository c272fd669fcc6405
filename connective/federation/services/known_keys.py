"""The public keys this process has read lately, so that a request with a bad signature can be
refused without a database statement.

What is kept is the key owner's row as the inbox read it (its public key and when it was
fetched), by the key id's actor part, for at most TTL. It is used to refuse only, never to
accept: an accepted request always reads the owner's row again (its key, whether it or its
domain is blocked), so a stale entry can never let a bad signature through. The refusals it
allows are the ones a fresh read gives too — a signature that does not verify against a key
fetched less than KEY_REFETCH_AFTER ago, or one whose form, date or digest is wrong — with one
exception: a key changed by another process within the last TTL. That costs the sender one
retry, never more than TTL of refusals; a change made in this process (a refetch, an actor's
Update) forgets the entry at once.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime

TTL = 30.0  # seconds an entry may refuse for; then the row is read again
MAX_ENTRIES = 10_000


@dataclass(frozen=True)
class KnownKey:
    """A key owner's public key and fetch time, as read from the database at `read_at`."""

    public_key_pem: str
    fetched_at: datetime | None
    read_at: float


_keys: dict[str, KnownKey] = {}
_lock = threading.Lock()


def _owner_part(key_id: str) -> str:
    """What a key id is kept by: its actor part (`<actor>#main-key` and GoToSocial's
    `<actor>/main-key` name the same owner as the inbox looks it up)."""
    return key_id.split("#", 1)[0].removesuffix("/main-key")


def get(key_id: str) -> KnownKey | None:
    """The key kept for this key id, if it was read less than TTL ago."""
    known = _keys.get(_owner_part(key_id))
    if known is None or time.monotonic() - known.read_at >= TTL:
        return None
    return known


def put(key_id: str, public_key_pem: str, fetched_at: datetime | None) -> None:
    """Keep the key just read from the owner's row (a full table starts again from empty: the
    entries are cheap to read back, and an attacker cannot make us keep rows we do not have)."""
    with _lock:
        if len(_keys) >= MAX_ENTRIES:
            _keys.clear()
        _keys[_owner_part(key_id)] = KnownKey(public_key_pem, fetched_at, time.monotonic())


def forget(uri: str) -> None:
    """Drop what is kept for an actor (by its id, or any of its key ids): its key changed."""
    with _lock:
        _keys.pop(_owner_part(uri), None)


def clear() -> None:
    """Forget everything (between tests)."""
    with _lock:
        _keys.clear()
