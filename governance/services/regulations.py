"""Load regulations (制度) and their clauses from the YAML files in governance/policies/regulations/.

A file is checked completely before anything is written, and each load runs in one transaction, so a malformed
file never leaves a half-loaded regulation. Loading is idempotent: a row is saved only when a value changed.
Clauses that disappeared from a file are deleted unless something (an obligation rule) still cites them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError

from governance.models import Clause, Regulation

REGULATIONS_DIR = Path(__file__).resolve().parent.parent / "policies" / "regulations"

REGULATION_KEYS = frozenset(
    {
        "code",
        "seed",
        "title",
        "issuing_body",
        "document_number",
        "issued_on",
        "level",
        "family",
        "preamble",
        "clauses",
    }
)
REQUIRED_REGULATION_KEYS = ("code", "title", "clauses")
CLAUSE_KEYS = frozenset({"number", "heading", "text"})
REGULATION_FIELDS = ("title", "issuing_body", "document_number", "issued_on", "level", "family", "preamble")
CLAUSE_FIELDS = ("heading", "text", "order")


class RegulationFileError(Exception):
    """A regulation file that cannot be loaded. The message is Chinese and names the file, clause and line."""

    def __init__(self, *, path: Path, reason: str, index: int | None = None, line: int | None = None) -> None:
        self.path = path
        self.reason = reason
        self.index = index  # 1-based position of the clause in the file's list, if the fault is in one
        self.line = line  # 1-based line in the file, where known
        where = f"第{line}行：" if line else ""
        super().__init__(f"制度文件 {path} {where}{reason}")


@dataclass(frozen=True)
class ClauseData:
    number: str
    heading: str
    text: str
    order: int  # position in the file, from 0
    line: int | None  # where the clause starts in the file, for error messages


@dataclass(frozen=True)
class RegulationData:
    """A regulation file, checked and normalised, not yet saved."""

    path: Path
    code: str
    values: dict[str, Any]
    clauses: tuple[ClauseData, ...]


@dataclass
class RegulationLoadResult:
    regulation: Regulation
    created: bool = False
    updated: bool = False
    clauses_created: list[str] = field(default_factory=list)
    clauses_updated: list[str] = field(default_factory=list)
    clauses_deleted: list[str] = field(default_factory=list)
    # Removed from the file but still cited (e.g. by an obligation rule), so kept.
    clauses_kept: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.created
            or self.updated
            or self.clauses_created
            or self.clauses_updated
            or self.clauses_deleted
        )

    def summary(self) -> str:
        """One Chinese line for the command's output."""
        regulation = self.regulation
        head = f"{regulation}（{regulation.code}）"
        total = regulation.clauses.count()
        if self.created:
            line = f"{head}：新建，共 {total} 条"
        elif not self.changed:
            line = f"{head}：未变化，共 {total} 条"
        else:
            parts = []
            if self.updated:
                parts.append("制度信息已更新")
            if self.clauses_created:
                parts.append(f"新增条款 {len(self.clauses_created)} 条")
            if self.clauses_updated:
                parts.append(f"更新条款 {len(self.clauses_updated)} 条")
            if self.clauses_deleted:
                parts.append(f"删除条款 {len(self.clauses_deleted)} 条")
            line = f"{head}：{'，'.join(parts)}，共 {total} 条"
        if self.clauses_kept:
            line += f"（条款 {'、'.join(self.clauses_kept)} 已不在文件中，但仍被引用，予以保留）"
        return line


# Reading and checking a file (no database) ---------------------------------------------------------------------


def _clause_lines(text: str) -> list[int]:
    """The 1-based line where each item of the top-level `clauses` list starts (best effort)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if getattr(key, "value", None) == "clauses" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _text(value: Any) -> str:
    """A scalar as trimmed text; YAML block scalars (|) end with a newline nobody wants to store."""
    if value is None:
        return ""
    return str(value).strip()


def regulation_file_parse(*, path: Path) -> RegulationData:
    """Read and check one regulation file. Raises RegulationFileError with a Chinese reason."""
    path = Path(path)

    def fail(reason: str, *, index: int | None = None, line: int | None = None) -> RegulationFileError:
        return RegulationFileError(path=path, reason=reason, index=index, line=line)

    if not path.is_file():
        raise fail("文件不存在")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise fail("文件不是 UTF-8 编码") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise fail(f"YAML 格式错误：{problem}", line=mark.line + 1 if mark else None) from exc
    if not isinstance(data, dict):
        raise fail("文件内容应为一部制度（code、title、clauses 等字段），而不是空文件或列表")

    unknown = sorted(str(k) for k in data if k not in REGULATION_KEYS)
    if unknown:
        raise fail(f"有无法识别的字段：{'、'.join(unknown)}")
    for key in REQUIRED_REGULATION_KEYS:
        if data.get(key) in (None, ""):
            raise fail(f"缺少 {key}")

    if not isinstance(data["code"], str):
        # Unquoted, YAML reads 000 as the number 0 and 001 as 1.
        raise fail(f'code 应加引号，如 code: "000"（不加引号时被读成了 {data["code"]!r}）')
    code = _text(data["code"])
    issued_on = data.get("issued_on")
    if isinstance(issued_on, str):
        try:
            issued_on = dt.date.fromisoformat(issued_on.strip()) if issued_on.strip() else None
        except ValueError as exc:
            raise fail(f"issued_on 不是有效日期（应为 YYYY-MM-DD）：{issued_on}") from exc
    elif isinstance(issued_on, dt.datetime) or not isinstance(issued_on, dt.date | None):
        raise fail(f"issued_on 不是有效日期（应为 YYYY-MM-DD）：{issued_on}")
    level = _text(data.get("level")) or Regulation.Level.UNIVERSITY
    if level not in Regulation.Level.values:
        raise fail(f"level 只能是 {' 或 '.join(Regulation.Level.values)}，而不是“{level}”")

    values = {
        "title": _text(data["title"]),
        "issuing_body": _text(data.get("issuing_body")),
        "document_number": _text(data.get("document_number")),
        "issued_on": issued_on,
        "level": level,
        "family": _text(data.get("family")),
        "preamble": _text(data.get("preamble")),
    }

    items = data["clauses"]
    if not isinstance(items, list):
        raise fail("clauses 应为条款列表（每条含 number、heading、text）")
    lines = _clause_lines(text)
    clauses: list[ClauseData] = []
    seen: dict[str, int] = {}
    for order, item in enumerate(items):
        index = order + 1
        line = lines[order] if order < len(lines) else None
        if not isinstance(item, dict):
            raise fail(f"第{index}条应包含 number、heading、text 字段", index=index, line=line)
        unknown = sorted(str(k) for k in item if k not in CLAUSE_KEYS)
        if unknown:
            raise fail(f"第{index}条有无法识别的字段：{'、'.join(unknown)}", index=index, line=line)
        number = item.get("number")
        if isinstance(number, bool) or not isinstance(number, str | int) or not str(number).strip():
            raise fail(f"第{index}条缺少 number", index=index, line=line)
        number = str(number).strip()
        if number in seen:
            raise fail(f"第{index}条的 number“{number}”与第{seen[number]}条重复", index=index, line=line)
        seen[number] = index
        clauses.append(
            ClauseData(
                number=number,
                heading=_text(item.get("heading")),
                text=_text(item.get("text")),
                order=order,
                line=line,
            )
        )
    if not clauses:
        raise fail("clauses 中没有任何条款")
    return RegulationData(path=path, code=code, values=values, clauses=tuple(clauses))


# Saving -------------------------------------------------------------------------------------------------------


def _validation_reason(error: ValidationError, model: type[models.Model]) -> str:
    """Django's messages, each after its field's Chinese label (条款号：…) rather than its name."""
    if not hasattr(error, "error_dict"):
        return "；".join(error.messages)
    parts = []
    for name, errors in error.message_dict.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # NON_FIELD_ERRORS
            field = None
        label = str(field.verbose_name) if isinstance(field, models.Field) else ""
        text = "；".join(errors)
        parts.append(f"{label}：{text}" if label else text)
    return "；".join(parts)


def _apply(instance: Any, values: dict[str, Any]) -> bool:
    """Set values on an instance; True if any differed."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _save(data: RegulationData) -> RegulationLoadResult:
    regulation = Regulation.objects.filter(code=data.code).first()
    created = regulation is None
    if regulation is None:
        regulation = Regulation(code=data.code)
    updated = _apply(regulation, data.values) and not created
    if created or updated:
        try:
            regulation.full_clean()
        except ValidationError as exc:
            raise RegulationFileError(path=data.path, reason=_validation_reason(exc, Regulation)) from exc
        regulation.save()
    result = RegulationLoadResult(regulation=regulation, created=created, updated=updated)

    existing = {c.number: c for c in regulation.clauses.all()} if not created else {}
    for item in data.clauses:
        clause = existing.pop(item.number, None)
        is_new = clause is None
        if clause is None:
            clause = Clause(regulation=regulation, number=item.number)
        changed = _apply(clause, {"heading": item.heading, "text": item.text, "order": item.order})
        if not (is_new or changed):
            continue
        try:
            clause.full_clean()
        except ValidationError as exc:
            index = item.order + 1
            raise RegulationFileError(
                path=data.path,
                reason=f"第{index}条（{item.number}）：{_validation_reason(exc, Clause)}",
                index=index,
                line=item.line,
            ) from exc
        clause.save()
        (result.clauses_created if is_new else result.clauses_updated).append(item.number)

    for number, clause in sorted(existing.items(), key=lambda pair: pair[1].order):
        try:
            with transaction.atomic():
                clause.delete()
        except (ProtectedError, RestrictedError):
            result.clauses_kept.append(number)
        else:
            result.clauses_deleted.append(number)
    return result


def regulation_import(*, path: Path) -> RegulationLoadResult:
    """Load one file and say what changed. Raises RegulationFileError; nothing is saved then."""
    data = regulation_file_parse(path=path)
    with transaction.atomic():
        return _save(data)


def regulation_load(*, path: Path) -> Regulation:
    """Load one regulation file into Regulation and Clause rows (idempotent)."""
    return regulation_import(path=path).regulation


def regulation_files(directory: Path = REGULATIONS_DIR) -> list[Path]:
    return sorted(p for p in Path(directory).iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())


def regulations_import(*, paths: Iterable[Path]) -> list[RegulationLoadResult]:
    """Load several files all or nothing: every file is checked before the first is written."""
    parsed = [regulation_file_parse(path=Path(p)) for p in paths]
    codes: dict[str, Path] = {}
    for data in parsed:
        if data.code in codes:
            raise RegulationFileError(path=data.path, reason=f"code“{data.code}”与 {codes[data.code]} 重复")
        codes[data.code] = data.path
    with transaction.atomic():
        return [_save(data) for data in parsed]


def regulations_load_all(*, directory: Path | None = None) -> list[RegulationLoadResult]:
    """Load every regulation file shipped in governance/policies/regulations/ (or `directory`)."""
    return regulations_import(paths=regulation_files(directory or REGULATIONS_DIR))
