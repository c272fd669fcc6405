"""The one refusal every spaces service raises."""

from connective.core.errors import FieldError


class SpaceError(FieldError):
    """A spaces action that cannot be done; `message` is for the person, `field` names the form
    field at fault ("" when the refusal is about the action as a whole)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(field, message)
