"""Adopting a policy pack (governance/policies/packs/<code>.yaml): the obligation rules it holds, for an organization.

Two steps, one code path for the preview and for the real thing:

- `policy_plan` reads and checks the pack and works out rule by rule what adopting it would create, change or find
  already there (each rule built and `full_clean`ed as it would be saved). It writes nothing: the office's preview.
- `policy_apply` writes a plan in one transaction: the organization's own regulation when the office names one (its
  title, 文号 and date; the pack's source regulation is kept as its 参照), the pack and the rules. A rule that fails its
  checks refuses the whole pack: nothing is half-saved.

`policy_load` plans and applies at once (`load_policy`, the demo); `policy_adopt` is the office's confirmation in the
portal, refused when the plan is no longer the one it previewed. Loading is idempotent (rules are matched by code
within the organization); a malformed pack is refused with the file, the line and the reason, in Chinese.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from governance.engine import evidence as evidence_registry
from governance.engine.periods import PeriodKind
from governance.errors import DomainError, clean_or_refuse
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
    regulation: Regulation | None = (
        None  # what the rules cite: the organization's own regulation, else the source
    )


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
    if raw.get("subject") == "event_owners" and period != "before_event":
        raise PolicyPackError(
            path,
            at("period"),
            f"规则 {code} 的义务主体为 event_owners（活动的承办人员），周期须为 before_event。",
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


# The office's own regulation ------------------------------------------------------------------------------------

TITLE_MARKS = "《》〈〉 \u3000"


@dataclass(frozen=True)
class OwnRegulation:
    """What the office names when its organization adopts a pack: its own regulation (the rules cite it)."""

    title: str
    document_number: str = ""
    issued_on: dt.date | None = None
    issuing_body: str = ""

    def cleaned(self) -> OwnRegulation:
        """Without surrounding spaces and book-title marks (《》 are added wherever the title is cited)."""
        return OwnRegulation(
            title=(self.title or "").strip().strip(TITLE_MARKS),
            document_number=(self.document_number or "").strip(),
            issued_on=self.issued_on,
            issuing_body=(self.issuing_body or "").strip(),
        )


def _own_code(organization: Organization, source: Regulation) -> str:
    """A code no other regulation has: "jcu-001" (the org's code, then the reference's), shortened if need be."""
    field_length = Regulation._meta.get_field("code").max_length or 40
    base = f"{organization.code}-{source.code}"[:field_length]
    code, n = base, 1
    while Regulation.objects.filter(code=code).exists():
        n += 1
        suffix = f"-{n}"
        code = base[: field_length - len(suffix)] + suffix
    return code


def _own_values(own: OwnRegulation) -> dict[str, Any]:
    return {
        "title": own.title,
        "document_number": own.document_number,
        "issued_on": own.issued_on,
        "issuing_body": own.issuing_body,
    }


def _refuse_unnamed(own: OwnRegulation, source: Regulation) -> None:
    if not own.title:
        raise DomainError(
            {"title": _("请填写本单位制度的名称，如《中共江城大学委员会领导班子议事沟通制度》。")}
        )
    if own.title == source.title:
        raise DomainError(
            {
                "title": _(
                    "本单位制度的名称不能与参照的《%(title)s》相同：请写本单位印发的制度名称，参照的制度会另行注明。"
                )
                % {"title": source.title}
            }
        )


def regulation_adopt(*, source: Regulation, organization: Organization, own: OwnRegulation) -> Regulation:
    """The organization's own regulation modelled on `source` (参照), created or renamed; its clauses are a copy of the
    source's, and a clause the source gained since is added (the office's edits to a copied clause are kept)."""
    own = own.cleaned()
    _refuse_unnamed(own, source)
    with transaction.atomic():
        regulation = Regulation.objects.filter(organization=organization, reference=source).first()
        created = regulation is None
        if regulation is None:
            regulation = Regulation(
                code=_own_code(organization, source),
                organization=organization,
                reference=source,
                level=source.level,
                family=source.family,
            )
        changed = False
        for name, value in _own_values(own).items():
            if getattr(regulation, name) != value:
                setattr(regulation, name, value)
                changed = True
        if created or changed:
            clean_or_refuse(regulation)
            regulation.save()
        _copy_missing_clauses(regulation, source)
    return regulation


def _copy_missing_clauses(regulation: Regulation, source: Regulation) -> None:
    have = set(regulation.clauses.values_list("number", flat=True))
    for clause in source.clauses.order_by("order", "pk"):
        if clause.number not in have:
            copy = Clause(
                regulation=regulation,
                number=clause.number,
                heading=clause.heading,
                text=clause.text,
                order=clause.order,
            )
            clean_or_refuse(copy)
            copy.save()


# Planning: what adopting a pack would do (writes nothing) --------------------------------------------------------

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
# The fields a pack sets on a rule, compared with a rule already there.
PLANNED_FIELDS = (
    "title", "description", "clause", "pack", "include_sub_units", "order", "subject", "subject_positions",
    "counterpart", "counterpart_positions", "evidence_source", "evidence_params", "measure", "target", "unit",
    "period", "season", "weekday", "anchor", "holiday_shift", "event_source", "event_params", "remind_days_before",
)  # fmt: skip


def _label(model: type[models.Model], name: str) -> str:
    """A field's Chinese name (标题、文号 …), for saying what a plan changes."""
    field = model._meta.get_field(name)
    return str(field.verbose_name) if isinstance(field, models.Field) else name


def _positions_text(kinds: list[str]) -> str:
    return "、".join(str(PositionKind(k).label) for k in kinds if k in PositionKind.values)


@dataclass
class PlannedRule:
    """One rule of the pack as adopting it would leave it: `rule` is the model instance (new, or the organization's
    rule with the pack's values set), not saved."""

    code: str
    line: int | None
    rule: ObligationRule
    clause_number: str
    status: str  # NEW, CHANGED or UNCHANGED
    changes: list[str] = field(default_factory=list)  # the changed fields' names, for CHANGED

    @property
    def subject_text(self) -> str:
        rule = self.rule
        positions = _positions_text(rule.subject_positions or [])
        if rule.subject == "team":
            who = (
                _("领导班子整体（%(positions)s负责）") % {"positions": positions}
                if positions
                else _("领导班子整体")
            )
        elif rule.subject == "each_member":
            who = _("每位班子成员")
        elif rule.subject == "event_owners":
            who = _("每项活动（事项）的承办人员")
        else:
            who = positions
        if rule.counterpart == "position":
            return _("%(who)s与%(whom)s") % {
                "who": who,
                "whom": _positions_text(rule.counterpart_positions or []),
            }
        if rule.counterpart == "each_other_member":
            return _("%(who)s与其他每位班子成员") % {"who": who}
        return who

    @property
    def cycle_text(self) -> str:
        rule = self.rule
        parts = [str(rule.get_period_display())]
        if rule.weekday is not None:
            parts.append(str(rule.get_weekday_display()))
        if rule.season != "always":
            parts.append(str(rule.get_season_display()))
        if rule.holiday_shift != "none":
            parts.append(_("遇节假日%(shift)s") % {"shift": rule.get_holiday_shift_display()})
        return _("，").join(parts)

    @property
    def threshold_text(self) -> str:
        rule = self.rule
        amount = f"{rule.target.normalize():f}" if isinstance(rule.target, Decimal) else str(rule.target)
        if rule.measure == "sum":
            return _("累计不少于 %(n)s %(unit)s") % {"n": amount, "unit": rule.unit}
        return _("不少于 %(n)s %(unit)s") % {"n": amount, "unit": rule.unit}


@dataclass
class PackPlan:
    """What adopting pack `code` for `organization` would do; `policy_apply` writes it."""

    path: Path
    code: str
    title: str
    version: str
    description: str
    level: str
    source: Regulation  # the regulation the pack was modelled on: the 参照
    organization: Organization
    include_sub_units: bool
    own: Regulation | None  # the organization's own regulation for this source, as it is now
    own_values: OwnRegulation | None  # the own regulation as the office names it this time
    rules: list[PlannedRule]

    def _codes(self, status: str) -> list[str]:
        return [r.code for r in self.rules if r.status == status]

    @property
    def created(self) -> list[str]:
        return self._codes(NEW)

    @property
    def changed(self) -> list[str]:
        return self._codes(CHANGED)

    @property
    def unchanged(self) -> list[str]:
        return self._codes(UNCHANGED)

    @property
    def cited_title(self) -> str:
        """The title the rules will cite."""
        if self.own_values is not None:
            return self.own_values.title
        return (self.own or self.source).title

    @property
    def own_changes(self) -> list[str]:
        """What naming the regulation again changes on the own regulation already there (标题、文号 …)."""
        if self.own is None or self.own_values is None:
            return []
        return [
            _label(Regulation, name)
            for name, value in _own_values(self.own_values).items()
            if getattr(self.own, name) != value
        ]

    @property
    def digest(self) -> str:
        """A fingerprint of everything the plan would write, so a confirmation applies the plan it previewed."""

        def plain(value: Any) -> Any:
            if isinstance(value, Clause):
                return value.number
            if isinstance(value, PolicyPack):
                return value.code
            if isinstance(value, Decimal | dt.date):
                return str(value)
            return value

        content = {
            "pack": [self.code, self.title, self.version, self.source.code],
            "organization": self.organization.pk,
            "sub_units": self.include_sub_units,
            "own": _own_values(self.own_values) if self.own_values else None,
            "rules": [
                [r.code, r.status, {name: plain(getattr(r.rule, name)) for name in PLANNED_FIELDS}]
                for r in self.rules
            ],
        }
        text = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _default_organization(path: Path, data: dict[str, Any], top_lines: dict[str, int]) -> Organization:
    if data.get("level", "university") != "university":
        raise PolicyPackError(
            path, top_lines.get("level"), "这是二级学院的制度，请用 --org 指定采用它的学院代码。"
        )
    organization = Organization.objects.filter(kind=Organization.Kind.UNIVERSITY, parent=None).first()
    if organization is None:
        raise PolicyPackError(path, None, "系统中还没有学校组织，请先建立组织（或运行 seed_demo）。")
    return organization


def _clause_changed(existing: ObligationRule, number: str, target_regulation_id: int | None) -> bool:
    """Whether a rule already there would cite another clause: another number, or the same number of another
    regulation (the organization now names its own; `target_regulation_id` None: one not created yet)."""
    return existing.clause.number != number or existing.clause.regulation_id != target_regulation_id


def policy_plan(
    *,
    name: str,
    organization: Organization | None = None,
    include_sub_units: bool = False,
    own: OwnRegulation | None = None,
) -> PackPlan:
    """What adopting pack `name` (a pack code such as "000", or a path to a YAML file) for `organization` would do.

    University-level packs default to the root university; college-level packs need an organization. With `own`, the
    rules will cite the organization's own regulation by that name; without, its own regulation for the pack's source
    if it named one before, else the source itself. Nothing is written, except that a shipped regulation the pack
    rests on is loaded from its file if it is not in the database yet."""
    path = pack_path(name)
    data, top_lines, rule_lines = _read(path)
    for key in ("code", "title", "regulation", "rules"):
        if not data.get(key):
            raise PolicyPackError(path, top_lines.get(key, 1), f"规则包缺少 {key}。")
    if not isinstance(data["rules"], list):
        raise PolicyPackError(path, top_lines.get("rules"), "rules 应为规则列表。")
    if organization is None:
        organization = _default_organization(path, data, top_lines)
    own = own.cleaned() if own is not None else None
    source = _ensure_regulation(str(data["regulation"]), path, top_lines.get("regulation", 1))
    if own is not None:
        _refuse_unnamed(own, source)
    existing_own = Regulation.objects.filter(organization=organization, reference=source).first()
    source_clauses = {c.number: c for c in source.clauses.all()}
    own_clauses = {c.number: c for c in existing_own.clauses.all()} if existing_own else {}
    target_regulation_id = existing_own.pk if existing_own else (None if own is not None else source.pk)

    values = []
    seen: set[str] = set()
    for index, raw in enumerate(data["rules"]):
        line, keys = rule_lines[index] if index < len(rule_lines) else (None, {})
        if not isinstance(raw, dict):
            raise PolicyPackError(path, line, "每条规则应为键值结构。")
        rule = _rule_values(raw, line or 1, keys, source, source_clauses, path)
        if rule["code"] in seen:
            raise PolicyPackError(path, line, f"规则代码 {rule['code']} 重复。")
        seen.add(rule["code"])
        values.append((line, rule))

    pack = PolicyPack.objects.filter(code=str(data["code"])).first()
    existing_rules = {
        r.code: r
        for r in ObligationRule.objects.filter(organization=organization, code__in=seen).select_related(
            "clause"
        )
    }
    planned: list[PlannedRule] = []
    for order, (line, rule_values) in enumerate(values):
        code = rule_values.pop("code")
        number = rule_values["clause"].number
        # The clause it will cite (an own regulation that lacks the number gets it copied when the plan is applied;
        # meanwhile the source's clause, with the same number, stands in for the checks).
        rule_values["clause"] = own_clauses.get(number, rule_values["clause"])
        rule_values.update(pack=pack, include_sub_units=include_sub_units, order=(order + 1) * 10)
        existing = existing_rules.get(code)
        if existing is None:
            obj = ObligationRule(organization=organization, code=code, **rule_values)
            status, changes = NEW, []
        else:
            changes = [
                _label(ObligationRule, k)
                for k, v in rule_values.items()
                if (
                    _clause_changed(existing, number, target_regulation_id)
                    if k == "clause"
                    else getattr(existing, k) != v
                )
            ]
            for k, v in rule_values.items():
                setattr(existing, k, v)
            obj = existing
            status = CHANGED if changes else UNCHANGED
        try:
            obj.full_clean()
        except ValidationError as exc:
            messages = "；".join(m for ms in exc.message_dict.values() for m in ms)
            raise PolicyPackError(path, line, f"规则 {code}：{messages}") from exc
        planned.append(PlannedRule(code, line, obj, number, status, changes))

    return PackPlan(
        path=path,
        code=str(data["code"]),
        title=str(data["title"]),
        version=str(data.get("version", "")),
        description=str(data.get("description", "") or ""),
        level=str(data.get("level", "university")),
        source=source,
        organization=organization,
        include_sub_units=include_sub_units,
        own=existing_own,
        own_values=own,
        rules=planned,
    )


# Applying a plan --------------------------------------------------------------------------------------------------


def policy_apply(*, plan: PackPlan) -> PackLoadResult:
    """Write `plan` in one transaction: the own regulation (named, or completed with clauses the source gained), the
    pack, and each rule that is new or changed. Any refusal leaves nothing written."""
    with transaction.atomic():
        regulation = plan.own
        if plan.own_values is not None:
            regulation = regulation_adopt(
                source=plan.source, organization=plan.organization, own=plan.own_values
            )
        elif regulation is not None:
            _copy_missing_clauses(regulation, plan.source)
        cited = regulation or plan.source
        clauses = {c.number: c for c in cited.clauses.all()}
        pack, _created = PolicyPack.objects.update_or_create(
            code=plan.code,
            defaults={
                "title": plan.title,
                "regulation": plan.source,
                "version": plan.version,
                "description": plan.description,
            },
        )
        result = PackLoadResult(pack, plan.organization, [], [], [], regulation=cited)
        for planned in plan.rules:
            rule = planned.rule
            rule.clause = clauses[planned.clause_number]
            rule.pack = pack
            if planned.status == UNCHANGED:
                result.unchanged.append(planned.code)
                continue
            try:
                rule.full_clean()
            except ValidationError as exc:
                messages = "；".join(m for ms in exc.message_dict.values() for m in ms)
                raise PolicyPackError(plan.path, planned.line, f"规则 {planned.code}：{messages}") from exc
            rule.save()
            (result.created if planned.status == NEW else result.updated).append(planned.code)
    return result


def policy_load(
    *,
    name: str,
    organization: Organization | None = None,
    include_sub_units: bool = False,
    own: OwnRegulation | None = None,
) -> PackLoadResult:
    """Load pack `name` for `organization` at once (plan and apply in one transaction): `load_policy`, the demo."""
    with transaction.atomic():
        plan = policy_plan(name=name, organization=organization, include_sub_units=include_sub_units, own=own)
        return policy_apply(plan=plan)


class PlanChanged(DomainError):
    """The pack, the organization's rules or its regulation changed between the preview and the confirmation."""

    def __init__(self, plan: PackPlan) -> None:
        self.plan = plan
        super().__init__(_("预览之后，规则包或该组织的规则有了变化。请核对下面更新后的预览，再确认采用。"))


def policy_preview(
    *,
    name: str,
    organization: Organization,
    own: OwnRegulation,
    include_sub_units: bool = False,
    by: Any,
) -> PackPlan:
    """The plan the office previews before adopting pack `name` for `organization` under its own regulation `own`:
    `policy_plan` with the office's checks (only the office; a named regulation; a college's pack is no university's).
    Writes nothing."""
    from governance.roles import is_office

    if by is None or not is_office(by):
        raise DomainError(_("只有党委办公室可以采用制度规则包。"))
    plan = policy_plan(name=name, organization=organization, include_sub_units=include_sub_units, own=own)
    if plan.level == Regulation.Level.COLLEGE and organization.kind == Organization.Kind.UNIVERSITY:
        raise DomainError(
            {
                "pack": _("“%(pack)s”是二级学院的制度，学校不能采用；请选择学院，或选择学校层面的规则包。")
                % {"pack": plan.title}
            }
        )
    return plan


def policy_adopt(
    *,
    name: str,
    organization: Organization,
    own: OwnRegulation,
    include_sub_units: bool = False,
    expected: str = "",
    by: Any,
) -> PackLoadResult:
    """The office adopts pack `name` for `organization`, naming its own regulation (the pack's source is kept as its
    参照): the previewed plan, applied. `expected` is the digest of the plan the office saw; if the plan is another now,
    nothing is written and PlanChanged carries the new plan to preview."""
    with transaction.atomic():
        plan = policy_preview(
            name=name, organization=organization, own=own, include_sub_units=include_sub_units, by=by
        )
        if expected and plan.digest != expected:
            raise PlanChanged(plan)
        return policy_apply(plan=plan)
