"""Account models."""

from connective.accounts.models.person import Person, PersonLink
from connective.accounts.models.user import User

__all__ = ["Person", "PersonLink", "User"]
