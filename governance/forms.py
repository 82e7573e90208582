"""What every app's pages share for reading ids and days a user typed (a query string, a form): a value that is no
id a database can hold, or no day in the range the portal knows, is treated as absent or refused with a Chinese
message — it never reaches a query, where SQLite raises OverflowError for integers above 2^63−1 and date arithmetic
overflows near years 1 and 9999 (issue 7, hole 4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from governance.validators import MaxCharsValidator, validate_record_date

MAX_ID = 2**63 - 1  # the largest value of a 64-bit signed integer column (PostgreSQL bigint, SQLite INTEGER)

# The days the portal can reason about: the holiday data the office may enter runs 2000—2100
# (governance/models/calendar.py, HolidayYear), and so do the calendar feeds' time zones.
EARLIEST_DAY = dt.date(2000, 1, 1)
LATEST_DAY = dt.date(2100, 12, 31)


# The form fields every family's forms share: a date picker, a bounded text, a record's date, a service's refusal
# shown on the form.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def text(
    label: Any, limit: int, *, required: bool = False, rows: int | None = None, **kwargs: Any
) -> forms.CharField:
    """A text input (a textarea with `rows`) of at most `limit` characters, refused past it with a Chinese message;
    the browser stops typing at the limit too."""
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    widget.attrs["maxlength"] = str(limit)
    return forms.CharField(
        label=label, required=required, widget=widget, validators=[MaxCharsValidator(limit)], **kwargs
    )


def record_date(label: Any, *, required: bool = True, **kwargs: Any) -> forms.DateField:
    """A record's date: 2000-01-01 to five years from today (governance.validators)."""
    return forms.DateField(
        label=label, required=required, widget=DATE_WIDGET, validators=[validate_record_date], **kwargs
    )


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the form: on its field when the form has it, else above the form. The input stays."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields else None
            for e in errors:
                form.add_error(target, e)
    else:
        form.add_error(None, error)


def parse_id(value: Any) -> int | None:
    """`value` as a primary key: a whole number from 1 to 2^63−1, else None (text, decimals, 0, negatives, huge)."""
    if isinstance(value, bool):
        return None
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= MAX_ID else None


def parse_day(value: Any) -> dt.date | None:
    """`value` as an ISO date (YYYY-MM-DD) between EARLIEST_DAY and LATEST_DAY, else None."""
    try:
        day = dt.date.fromisoformat(str(value).strip())
    except (TypeError, ValueError):
        return None
    return day if EARLIEST_DAY <= day <= LATEST_DAY else None


def _integer_keys(field: forms.ModelChoiceField) -> bool:
    """Whether the field's choices are looked up by an integer column (the usual AutoField/BigAutoField pk)."""
    queryset = field.queryset
    if queryset is None:
        return False
    meta = queryset.model._meta
    key = meta.get_field(field.to_field_name) if field.to_field_name else meta.pk
    return isinstance(key, models.IntegerField)


class BoundedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that refuses an integer key no database row can have as "not one of the choices"
    before looking it up."""

    def to_python(self, value: Any) -> Any:
        if (
            value not in self.empty_values
            and not hasattr(value, "_meta")
            and _integer_keys(self)
            and parse_id(value) is None
        ):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses integer keys no database row can have (its `pk__in` query would
    raise OverflowError on SQLite for 2^64) as "not one of the choices"."""

    def _check_values(self, value: Any) -> Any:
        if isinstance(value, (list, tuple, set, frozenset)) and _integer_keys(self):
            for item in value:
                if not hasattr(item, "_meta") and parse_id(item) is None:
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                    )
        return super()._check_values(value)
