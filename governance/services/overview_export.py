"""The office overview (制度落实总览) as an Excel workbook: the rows, columns and labels the page shows, for the same
organization and day, with the moment its figures were computed (数据截至).

The sheet is built from the same `Overview` the page renders (governance.selectors.dashboard.office_overview), so a
cell reads exactly as on the screen. Names and titles come from what people typed: a text that Excel would take for
a formula (starting with = + - @, a tab or a carriage return) is written as text with an apostrophe before it
(OWASP "CSV injection"), so opening or editing the file never runs it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from governance.engine.status import LEGEND, StatusStyle
from governance.selectors.dashboard import Overview

# What Excel (and LibreOffice) start a formula with; a tab or CR before one is skipped by some importers.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

HEADER_FILL = PatternFill("solid", fgColor="E9ECEF")
TEAM_FILL = PatternFill("solid", fgColor="DEE2E6")
THIN = Side(style="thin", color="ADB5BD")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTRE = Alignment(wrap_text=True, horizontal="center", vertical="center")
EMPTY_CELL = "—"  # the page's mark for a rule that does not apply to the person

# The sheet's layout: a title, what it covers, when its figures were computed, a blank row, then the table.
HEADER_ROW = 5


def spreadsheet_text(value: object) -> str:
    """`value` as text that no spreadsheet takes for a formula: an apostrophe before a leading = + - @, tab or CR."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _put(ws: Worksheet, row: int, column: int, value: object) -> Any:
    """Write `value` as a text cell (never a formula, whatever it starts with)."""
    cell = ws.cell(row=row, column=column)
    cell.value = spreadsheet_text(value)
    cell.data_type = "s"  # an explicit string, also for a text that only looks like a number or a formula
    return cell


def rule_heading(title: str, clause_ref: str) -> str:
    """A rule's column heading, as the page shows it: the title, then the clause under it."""
    return f"{title}\n{clause_ref}" if clause_ref else title


def overview_sheet_title(overview: Overview) -> str:
    return _("制度落实总览") + (f" · {overview.organization.name}" if overview.organization else "")


def overview_workbook(overview: Overview, *, computed_at: dt.datetime) -> bytes:
    """The workbook (.xlsx) of `overview`: a sheet with the page's table and a sheet with the legend, the
    organization, the day and `computed_at`, when the figures were computed (数据截至)."""
    wb = Workbook()
    wb.remove(wb.worksheets[0])  # the blank default sheet: ours are named
    ws = wb.create_sheet(_("制度落实总览"))
    columns = 1 + len(overview.rules)

    title = _put(ws, 1, 1, overview_sheet_title(overview))
    title.font = Font(size=14, bold=True)
    _put(
        ws,
        2,
        1,
        _("%(day)s各领导班子成员当前周期的完成情况（%(scope)s）")
        % {
            "day": date_format(overview.today, "DATE_FORMAT"),
            "scope": overview.organization.name if overview.organization else _("全部组织"),
        },
    )
    _put(
        ws,
        3,
        1,
        _("数据截至 %(moment)s")
        % {"moment": date_format(timezone.localtime(computed_at), "DATETIME_FORMAT")},
    )

    header = [_("人员"), *(rule_heading(title, ref) for _code, title, ref in overview.rules)]
    for column, text in enumerate(header, start=1):
        cell = _put(ws, HEADER_ROW, column, text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = CENTRE if column > 1 else WRAP
        cell.border = BORDER

    row = HEADER_ROW
    for team, members in overview.groups:
        row += 1
        cell = _put(ws, row, 1, team)
        cell.font = Font(bold=True)
        for column in range(1, columns + 1):
            ws.cell(row=row, column=column).fill = TEAM_FILL
            ws.cell(row=row, column=column).border = BORDER
        if columns > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
        for name, cells in members:
            row += 1
            cell = _put(ws, row, 1, name)
            cell.alignment = WRAP
            cell.border = BORDER
            for column, shown in enumerate(cells, start=2):
                _cell(ws, row, column, shown)

    _layout(ws, columns)
    _legend_sheet(wb, overview, computed_at=computed_at, legend=LEGEND)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _badge(cell: Any, style: StatusStyle) -> None:
    """The page's badge colours for a state (governance.engine.status); its words are in the cell too."""
    cell.fill = PatternFill("solid", fgColor=style.background.lstrip("#").upper())
    cell.font = Font(color=style.foreground.lstrip("#").upper(), bold=True)


def _cell(ws: Worksheet, row: int, column: int, shown: Any) -> None:
    if shown is None:
        cell = _put(ws, row, column, EMPTY_CELL)
        cell.font = Font(color="ADB5BD")
    else:
        cell = _put(ws, row, column, shown.label)
        _badge(cell, shown.style)
    cell.alignment = CENTRE
    cell.border = BORDER


def _layout(ws: Worksheet, columns: int) -> None:
    """Readable on screen and on an A4 page: the names column and the header stay in view, wide columns fit."""
    ws.column_dimensions["A"].width = 28
    for column in range(2, columns + 1):
        ws.column_dimensions[get_column_letter(column)].width = 18
    ws.row_dimensions[HEADER_ROW].height = 48
    ws.freeze_panes = f"B{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _legend_sheet(
    wb: Workbook, overview: Overview, *, computed_at: dt.datetime, legend: Iterable[StatusStyle]
) -> None:
    ws = wb.create_sheet(_("说明"))
    _put(ws, 1, 1, _("图例")).font = Font(bold=True)
    row = 1
    for style in legend:
        row += 1
        cell = _put(ws, row, 1, style.label)
        _badge(cell, style)
        cell.alignment = CENTRE
        _put(ws, row, 2, style.meaning)
    row += 2
    _put(ws, row, 1, _("组织")).font = Font(bold=True)
    _put(ws, row, 2, overview.organization.name if overview.organization else _("全部组织"))
    _put(ws, row + 1, 1, _("日期")).font = Font(bold=True)
    _put(ws, row + 1, 2, date_format(overview.today, "DATE_FORMAT"))
    _put(ws, row + 2, 1, _("数据截至")).font = Font(bold=True)
    _put(ws, row + 2, 2, date_format(timezone.localtime(computed_at), "DATETIME_FORMAT"))
    _put(ws, row + 3, 1, _("说明")).font = Font(bold=True)
    _put(
        ws,
        row + 3,
        2,
        _("每格为该成员（或班子整体）某项要求当前周期的状态；“—”表示该项要求不适用。依据条款见各列标题。"),
    )
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 80
