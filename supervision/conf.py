"""The supervision family's settings, each with its default. A site changes one by naming it in its settings module
(e.g. `SUPERVISION_NUMBER_FORMAT = "督办〔{year}〕{seq:03d}号"`); nothing here is read at import time."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # 第四条（一）: 立项编号, unique and gap-free per year. `{year}` and `{seq}` (a str.format field).
    "SUPERVISION_NUMBER_FORMAT": "督〔{year}〕{seq}号",
    # Deadline colours: amber when less than this share of the time from assignment to deadline remains …
    "SUPERVISION_AMBER_SHARE": 0.3,
    # … or when the deadline falls within this many working days from today (holidays and 调休 count).
    "SUPERVISION_AMBER_WORKDAYS": 3,
    # 第四条（三）: an overdue task is urged again every this many days until the lead unit submits it …
    "SUPERVISION_URGING_CADENCE_DAYS": 3,
    # … and from this urging on (第六条: 经催办仍不能按时完成) the responsible leader is told it is escalated.
    "SUPERVISION_ESCALATE_AFTER": 3,
}


def setting(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])
