"""Evidence and event sources the obligation engine counts (governance.engine.evidence), registered in
communication/family.py.

- "communication.meeting" (会议): one record per meeting; people = chair + attendees (not observers);
  organization_id = the organization that held it; attrs {"kind": <MeetingKind value>}.
- "communication.talk" (谈心谈话): one record per talk; people = participants; organization_id None;
  attrs {"formal": bool, "topics": (TalkTopic values),, "channel": <TalkChannel value>, "meeting_id": id | None}.
  Talks belong to no organization, so an `organizations` filter alone matches none of them.
- Event source "communication.meeting": democratic life meetings (民主生活会, 000 四（二）) — or the kind named in the
  rule's event params — as Event(date, preparation_start, organization_id), for "before the event" rules.

Each gather runs a fixed number of queries whatever the range: the rows, then the people of those rows through the
M2M table (and, for talks, the participants' names).
No record carries a talk's notes or a meeting's minutes.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from operator import itemgetter
from typing import Any
from urllib.parse import urlencode

from django.db import connection
from django.db.models import CharField, F, IntegerField, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy, pgettext

from governance.engine.evidence import Event, EvidenceRecord
from governance.links import pk_link_maker

MEETING = "communication.meeting"
TALK = "communication.talk"


def _people_and_orgs(
    people: Iterable[int] | None, organizations: Iterable[int] | None
) -> tuple[list[int] | None, list[int] | None]:
    return (None if people is None else list(people), None if organizations is None else list(organizations))


def _record_query(path_name: str, params: Mapping[str, Any]) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    url = reverse(path_name)
    return f"{url}?{query}" if query else url


def _period_params(start: dt.date | None, end: dt.date | None) -> dict[str, str]:
    """?period_start=&period_end= for a record link made for one period (both or neither)."""
    if start is None or end is None:
        return {}
    return {"period_start": start.isoformat(), "period_end": end.isoformat()}


class MeetingEvidence:
    code = MEETING
    label = gettext_lazy("会议")
    office_records = True  # 000 五（二）: 党委办公室负责……记录存档

    def _meetings(
        self, *, start: dt.date, end: dt.date, people: list[int] | None, organizations: list[int] | None
    ) -> QuerySet:
        from communication.models import Meeting

        qs = Meeting.objects.filter(date__gte=start, date__lte=end)
        if people is None and organizations is None:
            return qs
        match = Q(pk__in=[])
        if people is not None:
            through = Meeting.attendees.through
            match |= Q(chair_id__in=people) | Q(
                pk__in=through.objects.filter(person_id__in=people).values("meeting_id")
            )
        if organizations is not None:
            match |= Q(organization_id__in=organizations)
        return qs.filter(match)

    def gather(
        self,
        *,
        start: dt.date,
        end: dt.date,
        people: Iterable[int] | None = None,
        organizations: Iterable[int] | None = None,
    ) -> list[EvidenceRecord]:
        from communication.models import Meeting

        people_ids, org_ids = _people_and_orgs(people, organizations)
        meetings = self._meetings(start=start, end=end, people=people_ids, organizations=org_ids)
        rows = list(
            meetings.values_list("pk", "date", "title", "kind", "organization_id", "chair_id").order_by(
                "date", "pk"
            )
        )
        if not rows:
            return []
        attendees: dict[int, set[int]] = defaultdict(set)
        through = Meeting.attendees.through
        attendee_rows = through.objects.filter(meeting_id__in=meetings.values("pk"))
        for meeting_id, person_id in attendee_rows.values_list("meeting_id", "person_id"):
            attendees[meeting_id].add(person_id)
        url = pk_link_maker("communication:meeting_detail")
        # One shared attrs mapping per kind: the engine tests each once.
        by_kind: dict[str, dict[str, str]] = {}
        return [
            EvidenceRecord(
                key=f"{MEETING}:{pk}",
                source=MEETING,
                date=date,
                title=title,
                url=url(pk),
                people=frozenset(attendees.get(pk, set()) | {chair_id}),
                organization_id=organization_id,
                attrs=by_kind.setdefault(kind, {"kind": kind}),
            )
            for pk, date, title, kind, organization_id, chair_id in rows
        ]

    def record_url(
        self,
        *,
        rule_code: str,
        subject_person_id: int | None,
        counterpart_person_id: int | None,
        period_start: dt.date | None = None,
        period_end: dt.date | None = None,
    ) -> str:
        """The office's meeting form, its kind and organization prefilled from the rule (and the subject's team), its
        date inside the period."""
        return _record_query(
            "communication:meeting_create",
            {"rule": rule_code, "for": subject_person_id, **_period_params(period_start, period_end)},
        )

    def events(
        self, *, start: dt.date, end: dt.date, organizations: Iterable[int] | None, params: Mapping[str, Any]
    ) -> list[Event]:
        """Meetings (by default 民主生活会) whose preparation [preparation_start, date] overlaps [start, end]."""
        from communication.models import Meeting, MeetingKind

        kind = params.get("kind", MeetingKind.DEMOCRATIC_LIFE)
        kinds = list(kind) if isinstance(kind, list | tuple | set | frozenset) else [kind]
        qs = Meeting.objects.filter(kind__in=kinds, date__gte=start).filter(
            Q(preparation_start__lte=end) | Q(preparation_start__isnull=True, date__lte=end)
        )
        if organizations is not None:
            qs = qs.filter(organization_id__in=list(organizations))
        url = pk_link_maker("communication:meeting_detail")
        return [
            Event(
                key=f"{MEETING}:{pk}",
                date=date,
                preparation_start=preparation_start or date,
                title=title,
                organization_id=organization_id,
                url=url(pk),
            )
            for pk, date, preparation_start, title, organization_id in qs.values_list(
                "pk", "date", "preparation_start", "title", "organization_id"
            ).order_by("date", "pk")
        ]


def _same(value: Any) -> Any:
    return value


_talk_facts = itemgetter(0, 1, 2, 3, 4, 5)  # a talk's own columns in a participant row


class TalkEvidence:
    code = TALK
    label = gettext_lazy("谈心谈话")
    office_records = False  # the participants record their own talk

    def gather(
        self,
        *,
        start: dt.date,
        end: dt.date,
        people: Iterable[int] | None = None,
        organizations: Iterable[int] | None = None,
    ) -> list[EvidenceRecord]:
        from communication.models import Talk

        people_ids, org_ids = _people_and_orgs(people, organizations)
        through = Talk.participants.through
        rows = through.objects.filter(talk__date__gte=start, talk__date__lte=end)
        if people_ids is not None:
            # An uncorrelated IN subquery: SQLite and PostgreSQL build it once (a correlated EXISTS per talk was
            # several times slower over a year of a university's talks), from the (person, talk) index alone.
            rows = rows.filter(talk_id__in=through.objects.filter(person_id__in=people_ids).values("talk_id"))
        elif org_ids is not None:
            # Talks belong to no organization: an organization filter alone matches none.
            return []
        # One read: a row per participant of each talk, with the talk's facts and the participant's name, in date,
        # talk and name order (the title lists the names). Three reads (talks, participants, names) cost a third
        # more over a university's year. A talk nobody took part in counts for no one and is not read.
        # Topics come as JSON text.
        # On SQLite, which keeps dates as ISO text, the date comes as that text and is parsed once per distinct day
        # below, not once per participant row by the ORM's converter (PostgreSQL's driver gives dates already). The
        # flag comes as a number for the same reason.
        text_dates = connection.vendor == "sqlite"
        rows = rows.annotate(
            topics_json=Cast("talk__topics", TextField()),
            raw_date=Cast("talk__date", CharField()) if text_dates else F("talk__date"),
            formal_number=Cast("talk__formal", IntegerField()),
        ).values_list(
            "talk_id",
            "raw_date",
            "formal_number",
            "topics_json",
            "talk__channel",
            "talk__democratic_life_meeting_id",
            "person_id",
            "person__name",
        )
        url = pk_link_maker("communication:talk_detail")

        # Talks with the same facts share one attrs mapping (a handful over a year): the engine tests each distinct
        # mapping against a rule's parameters once, and the topics' JSON is decoded once per distinct value.
        @functools.cache
        def shared_attrs(formal: Any, topics: str | None, channel: str, meeting_id: int | None) -> dict:
            return {
                "formal": bool(formal),
                "topics": tuple(json.loads(topics) if topics else ()),
                "channel": channel,
                "meeting_id": meeting_id,
            }

        records: list[EvidenceRecord] = []
        append = records.append
        # "正式谈心：张三、李四" — the words in the active language, looked up once, not once per talk.
        formal_kind, communication_kind, talk_kind = (
            gettext("正式谈心"),
            gettext("沟通交流"),
            gettext("谈心谈话"),
        )
        colon, comma = pgettext("before a list of names", "："), pgettext("between names", "、")
        # This loop runs once per participant of a whole university's year of talks in the reminder job: kept lean
        # on purpose.
        day = functools.cache(dt.date.fromisoformat) if text_dates else _same
        for (pk, raw_date, formal, topics, channel, meeting_id), group in itertools.groupby(
            rows.order_by("talk__date", "talk_id", "person__name", "person_id"),
            key=_talk_facts,
        ):
            participants = list(group)
            kind = (
                formal_kind if formal else (communication_kind if channel == "communication" else talk_kind)
            )
            append(
                EvidenceRecord(
                    key=f"{TALK}:{pk}",
                    source=TALK,
                    date=day(raw_date),
                    title=kind + colon + comma.join([row[7] for row in participants]),
                    url=url(pk),
                    people=frozenset([row[6] for row in participants]),
                    organization_id=None,
                    attrs=shared_attrs(formal, topics, channel, meeting_id),
                )
            )
        return records

    def record_url(
        self,
        *,
        rule_code: str,
        subject_person_id: int | None,
        counterpart_person_id: int | None,
        period_start: dt.date | None = None,
        period_end: dt.date | None = None,
    ) -> str:
        """The talk form with the counterpart chosen, the rule's conditions (formal, channel) prefilled and its date
        inside the period."""
        return _record_query(
            "communication:talk_create",
            {
                "with": counterpart_person_id,
                "for": subject_person_id,
                "rule": rule_code,
                **_period_params(period_start, period_end),
            },
        )


meeting_evidence = MeetingEvidence()
talk_evidence = TalkEvidence()
