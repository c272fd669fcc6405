"""Errors that belong to one form field."""


class FieldError(Exception):
    """A refusal whose message belongs beside one form field (`field`), for the person to read."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
