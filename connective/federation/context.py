"""JSON-LD without a JSON-LD processor: what we send as `@context`, and what we accept.

The fediverse speaks compacted JSON-LD whose terms are, in practice, fixed names ("id", "type",
"inReplyTo", "publicKey", Mastodon's "toot:" extras). We read those names as they are and never
expand a document, so a remote `@context` is never fetched (SECURITY.md T-20: a context URL
pointing at 169.254.169.254 or at a 100 MB file costs us nothing). Context URLs we know are
listed in KNOWN_CONTEXTS; anything else is treated as empty.

Because we do not run a JSON-LD processor, the JSON-LD keywords that would rearrange a
document's meaning for a processor — `@graph`, `@reverse`, `@included` — are refused outright
(T-07): a document that needs them is not one we can interpret the way its signer meant.
"""

from __future__ import annotations

from typing import Any

AS_CONTEXT = "https://www.w3.org/ns/activitystreams"
SECURITY_CONTEXT = "https://w3id.org/security/v1"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
# Our namespace for the Connective extensions (docs/FEDERATION.md).
CONNECTIVE_NS = "https://connective.social/ns#"

KNOWN_CONTEXTS = frozenset(
    {
        AS_CONTEXT,
        "http://www.w3.org/ns/activitystreams",
        SECURITY_CONTEXT,
        "https://w3id.org/security/data-integrity/v1",
        "https://w3id.org/security/data-integrity/v2",
        "https://w3id.org/security/multikey/v1",
        "https://w3id.org/identity/v1",
        "https://purl.archive.org/socialweb/webfinger",
        "https://www.w3.org/ns/credentials/v2",
    }
)

# Keywords that only make sense to a JSON-LD processor and can turn a document inside out.
FORBIDDEN_KEYWORDS = frozenset({"@graph", "@reverse", "@included"})

# The terms we send beyond ActivityStreams, with the meaning a JSON-LD processor would give them.
EXTENSION_TERMS: dict[str, Any] = {
    "toot": "http://joinmastodon.org/ns#",
    "schema": "http://schema.org#",
    "connective": CONNECTIVE_NS,
    "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
    "movedTo": {"@id": "as:movedTo", "@type": "@id"},
    "alsoKnownAs": {"@id": "as:alsoKnownAs", "@type": "@id"},
    "discoverable": "toot:discoverable",
    "indexable": "toot:indexable",
    "PropertyValue": "schema:PropertyValue",
    "value": "schema:value",
    "interests": {"@id": "connective:interests", "@container": "@set"},
    "expertise": {"@id": "connective:expertise", "@container": "@set"},
}


class BadShape(Exception):
    """A document we refuse to interpret; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def ap_context() -> list[Any]:
    """The `@context` of every document we publish."""
    return [AS_CONTEXT, SECURITY_CONTEXT, dict(EXTENSION_TERMS)]


def known_contexts(doc: dict[str, Any]) -> list[str]:
    """The context URLs in `doc` that we know; unknown ones (and inline maps) count for nothing."""
    value = doc.get("@context")
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, str) and item in KNOWN_CONTEXTS]


def check_shape(doc: Any) -> None:
    """Refuse documents we cannot read literally: not an object, bad `@context`, LD rewiring."""
    if not isinstance(doc, dict):
        raise BadShape("the document is not a JSON object")
    context = doc.get("@context")
    if context is not None and not isinstance(context, str | list | dict):
        raise BadShape("@context is neither a string, a list nor an object")
    stack: list[Any] = [doc]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            bad = FORBIDDEN_KEYWORDS.intersection(value)
            if bad:
                raise BadShape(f"JSON-LD keyword {sorted(bad)[0]} is not accepted")
            # A context's own term definitions may use keywords; they are never read.
            stack.extend(v for k, v in value.items() if k != "@context")
        elif isinstance(value, list):
            stack.extend(value)
