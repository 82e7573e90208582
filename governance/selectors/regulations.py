"""Reads about regulations: which one an organization cites, which ones a page lists, and the policy packs on offer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from governance.models import Clause, ObligationRule, Organization, Regulation

PACK_DIR = Path(__file__).resolve().parent.parent / "policies" / "packs"


def regulation_in_force(*, code: str, organization: Organization | None) -> Regulation | None:
    """Shipped regulation `code` as `organization` cites it: the regulation of its own modelled on it (参照), adopted by
    the organization or else by the nearest organization above it, whose regulations it follows (001 第四条：各二级单位
    参照本制度执行); else the shipped regulation itself. Two queries and one per level of the tree."""
    chain = [organization, *organization.ancestors()] if organization is not None else []
    if chain:
        own = {
            r.organization_id: r
            for r in Regulation.objects.filter(reference__code=code, organization__in=[o.pk for o in chain])
        }
        for org in chain:
            if org.pk in own:
                return own[org.pk]
    return Regulation.objects.filter(code=code).first()


def regulations_listed(*, family: str) -> QuerySet[Regulation]:
    """The regulations a family's page lists, each with its clauses: the organizations' own regulations (each with its
    参照 and its organization) and the shipped ones no organization has adopted as its own yet. Three queries."""
    adopted = Regulation.objects.filter(reference=OuterRef("pk"))
    return (
        Regulation.objects.filter(family=family)
        .exclude(Exists(adopted))
        .select_related("reference", "organization")
        .prefetch_related(Prefetch("clauses", queryset=Clause.objects.order_by("order", "pk")))
        .order_by("code")
    )


@dataclass(frozen=True)
class PackInfo:
    """A policy pack on offer, as the adoption page lists it."""

    code: str
    title: str
    level: str  # Regulation.Level
    regulation: str  # the shipped regulation's code
    description: str
    rules: int

    @property
    def level_label(self) -> str:
        return (
            str(Regulation.Level(self.level).label) if self.level in Regulation.Level.values else self.level
        )


def policy_packs(directory: Path = PACK_DIR) -> list[PackInfo]:
    """The packs shipped in governance/policies/packs/, by code. A file that does not read as a pack is left out here;
    choosing it is refused with its line and reason by the policies service."""
    packs = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        if not isinstance(data, dict) or not data.get("code") or not data.get("title"):
            continue
        rules = data.get("rules")
        packs.append(
            PackInfo(
                code=path.stem,
                title=str(data["title"]),
                level=str(data.get("level", Regulation.Level.UNIVERSITY)),
                regulation=str(data.get("regulation", "")),
                description=str(data.get("description", "") or ""),
                rules=len(rules) if isinstance(rules, list) else 0,
            )
        )
    return packs


def cited_regulations(*, organization: Organization | None = None) -> list[Regulation]:
    """The regulations cited by the active rules `organization`'s team owes (its own rules and those adopted above it
    for sub-units too); None: by every active rule. Each with its reference and organization; one query and one per
    level of the tree."""
    rules = ObligationRule.objects.filter(is_active=True)
    if organization is not None:
        above = [o.pk for o in organization.ancestors()]
        rules = rules.filter(Q(organization=organization) | Q(organization__in=above, include_sub_units=True))
    return list(
        Regulation.objects.filter(Exists(rules.filter(clause__regulation=OuterRef("pk"))))
        .select_related("reference", "organization")
        .order_by("code")
    )
