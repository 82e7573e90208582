"""立项编号 (第四条（一）): unique and without gaps within a year."""

from __future__ import annotations

from django.db import transaction

from supervision.conf import setting
from supervision.models import TaskNumberCounter


def format_number(year: int, sequence: int) -> str:
    return str(setting("SUPERVISION_NUMBER_FORMAT")).format(year=year, seq=sequence)


def number_allocate(*, year: int) -> tuple[int, str]:
    """The next sequence of `year` and its formatted number. Must run inside the transaction that saves the task:
    the year's counter row stays locked (SELECT … FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions hold the
    database's write lock from the first statement) until that transaction ends, so a concurrent registration waits
    for it, and a registration that fails rolls its number back with it — numbers never repeat and never skip."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("number_allocate() must run inside the transaction that saves the task")
    TaskNumberCounter.objects.get_or_create(year=year)
    counter = TaskNumberCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, format_number(year, counter.last)
