"""The evidence source the obligation engine counts for the supervision family (governance.engine.evidence),
registered in supervision/family.py.

- "supervision.round" (定期督查): one record per periodic supervision round (第三条（一）: 原则上每半年进行一次);
  people: none; organization_id = the university whose team owes the rule; attrs {}. The policy pack
  governance/policies/packs/003-supervision.yaml counts it half-yearly for the university's leadership team (the
  督查小组 works under the Party committee and the administration, 第一条（一）), recorded by the office.

Not an engine rule: the lead unit's periodic progress reports on a long task (第五条). The engine's owners are
leadership teams and the holders of their positions, a unit's head or liaison holds no team position (and a department
usually has no team), a task's cycle runs from its own notice date, and the engine would neither keep two tasks' cycles
of one unit apart nor count a report only for its own task. The four things the engine would need are written down in
governance/policies/packs/003-supervision.yaml. Those reports are kept on the task (ProgressReport, with the cycle
shown on the task and its notice).

One query per gather, whatever the range."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy

from governance.engine.evidence import EvidenceRecord

ROUND = "supervision.round"


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
