"""The ledger of supervised tasks (督办事项台账) in Excel, both ways.

- Export: the columns of 第四条（一） (立项编号、交办时间、承办单位（主办、协办）、督办事项、办理时限、工作要求) with the list page's
  source, leader, state and deadline colour, for the same tasks in the same order as the list (its filters applied).
  Text a spreadsheet would take for a formula is written with an apostrophe before it (governance's
  `spreadsheet_text`), so opening the file never runs anything.
- Import: the office's existing Excel ledgers, through django-import-export (`TaskResource`): the same column names
  (立项编号, 状态 and the other columns the export adds are ignored), each row registered as a new task through
  `services.task_register` — numbered in its year like any other (第四条（一）), in state 立项登记. A dry run shows the
  preview; the real import runs in one transaction that is rolled back if any row is invalid, so nothing is saved
  unless every row is. Errors name the spreadsheet's row (as Excel numbers it, the header being row 1) and column."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from governance.models import Organization, Person
from governance.services.overview_export import spreadsheet_text
from supervision.models import ReportCycle, SupervisedTask, TaskColour, TaskKind, TaskSource

UNIT_KINDS = (Organization.Kind.COLLEGE, Organization.Kind.DEPARTMENT)
NAME_SEPARATORS = re.compile(r"[、,，;；\n]+")
MAX_IMPORT_ROWS = 2000

# --- Export ---------------------------------------------------------------------------------------------------------

LEDGER_COLUMNS: tuple[tuple[str, Any, int], ...] = (
    # (key, heading, width)
    ("number", gettext_lazy("立项编号"), 16),
    ("title", gettext_lazy("督办事项"), 30),
    ("source", gettext_lazy("事项来源"), 16),
    ("source_detail", gettext_lazy("来源说明"), 20),
    ("kind", gettext_lazy("督查形式"), 10),
    ("assigned_on", gettext_lazy("交办时间"), 12),
    ("lead_unit", gettext_lazy("主办单位"), 16),
    ("co_units", gettext_lazy("协办单位"), 20),
    ("leader", gettext_lazy("分管校领导"), 12),
    ("matter", gettext_lazy("督办内容"), 40),
    ("requirements", gettext_lazy("工作要求"), 30),
    ("deadline", gettext_lazy("办理时限"), 12),
    ("original_deadline", gettext_lazy("原定办理时限"), 12),
    ("report_cycle", gettext_lazy("进展反馈周期"), 10),
    ("state", gettext_lazy("办理状态"), 10),
    ("colour", gettext_lazy("期限"), 10),
    ("urged", gettext_lazy("催办次数"), 8),
)


def ledger_row(task: SupervisedTask) -> dict[str, Any]:
    """A task as the ledger shows it (dates as YYYY-MM-DD, as on the page). `task` comes through
    selectors.with_colours and carries `.colour_code` and `.urged`."""
    colour = getattr(task, "colour_code", "")
    return {
        "number": task.number,
        "title": task.title,
        "source": task.get_source_display(),
        "source_detail": task.source_detail,
        "kind": task.get_kind_display(),
        "assigned_on": f"{task.assigned_on:%Y-%m-%d}",
        "lead_unit": task.lead_unit.name,
        "co_units": "、".join(unit.name for unit in task.co_units.all()),
        "leader": task.leader.name,
        "matter": task.matter,
        "requirements": task.requirements,
        "deadline": f"{task.deadline:%Y-%m-%d}",
        "original_deadline": f"{task.original_deadline:%Y-%m-%d}",
        "report_cycle": task.get_report_cycle_display() if task.report_cycle else "",
        "state": task.get_state_display(),
        "colour": TaskColour(colour).label if colour else "",
        "urged": getattr(task, "urged", 0),
    }


def ledger_workbook(tasks: Sequence[SupervisedTask], *, title: str, computed_at: dt.datetime) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("督办事项台账")[:31]
    ws.cell(row=1, column=1, value=spreadsheet_text(title)).font = Font(bold=True, size=14)
    ws.cell(
        row=2,
        column=1,
        value=_("导出时间：%(at)s；依据《校党委工作落实督查督办工作制度》第四条（一）")
        % {"at": timezone.localtime(computed_at).strftime("%Y-%m-%d %H:%M")},
    )
    header_row = 4
    fill = PatternFill("solid", fgColor="E9ECEF")
    for column, (_key, heading, width) in enumerate(LEDGER_COLUMNS, start=1):
        cell = ws.cell(row=header_row, column=column, value=str(heading))
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(column)].width = width
    for offset, task in enumerate(tasks, start=1):
        values = ledger_row(task)
        for column, (key, _heading, _width) in enumerate(LEDGER_COLUMNS, start=1):
            value = values[key]
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


LEDGER_HEADER_ROW = 4  # the export's header row; an import finds the header row itself


# --- Import (django-import-export) ---------------------------------------------------------------------------------


class ChoiceLabelWidget(widgets.Widget):
    """A choice by its Chinese label (or its stored value)."""

    def __init__(self, choices: Any, what: str, *, required: bool = True) -> None:
        super().__init__()
        self.choices = choices
        self.what = what
        self.required = required

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        text = "" if value is None else str(value).strip()
        if not text:
            if self.required:
                raise ValueError(_("请填写%(what)s。") % {"what": self.what})
            return None
        for stored, label in self.choices:
            if text in (str(label), str(stored)):
                return stored
        raise ValueError(
            _("“%(value)s”不是可选的%(what)s，可选：%(options)s。")
            % {
                "value": text,
                "what": self.what,
                "options": "、".join(str(label) for _v, label in self.choices),
            }
        )


class DayWidget(widgets.Widget):
    """A date from an Excel date cell or a text such as 2026-12-31, 2026/12/31, 2026.12.31 or 2026年12月31日."""

    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = "" if value is None else str(value).strip()
        if not text:
            raise ValueError(_("请填写%(what)s。") % {"what": self.what})
        for fmt in self.FORMATS:
            try:
                return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time
            except ValueError:
                continue
        raise ValueError(_("“%(value)s”不是日期，请写成 2026-12-31 或 2026年12月31日。") % {"value": text})


class NamedWidget(widgets.ForeignKeyWidget):
    """A unit or a leader by name, among those the form offers."""

    def __init__(self, model: Any, what: str, queryset: Any) -> None:
        super().__init__(model, field="name")
        self.what = what
        self._queryset = queryset

    def get_queryset(self, value: Any, row: Any, *args: Any, **kwargs: Any) -> Any:
        return self._queryset()

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        text = "" if value is None else str(value).strip()
        if not text:
            raise ValueError(_("请填写%(what)s。") % {"what": self.what})
        found = list(self.get_queryset(value, row).filter(name=text)[:2])
        if len(found) != 1:
            raise ValueError(
                (
                    _("没有名为“%(name)s”的%(what)s。")
                    if not found
                    else _("名为“%(name)s”的%(what)s不止一个。")
                )
                % {"name": text, "what": self.what}
            )
        return found[0]


class NamesWidget(widgets.ManyToManyWidget):
    """Units by name, separated by 、 , ; or a line break; every name must be found."""

    def __init__(self, what: str, queryset: Any) -> None:
        super().__init__(Organization, field="name")
        self.what = what
        self._queryset = queryset

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        names = [n.strip() for n in NAME_SEPARATORS.split("" if value is None else str(value)) if n.strip()]
        found = {unit.name: unit for unit in self._queryset().filter(name__in=names)}
        missing = [n for n in names if n not in found]
        if missing:
            raise ValueError(
                _("没有名为“%(names)s”的%(what)s。") % {"names": "、".join(missing), "what": self.what}
            )
        return [found[n] for n in dict.fromkeys(names)]


def _units() -> Any:
    return Organization.objects.filter(kind__in=UNIT_KINDS, is_active=True)


def _leaders() -> Any:
    from supervision.forms import university_leaders

    return university_leaders()


def _text(column: str, attribute: str) -> fields.Field:
    return fields.Field(
        attribute=attribute, column_name=column, widget=widgets.CharWidget(coerce_to_string=True)
    )


class TaskResource(resources.ModelResource):
    """One row of an office's ledger → one registered task (through services.task_register)."""

    title = _text("督办事项", "title")
    source = fields.Field(
        attribute="source", column_name="事项来源", widget=ChoiceLabelWidget(TaskSource.choices, "事项来源")
    )
    source_detail = _text("来源说明", "source_detail")
    kind = fields.Field(
        attribute="kind", column_name="督查形式", widget=ChoiceLabelWidget(TaskKind.choices, "督查形式")
    )
    assigned_on = fields.Field(attribute="assigned_on", column_name="交办时间", widget=DayWidget("交办时间"))
    lead_unit = fields.Field(
        attribute="lead_unit",
        column_name="主办单位",
        widget=NamedWidget(Organization, "学院或职能部门", _units),
    )
    co_units = fields.Field(
        attribute="co_units", column_name="协办单位", widget=NamesWidget("学院或职能部门", _units)
    )
    leader = fields.Field(
        attribute="leader", column_name="分管校领导", widget=NamedWidget(Person, "校领导", _leaders)
    )
    matter = _text("督办内容", "matter")
    requirements = _text("工作要求", "requirements")
    deadline = fields.Field(attribute="deadline", column_name="办理时限", widget=DayWidget("办理时限"))
    report_cycle = fields.Field(
        attribute="report_cycle",
        column_name="进展反馈周期",
        widget=ChoiceLabelWidget(ReportCycle.choices, "进展反馈周期", required=False),
    )

    REQUIRED = ("督办事项", "事项来源", "交办时间", "主办单位", "分管校领导", "督办内容", "办理时限")

    class Meta:
        model = SupervisedTask
        fields = (
            "title",
            "source",
            "source_detail",
            "kind",
            "assigned_on",
            "lead_unit",
            "co_units",
            "leader",
            "matter",
            "requirements",
            "deadline",
            "report_cycle",
        )
        import_id_fields: list[str] = []
        skip_diff = True
        use_transactions = True
        clean_model_instances = False  # task_register cleans, with the rules of registration

    def __init__(self, *, user: Any) -> None:
        super().__init__()
        self.user = user
        self.registered: list[SupervisedTask] = []

    def get_instance(self, instance_loader: Any, row: Any) -> None:
        return None  # every row is a new task

    def import_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        """Each field through its widget; a missing optional column is empty; every field's error is collected."""
        errors: dict[str, Any] = {}
        instance._import_values = {}
        for name, resource_field in self.fields.items():
            column = resource_field.column_name
            value = row.get(column)
            if name == "kind" and (value is None or str(value).strip() == ""):
                instance._import_values[name] = TaskKind.SPECIAL
                continue
            if name in ("source_detail", "requirements") and value is None:
                instance._import_values[name] = ""
                continue
            try:
                cleaned = (
                    resource_field.clean(row, **kwargs)
                    if column in row
                    else resource_field.widget.clean(None)
                )
            except ValueError as error:
                errors[name] = ValidationError(str(error), code="invalid")
                continue
            if name in ("title", "matter") and not (cleaned or "").strip():
                errors[name] = ValidationError(_("请填写%(what)s。") % {"what": column}, code="required")
                continue
            instance._import_values[name] = (
                cleaned if cleaned is not None else ("" if name != "report_cycle" else None)
            )
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance: Any, is_create: bool, row: Any, **kwargs: Any) -> None:
        from supervision import services

        values = instance._import_values
        task = services.task_register(registered_by=self.user, **values)
        instance.pk = task.pk
        instance.number = task.number
        instance.title = task.title
        self.registered.append(task)

    def save_m2m(self, instance: Any, row: Any, **kwargs: Any) -> None:
        """The co-units were set by task_register."""


@dataclass
class ImportProblem:
    row: int | None  # as Excel numbers it; None for the whole file
    column: str
    message: str


@dataclass
class ImportOutcome:
    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    saved: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def _dataset(content: bytes) -> tuple[tablib.Dataset | None, int, list[ImportProblem]]:
    """The sheet as a dataset whose headers are the row holding 督办事项 (an exported ledger has a title above it),
    and the Excel number of that header row."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable file gets the same answer
        return None, 0, [ImportProblem(None, "", _("无法读取这个文件，请上传 Excel 工作簿（.xlsx）。"))]
    ws = wb.worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    header_at = next(
        (i for i, r in enumerate(rows[:20]) if any(str(c).strip() == "督办事项" for c in r if c is not None)),
        None,
    )
    if header_at is None:
        return (
            None,
            0,
            [
                ImportProblem(
                    None, "", _("没有找到表头：第一张工作表中应有一行写着“督办事项”“主办单位”等列名。")
                )
            ],
        )
    headers = [("" if c is None else str(c).strip()) for c in rows[header_at]]
    missing = [c for c in TaskResource.REQUIRED if c not in headers]
    if missing:
        return (
            None,
            0,
            [
                ImportProblem(
                    None, "、".join(missing), _("缺少这些列：%(columns)s。") % {"columns": "、".join(missing)}
                )
            ],
        )
    data = tablib.Dataset(headers=[h or f"_{i}" for i, h in enumerate(headers)])
    body = rows[header_at + 1 :]
    while body and all(c is None or str(c).strip() == "" for c in body[-1]):
        body.pop()
    if len(body) > MAX_IMPORT_ROWS:
        return (
            None,
            0,
            [ImportProblem(None, "", _("一次最多导入 %(n)d 行，请分批导入。") % {"n": MAX_IMPORT_ROWS})],
        )
    for r in body:
        data.append((r + [None] * len(headers))[: len(headers)])
    return data, header_at + 1, []


def _messages(error: ValidationError) -> Iterable[tuple[str, str]]:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for e in errors:
                yield name, " ".join(e.messages)
    else:
        for message in error.messages:
            yield NON_FIELD_ERRORS, message


def ledger_import(*, content: bytes, user: Any, dry_run: bool) -> ImportOutcome:
    """Read an Excel ledger and register its rows (dry_run: only check and preview; nothing is kept). The whole file
    is one transaction: any invalid row rolls every row back."""
    outcome = ImportOutcome()
    dataset, header_row, problems = _dataset(content)
    if dataset is None:
        outcome.problems = problems
        return outcome
    if not len(dataset):
        outcome.problems = [ImportProblem(None, "", _("表中没有数据行。"))]
        return outcome
    resource = TaskResource(user=user)
    columns = {name: f.column_name for name, f in resource.fields.items()}
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        use_transactions=True,
        rollback_on_validation_errors=True,
        raise_errors=False,
    )
    for invalid in result.invalid_rows:
        for name, message in _messages(invalid.error):
            column = columns.get(name, "") if name != NON_FIELD_ERRORS else ""
            outcome.problems.append(ImportProblem(header_row + invalid.number, column, message))
    for number, errors in result.row_errors():
        for error in errors:
            outcome.problems.append(ImportProblem(header_row + number, "", str(error.error)))
    if result.base_errors:
        outcome.problems.append(ImportProblem(None, "", _("导入失败，没有保存任何事项。")))
    outcome.problems.sort(key=lambda p: (p.row or 0, p.column))
    for offset, record in enumerate(dataset.dict, start=1):
        outcome.rows.append(
            {
                "row": header_row + offset,
                "title": record.get("督办事项") or "",
                "lead_unit": record.get("主办单位") or "",
                "leader": record.get("分管校领导") or "",
                "deadline": record.get("办理时限") or "",
            }
        )
    if not dry_run and not outcome.problems:
        outcome.saved = len(resource.registered)
    return outcome
