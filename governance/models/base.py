"""What every business record shares, whichever family it belongs to: who entered it, when, and its history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RecordedModel(models.Model):
    """A record someone entered: who (登记人), when (登记时间), when it last changed (更新时间), and its audit history.

    `recorded_by` is the login that entered the record (the office, or a leader entering their own), kept when that
    login is deleted as an empty value; services set it, the admin sets it on an office entry.

    History: `HistoricalRecords(inherit=True)` gives every concrete subclass its own history model
    (`Historical<Model>`, in the subclass's app, with the same fields as before this base existed). A subclass
    whose many-to-many fields belong in the history lists them by name in the class attribute
    `_history_m2m_fields` (django-simple-history reads it for inherited models; `m2m_fields=` cannot be passed per
    subclass, because declaring a second `history = HistoricalRecords(...)` on a subclass registers it twice and
    raises `MultipleRegistrationsError`). For the same reason a subclass cannot opt out of history or give its
    history other options (excluded fields, another table): a model that needs that is not a RecordedModel.

    Remember that a history row copies every field: if a record is confidential, so is its history (permissions
    for the history pages must be those of the record).
    """

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
