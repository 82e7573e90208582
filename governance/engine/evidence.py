"""The evidence interface: how each family app tells the obligation engine what happened.

A rule names an evidence source by code ("<family>.<record>", e.g. "talks.talk" for a family "talks"), plus optional
parameters (e.g. {"kind": "coordination"} for 碰头会, {"formal": true} for 正式谈心). Each app registers one
`EvidenceSource` per kind of record in its AppConfig.ready(). The engine asks a source once per page or job for
everything in a date range — never once per person or period — so pages keep a constant number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol


@dataclass(frozen=True)
class EvidenceRecord:
    """One record that may count towards an obligation.

    - `key`: unique and stable, e.g. "talks.talk:42" (shown in JSON output and used for links).
    - `people`: ids of governance.Person who took part (a talk's participants; a meeting's attendees).
    - `organization_id`: the organization whose team held it (meetings), or None.
    - `amount`: what it adds to a sum rule (hours of class observation); 1 for count rules.
    - `attrs`: extra facts a rule's parameters can filter on (kind, formal, topics …).
      Read-only: a source may give records with the same facts one shared mapping.
    """

    key: str
    source: str
    date: dt.date
    title: str
    url: str = ""
    people: frozenset[int] = field(default_factory=frozenset)
    organization_id: int | None = None
    amount: Decimal = Decimal(1)
    attrs: Mapping[str, Any] = field(default_factory=dict)

    def matches(self, params: Mapping[str, Any]) -> bool:
        """True if every rule parameter equals the record's attribute (a list parameter means any of)."""
        for name, wanted in params.items():
            value = self.attrs.get(name)
            if isinstance(wanted, list | tuple | set | frozenset):
                if isinstance(value, list | tuple | set | frozenset):
                    if not set(value) & set(wanted):
                        return False
                elif value not in wanted:
                    return False
            elif isinstance(value, list | tuple | set | frozenset):
                if wanted not in value:
                    return False
            elif value != wanted:
                return False
        return True


class EvidenceSource(Protocol):
    code: str  # "<family>.<record>"
    label: str  # "谈心谈话" (verbose, Chinese)
    # True when the office keeps these records (meetings: 001 三（八）, 000 五（二） 记录存档): a leader is told that,
    # not sent to a form only the office may use. False when the people concerned record their own (talks).
    office_records: bool

    def gather(
        self,
        *,
        start: dt.date,
        end: dt.date,
        people: Iterable[int] | None = None,
        organizations: Iterable[int] | None = None,
    ) -> list[EvidenceRecord]:
        """Every record dated within [start, end] that involves any of `people` (by participation) or belongs to
        any of `organizations`; None means no filter on that axis. One or two queries, whatever the range."""
        ...

    def record_url(
        self,
        *,
        rule_code: str,
        subject_person_id: int | None,
        counterpart_person_id: int | None,
        period_start: dt.date | None = None,
        period_end: dt.date | None = None,
    ) -> str:
        """Where a user goes to record evidence that satisfies such a rule ("one click to record it"). With a
        period, the page records for that period: its date starts inside it and must stay there (an overdue week
        is made good by a record dated in that week, not today). A source serving "event_owners" rules also takes
        `match` (the event's Event.match, e.g. {"task": 17}: the page of that task)."""
        ...


_SOURCES: dict[str, EvidenceSource] = {}


def record_path(
    source_code: str,
    *,
    rule_code: str,
    subject_person_id: int | None,
    counterpart_person_id: int | None,
    for_office: bool,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    match: Mapping[str, Any] | None = None,
) -> str:
    """The page where this user records evidence for a rule (for the period given, and for an event's `match`), or
    "" when there is none for them (an unknown source, or one the office keeps when the user is a leader)."""
    source = _SOURCES.get(source_code)
    if source is None or (source.office_records and not for_office):
        return ""
    # Only sources serving event_owners rules take `match`: the others are called as before.
    extra: dict[str, Any] = {"match": match} if match else {}
    return source.record_url(
        rule_code=rule_code,
        subject_person_id=subject_person_id,
        counterpart_person_id=counterpart_person_id,
        period_start=period_start,
        period_end=period_end,
        **extra,
    )


def register(source: EvidenceSource) -> None:
    _SOURCES[source.code] = source


def get_source(code: str) -> EvidenceSource:
    try:
        return _SOURCES[code]
    except KeyError:
        raise LookupError(f"unknown evidence source {code!r}; known: {sorted(_SOURCES)}") from None


def sources() -> dict[str, EvidenceSource]:
    return dict(_SOURCES)


def source_choices() -> list[tuple[str, str]]:
    return [(code, f"{src.label}（{code}）") for code, src in sorted(_SOURCES.items())]


@dataclass(frozen=True)
class Event:
    """An event a "before the event" rule counts up to, e.g. a democratic life meeting (民主生活会), or one cycle of a
    long supervised task's progress reports (003 第五条).

    The period runs from `preparation_start` to `date` (000 四（二）: talks before the meeting).

    For rules owed by the event's own people (subject "event_owners"), the source also says:
    - `owners`: ids of governance.Person who answer for it on its date (a unit's head and liaisons on the cycle's last
      day); they owe the obligation, are shown it and reminded of it.
    - `match`: record attributes a record must also have to count for this event ({"task": 17}: a report on another
      task of the same unit does not count). Events with the same `match` are one series: a dashboard shows each
      series' current event (each task's current cycle), not only one of them.
      Read-only, like EvidenceRecord.attrs."""

    key: str
    date: dt.date
    preparation_start: dt.date
    title: str
    organization_id: int | None
    url: str = ""
    owners: frozenset[int] = field(default_factory=frozenset)
    match: Mapping[str, Any] = field(default_factory=dict)


class EventSource(Protocol):
    code: str
    label: str

    def events(
        self, *, start: dt.date, end: dt.date, organizations: Iterable[int] | None, params: Mapping[str, Any]
    ) -> list[Event]:
        """Events whose preparation overlaps [start, end]. A source whose events have `owners` (for "event_owners"
        rules) also takes `people: Iterable[int] | None`: only the events any of them owns (None: no filter).
        One or two queries, whatever the range."""
        ...


_EVENT_SOURCES: dict[str, EventSource] = {}


def register_events(source: EventSource) -> None:
    _EVENT_SOURCES[source.code] = source


def get_event_source(code: str) -> EventSource:
    try:
        return _EVENT_SOURCES[code]
    except KeyError:
        raise LookupError(f"unknown event source {code!r}; known: {sorted(_EVENT_SOURCES)}") from None
