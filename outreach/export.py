"""A leader's 工作台账 (004 第六条2) as an Excel workbook that matches the page: the same activities, the same totals by
kind, the same 听课 hours and the same rules (outreach/ledger.py counts them once for both). Text is written as text,
never as a formula."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import cast

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from governance.services.overview_export import spreadsheet_text
from outreach.ledger import Ledger

HEADER_FILL = PatternFill("solid", fgColor="E9ECEF")


def _hours(value: Decimal) -> int | float:
    """Class hours as a number the cell shows as the page does: 2, not 2.0; 1.5 as it is."""
    return int(value) if value == value.to_integral_value() else float(value)


def _put(ws: Worksheet, row: int, column: int, value: object, *, bold: bool = False) -> None:
    cell = ws.cell(row=row, column=column)
    if isinstance(value, int | float):
        cell.value = value
    else:
        cell.value = spreadsheet_text(value)
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)


def _header(ws: Worksheet, row: int, columns: list[tuple[str, int]]) -> None:
    for column, (heading, width) in enumerate(columns, start=1):
        _put(ws, row, column, heading, bold=True)
        cell = ws.cell(row=row, column=column)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if width:
            ws.column_dimensions[get_column_letter(column)].width = width


def ledger_workbook(book: Ledger) -> bytes:
    wb = Workbook()
    ws = cast(Worksheet, wb.active)
    ws.title = _("工作台账")
    _put(
        ws, 1, 1, _("%(name)s %(year)s 联系基层工作台账") % {"name": book.person.name, "year": book.span.name}
    )
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    _put(
        ws,
        2,
        1,
        _("%(start)s 至 %(end)s；导出时间 %(at)s；依据 004 第六条2")
        % {
            "start": book.span.start.isoformat(),
            "end": book.span.end.isoformat(),
            "at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        },
    )
    row = 4
    _header(
        ws,
        row,
        [
            (_("序号"), 6),
            (_("日期"), 12),
            (_("活动类别"), 16),
            (_("主题"), 28),
            (_("基层单位/联系对象"), 24),
            (_("参加人数"), 8),
            (_("课程"), 16),
            (_("学时"), 6),
            (_("活动情况/听课记录"), 50),
        ],
    )
    for n, activity in enumerate(book.activities, start=1):
        row += 1
        where = "、".join(u.name for u in activity.units.all()) or (
            str(activity.contact) if activity.contact else ""
        )
        values: list[object] = [
            n,
            activity.date.isoformat(),
            activity.get_kind_display(),
            activity.title,
            where,
            activity.participants if activity.participants is not None else "",
            activity.course,
            _hours(activity.class_hours) if activity.class_hours is not None else "",
            activity.notes,
        ]
        for column, value in enumerate(values, start=1):
            _put(ws, row, column, value)

    row += 2
    _put(ws, row, 1, _("按类别合计"), bold=True)
    row += 1
    _header(ws, row, [(_("活动类别"), 0), (_("次数"), 0)])
    for _kind, label, count in book.kind_rows:
        row += 1
        _put(ws, row, 1, label)
        _put(ws, row, 2, count)
    row += 1
    _put(ws, row, 1, _("合计"), bold=True)
    _put(ws, row, 2, book.tally.total)
    row += 1
    _put(ws, row, 1, _("听课学时"), bold=True)
    _put(ws, row, 2, _hours(book.tally.hours))

    row += 2
    _put(ws, row, 1, _("对照制度要求"), bold=True)
    row += 1
    _header(
        ws,
        row,
        [(_("依据"), 0), (_("要求"), 0), (_("周期"), 0), (_("完成"), 0), (_("应完成"), 0), (_("达标"), 0)],
    )
    for rule in book.tally.rules:
        row += 1
        values = [
            rule.clause,
            rule.title,
            rule.period,
            float(rule.done),
            float(rule.required),
            _("达标") if rule.met else _("未达标"),
        ]
        for column, value in enumerate(values, start=1):
            _put(ws, row, column, value)

    issues = wb.create_sheet(_("师生诉求"))
    _header(
        issues,
        1,
        [
            (_("序号"), 6),
            (_("提出时间"), 16),
            (_("诉求事项"), 30),
            (_("来源"), 16),
            (_("反映人"), 16),
            (_("状态"), 8),
            (_("答复"), 40),
            (_("反馈时间"), 16),
        ],
    )
    for n, issue in enumerate(book.issues, start=1):
        values = [
            n,
            timezone.localtime(issue.created_at).strftime("%Y-%m-%d %H:%M"),
            issue.title,
            issue.get_source_display(),
            issue.raiser,
            issue.get_state_display(),
            issue.answer,
            timezone.localtime(issue.feedback_at).strftime("%Y-%m-%d %H:%M") if issue.feedback_at else "",
        ]
        for column, value in enumerate(values, start=1):
            _put(issues, n + 1, column, value)

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
