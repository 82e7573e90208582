"""The evidence source the obligation engine counts for outreach (governance.engine.evidence), registered in
outreach/family.py.

- "outreach.activity" (联系基层活动): one record per activity; people = the leaders who took part;
  organization_id = the organization of their leadership team (the team rules, e.g. 003 二3 festival visits, count by
  it); amount = the class hours of a 听课 (004 第五条4, a "sum" rule: 每学期听课不少于4学时), 1 otherwise;
  attrs {"kind": <ActivityKind value>, "festival": <Festival value or "">}.

Two queries per gather, whatever the range: the activities, then their leaders through the M2M table. No record
carries an activity's notes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy

from governance.engine.evidence import EvidenceRecord
from governance.links import pk_link_maker

ACTIVITY = "outreach.activity"
ONE = Decimal(1)


class ActivityEvidence:
    code = ACTIVITY
    label = gettext_lazy("联系基层活动")
    office_records = False  # a leader records their own (from a phone, in under a minute)

    def gather(
        self,
        *,
        start: dt.date,
        end: dt.date,
        people: Iterable[int] | None = None,
        organizations: Iterable[int] | None = None,
    ) -> list[EvidenceRecord]:
        from outreach.models import Activity, ActivityKind

        through = Activity.leaders.through
        qs = Activity.objects.filter(date__gte=start, date__lte=end)
        if people is not None or organizations is not None:
            match = Q(pk__in=[])
            if people is not None:
                match |= Q(pk__in=through.objects.filter(person_id__in=list(people)).values("activity_id"))
            if organizations is not None:
                match |= Q(organization_id__in=list(organizations))
            qs = qs.filter(match)
        rows = list(
            qs.values_list(
                "pk", "date", "kind", "title", "festival", "class_hours", "organization_id"
            ).order_by("date", "pk")
        )
        if not rows:
            return []
        leaders: dict[int, set[int]] = defaultdict(set)
        for activity_id, person_id in through.objects.filter(activity_id__in=qs.values("pk")).values_list(
            "activity_id", "person_id"
        ):
            leaders[activity_id].add(person_id)
        labels = dict(ActivityKind.choices)
        url = pk_link_maker("outreach:activity_detail")
        shared: dict[tuple[str, str], dict[str, str]] = {}
        records = []
        for pk, date, kind, title, festival, hours, organization_id in rows:
            observation = kind == ActivityKind.CLASS_OBSERVATION
            records.append(
                EvidenceRecord(
                    key=f"{ACTIVITY}:{pk}",
                    source=ACTIVITY,
                    date=date,
                    title=f"{labels.get(kind, kind)}：{title}" if title else str(labels.get(kind, kind)),
                    url=url(pk),
                    people=frozenset(leaders.get(pk, ())),
                    organization_id=organization_id,
                    amount=Decimal(hours) if observation and hours else (Decimal(0) if observation else ONE),
                    attrs=shared.setdefault((kind, festival), {"kind": kind, "festival": festival}),
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
        """The quick form, its kind (and festival) taken from the rule, its date inside the period."""
        params: dict[str, Any] = {"rule": rule_code}
        if subject_person_id:
            params["for"] = subject_person_id
        if period_start and period_end:
            params.update(period_start=period_start.isoformat(), period_end=period_end.isoformat())
        return f"{reverse('outreach:activity_create')}?{urlencode(params)}"


activity_evidence = ActivityEvidence()
