"""What a leader's dashboard and the office overview show, shaped for templates. Reads only."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from governance.engine import evidence as evidence_registry
from governance.engine.obligations import SUBJECT_EVENT_OWNERS, Obligation, Status
from governance.engine.status import NOT_STARTED, STYLES, URGENCY, StatusStyle, state_of
from governance.models import LeadershipTeam, Organization, Person, Position
from governance.selectors.evaluations import current_view, person_current_view
from governance.selectors.obligations import Evaluation

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
        # event_owners rules (003 第五条): each task's own cycle, not a calendar period
        (SUBJECT_EVENT_OWNERS, _("按事项周期")),
    ]
)
PERIOD_ORDER = {kind: i for i, kind in enumerate(PERIOD_HEADINGS)}
# A rule's unit is data (次 in the policy packs); the units the packs and the admin use are translated, others shown
# as entered.
UNITS = {
    "次": pgettext_lazy("unit after a count", "次"),
    "小时": pgettext_lazy("unit after a count", "小时"),
    "学时": pgettext_lazy("unit after a count", "学时"),
    "个": pgettext_lazy("unit after a count", "个"),
    "篇": pgettext_lazy("unit after a count", "篇"),
}


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
    status: str  # the state shown: a Status value, or NOT_STARTED (governance.engine.status)
    style: StatusStyle  # its words, badge, icon and colour
    progress: str  # "0/1次", in the reader's language
    excuse_reason: str
    record_url: str
    office_records: str = ""  # what the office records for it (its source's label), when the person does not
    record_label: str = ""  # the record link's words when its source names them (去报送); "" for 去登记
    evidence: list = field(default_factory=list)
    planned: list = field(default_factory=list)  # records dated after today: shown as 已安排, not counted
    source: str = ""  # 参照：the clause the organization's own regulation was modelled on

    @property
    def days_left(self) -> int:
        return self.obligation.days_left

    @property
    def status_label(self) -> str | Promise:
        return self.style.label

    @property
    def colour(self) -> str:
        return self.style.bootstrap

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


def progress_text(done, required, unit: str) -> str:
    """ "0/1次" ("0/1 times" in English): what counted of what is required, in the rule's unit."""
    return gettext("%(done)s/%(required)s%(unit)s") % {
        "done": _fmt(done),
        "required": _fmt(required),
        "unit": UNITS.get(unit, unit),
    }


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
        # An event's obligation (a task's report cycle, 003 第五条): the page of that event's matter (the task).
        match=ob.event.match if ob.event is not None else None,
    )


def office_records_label(ob: Obligation) -> str:
    """What the office records for `ob` ("会议", "定期督查" — its evidence source's label), "" when the person records
    it themselves."""
    try:
        source = evidence_registry.get_source(ob.rule.evidence_source)
    except LookupError:
        return ""
    return str(source.label) if source.office_records else ""


def record_label_of(ob: Obligation) -> str:
    """The record link's words when the evidence source names them ("去报送" for a task's progress report), else ""."""
    try:
        source = evidence_registry.get_source(ob.rule.evidence_source)
    except LookupError:
        return ""
    label = getattr(source, "record_label", "")
    return str(label) if label else ""


def row_for(
    ob: Obligation,
    result: Evaluation,
    viewer_id: int | None,
    *,
    today: dt.date,
    for_office: bool = False,
) -> Row:
    """One line of a dashboard or drill-down on `today`; `for_office` when the office is looking (it records
    everything)."""
    other = ob.counterpart_person_id if viewer_id != ob.counterpart_person_id else ob.subject_person_id
    with_whom = result.person_name(other) if ob.counterpart_person_id else ""
    state = state_of(ob.status, starts=ob.window_start, today=today)
    return Row(
        obligation=ob,
        title=ob.rule.title,
        clause_ref=ob.rule.clause_ref,
        citation=ob.rule.clause_citation,
        source=ob.rule.clause_source,
        with_whom=with_whom,
        team=ob.team.name,
        period_label=ob.period.label,
        period_start=ob.period.start,
        period_end=ob.period.end,
        due=ob.due,
        done=_fmt(ob.done),
        required=_fmt(ob.required),
        unit=ob.rule.unit,
        status=state,
        style=STYLES[state],
        progress=progress_text(ob.done, ob.required, ob.rule.unit),
        excuse_reason=ob.excuse_reason,
        record_url=(
            # Nothing to record for a period the person's part of has not begun (a talk now would not count).
            record_url_for(ob, viewer_id, for_office=for_office)
            if STYLES[state].is_open and state != NOT_STARTED
            else ""
        ),
        office_records=office_records_label(ob),
        record_label=record_label_of(ob),
        evidence=ob.evidence,
        planned=ob.planned,
    )


@dataclass
class Dashboard:
    person: Person
    today: dt.date
    # What is still owed (or will be), by period (本周, 本学期 …), most urgent first: the page opens with these.
    groups: list[tuple[str | Promise, list[Row]]]
    # What is settled (done or excused): folded under the open items.
    settled: list[Row]
    counts: dict[str, int]  # by state

    @property
    def attention(self) -> int:
        return self.counts.get(Status.OVERDUE, 0) + self.counts.get(Status.DUE_SOON, 0)

    @property
    def met(self) -> int:
        return self.counts.get(Status.MET, 0)

    @property
    def excused(self) -> int:
        return self.counts.get(Status.EXCUSED, 0)

    @property
    def empty(self) -> bool:
        return not self.groups and not self.settled


def leader_dashboard(person: Person, *, today: dt.date, result: Evaluation | None = None) -> Dashboard:
    """A leader's obligations on `today`: the open ones grouped by period (本周, 本学期 …), most urgent first, then the
    settled ones (done or excused), which the page folds. `result`: their current view, when already read."""
    if result is None:
        result = person_current_view(person, today=today)
    grouped: dict[str, list[Row]] = defaultdict(list)
    settled: list[Row] = []
    counts: dict[str, int] = defaultdict(int)
    for ob in result.obligations:
        row = row_for(ob, result, person.pk, today=today)
        heading = SUBJECT_EVENT_OWNERS if ob.rule.subject == SUBJECT_EVENT_OWNERS else ob.rule.period
        (grouped[heading] if row.style.is_open else settled).append(row)
        counts[row.status] += 1
    groups: list[tuple[str | Promise, list[Row]]] = [
        (PERIOD_HEADINGS[k], sorted(grouped[k], key=lambda r: (URGENCY[r.status], r.due)))
        for k in PERIOD_HEADINGS
        if grouped.get(k)
    ]
    settled.sort(key=lambda r: (PERIOD_ORDER.get(r.obligation.rule.period, 99), URGENCY[r.status], r.due))
    return Dashboard(person=person, today=today, groups=groups, settled=settled, counts=dict(counts))


def member_dashboard(user, *, today: dt.date) -> Dashboard | None:
    """The obligations on the home of someone who holds no leadership position (a unit's head or liaison: each
    cycle of their units' long tasks' progress reports, 003 第五条), shaped as a leader's dashboard; None when they
    have no person record or owe nothing today. A constant number of queries."""
    person = Person.objects.filter(user_id=user.pk).first() if user.is_authenticated else None
    if person is None:
        return None
    dashboard = leader_dashboard(person, today=today)
    return None if dashboard.empty else dashboard


@dataclass
class Cell:
    """One rule for one person (or the team) in the overview: the state of one period — the current one, or an
    ended one still overdue (it needs making good first) — in words, with the period and any excuse on hover."""

    obligations: list[Obligation]  # the cell's period's obligations (a pair's shows on both people's lines)
    status: str  # the state shown (governance.engine.status)
    style: StatusStyle
    label: str
    url: str
    title: str  # the period, the excuse's reason, the other period in view: the cell's title (hover)

    @property
    def colour(self) -> str:
        return self.style.bootstrap


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

    @property
    def labelled_groups(self) -> list[tuple[str, list[tuple[str, list[tuple[str, Cell | None]]]]]]:
        """`groups` with each cell beside its rule's title: on a phone each person's line is a card that names the
        rule of each cell."""
        titles = [title for _code, title, _ref in self.rules]
        return [
            (team, [(name, list(zip(titles, cells, strict=True))) for name, cells in members])
            for team, members in self.groups
        ]


class _CellWords:
    """The words of the overview's cells, looked up once per page, not once per cell (a university's overview has
    about a thousand cells)."""

    def __init__(self) -> None:
        self.state = {key: str(style.label) for key, style in STYLES.items()}
        self.late = gettext("%(n)d 项%(status)s")
        self.done = gettext("%(met)d/%(total)d 已完成")
        self.going = gettext("进行中（已完成 %(met)d/%(total)d）")
        self.with_excused = gettext("%(label)s（另 %(n)d 项免于考核）")
        self.period = gettext("%(label)s（%(start)s—%(end)s）")
        self.excused = gettext("免于考核：%(reason)s")
        self.other = gettext("另：%(period)s %(state)s")
        self._dates: dict[tuple[dt.date, dt.date], tuple[str, str]] = {}

    def period_text(self, ob: Obligation) -> str:
        key = (ob.period.start, ob.period.end)
        dates = self._dates.get(key)
        if dates is None:
            dates = self._dates[key] = (
                date_format(key[0], "MONTH_DAY_FORMAT"),
                date_format(key[1], "MONTH_DAY_FORMAT"),
            )
        return self.period % {"label": ob.period.label, "start": dates[0], "end": dates[1]}


def _aggregate(states: list[str], words: _CellWords) -> tuple[str, str]:
    """The state and words of one period's obligations (one, or a pair rule's several): the most urgent first."""
    counted = [s for s in states if s != Status.EXCUSED]
    met = counted.count(Status.MET)
    excused = len(states) - len(counted)
    if not counted:
        return Status.EXCUSED, words.state[Status.EXCUSED]
    for urgent in (Status.OVERDUE, Status.DUE_SOON):
        if urgent in counted:
            n = counted.count(urgent)
            label = (
                words.state[urgent]
                if len(states) == 1
                else words.late % {"n": n, "status": words.state[urgent]}
            )
            return urgent, label
    if met == len(counted):
        label = (
            words.state[Status.MET] if len(counted) == 1 else words.done % {"met": met, "total": len(counted)}
        )
        state: str = Status.MET
    elif Status.ON_TRACK in counted or met:
        # Nothing late, but not all done: say so, or "0/5 已完成" would read as finished.
        label = (
            words.state[Status.ON_TRACK]
            if len(counted) == 1
            else words.going % {"met": met, "total": len(counted)}
        )
        state = Status.ON_TRACK
    else:
        return NOT_STARTED, words.state[NOT_STARTED]
    if excused:
        label = words.with_excused % {"label": label, "n": excused}
    return state, label


def _cell(obligations: list[Obligation], today: dt.date, words: _CellWords, url: str) -> Cell:
    """A cell speaks of one period: an ended one still overdue (it is made good by a record dated in it), else the
    current one (or, after the last one ended, the latest). Other periods in view are named in its title."""
    periods: dict[dt.date, list[Obligation]] = defaultdict(list)
    for ob in obligations:
        periods[ob.period.start].append(ob)
    starts = sorted(periods)
    late = [
        s
        for s in starts
        if periods[s][0].period.end < today and any(o.status == Status.OVERDUE for o in periods[s])
    ]
    chosen = late[-1] if late else starts[-1]
    shown = periods[chosen]
    state, label = _aggregate([state_of(o.status, starts=o.window_start, today=today) for o in shown], words)
    title = [words.period_text(shown[0])]
    title += [words.excused % {"reason": r} for r in dict.fromkeys(o.excuse_reason for o in shown) if r]
    for start in starts:
        if start != chosen:
            other = periods[start]
            _state, other_label = _aggregate(
                [state_of(o.status, starts=o.window_start, today=today) for o in other], words
            )
            title.append(words.other % {"period": words.period_text(other[0]), "state": other_label})
            title += [
                words.excused % {"reason": r} for r in dict.fromkeys(o.excuse_reason for o in other) if r
            ]
    return Cell(shown, state, STYLES[state], label, url, "\n".join(title))


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
    words = _CellWords()
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
            row_cells.append(
                _cell(obligations, today, words, cell_url + rule_params[code] + whom) if obligations else None
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
