"""A fake fediverse server on the loopback trap: actor documents from fixtures, WebFinger."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.trap import Trap

FIXTURES = Path(__file__).parent / "fixtures" / "actors"
ORIGINS = {
    "mastodon": "https://mastodon.example",
    "pleroma": "https://pleroma.example",
    "misskey": "https://misskey.example",
    "gotosocial": "https://gts.example",
    "peertube": "https://peertube.example",
    "lemmy": "https://lemmy.example",
    "wordpress": "https://blog.example",
}
AP = "application/activity+json"


def actor_fixture(name: str) -> dict[str, Any]:
    """One of the actor documents, as its software sends it."""
    return json.loads((FIXTURES / f"{name}.json").read_text())


def rebased(name: str, trap: Trap) -> dict[str, Any]:
    """The fixture with its origin moved onto the trap, so it can be fetched from its id."""
    text = (FIXTURES / f"{name}.json").read_text().replace(ORIGINS[name], trap.url("").rstrip("/"))
    return json.loads(text)


def path_of(url: str, trap: Trap) -> str:
    """The path (and query) of a URL on the trap."""
    return url.removeprefix(trap.url("").rstrip("/"))


def serve_actor(trap: Trap, doc: dict[str, Any], *, content_type: str = AP) -> str:
    """Serve `doc` at its own id on the trap; the id."""
    trap.serve(path_of(doc["id"], trap), json.dumps(doc), content_type=content_type)
    return doc["id"]


def serve_webfinger(trap: Trap, name: str, actor_id: str) -> str:
    """Answer WebFinger for name@<trap host:port> with actor_id; the handle."""
    host = trap.url("").removeprefix("http://").rstrip("/")
    jrd = {
        "subject": f"acct:{name}@{host}",
        "links": [
            {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": actor_id},
            {"rel": "self", "type": AP, "href": actor_id},
        ],
    }
    trap.serve("/.well-known/webfinger", json.dumps(jrd), content_type="application/jrd+json")
    return f"{name}@{host}"
