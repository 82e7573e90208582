"""Correcting a record (issue 8): what every edit and delete of a meeting, talk or absence shares — the reason the user
gives, and one entry in the audit history (django-simple-history) that carries it.

An edit or a delete writes several history rows: the record's own, one per many-to-many change (attendees,
participants, those notified), and those of its child rows (attachments, handovers). `stamp()` gives them all the same
`history_date`, user and reason, so the record's page shows them as one change (communication.history groups rows by
their `history_date`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from .common import DomainError

# django-simple-history's history_change_reason column is a CharField(max_length=100).
CHANGE_REASON_MAX = 100


def change_reason_or_refuse(reason: str | None, *, deleting: bool = False) -> str:
    """The reason, trimmed; refused when empty or longer than the history keeps."""
    text = (reason or "").strip()
    if not text:
        raise DomainError({"change_reason": _("请填写删除原因。") if deleting else _("请填写修改原因。")})
    if len(text) > CHANGE_REASON_MAX:
        raise DomainError(
            {
                "change_reason": _("原因最多 %(limit)d 个字（现有 %(count)d 个字）。")
                % {"limit": CHANGE_REASON_MAX, "count": len(text)}
            }
        )
    return text


def stamp(
    records: Iterable[Any], *, by: Any, reason: str | None, at: dt.datetime | None = None
) -> dt.datetime:
    """Mark `records` so that every history row their next save, delete or many-to-many change writes carries the
    same time, user and reason (None when a record is first entered). Returns the time."""
    when = at or timezone.now()
    user = by if getattr(by, "is_authenticated", False) else None
    for record in records:
        record._history_date = when
        record._history_user = user
        record._change_reason = reason
    return when


@contextmanager
def stamped(
    records: Iterable[Any], *, by: Any, reason: str | None, at: dt.datetime | None = None
) -> Iterator[dt.datetime]:
    """`stamp()` for the writes inside the block; afterwards the records forget it, so a later save of the same
    objects is its own change."""
    records = list(records)
    when = stamp(records, by=by, reason=reason, at=at)
    try:
        yield when
    finally:
        for record in records:
            for name in ("_history_date", "_history_user", "_change_reason"):
                record.__dict__.pop(name, None)


def same_people(current: Iterable[Any], wanted: Iterable[Any]) -> bool:
    return {p.pk for p in current} == {p.pk for p in wanted}
