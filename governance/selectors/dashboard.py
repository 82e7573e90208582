"""What a leader's dashboard and the office overview show, shaped for templates. Reads only."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from governance.engine import evidence as evidence_registry
from governance.engine.obligations import STATUS_COLOURS, STATUS_LABELS, Obligation, Status
from governance.models import LeadershipTeam, Organization, Person, Position
from governance.selectors.evaluations import current_view
from governance.selectors.obligations import Evaluation, obligations_for_person

PERIOD_HEADINGS = OrderedDict(
    [
        ("week", _("本周")),
        ("biweek", _("本双周")),
        ("month", _("本月")),
        ("quarter", _("本季度")),
        ("half_year", _("本半年")),
        ("semester", _("本学期")),
        ("academic_year", _("本学年")),
        ("calendar_year", _("本年度")),
        ("before_event", _("民主生活会前")),
    ]
)
STATUS_ORDER = {Status.OVERDUE: 0, Status.DUE_SOON: 1, Status.ON_TRACK: 2, Status.EXCUSED: 3, Status.MET: 4}


# A row lists this many of the records that counted; "共 N 条" says how many there are in all.
EVIDENCE_SHOWN = 3


@dataclass
class Row:
    obligation: Obligation
    title: str
    clause_ref: str
    citation: str
    with_whom: str
    team: str
    period_label: str
    period_start: dt.date
    period_end: dt.date
    due: dt.date
    done: str
    required: str
    unit: str
    status: str
    status_label: str | Promise
    colour: str
    excuse_reason: str
    record_url: str
    office_records: bool = False
    evidence: list = field(default_factory=list)
    planned: list = field(default_factory=list)  # records dated after today: shown as 已安排, not counted

    @property
    def days_left(self) -> int:
        return self.obligation.days_left

    @property
    def recent_evidence(self) -> list:
        """The latest records that counted, at most EVIDENCE_SHOWN of them, oldest first."""
        return self.evidence[-EVIDENCE_SHOWN:]

    @property
    def more_evidence(self) -> int:
        """How many records counted beyond those shown."""
        return max(0, len(self.evidence) - EVIDENCE_SHOWN)


def _fmt(value) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def record_url_for(ob: Obligation, viewer_id: int | None, *, for_office: bool) -> str:
    """The page where `viewer_id` records what satisfies `ob`, prefilled with them as one side (of a pair, or as the
    one responsible for a team rule) and the other person of a pair as the other, for `ob`'s period (an overdue
    week is made good by a record dated in it); "" when there is none for them (a leader, for records the office
    keeps; an unknown source). The dashboard's "去登记" and the reminder emails' 办理 links both come from here."""
    subject, counterpart = ob.subject_person_id, ob.counterpart_person_id
    if viewer_id is not None and viewer_id == counterpart:
        subject, counterpart = counterpart, subject
    elif subject is None:
        # A team rule: the viewer, or for the office one of those who owe it (the form finds their organization).
        subject = viewer_id if viewer_id is not None else next(iter(ob.responsible_ids), None)
    return evidence_registry.record_path(
        ob.rule.evidence_source,
        rule_code=ob.rule.code,
        subject_person_id=subject,
        counterpart_person_id=counterpart,
        for_office=for_office,
        period_start=ob.period.start,
        period_end=ob.period.end,
    )


def _office_records(ob: Obligation) -> bool:
    try:
        return evidence_registry.get_source(ob.rule.evidence_source).office_records
    except LookupError:
        return False


def row_for(ob: Obligation, result: Evaluation, viewer_id: int | None, *, for_office: bool = False) -> Row:
    """One line of a dashboard or drill-down; `for_office` when the office is looking (it records everything)."""
    other = ob.counterpart_person_id if viewer_id != ob.counterpart_person_id else ob.subject_person_id
    with_whom = result.person_name(other) if ob.counterpart_person_id else ""
    return Row(
        obligation=ob,
        title=ob.rule.title,
        clause_ref=ob.rule.clause_ref,
        citation=ob.rule.clause_citation,
        with_whom=with_whom,
        team=ob.team.name,
        period_label=ob.period.label,
        period_start=ob.period.start,
        period_end=ob.period.end,
        due=ob.due,
        done=_fmt(ob.done),
        required=_fmt(ob.required),
        unit=ob.rule.unit,
        status=ob.status.value,
        status_label=STATUS_LABELS[ob.status],
        colour=STATUS_COLOURS[ob.status],
        excuse_reason=ob.excuse_reason,
        record_url=(
            record_url_for(ob, viewer_id, for_office=for_office)
            if ob.status not in (Status.MET, Status.EXCUSED)
            else ""
        ),
        office_records=_office_records(ob),
        evidence=ob.evidence,
        planned=ob.planned,
    )


@dataclass
class Dashboard:
    person: Person
    today: dt.date
    groups: list[tuple[str | Promise, list[Row]]]
    counts: dict[str, int]

    @property
    def attention(self) -> int:
        return self.counts.get(Status.OVERDUE, 0) + self.counts.get(Status.DUE_SOON, 0)


def leader_dashboard(person: Person, *, today: dt.date) -> Dashboard:
    """A leader's obligations on `today`, grouped by period (本周, 本学期 …), most urgent first."""
    result = obligations_for_person(person, today=today)
    grouped: dict[str, list[Row]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for ob in result.obligations:
        grouped[ob.rule.period].append(row_for(ob, result, person.pk))
        counts[ob.status] += 1
    groups: list[tuple[str | Promise, list[Row]]] = [
        (PERIOD_HEADINGS[k], sorted(grouped[k], key=lambda r: (STATUS_ORDER[r.obligation.status], r.due)))
        for k in PERIOD_HEADINGS
        if grouped.get(k)
    ]
    return Dashboard(person=person, today=today, groups=groups, counts=dict(counts))


@dataclass
class Cell:
    obligations: list[Obligation]  # the obligations in the cell (a pair's shows on both people's lines)
    status: str
    colour: str
    label: str
    url: str


@dataclass
class Overview:
    organization: Organization | None
    organizations: list[Organization]
    rules: list[tuple[str, str, str]]  # (code, title, clause_ref)
    lines: list[tuple[str, str, list[Cell | None]]]  # (team name, person name or 班子整体, cells by rule)
    today: dt.date

    @property
    def groups(self) -> list[tuple[str, list[tuple[str, list[Cell | None]]]]]:
        """The lines team by team (they come sorted by team): [(team name, [(person or 班子整体, cells)])]."""
        return [
            (team, [(name, cells) for _team, name, cells in lines])
            for team, lines in itertools.groupby(self.lines, key=lambda line: line[0])
        ]


def _worst(obligations: list[Obligation]) -> Status:
    return min((ob.status for ob in obligations), key=lambda s: STATUS_ORDER[s])


def office_overview(*, today: dt.date, organization: Organization | None = None) -> Overview:
    """Leaders × rules for the current period, for the whole university or one organization's team. A cell needs only
    the statuses of its obligations (the drill-down shows their records), so none is shaped into a dashboard row."""
    organizations = list(Organization.objects.filter(team__isnull=False).order_by("order", "code"))
    team_ids = None
    if organization is not None:
        team_ids = list(LeadershipTeam.objects.filter(organization=organization).values_list("id", flat=True))
    result = current_view(today=today, team_ids=team_ids)
    rules: dict[str, tuple[str, str, str]] = {}
    cells: dict[tuple[int, int | None], dict[str, list[Obligation]]] = defaultdict(lambda: defaultdict(list))
    for ob in result.obligations:
        rules.setdefault(ob.rule.code, (ob.rule.code, ob.rule.title, ob.rule.clause_ref))
        if ob.subject_person_id is None:
            cells[(ob.team.id, None)][ob.rule.code].append(ob)
            continue
        for pid in {ob.subject_person_id, ob.counterpart_person_id} - {None}:
            cells[(ob.team.id, pid)][ob.rule.code].append(ob)
    positions = (
        Position.objects.active_on(today)
        .filter(team_id__in=[k[0] for k in cells])
        .select_related("person")
        .order_by("team__organization__order", "team_id", "order", "start")
    )
    order: list[tuple[int, int | None]] = []
    names: dict[int | None, str] = {None: gettext("班子整体")}
    for team_id in dict.fromkeys(k[0] for k in cells):
        if (team_id, None) in cells:
            order.append((team_id, None))
    for pos in positions:
        key: tuple[int, int | None] = (pos.team_id, pos.person_id)
        names[pos.person_id] = f"{pos.person.name}（{pos.display_title}）"
        if key in cells and key not in order:
            order.append(key)
    for key in cells:  # people who left mid-period but still owe it
        if key not in order:
            order.append(key)
            names.setdefault(key[1], result.person_name(key[1]))
    order.sort(key=lambda k: (result.teams[k[0]].name, k[1] is not None))
    rule_list = list(rules.values())
    # Words and links made once, not once per cell (a university's overview has about a thousand cells).
    status_words = {status: str(words) for status, words in STATUS_LABELS.items()}
    late_words = gettext("%(n)d 项%(status)s")
    done_words = gettext("%(met)d/%(total)d 已完成")
    going_words = gettext("进行中（已完成 %(met)d/%(total)d）")
    cell_url = reverse("overview_cell") + "?"
    # The drill-down's way back returns to the same filtered overview.
    back = "&" + urlencode({"org": organization.code}) if organization is not None else ""
    rule_params = {code: urlencode({"rule": code}) for code, _title, _ref in rule_list}
    lines = []
    for team_id, pid in order:
        row_cells: list[Cell | None] = []
        line = cells[(team_id, pid)]
        whom = f"&team={team_id}" + (f"&person={pid}" if pid else "") + back
        for code, _title, _ref in rule_list:
            obligations = line.get(code)
            if not obligations:
                row_cells.append(None)
                continue
            worst = _worst(obligations)
            label: str
            if len(obligations) == 1:
                label = status_words[worst]
            elif worst in (Status.OVERDUE, Status.DUE_SOON):
                # What needs the office's attention first: how many are late, or about to be.
                late = sum(1 for ob in obligations if ob.status == worst)
                label = late_words % {"n": late, "status": status_words[worst]}
            else:
                met = sum(1 for ob in obligations if ob.status == Status.MET)
                # Nothing late, but not all done: say so, or "0/5 已完成" in green reads as finished.
                words = done_words if met == len(obligations) else going_words
                label = words % {"met": met, "total": len(obligations)}
            row_cells.append(
                Cell(obligations, worst, STATUS_COLOURS[worst], label, cell_url + rule_params[code] + whom)
            )
        lines.append((result.teams[team_id].name, names.get(pid, ""), row_cells))
    return Overview(organization, organizations, rule_list, lines, today)


@dataclass
class TeamAttention:
    name: str
    organization_code: str
    overdue: int
    due_soon: int


@dataclass
class OfficeAttention:
    """What the office should look at today: obligations overdue or due soon, in all and team by team."""

    overdue: int
    due_soon: int
    teams: list[TeamAttention]  # only teams with something overdue or due soon; most overdue first


def office_attention(*, today: dt.date) -> OfficeAttention:
    """The office home's summary of the overview: the same evaluation, counted per obligation (a pair's talk is one
    obligation, though the overview shows it on both people's rows)."""
    result = current_view(today=today)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for ob in result.obligations:
        if ob.status == Status.OVERDUE:
            counts[ob.team.id][0] += 1
        elif ob.status == Status.DUE_SOON:
            counts[ob.team.id][1] += 1
    codes = dict(
        Organization.objects.filter(pk__in=[result.teams[t].organization_id for t in counts]).values_list(
            "pk", "code"
        )
    )
    teams = [
        TeamAttention(
            result.teams[team_id].name,
            codes.get(result.teams[team_id].organization_id, ""),
            overdue,
            due_soon,
        )
        for team_id, (overdue, due_soon) in counts.items()
    ]
    teams.sort(key=lambda t: (-t.overdue, -t.due_soon, t.name))
    return OfficeAttention(
        overdue=sum(t.overdue for t in teams), due_soon=sum(t.due_soon for t in teams), teams=teams
    )
