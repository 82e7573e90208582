"""The evidence and event sources the obligation engine counts for the supervision family (governance.engine.evidence),
registered in supervision/family.py.

- "supervision.round" (定期督查): one record per periodic supervision round (第三条（一）: 原则上每半年进行一次);
  people: none; organization_id = the university whose team owes the rule; attrs {}. The policy pack
  governance/policies/packs/003-supervision.yaml counts it half-yearly for the university's leadership team (the
  督查小组 works under the Party committee and the administration, 第一条（一）), recorded by the office.
- "supervision.report_cycle" (events): one event per progress-report cycle of each long task the lead unit works on
  (第五条: 办理周期较长的事项，承办单位定期反馈进展; states 已通知, 办理中, 已退回): from the notice day in steps of the task's
  report_cycle days, each due on its last day, while a whole cycle ends by the deadline (SupervisedTask.report_cycles).
  organization_id = the lead unit; owners = its heads and liaisons (UnitContact) active on the cycle's last day;
  match {"task": pk}.
- "supervision.progress" (进展反馈): the lead unit's progress reports (ProgressReport of the task's lead unit, not a
  co-unit's part); people: none; organization_id = the lead unit; attrs {"task": task id}. The pack's rule
  003-supervision-progress-report (subject event_owners, period before_event) counts one per cycle, a report counting
  only for its own task's cycle.

One or two queries per gather or events call, whatever the range."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from governance.engine.evidence import Event, EvidenceRecord
from governance.links import pk_link_maker

ROUND = "supervision.round"
PROGRESS = "supervision.progress"
REPORT_CYCLE = "supervision.report_cycle"


class RoundEvidence:
    code = ROUND
    label = gettext_lazy("定期督查")
    office_records = True  # 第三条（一）: the 督查小组 (党委办公室) holds and records the rounds

    def gather(
        self,
        *,
        start: dt.date,
        end: dt.date,
        people: Iterable[int] | None = None,
        organizations: Iterable[int] | None = None,
    ) -> list[EvidenceRecord]:
        from supervision.models import SupervisionRound

        qs = SupervisionRound.objects.filter(held_on__gte=start, held_on__lte=end)
        if organizations is not None:
            qs = qs.filter(organization_id__in=list(organizations))
        elif people is not None:
            return []  # a round involves no one in particular: only an organization filter matches it
        url = reverse("supervision:round_list")
        return [
            EvidenceRecord(
                key=f"{ROUND}:{pk}",
                source=ROUND,
                date=held_on,
                title=title,
                url=f"{url}#round-{pk}",
                organization_id=organization_id,
            )
            for pk, held_on, title, organization_id in qs.values_list(
                "pk", "held_on", "title", "organization_id"
            ).order_by("held_on", "pk")
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
        """The office's form for a round, its date inside the period."""
        params: dict[str, Any] = {"rule": rule_code}
        if period_start and period_end:
            params.update(period_start=period_start.isoformat(), period_end=period_end.isoformat())
        return f"{reverse('supervision:round_create')}?{urlencode(params)}"


round_evidence = RoundEvidence()


class ProgressEvidence:
    """The lead unit's progress reports (第五条), each counting for its own task (attrs {"task": id})."""

    code = PROGRESS
    label = gettext_lazy("进展反馈")
    office_records = False  # the unit's head or liaison reports on the task's page
    record_label = gettext_lazy("去报送")  # the dashboard's link to the task's progress-report form

    def gather(
        self,
        *,
        start: dt.date,
        end: dt.date,
        people: Iterable[int] | None = None,
        organizations: Iterable[int] | None = None,
    ) -> list[EvidenceRecord]:
        from supervision.models import ProgressReport

        # The lead unit's reports only: a co-unit's part (协同办理) does not stand for the lead unit's report.
        qs = ProgressReport.objects.filter(
            reported_on__gte=start, reported_on__lte=end, unit_id=F("task__lead_unit_id")
        )
        if organizations is not None:
            qs = qs.filter(unit_id__in=list(organizations))
        elif people is not None:
            return []  # a report is its unit's: only an organization filter matches it
        url = pk_link_maker("supervision:task_detail")
        title = gettext("%(number)s 进展反馈")
        attrs: dict[int, Mapping[str, Any]] = {}
        return [
            EvidenceRecord(
                key=f"{PROGRESS}:{pk}",
                source=PROGRESS,
                date=reported_on,
                title=title % {"number": number},
                url=f"{url(task_id)}#progress-report",
                organization_id=unit_id,
                # One shared mapping per task (the engine tests each distinct mapping once).
                attrs=attrs.setdefault(task_id, {"task": task_id}),
            )
            for pk, reported_on, task_id, number, unit_id in qs.values_list(
                "pk", "reported_on", "task_id", "task__number", "unit_id"
            ).order_by("reported_on", "pk")
        ]

    def record_url(
        self,
        *,
        rule_code: str,
        subject_person_id: int | None,
        counterpart_person_id: int | None,
        period_start: dt.date | None = None,
        period_end: dt.date | None = None,
        match: Mapping[str, Any] | None = None,
    ) -> str:
        """The task's progress-report form (its page); the task list when no task is named; none for a cycle that has
        ended (a report is dated the day it is made, so it counts in the current cycle, not in one already missed)."""
        from django.utils import timezone

        if period_end is not None and period_end < timezone.localdate():
            return ""
        task_id = (match or {}).get("task")
        if not task_id:
            return reverse("supervision:task_list")
        return reverse("supervision:task_detail", args=[task_id]) + "#progress-report"


class ReportCycleEvents:
    """Each progress-report cycle (第五条) of the long tasks their lead units work on, owned by the units' heads and
    liaisons on the cycle's last day. Two queries: the tasks, the units' people."""

    code = REPORT_CYCLE
    label = gettext_lazy("督办事项的进展反馈周期")

    def events(
        self,
        *,
        start: dt.date,
        end: dt.date,
        organizations: Iterable[int] | None,
        params: Mapping[str, Any],
        people: Iterable[int] | None = None,
    ) -> list[Event]:
        from supervision.models import REPORTING_STATES, SupervisedTask, UnitContact

        tasks = SupervisedTask.objects.filter(
            report_cycle__isnull=False,
            state__in=REPORTING_STATES,
            # A cycle ends by the deadline and starts on or after the day assigned.
            deadline__gte=start,
            assigned_on__lte=end,
        )
        contacts = UnitContact.objects.filter(start__lte=end).filter(Q(end__isnull=True) | Q(end__gte=start))
        if organizations is not None:
            tasks = tasks.filter(lead_unit_id__in=list(organizations))
            contacts = contacts.filter(organization_id__in=list(organizations))
        if people is not None:
            # The units these people answered for at some time in the range: their tasks, and all their people.
            units = contacts.filter(person_id__in=list(people)).values("organization_id")
            tasks = tasks.filter(lead_unit_id__in=units)
            contacts = contacts.filter(organization_id__in=units)
        rows = list(
            tasks.only(
                "id",
                "number",
                "title",
                "state",  # read by the FSM's concurrency guard on load: not a query per task
                "lead_unit_id",
                "report_cycle",
                "notified_at",
                "assigned_on",
                "deadline",
            ).order_by("pk")
        )
        if not rows:
            return []
        by_unit: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
        for unit_id, person_id, first, last in contacts.filter(
            organization_id__in={t.lead_unit_id for t in rows}
        ).values_list("organization_id", "person_id", "start", "end"):
            by_unit[unit_id].append((person_id, first, last))
        url = pk_link_maker("supervision:task_detail")
        title = gettext("%(number)s %(title)s（第 %(n)d 期进展反馈）")
        # A unit whose people all held their role from before the range and still do owes every cycle through the
        # same people: worked out once per unit, not once per cycle (thousands over a university).
        settled = {
            unit: frozenset(pid for pid, _first, _last in unit_people)
            for unit, unit_people in by_unit.items()
            if all(first <= start and last is None for _pid, first, last in unit_people)
        }
        found = []
        for task in rows:
            unit_people = by_unit.get(task.lead_unit_id, [])
            same = settled.get(task.lead_unit_id)
            match = {"task": task.pk}
            for cycle in task.report_cycles(start, end):
                day = cycle.end
                found.append(
                    Event(
                        key=f"{REPORT_CYCLE}:{task.pk}:{cycle.start.isoformat()}",
                        date=day,
                        preparation_start=cycle.start,
                        title=title % {"number": task.number, "title": task.title, "n": cycle.number},
                        organization_id=task.lead_unit_id,
                        url=url(task.pk),
                        owners=same
                        if same is not None
                        else frozenset(
                            pid
                            for pid, first, last in unit_people
                            if first <= day and (last is None or day <= last)
                        ),
                        match=match,
                    )
                )
        return found


progress_evidence = ProgressEvidence()
report_cycle_events = ReportCycleEvents()
