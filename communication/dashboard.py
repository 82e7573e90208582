"""The communication part of a leader's home page: upcoming meetings, agenda items waiting for their opinion,
their 四必谈 pairs before the next democratic life meeting, and absences they cover. Reads only; a bounded number
of queries whatever the data size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, Window

from communication.models import Meeting, MeetingKind, Opinion
from communication.selectors import (
    Readiness,
    absences_covered_by,
    agenda_items_not_ready,
    opinions_awaiting,
    organizations_of,
    sibitan_matrices,
)
from governance.models import Person

UPCOMING_DAYS = 30
MAX_ITEMS = 8


@dataclass
class SibitanSummary:
    meeting: Meeting
    done: int
    required: int
    missing: list[Person] = field(default_factory=list)


@dataclass
class CommunicationPanel:
    meetings: list[Meeting]
    opinions: list[Opinion]
    opinions_total: int
    sibitan: list[SibitanSummary]
    covering: list


def leader_panel(person: Person, *, today: dt.date) -> CommunicationPanel:
    meetings = list(
        Meeting.objects.filter(date__gte=today, date__lte=today + dt.timedelta(days=UPCOMING_DAYS))
        .filter(Q(chair=person) | Q(attendees=person) | Q(observers=person))
        .distinct()
        .select_related("organization")
        .order_by("date", "start_time")[:MAX_ITEMS]
    )
    # The total comes with the first rows (a window count over the whole set), so the panel runs the same queries
    # for one opinion awaited as for a hundred.
    opinions = list(opinions_awaiting(person).annotate(total=Window(Count("pk")))[:MAX_ITEMS])
    orgs = organizations_of(person, today)
    upcoming_dl = list(
        Meeting.objects.filter(
            kind=MeetingKind.DEMOCRATIC_LIFE,
            organization_id__in=orgs,
            date__gte=today,
            preparation_start__lte=today,
        )
        .select_related("organization")
        .order_by("date")[:2]
    )
    sibitan = []
    for matrix in sibitan_matrices(upcoming_dl):
        if person.pk not in {m.pk for m in matrix.members}:
            continue
        mine = [m for m in matrix.members if m.pk != person.pk]
        missing = [m for m in mine if not matrix.talks_between(person, m)]
        sibitan.append(SibitanSummary(matrix.meeting, len(mine) - len(missing), len(mine), missing))
    covering = list(absences_covered_by(person, today=today)[:MAX_ITEMS])
    return CommunicationPanel(
        meetings=meetings,
        opinions=opinions,
        opinions_total=opinions[0].total if opinions else 0,
        sibitan=sibitan,
        covering=covering,
    )


OFFICE_UPCOMING_DAYS = 7


@dataclass
class OfficePanel:
    """The communication part of the office's home page: agenda items that may not go to their meeting yet, and the
    meetings of the coming week."""

    not_ready: list[Readiness]
    meetings: list[Meeting]
    meetings_total: int


def office_panel(*, today: dt.date) -> OfficePanel:
    not_ready = agenda_items_not_ready()
    meetings = list(
        Meeting.objects.filter(date__gte=today, date__lte=today + dt.timedelta(days=OFFICE_UPCOMING_DAYS))
        .select_related("organization")
        .annotate(total=Window(Count("pk")))
        .order_by("date", "start_time", "pk")[:MAX_ITEMS]
    )
    return OfficePanel(
        not_ready=not_ready, meetings=meetings, meetings_total=meetings[0].total if meetings else 0
    )
