"""Reads: a record's audit history as a page shows it (修改记录) — who entered or changed it, when, why, and what
changed, old → new, from django-simple-history's rows. The generic part every family's history page shares.

Values are shown as the pages show them: a choice by its label, a date as 2026-12-04, a time of day as 09:30, a
moment in local time as 2026-12-04 09:30, a yes/no as 是/否, a related record by its name (or title), a
many-to-many field the model's history tracks (`_history_m2m_fields`) as the names joined with 、, nothing as —.
Long texts (a TextField, or whatever the caller names) are said to have changed, never quoted: the history is shown
to whoever may see the record, often on a phone, and quoting two versions of a page of text helps no one.

What a history may show is what its page may show: the caller leaves out (`exclude`) a field the viewer may not see.

Queries: the history rows with their users, one per tracked many-to-many field, one per related model — the same
number for a record changed once or a hundred times.

One change may write several rows (the record's save, then one row per many-to-many change, each a little later);
rows are grouped into one change when they share a time, user and reason (a stamped change), or when they follow
each other within a few seconds by the same user with the same reason (or none).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

EMPTY = "—"
# Rows of one change written without a shared time (the record's save, then each many-to-many field's change).
SAME_CHANGE_WITHIN = dt.timedelta(seconds=3)
# A RecordedModel's bookkeeping: who entered it and when, when it last changed — never a change someone made.
BOOKKEEPING = frozenset({"recorded_by", "created_at", "updated_at"})

ACTIONS = {"created": gettext_lazy("登记"), "changed": gettext_lazy("修改"), "deleted": gettext_lazy("删除")}


@dataclass(frozen=True)
class Change:
    """One field of one change: its label, the value before and after (as the page shows them)."""

    label: str
    before: str = ""
    after: str = ""
    quoted: bool = True  # False: a long text, said to have changed, not shown


@dataclass
class Entry:
    """One change: when, who, what kind (created, changed, deleted), why, and the fields it changed. `row` is the
    record's history row after the change (None when the change wrote only rows of the record's children)."""

    when: dt.datetime
    who: str
    kind: str  # created, changed, deleted
    reason: str
    changes: list[Change] = field(default_factory=list)
    row: Any = None

    @property
    def action(self) -> str:
        return str(ACTIONS[self.kind])


# --- Values -------------------------------------------------------------------------------------------------------


def plain_value(value: Any) -> str:
    """A stored value as the pages show it, by its type: 是/否, 2026-12-04, 09:30, 2026-12-04 09:30 (local time),
    1.5 (not 1.50), — for nothing."""
    if value is None or value == "" or value == [] or value == ():
        return EMPTY
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, Decimal):
        return f"{value:f}" if value != value.to_integral_value() else f"{value:.0f}"
    return str(value)


def choice_label(choices: Iterable[tuple[Any, Any]], value: Any) -> str:
    """A choice's label (the value itself if it is no longer among the choices), — for nothing."""
    if value is None or value == "":
        return EMPTY
    return str(dict(choices).get(value, value))


def related_names(model: type[models.Model], ids: Collection[Any]) -> dict[Any, str]:
    """Names of `model`'s records by pk, in one query: their `name`, else their `title`, else str()."""
    if not ids:
        return {}
    field_names = {f.name for f in model._meta.concrete_fields}
    for shown in ("name", "title"):
        if shown in field_names:
            return dict(model._default_manager.filter(pk__in=ids).values_list("pk", shown))
    return {pk: str(obj) for pk, obj in model._default_manager.in_bulk(list(ids)).items()}


def who(user: Any) -> str:
    """Who wrote a row: the person's name, else the login's full name or username; 系统 for no user."""
    if user is None:
        return _("系统")
    person = getattr(user, "person", None)
    return (person.name if person else "") or user.get_full_name() or user.get_username()


# --- Grouping rows into changes -----------------------------------------------------------------------------------


@dataclass
class ChangeSet:
    """One change: the rows it wrote (the record's own, and its children's: attachments, handovers…)."""

    when: dt.datetime
    user: Any
    reason: str
    main: list[Any] = field(default_factory=list)
    children: list[Any] = field(default_factory=list)

    def last(self) -> dt.datetime:
        rows = self.main + self.children
        return max(r.history_date for r in rows) if rows else self.when


def belongs(row: Any, current: ChangeSet, *, is_child: bool) -> bool:
    """Whether `row` was written by the change `current`: the same time, user and reason (a stamped change), or — for
    rows written without a shared time (a save, then its many-to-many changes; the admin) — the same user and reason
    (or none), a few seconds later, and not the entry of a new record."""
    reason = row.history_change_reason or ""
    same_user = row.history_user_id == getattr(current.user, "pk", None)
    if row.history_date == current.when and reason == current.reason and same_user:
        return True
    return (
        reason == current.reason
        and same_user
        and abs(row.history_date - current.last()) <= SAME_CHANGE_WITHIN
        and (is_child or row.history_type != "+")
    )


def group_rows(main_rows: Sequence[Any], child_rows: Sequence[Any] = ()) -> list[ChangeSet]:
    """The record's own rows in the order they were written (their ids), grouped into changes; each child row
    joins the change it belongs to, else makes a change of its own at its time."""
    sets: list[ChangeSet] = []
    for row in main_rows:
        current = sets[-1] if sets else None
        if current is None or not belongs(row, current, is_child=False):
            current = ChangeSet(
                when=row.history_date, user=row.history_user, reason=row.history_change_reason or ""
            )
            sets.append(current)
        current.main.append(row)
    for row in child_rows:
        owner = next((c for c in reversed(sets) if belongs(row, c, is_child=True)), None)
        if owner is None:
            owner = ChangeSet(
                when=row.history_date, user=row.history_user, reason=row.history_change_reason or ""
            )
            # After every change written at or before it (a stopped clock in tests gives several the same time).
            at = len([c for c in sets if c.when <= row.history_date])
            sets.insert(at, owner)
        owner.children.append(row)
    return sets


def change_kind(change: ChangeSet, *, first: bool) -> str:
    types = {r.history_type for r in change.main}
    if "-" in types:
        return "deleted"
    if "+" in types or first:
        return "created"
    return "changed"


# --- A record's history -------------------------------------------------------------------------------------------


def history_rows(record: models.Model) -> list[Any]:
    """The record's own history rows in the order they were written, with who wrote them (one query)."""
    history_model = record.history.model  # type: ignore[attr-defined]
    return list(
        history_model.objects.filter(**{record._meta.pk.attname: record.pk})
        .select_related("history_user__person")
        .order_by("history_id")
    )


def _fields(
    model: type[models.Model], history_model: Any, names: Sequence[str] | None, exclude: Collection[str]
) -> list[models.Field]:
    tracked = {f.name for f in getattr(history_model, "_history_m2m_fields", ())}
    if names is None:
        shown = [
            f
            for f in model._meta.concrete_fields
            if not f.primary_key and f.name not in BOOKKEEPING and f.name not in exclude
        ]
        shown += [f for f in model._meta.many_to_many if f.name in tracked and f.name not in exclude]
        return shown
    return [model._meta.get_field(name) for name in names if name not in exclude]  # type: ignore[misc]


def record_changes(
    record: models.Model,
    *,
    fields: Sequence[str] | None = None,
    exclude: Collection[str] = (),
    long: Collection[str] | None = None,
    labels: Mapping[str, Any] | None = None,
    show: Mapping[str, Callable[[Any], str]] | None = None,
) -> list[Entry]:
    """The record's changes, newest first: who, when, what (登记, 修改, 删除), why, and each changed field's value
    before and after, as its page shows them.

    `fields`: the model fields shown, in this order (default: every concrete field but the primary key and the
    bookkeeping, then the many-to-many fields its history tracks); `exclude`: fields the viewer may not see;
    `long`: texts said to have changed, never quoted (default: the TextFields); `labels`: a label other than the
    field's verbose_name; `show`: a field's own display of a value (default: by the field's kind, see above).
    A change that changed no shown field and gives no reason (a save without edits) is left out."""
    model = type(record)
    history_model = record.history.model  # type: ignore[attr-defined]
    shown = _fields(model, history_model, fields, exclude)
    long_names = {f.name for f in shown if isinstance(f, models.TextField)} if long is None else set(long)
    labels = labels or {}
    show = show or {}
    rows = history_rows(record)

    # Many-to-many fields: the ids chosen at each row, one query per field.
    chosen: dict[str, dict[int, set[Any]]] = {}
    for f in shown:
        if f.many_to_many:
            through = getattr(history_model, f.name).model
            target = f.m2m_reverse_field_name()  # type: ignore[attr-defined]
            by_row: dict[int, set[Any]] = {r.history_id: set() for r in rows}
            for history_id, pk in through.objects.filter(history_id__in=list(by_row)).values_list(
                "history_id", f"{target}_id"
            ):
                by_row[history_id].add(pk)
            chosen[f.name] = by_row

    # Related records' names: one query per related model, for the whole history.
    wanted: dict[type[models.Model], set[Any]] = {}
    for f in shown:
        if f.name in show or not (f.many_to_one or f.one_to_one or f.many_to_many):
            continue
        ids = wanted.setdefault(f.related_model, set())  # type: ignore[arg-type]
        if f.many_to_many:
            for pks in chosen[f.name].values():
                ids |= pks
        else:
            ids |= {getattr(r, f.attname) for r in rows if getattr(r, f.attname) is not None}
    names = {related: related_names(related, ids) for related, ids in wanted.items()}

    def display(row: Any, f: models.Field) -> str:
        if f.many_to_many:
            pks = chosen[f.name].get(row.history_id, set())
            if f.name in show:
                return show[f.name](pks)
            found = names[f.related_model]  # type: ignore[index]
            return "、".join(sorted(found.get(pk, EMPTY) for pk in pks)) or EMPTY
        value = getattr(row, f.attname)
        if f.name in show:
            return show[f.name](value)
        if value is None or value == "":
            return EMPTY
        if f.many_to_one or f.one_to_one:
            return names[f.related_model].get(value, EMPTY)  # type: ignore[index]
        if f.choices:
            return choice_label(f.flatchoices, value)
        return plain_value(value)

    entries: list[Entry] = []
    previous: Any = None
    for change in group_rows(rows):
        current = change.main[-1]
        kind = change_kind(change, first=previous is None)
        entry = Entry(when=change.when, who=who(change.user), kind=kind, reason=change.reason, row=current)
        if previous is not None and kind == "changed":
            for f in shown:
                before, after = display(previous, f), display(current, f)
                if before == after:
                    continue
                label = str(labels.get(f.name, f.verbose_name))
                if f.name in long_names:
                    entry.changes.append(Change(label, quoted=False))
                else:
                    entry.changes.append(Change(label, before, after))
            if not entry.changes and not entry.reason:
                previous = current
                continue  # a save that changed nothing shown (the admin's "save" without edits)
        entries.append(entry)
        previous = current
    entries.reverse()
    return entries
