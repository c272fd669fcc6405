"""Actor keys: every local person signs what we send with an RSA key pair kept on their Person row.

The pair is made on first need (the first actor document served or the first delivery signed),
not at signup, so people who never federate cost nothing. RSA 2048 with rsa-sha256 is what
Mastodon and the rest of the fediverse verify (draft-cavage HTTP signatures).
"""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import transaction

from connective.accounts.models import Person

KEY_SIZE = 2048


class NotLocal(Exception):
    """Keys are made only for people on this instance."""


def key_id(person: Person) -> str:
    """The id of the person's public key, as it appears in actor documents and signatures."""
    return f"{person.uri}#main-key"


def generate_key_pair() -> tuple[str, str]:
    """A new (private PEM, public PEM) RSA pair."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    private_pem = private.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    ).decode("ascii")
    public_pem = (
        private.public_key()
        .public_bytes(
            encoding=serialization.Encoding.PEM,
            format=serialization.PublicFormat.SubjectPublicKeyInfo,
        )
        .decode("ascii")
    )
    return private_pem, public_pem


def ensure_keys(person: Person) -> Person:
    """Give a local person a key pair if they have none yet; returns the person with keys set.

    Two requests racing for the first key both generate one, but only the first write wins
    (the update is conditional on the key still being empty) and both return that one.
    """
    if not person.is_local:
        raise NotLocal(person.uri)
    if person.private_key_pem and person.public_key_pem:
        return person
    private_pem, public_pem = generate_key_pair()
    with transaction.atomic():
        Person.objects.filter(pk=person.pk, private_key_pem="").update(
            private_key_pem=private_pem, public_key_pem=public_pem
        )
        stored = Person.objects.filter(pk=person.pk).values_list(
            "private_key_pem", "public_key_pem"
        )
        person.private_key_pem, person.public_key_pem = stored.get()
    return person
