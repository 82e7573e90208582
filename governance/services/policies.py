"""Loading a policy pack (governance/policies/packs/<code>.yaml) into obligation rules for an organization.

Loading is idempotent (rules are matched by code within the organization) and all-or-nothing: a malformed pack is
refused with the line and the reason, in Chinese, and nothing is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from governance.engine import evidence as evidence_registry
from governance.engine.periods import PeriodKind
from governance.models import Clause, ObligationRule, Organization, PolicyPack, PositionKind, Regulation
from governance.models.obligations import Counterpart, HolidayShift, Measure, Season, Subject

PACK_DIR = Path(__file__).resolve().parent.parent / "policies" / "packs"
REGULATION_DIR = Path(__file__).resolve().parent.parent / "policies" / "regulations"
PERIODS = [k.value for k in PeriodKind] + ["before_event"]
RULE_KEYS = {
    "code", "title", "description", "clause", "subject", "subject_positions", "counterpart", "counterpart_positions",
    "evidence", "measure", "target", "unit", "period", "season", "weekday", "anchor", "holiday_shift", "event",
    "remind_days_before",
}  # fmt: skip


class PolicyPackError(Exception):
    """A pack that cannot be loaded: `str(error)` is the Chinese message with the file and line."""

    def __init__(self, path: Path | str, line: int | None, reason: str) -> None:
        self.path, self.line, self.reason = str(path), line, reason
        where = f"{self.path} 第{line}行" if line else self.path
        super().__init__(f"{where}：{reason}")


@dataclass
class PackLoadResult:
    pack: PolicyPack
    organization: Organization
    created: list[str]
    updated: list[str]
    unchanged: list[str]


def pack_path(name: str) -> Path:
    candidate = Path(name)
    if candidate.suffix in (".yaml", ".yml") and candidate.exists():
        return candidate
    path = PACK_DIR / f"{name}.yaml"
    if not path.exists():
        available = "、".join(sorted(p.stem for p in PACK_DIR.glob("*.yaml")))
        raise PolicyPackError(name, None, f"找不到规则包“{name}”。可用的规则包：{available}")
    return path


def _lines(node: yaml.Node) -> dict[str, int]:
    """Line (1-based) of each key of a mapping node."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: k.start_mark.line + 1 for k, _v in node.value if isinstance(k, yaml.ScalarNode)}


def _read(path: Path) -> tuple[dict[str, Any], dict[str, int], list[tuple[int, dict[str, int]]]]:
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PolicyPackError(
            path, mark.line + 1 if mark else None, f"YAML 格式错误：{getattr(exc, 'problem', exc)}"
        ) from exc
    if not isinstance(data, dict) or root is None:
        raise PolicyPackError(path, 1, "规则包应为键值结构（code、title、regulation、rules）。")
    rule_lines: list[tuple[int, dict[str, int]]] = []
    for key, value in root.value:
        if key.value == "rules" and isinstance(value, yaml.SequenceNode):
            rule_lines = [(item.start_mark.line + 1, _lines(item)) for item in value.value]
    return data, _lines(root), rule_lines


def _choice(value: Any, allowed: list[str], *, path: Path, line: int, field: str, code: str) -> str:
    if value not in allowed:
        raise PolicyPackError(
            path, line, f"规则 {code} 的 {field}“{value}”无效，可选：{'、'.join(allowed)}。"
        )
    return value


def _positions(value: Any, *, path: Path, line: int, field: str, code: str) -> list[str]:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise PolicyPackError(path, line, f"规则 {code} 的 {field} 应为职务类别列表，如 [secretary]。")
    for item in value:
        _choice(item, list(PositionKind.values), path=path, line=line, field=field, code=code)
    return value


def _ensure_regulation(code: str, path: Path, line: int) -> Regulation:
    regulation = Regulation.objects.filter(code=code).first()
    if regulation is not None:
        return regulation
    source = REGULATION_DIR / f"{code}.yaml"
    if not source.exists():
        raise PolicyPackError(path, line, f"找不到依据制度“{code}”。")
    from governance.services.regulations import regulation_load

    return regulation_load(path=source)


def _rule_values(
    raw: dict[str, Any],
    line: int,
    keys: dict[str, int],
    regulation: Regulation,
    clauses: dict[str, Clause],
    path: Path,
) -> dict[str, Any]:
    code = raw.get("code")
    if not code:
        raise PolicyPackError(path, line, "规则缺少 code（稳定的英文代码）。")

    def at(k: str) -> int:
        return keys.get(k, line)

    unknown = set(raw) - RULE_KEYS
    if unknown:
        raise PolicyPackError(
            path, at(sorted(unknown)[0]), f"规则 {code} 有无法识别的字段：{'、'.join(sorted(unknown))}。"
        )
    for required in ("title", "clause", "subject", "evidence", "period"):
        if raw.get(required) in (None, ""):
            raise PolicyPackError(path, line, f"规则 {code} 缺少 {required}。")
    clause = clauses.get(str(raw["clause"]))
    if clause is None:
        raise PolicyPackError(
            path, at("clause"), f"规则 {code} 引用的条款“{raw['clause']}”不在《{regulation.title}》中。"
        )
    evidence = raw["evidence"]
    if not isinstance(evidence, dict) or "source" not in evidence:
        raise PolicyPackError(
            path, at("evidence"), f"规则 {code} 的 evidence 应写作 {{source: …, params: {{…}}}}。"
        )
    known_sources = sorted(evidence_registry.sources())
    _choice(
        evidence["source"], known_sources, path=path, line=at("evidence"), field="evidence.source", code=code
    )
    period = _choice(str(raw["period"]), PERIODS, path=path, line=at("period"), field="period", code=code)
    event = raw.get("event") or {}
    if period == "before_event" and not event.get("source"):
        raise PolicyPackError(
            path, at("period"), f"规则 {code} 的周期为 before_event，需要 event: {{source: …}}。"
        )
    weekday = raw.get("weekday")
    if weekday is not None and (not isinstance(weekday, int) or not 0 <= weekday <= 6):
        raise PolicyPackError(path, at("weekday"), f"规则 {code} 的 weekday 应为 0（周一）到 6（周日）。")
    if period == "biweek" and weekday is None:
        raise PolicyPackError(path, line, f"规则 {code} 为双周规则，需要 weekday（如周五为 4）。")
    try:
        target = Decimal(str(raw.get("target", 1)))
    except InvalidOperation:
        raise PolicyPackError(path, at("target"), f"规则 {code} 的 target 应为数字。") from None
    if target <= 0:
        raise PolicyPackError(path, at("target"), f"规则 {code} 的 target 必须大于 0。")
    remind = raw.get("remind_days_before", 7)
    if not isinstance(remind, int) or remind < 0:
        raise PolicyPackError(
            path, at("remind_days_before"), f"规则 {code} 的 remind_days_before 应为非负整数。"
        )
    return {
        "code": code,
        "title": raw["title"],
        "description": raw.get("description", ""),
        "clause": clause,
        "subject": _choice(
            raw["subject"], list(Subject.values), path=path, line=at("subject"), field="subject", code=code
        ),
        "subject_positions": _positions(
            raw.get("subject_positions"),
            path=path,
            line=at("subject_positions"),
            field="subject_positions",
            code=code,
        ),
        "counterpart": _choice(
            raw.get("counterpart", "none"),
            list(Counterpart.values),
            path=path,
            line=at("counterpart"),
            field="counterpart",
            code=code,
        ),
        "counterpart_positions": _positions(
            raw.get("counterpart_positions"),
            path=path,
            line=at("counterpart_positions"),
            field="counterpart_positions",
            code=code,
        ),
        "evidence_source": evidence["source"],
        "evidence_params": evidence.get("params") or {},
        "measure": _choice(
            raw.get("measure", "count"),
            list(Measure.values),
            path=path,
            line=at("measure"),
            field="measure",
            code=code,
        ),
        "target": target,
        "unit": raw.get("unit", "次"),
        "period": period,
        "season": _choice(
            raw.get("season", "always"),
            list(Season.values),
            path=path,
            line=at("season"),
            field="season",
            code=code,
        ),
        "weekday": weekday,
        "anchor": raw.get("anchor"),
        "holiday_shift": _choice(
            raw.get("holiday_shift", "none"),
            list(HolidayShift.values),
            path=path,
            line=at("holiday_shift"),
            field="holiday_shift",
            code=code,
        ),
        "event_source": event.get("source", ""),
        "event_params": event.get("params") or {},
        "remind_days_before": remind,
    }


def policy_load(
    *, name: str, organization: Organization | None = None, include_sub_units: bool = False
) -> PackLoadResult:
    """Load pack `name` (a pack code such as "000", or a path to a YAML file) for `organization`.

    University-level packs default to the root university; college-level packs need an organization."""
    path = pack_path(name)
    data, top_lines, rule_lines = _read(path)
    for key in ("code", "title", "regulation", "rules"):
        if not data.get(key):
            raise PolicyPackError(path, top_lines.get(key, 1), f"规则包缺少 {key}。")
    if not isinstance(data["rules"], list):
        raise PolicyPackError(path, top_lines.get("rules"), "rules 应为规则列表。")
    level = data.get("level", "university")
    if organization is None:
        if level != "university":
            raise PolicyPackError(
                path, top_lines.get("level"), "这是二级学院的制度，请用 --org 指定采用它的学院代码。"
            )
        organization = Organization.objects.filter(kind=Organization.Kind.UNIVERSITY, parent=None).first()
        if organization is None:
            raise PolicyPackError(path, None, "系统中还没有学校组织，请先建立组织（或运行 seed_demo）。")
    with transaction.atomic():
        regulation = _ensure_regulation(str(data["regulation"]), path, top_lines.get("regulation", 1))
        clauses = {c.number: c for c in regulation.clauses.all()}
        values = []
        seen: set[str] = set()
        for index, raw in enumerate(data["rules"]):
            line, keys = rule_lines[index] if index < len(rule_lines) else (None, {})
            if not isinstance(raw, dict):
                raise PolicyPackError(path, line, "每条规则应为键值结构。")
            rule = _rule_values(raw, line or 1, keys, regulation, clauses, path)
            if rule["code"] in seen:
                raise PolicyPackError(path, line, f"规则代码 {rule['code']} 重复。")
            seen.add(rule["code"])
            values.append((line, rule))
        pack, _ = PolicyPack.objects.update_or_create(
            code=str(data["code"]),
            defaults={
                "title": data["title"],
                "regulation": regulation,
                "version": str(data.get("version", "")),
                "description": data.get("description", ""),
            },
        )
        result = PackLoadResult(pack, organization, [], [], [])
        for order, (line, rule) in enumerate(values):
            code = rule.pop("code")
            rule.update(pack=pack, include_sub_units=include_sub_units, order=(order + 1) * 10)
            existing = ObligationRule.objects.filter(organization=organization, code=code).first()
            if existing is None:
                obj = ObligationRule(organization=organization, code=code, **rule)
                bucket = result.created
            else:
                changed = any(getattr(existing, k) != v for k, v in rule.items())
                for k, v in rule.items():
                    setattr(existing, k, v)
                obj = existing
                bucket = result.updated if changed else result.unchanged
            try:
                obj.full_clean()
            except ValidationError as exc:
                messages = "；".join(m for ms in exc.message_dict.values() for m in ms)
                raise PolicyPackError(path, line, f"规则 {code}：{messages}") from exc
            if bucket is not result.unchanged:
                obj.save()
            bucket.append(code)
    return result
