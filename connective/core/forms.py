"""Form fields shared by every app."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from connective.core.uris import is_web_url

WEB_ADDRESS_MESSAGE = "Give a web address starting with http:// or https://."

# For a ModelAdmin's (or any model form's) `formfield_overrides`: a model URLField's form field
# gives an address typed without a scheme "https://" (Django 6's default; 5.2 warns until a form
# says which it wants).
ASSUME_HTTPS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


def _web_address(value: str) -> None:
    if value and not is_web_url(value):
        raise ValidationError(WEB_ADDRESS_MESSAGE, code="invalid")


class WebAddressField(forms.URLField):
    """An absolute http(s) address checked by core.uris.is_web_url (no ftp:, javascript:, user@)."""

    default_validators = [_web_address]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault("error_messages", {"invalid": WEB_ADDRESS_MESSAGE})
        super().__init__(**kwargs)
