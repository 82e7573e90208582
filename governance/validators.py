"""Bounds every record shares: how long a text may be and which dates are plausible (issue 7, hole 5).

A talk's notes or a meeting's minutes of 100,000 characters, a talk dated 0001-01-01 or an absence ending 9999-12-31
are typing slips or abuse, never a record of this office; refused here with a Chinese message, they never reach the
obligation engine, the pages or the reminder emails.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

# The earliest date a record may bear: the portal keeps the office's records from 2000 on.
EARLIEST_RECORD_DATE = dt.date(2000, 1, 1)
# How far ahead a record may be dated (a meeting planned, an absence announced, a secondment up to its end).
YEARS_AHEAD = 5


@deconstructible
class MaxCharsValidator(MaxLengthValidator):
    """A text's length, with a message that reads well in Chinese (Django's own says "该变量")."""

    message = _("不能超过 %(limit_value)d 个字（现有 %(show_value)d 个字）。")


def latest_record_date(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def validate_record_date(value: dt.date | None) -> None:
    """A record's date lies between 2000-01-01 and five years from today."""
    if value is None:
        return
    latest = latest_record_date()
    if not (EARLIEST_RECORD_DATE <= value <= latest):
        raise ValidationError(
            _("日期须在%(earliest)s至%(latest)s之间。"),
            code="date_out_of_range",
            params={
                "earliest": date_format(EARLIEST_RECORD_DATE, "DATE_FORMAT"),
                "latest": date_format(latest, "DATE_FORMAT"),
            },
        )
