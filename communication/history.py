"""Reads: a record's audit history as its page shows it (修改记录) — who entered or changed it, when, why, and what
changed, from django-simple-history's rows.

One change writes several rows (the record's own, one per many-to-many change, its attachments or handovers);
communication.services.changes gives them one `history_date`, user and reason, and governance.history groups rows by
these (the record's own rows in the order they were written, each attachment's or handover's joining its change). Rows
written without that (the admin, older records) are grouped when they follow each other within a few seconds, by the
same user, with the same reason or none. Values are shown by governance.history's rules (dates, times, 是/否, choices).

What the history may show is what the page may show: a talk's history is on the talk's page (its participants and the
office), a meeting's on the meeting's. Long texts (议题, 会议纪要, 谈话要点, 事由) are said to have changed, never
quoted; a confidential meeting's minutes and attachments are left out for whoever may not read them (001 三（八））.
A constant number of queries per record, whatever the length of its history."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_lazy

from communication.models import Absence, AbsenceKind, Meeting, MeetingKind, Talk, TalkChannel, TalkTopic
from governance.history import EMPTY, Change, Entry, change_kind, choice_label, group_rows, plain_value, who
from governance.models import Organization, Person

__all__ = ["Change", "Entry", "record_history"]


# --- What each record shows -------------------------------------------------------------------------------------

# kinds: text, long, date, time, bool, choice:<choices>, person, organization, meeting, people, topics
Spec = tuple[str, Any, str]  # (attname on the history row, or an m2m field's name; label; kind)

MEETING_FIELDS: list[Spec] = [
    ("kind", gettext_lazy("会议类型"), "kind"),
    ("organization_id", gettext_lazy("召开单位"), "organization"),
    ("title", gettext_lazy("会议名称"), "text"),
    ("date", gettext_lazy("会议日期"), "date"),
    ("start_time", gettext_lazy("开始时间"), "time"),
    ("end_time", gettext_lazy("结束时间"), "time"),
    ("place", gettext_lazy("地点"), "text"),
    ("chair_id", gettext_lazy("主持人"), "person"),
    ("attendees", gettext_lazy("参会人员"), "people"),
    ("observers", gettext_lazy("列席人员"), "people"),
    ("agenda", gettext_lazy("议题"), "long"),
    ("minutes", gettext_lazy("会议纪要"), "records"),
    ("confidential", gettext_lazy("保密"), "bool"),
    ("topics_announced_on", gettext_lazy("议题预告日期"), "date"),
    ("preparation_start", gettext_lazy("谈心谈话开始日期"), "date"),
]
TALK_FIELDS: list[Spec] = [
    ("participants", gettext_lazy("参与人"), "people"),
    ("date", gettext_lazy("谈话日期"), "date"),
    ("formal", gettext_lazy("正式谈心"), "bool"),
    ("channel", gettext_lazy("谈话类别"), "channel"),
    ("topics", gettext_lazy("谈话内容"), "topics"),
    ("notes", gettext_lazy("谈话要点"), "long"),
    ("democratic_life_meeting_id", gettext_lazy("计入民主生活会“四必谈”"), "meeting"),
]
ABSENCE_FIELDS: list[Spec] = [
    ("person_id", gettext_lazy("外出人员"), "person"),
    ("kind", gettext_lazy("外出类型"), "absence_kind"),
    ("start", gettext_lazy("开始日期"), "date"),
    ("end", gettext_lazy("结束日期"), "date"),
    ("destination", gettext_lazy("地点"), "text"),
    ("reason", gettext_lazy("事由"), "long"),
    ("notified", gettext_lazy("已通报"), "people"),
    ("leave_approved_by_id", gettext_lazy("准假领导"), "person"),
]
CHOICES: dict[str, Any] = {"kind": MeetingKind, "channel": TalkChannel, "absence_kind": AbsenceKind}


@dataclass(frozen=True)
class Children:
    """Rows that belong to the record and have their own history: a meeting's attachments, an absence's handovers."""

    label: Any
    rows: Callable[[int], Any]  # record pk -> historical rows' queryset
    describe: Callable[[Any, dict[int, str]], str]  # a historical row, person names -> its line
    people: Callable[[Any], Iterable[int]] = lambda row: ()
    confidential: bool = False  # a meeting's attachments: only with its records (001 三（八））


def _attachment_rows(pk: int):
    from communication.models import MeetingAttachment

    return MeetingAttachment.history.filter(meeting_id=pk)


def _handover_rows(pk: int):
    from communication.models import Handover

    return Handover.history.filter(absence_id=pk)


ATTACHMENTS = Children(
    label=gettext_lazy("附件"), rows=_attachment_rows, describe=lambda row, names: row.name, confidential=True
)
HANDOVERS = Children(
    label=gettext_lazy("工作交接"),
    rows=_handover_rows,
    describe=lambda row, names: f"{names.get(row.covering_id, EMPTY)}：{row.duties}",
    people=lambda row: (row.covering_id,),
)

SPECS: dict[type[Model], tuple[list[Spec], Children | None]] = {
    Meeting: (MEETING_FIELDS, ATTACHMENTS),
    Talk: (TALK_FIELDS, None),
    Absence: (ABSENCE_FIELDS, HANDOVERS),
}


# --- Reading ------------------------------------------------------------------------------------------------------


def record_history(record: Model, *, show_records: bool = True) -> list[Entry]:
    """The record's changes, newest first: who, when, what (登记, 修改), why, and each field's before and after.
    `show_records`: whether the viewer may read a meeting's minutes and attachments (001 三（八））."""
    specs, children = SPECS[type(record)]
    if children is not None and children.confidential and not show_records:
        children = None
    specs = [s for s in specs if s[2] != "records" or show_records]
    history_model = record.history.model  # type: ignore[attr-defined]
    main_rows = list(
        history_model.objects.filter(id=record.pk)
        .select_related("history_user__person")
        .order_by("history_id")
    )
    m2m: dict[str, dict[int, set[int]]] = {}
    for name, _label, shown_as in specs:
        if shown_as == "people":
            through = getattr(history_model, name).model
            by_row: dict[int, set[int]] = {r.history_id: set() for r in main_rows}
            for history_id, person_id in through.objects.filter(history_id__in=list(by_row)).values_list(
                "history_id", "person_id"
            ):
                by_row[history_id].add(person_id)
            m2m[name] = by_row
    child_rows = (
        list(
            children.rows(record.pk)
            .select_related("history_user__person")
            .order_by("history_date", "history_id")
        )
        if children
        else []
    )

    person_ids: set[int] = set()
    organization_ids: set[int] = set()
    meeting_ids: set[int] = set()
    for row in main_rows:
        for name, _label, shown_as in specs:
            if shown_as == "person" and getattr(row, name):
                person_ids.add(getattr(row, name))
            elif shown_as == "organization" and getattr(row, name):
                organization_ids.add(getattr(row, name))
            elif shown_as == "meeting" and getattr(row, name):
                meeting_ids.add(getattr(row, name))
    for by_row in m2m.values():
        for ids in by_row.values():
            person_ids |= ids
    for row in child_rows:
        person_ids |= set(children.people(row)) if children else set()
    names = dict(Person.objects.filter(pk__in=person_ids).values_list("pk", "name")) if person_ids else {}
    organizations = (
        dict(Organization.objects.filter(pk__in=organization_ids).values_list("pk", "name"))
        if organization_ids
        else {}
    )
    meetings = (
        {
            pk: f"{title}（{date:%Y-%m-%d}）"
            for pk, title, date in Meeting.objects.filter(pk__in=meeting_ids).values_list(
                "pk", "title", "date"
            )
        }
        if meeting_ids
        else {}
    )

    def show(row: Any, name: str, kind: str) -> str:
        if kind == "people":
            chosen = sorted(names.get(pk, EMPTY) for pk in m2m[name].get(row.history_id, set()))
            return "、".join(chosen) or EMPTY
        value = getattr(row, name)
        if value in (None, "", []):
            return EMPTY
        if kind in CHOICES:
            return choice_label(CHOICES[kind].choices, value)
        if kind == "topics":
            labels = dict(TalkTopic.choices)
            return "、".join(str(labels.get(t, t)) for t in value) or EMPTY
        if kind == "person":
            return names.get(value, EMPTY)
        if kind == "organization":
            return organizations.get(value, EMPTY)
        if kind == "meeting":
            return meetings.get(value, EMPTY)
        return plain_value(value)

    def children_state(children: Children, state: dict[int, Any]) -> str:
        lines = [children.describe(row, names) for _pk, row in sorted(state.items())]
        return "；".join(lines) or EMPTY

    entries: list[Entry] = []
    previous: Any = None
    child_state: dict[int, Any] = {}
    for change in group_rows(main_rows, child_rows):
        current = change.main[-1] if change.main else previous
        before_children = children_state(children, child_state) if children else ""
        for row in change.children:
            if row.history_type == "-":
                child_state.pop(row.id, None)
            else:
                child_state[row.id] = row
        kind = change_kind(change, first=previous is None)
        entry = Entry(when=change.when, who=who(change.user), kind=kind, reason=change.reason, row=current)
        if previous is not None and current is not None and kind == "changed":
            for name, label, shown_as in specs:
                before, after = show(previous, name, shown_as), show(current, name, shown_as)
                if before != after:
                    if shown_as in ("long", "records"):
                        entry.changes.append(Change(str(label), quoted=False))
                    else:
                        entry.changes.append(Change(str(label), before, after))
        if children is not None and kind == "changed":
            after_children = children_state(children, child_state)
            if after_children != before_children:
                entry.changes.append(Change(str(children.label), before_children, after_children))
        if kind == "changed" and not entry.changes and not entry.reason:
            previous = current
            continue  # a save that changed nothing shown (the admin's "save" without edits)
        entries.append(entry)
        previous = current
    entries.reverse()
    return entries
