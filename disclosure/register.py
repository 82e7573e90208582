"""The disclosure register as an Excel workbook (四（四）资料归档: 对历次公开的内容和相关材料……分类归档保存): the list page's
items, same filters and order, one row each, every version included. Text is written as text, never as a formula."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from disclosure.models import DisclosureItem
from disclosure.sanitize import text_lines
from governance.services.overview_export import spreadsheet_text


def _columns() -> list[tuple[str, int]]:
    return [
        (_("序号"), 6),
        (_("公开事项"), 30),
        (_("版本"), 6),
        (_("公开内容类别"), 16),
        (_("具体事项"), 24),
        (_("工作性质"), 10),
        (_("公开范围"), 12),
        (_("公开形式"), 12),
        (_("公开开始日期"), 12),
        (_("公开截止日期"), 12),
        (_("状态"), 10),
        (_("批准人"), 10),
        (_("批准时间"), 16),
        (_("意见"), 6),
        (_("未答复"), 6),
        (_("公开内容"), 60),
    ]


def _when(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def register_workbook(items: Sequence[DisclosureItem], *, computed_at: dt.datetime) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("党务公开登记簿")[:31]
    ws.cell(row=1, column=1, value=_("党务公开事项登记簿")).font = Font(bold=True, size=14)
    ws.cell(
        row=2,
        column=1,
        value=_("导出时间：%(at)s；共 %(n)d 项") % {"at": _when(computed_at), "n": len(items)},
    )
    header_row = 4
    fill = PatternFill("solid", fgColor="E9ECEF")
    for column, (heading, width) in enumerate(_columns(), start=1):
        cell = ws.cell(row=header_row, column=column, value=heading)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(column)].width = width
    for offset, item in enumerate(items, start=1):
        values: list[object] = [
            offset,
            item.title,
            item.version,
            item.get_category_display(),
            item.topic,
            item.get_nature_display(),
            item.get_scope_display(),
            item.get_form_display(),
            item.publish_from.isoformat(),
            item.publish_until.isoformat() if item.publish_until else "",
            item.get_state_display(),
            item.approved_by.name if item.approved_by else "",
            _when(item.approved_at),
            getattr(item, "feedback_total", 0),
            getattr(item, "feedback_open", 0),
            "\n".join(text_lines(item.content)),
        ]
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=header_row + offset, column=column)
            if isinstance(value, int):
                cell.value = value
            else:
                cell.value = spreadsheet_text(value)
                cell.data_type = "s"
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
