"""The missing-holiday-year warning the `obligations` and `send_reminders` commands print (on stderr, so a script
reading their output is not disturbed). Not a command itself: Django skips modules whose name starts with "_"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.management.base import OutputWrapper
from django.urls import reverse

from governance.services.workdays import missing_years


def warn_missing_holidays(stderr: OutputWrapper, days: Iterable[dt.date]) -> list[int]:
    """Warn about the years of `days` that have neither the office's nor the package's holiday data (their workdays
    fall back to Monday–Friday, so an agreed day moved off a holiday may be wrong). Returns those years."""
    years = missing_years({day.year for day in days})
    if years:
        stderr.write(
            f"提醒：系统尚无{'、'.join(f'{y}年' for y in years)}的法定节假日安排，暂按周一至周五计算工作日，"
            f"遇节假日提前或顺延的约定日期可能不准。国务院办公厅发布通知后，请在管理后台“节假日年度”中录入"
            f"（{reverse('admin:governance_holidayyear_add')}）。"
        )
    return years
