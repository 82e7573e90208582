"""The domain error every service raises when it refuses an action."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A refused action, with a Chinese message the user can act on.

    A ValidationError, so a page adds it to its form like any other error (field errors stay on their field), and a
    command prints it and exits 1."""


def clean_or_refuse(obj, **kwargs) -> None:
    """`obj.full_clean()`, its ValidationError turned into a DomainError (field errors kept on their fields)."""
    try:
        obj.full_clean(**kwargs)
    except ValidationError as error:
        raise DomainError(error.error_dict if hasattr(error, "error_dict") else error.error_list) from error
