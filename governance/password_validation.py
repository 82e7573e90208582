"""Password validators of the portal (AUTH_PASSWORD_VALIDATORS in settings)."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length, with its refusal in Chinese.

    Django 5.2 words the refusal "…at least %d characters.", while its zh_Hans catalogue still translates the
    earlier "…at least %(min_length)d characters.", so the refusal showed in English. This asks for the
    catalogued wording: Django's own translations apply, in Chinese and in English.
    """

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
