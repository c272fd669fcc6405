"""A light Argon2 for the test suite only (see settings.TESTING)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class LightArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with minimal cost: the same code path as production, much faster."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1
