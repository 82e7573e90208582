"""Who may see and do what in outreach. One module for the querysets and the predicates, so lists, pages,
attachments and history agree.

- the office (党委办公室, 004 第六条2: 党委办、纪委办定期通报, keeps the 台账): every linked unit and activity; assigns
  linked units (联系点) and may correct any activity;
- a leader (班子成员): their own linked units, the activities they took part in and, read-only, the activities their
  team's obligations count for them (003 二3 festival visits, 004 第五条6 the retirees' briefing: a team rule counts the
  records of the team's organization, owed by the rule's positions; see `team_records_counted_for`); records their own
  activities and corrects those they recorded;
- the university Party secretary (党委书记), head of the assessment group (004 第六条1: 学校成立领导联系基层考核小组，由
  党委书记任组长，按学年汇总和考核): the yearly summary across leaders and the ledgers of the university leaders it lists,
  and, read-only, what those ledgers list: their activities (with attachments and history) and the issues they handle
  (with the handling record). Whoever may read a ledger opens what it links to (`ledger_people_for`); no other leader
  (副书记, 校长, 副校长, a college's secretary) sees them;
- everyone else: none of it (they see the regulations the module is built on).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from governance.models import ObligationRule, Organization, Person, Position, PositionKind
from governance.models.obligations import Subject
from governance.roles import is_leader, is_office
from outreach.evidence import ACTIVITY
from outreach.models import Activity, ActivityAttachment, LinkedContact, RaisedIssue

_NO_PERSON = object()


def person_of(user: Any) -> Person | None:
    """The governance.Person of a login, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_outreach_person", _NO_PERSON)
    if cached is _NO_PERSON:
        cached = Person.objects.filter(user_id=user.pk).first()
        user._outreach_person = cached
    return cached  # type: ignore[return-value]


def is_assessment_head(user: Any) -> bool:
    """The head of the assessment group (004 第六条1: 由党委书记任组长): whoever holds the university team's 党委书记
    position today. A college's 党委书记 heads no university assessment. Cached on the user for the request."""
    cached = getattr(user, "_outreach_assessment_head", None)
    if cached is None:
        person = person_of(user) if is_leader(user) else None
        cached = bool(
            person is not None
            and Position.objects.active_on(timezone.localdate())
            .filter(
                person_id=person.pk,
                kind=PositionKind.SECRETARY,
                team__organization__kind=Organization.Kind.UNIVERSITY,
            )
            .exists()
        )
        if getattr(user, "is_authenticated", False):
            user._outreach_assessment_head = cached
    return cached


def may_see_assessment(user: Any) -> bool:
    """The yearly summary (004 第六条1): the office, which keeps the 台账 and reports on it (第六条2), and the group's
    head."""
    return is_office(user) or is_assessment_head(user)


def _university_leaders() -> QuerySet[Any]:
    """The people who sat on the university's team at some time: those the assessment summary may list (004 第六条1),
    as a subquery of person ids."""
    return Position.objects.filter(team__organization__kind=Organization.Kind.UNIVERSITY).values("person_id")


def ledger_people_for(user: Any) -> QuerySet[Any] | None:
    """Whose ledgers `user` reads besides their own, as a subquery of person ids: the assessment group's head reads
    every university leader's (004 第六条1). None for anyone else (the office reads all and is handled before this).
    The one place that says it, so a ledger page and the activities and issues it lists agree."""
    return _university_leaders() if is_assessment_head(user) else None


def may_see_ledger_of(user: Any, person: Person) -> bool:
    """A leader's ledger: the office, the leader themself, and the assessment group's head for a member of the
    university's team (the leaders the summary lists, 004 第六条1)."""
    if is_office(user):
        return True
    me = person_of(user) if is_leader(user) else None
    if me is None:
        return False
    if me.pk == person.pk:
        return True
    others = ledger_people_for(user)
    return others is not None and Person.objects.filter(pk=person.pk, pk__in=others).exists()


def may_record(user: Any) -> bool:
    """The office records for any leader; a leader with a person record records their own."""
    return is_office(user) or (is_leader(user) and person_of(user) is not None)


# The attributes an outreach record carries for a rule to match (outreach/evidence.py: attrs), as Activity fields.
_MATCHED_FIELDS = ("kind", "festival")
_NOTHING = Q(pk__in=[])


def _matching(params: dict[str, Any]) -> Q | None:
    """A rule's evidence parameters as a filter on activities (a list means any of, as EvidenceRecord.matches);
    None when it names an attribute activities do not carry (no activity matches then)."""
    q = Q()
    for name, wanted in (params or {}).items():
        if name not in _MATCHED_FIELDS:
            return None
        q &= Q(**{f"{name}__in": list(wanted)}) if isinstance(wanted, list | tuple) else Q(**{name: wanted})
    return q


def _owed_span(
    calendar: Any, period: str, anchor: dt.date | None, start: dt.date, end: dt.date | None
) -> tuple[dt.date, dt.date | None] | None:
    """The dates of the records a tenure [start, end] owes under a team rule of `period`: those of every period whose
    due day (its last day) falls within the tenure (governance.engine.obligations: a team obligation is owed by
    whoever holds the post on its due date). Without the calendar's period, the tenure itself."""
    first = calendar.period(period, start, anchor=anchor) if period != "before_event" else None
    low = first.start if first is not None else start
    if end is None:
        return low, None
    last = calendar.period(period, end, anchor=anchor) if period != "before_event" else None
    high = end if last is None else (last.end if last.end == end else last.start - dt.timedelta(days=1))
    return (low, high) if low <= high else None


def team_records_counted_for(person: Person) -> Q:
    """The activities a team rule counts on `person`'s dashboard: the engine counts a team rule's records by the
    organization whose team they were recorded for (outreach/evidence.py: organization_id), whoever took part, and
    shows the obligation to those holding one of the rule's positions on its due date (003 二3: the secretary and the
    president owe the team's festival visits). So the president sees the 重阳节 visit the secretary made as "已计入",
    and opens it. Three queries (the rules, the person's positions, the organizations when a rule covers sub-units),
    two more for the calendar when a rule applies."""
    rules = list(
        ObligationRule.objects.filter(
            is_active=True, subject=Subject.TEAM, evidence_source=ACTIVITY
        ).values_list(
            "organization_id", "include_sub_units", "subject_positions", "evidence_params", "period", "anchor"
        )
    )
    if not rules:
        return _NOTHING
    positions = list(
        Position.objects.filter(person_id=person.pk).values_list(
            "kind", "team__organization_id", "start", "end"
        )
    )
    if not positions:
        return _NOTHING
    parents: dict[int, int | None] = {}
    if any(sub for _o, sub, *_rest in rules):
        parents = dict(Organization.objects.values_list("id", "parent_id"))

    def covers(rule_org: int, include_sub_units: bool, org: int) -> bool:
        if org == rule_org:
            return True
        node = parents.get(org) if include_sub_units else None
        for _depth in range(50):  # an organization tree is shallow; the bound guards against a cycle
            if node is None:
                return False
            if node == rule_org:
                return True
            node = parents.get(node)
        return False

    from governance.selectors.calendar import academic_calendar

    calendar: Any = None
    match = _NOTHING
    for rule_org, include_sub_units, kinds, params, period, anchor in rules:
        matching = _matching(params)
        if matching is None:
            continue
        for kind, org, start, end in positions:
            if (kinds and kind not in kinds) or not covers(rule_org, include_sub_units, org):
                continue
            calendar = calendar or academic_calendar()
            span = _owed_span(calendar, period, anchor, start, end)
            if span is None:
                continue
            dates = Q(date__gte=span[0]) & (Q(date__lte=span[1]) if span[1] else Q())
            match |= Q(organization_id=org) & dates & matching
    return match


def _own_activities(user: Any, person: Person) -> Q:
    """What a leader works with: the activities they took part in and those their team's obligations count for them
    (`team_records_counted_for`). Cached on the user for the request."""
    match = getattr(user, "_outreach_activities", None)
    if match is None:
        through = Activity.leaders.through
        match = Q(pk__in=through.objects.filter(person_id=person.pk).values("activity_id"))
        match |= team_records_counted_for(person)
        user._outreach_activities = match
    return match


def activities_visible_to(user: Any) -> QuerySet[Activity]:
    """The office: every activity. A leader: those they took part in, those their team's obligations count for them
    (read-only; `team_records_counted_for`): what counts on a dashboard opens from it; and, read-only, those listed on
    the ledgers they may read (`ledger_people_for`: the assessment group's head, 004 第六条1), so every activity
    a ledger links to opens for its reader."""
    if is_office(user):
        return Activity.objects.all()
    person = person_of(user) if is_leader(user) else None
    if person is None:
        return Activity.objects.none()
    match = _own_activities(user, person)
    others = ledger_people_for(user)
    if others is not None:
        through = Activity.leaders.through
        match = match | Q(pk__in=through.objects.filter(person_id__in=others).values("activity_id"))
    return Activity.objects.filter(match)


def activities_open_to_issues_of(user: Any) -> QuerySet[Activity]:
    """The activities `user` may record a raised issue on (登记提出的问题): the office's every one, a leader's own
    (`_own_activities`), not those they only read on another leader's ledger (the reading is read-only)."""
    if is_office(user):
        return Activity.objects.all()
    person = person_of(user) if is_leader(user) else None
    if person is None:
        return Activity.objects.none()
    return Activity.objects.filter(_own_activities(user, person))


def contacts_visible_to(user: Any) -> QuerySet[LinkedContact]:
    if is_office(user):
        return LinkedContact.objects.all()
    person = person_of(user) if is_leader(user) else None
    if person is None:
        return LinkedContact.objects.none()
    return LinkedContact.objects.filter(leader=person)


def can_view(user: Any, activity: Activity) -> bool:
    return activities_visible_to(user).filter(pk=activity.pk).exists()


def can_raise_issue_on(user: Any, activity: Activity) -> bool:
    return activities_open_to_issues_of(user).filter(pk=activity.pk).exists()


def can_edit(user: Any, activity: Activity) -> bool:
    """The office, or the login that recorded it (a leader corrects what they entered)."""
    if is_office(user):
        return True
    return bool(user.is_authenticated and activity.recorded_by_id == user.pk and can_view(user, activity))


def can_download(user: Any, attachment: ActivityAttachment) -> bool:
    return can_view(user, attachment.activity)


def issues_visible_to(user: Any) -> QuerySet[RaisedIssue]:
    """The office: every issue. A leader: those they handle and, read-only, those the ledgers they may read list (the
    issues a university leader handles, for the assessment group's head; `ledger_people_for`). Anyone signed in:
    those they raised themselves."""
    if is_office(user):
        return RaisedIssue.objects.all()
    if not getattr(user, "is_authenticated", False):
        return RaisedIssue.objects.none()
    match = Q(raised_by_id=user.pk)
    person = person_of(user) if is_leader(user) else None
    if person is not None:
        match |= Q(owner_id=person.pk)
        others = ledger_people_for(user)
        if others is not None:
            match |= Q(owner_id__in=others)
    return RaisedIssue.objects.filter(match)


def can_handle_issue(user: Any, issue: RaisedIssue) -> bool:
    """Answer, transfer, feedback, close: the office and the leader who owns it."""
    if is_office(user):
        return True
    person = person_of(user) if is_leader(user) else None
    return person is not None and issue.owner_id == person.pk


def can_read_issue_record(user: Any, issue: RaisedIssue) -> bool:
    """The handling record (办理记录) and where the issue came from: whoever handles it, and whoever reads the ledger
    that lists it (read-only, 004 第六条1). The raiser sees the answer and the feedback, not the internal steps."""
    if can_handle_issue(user, issue):
        return True
    others = ledger_people_for(user)
    return (
        others is not None
        and issue.owner_id is not None
        and Person.objects.filter(pk=issue.owner_id, pk__in=others).exists()
    )
