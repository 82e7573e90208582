"""Demo records for `seed_demo`: a semester of meetings and talks relative to today, so the dashboards show real
statuses (met, due soon, one overdue cycle) instead of an empty page. Created once; a second run changes nothing."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from communication.models import Meeting, MeetingKind, OpinionStance, TalkTopic
from communication.services.absences import absence_record
from communication.services.agenda import agenda_item_create, agenda_item_open_consultation, opinion_record
from communication.services.meetings import meeting_create
from communication.services.talks import talk_record
from governance.engine.obligations import expected_date
from governance.engine.periods import biweek_of, week_of
from governance.models import ObligationRule, Organization, Person, Position, PositionKind
from governance.selectors.calendar import academic_calendar, current_semester
from governance.services.workdays import WorkdayCalendar

MARKER = "（演示）"


def _team(org: Organization, today: dt.date) -> list[Person]:
    positions = Position.objects.active_on(today).filter(team__organization=org).select_related("person")
    return [p.person for p in positions.order_by("order", "start")]


def _holder(org: Organization, kind: str, today: dt.date) -> Person | None:
    return Position.objects.holder(org, kind, today)


@transaction.atomic
def demo_records_seed(*, university: Organization, college: Organization, today: dt.date) -> int:
    """Meetings, talks, an agenda item and an absence for the demo. Returns how many meetings and talks it made
    (0 when they already exist)."""
    if Meeting.objects.filter(organization__in=[university, college], title__endswith=MARKER).exists():
        return 0
    semester = current_semester(today)
    office = get_user_model().objects.filter(username="office").first()
    if semester is None or office is None:
        return 0
    made = 0
    workdays = WorkdayCalendar()
    calendar = academic_calendar()

    # 文学院 (pack 000 四（四）): a coordination meeting every other Friday of term, one cycle missed.
    team = _team(college, today)
    secretary, dean = (
        _holder(college, PositionKind.SECRETARY, today),
        _holder(college, PositionKind.PRESIDENT, today),
    )
    rule = ObligationRule.objects.filter(organization=college, code="000-coordination-meeting").first()
    if rule and secretary:
        cycle = biweek_of(semester.start, rule.anchor or calendar.anchor)
        fridays = []
        while cycle.start <= today:
            day = expected_date(rule, cycle, workdays.is_workday)  # type: ignore[arg-type]
            if day and semester.start <= day < today:
                fridays.append(day)
            cycle = biweek_of(cycle.end + dt.timedelta(days=1), rule.anchor or calendar.anchor)
        missed = (
            fridays[-1] if len(fridays) > 2 else None
        )  # the last cycle: it shows as overdue on the dashboard
        for day in fridays:
            if day == missed:
                continue
            meeting_create(
                created_by=office, organization=college, kind=MeetingKind.COORDINATION,
                title=f"领导班子工作碰头会{MARKER}", date=day, start_time=dt.time(16, 0), chair=secretary,
                attendees=team, place="文学院 301 会议室", agenda="通报近期工作，协调下一阶段安排。",
            )  # fmt: skip
            made += 1
        # 000 四（三）: this semester's retreat meeting, topics announced in advance.
        retreat_day = workdays.previous_workday(
            min(today - dt.timedelta(days=10), semester.start + dt.timedelta(days=40))
        )
        if retreat_day > semester.start:
            meeting_create(
                created_by=office, organization=college, kind=MeetingKind.RETREAT, title=f"领导班子务虚会{MARKER}",
                date=retreat_day, start_time=dt.time(9, 0), chair=secretary, attendees=team, place="文学院 301 会议室",
                agenda="学科建设“十五五”规划思路；本科教学质量提升。", topics_announced_on=retreat_day - dt.timedelta(days=7),
            )  # fmt: skip
            made += 1
        # 000 四（二）: a democratic life meeting ahead, preparation under way; a few 四必谈 talks done.
        dl_day = workdays.next_workday(today + dt.timedelta(days=24))
        prep = today - dt.timedelta(days=14)
        dl = meeting_create(
            created_by=office, organization=college, kind=MeetingKind.DEMOCRATIC_LIFE,
            title=f"{today.year}年度领导班子民主生活会{MARKER}", date=dl_day, start_time=dt.time(14, 30),
            chair=secretary, attendees=team, place="文学院 301 会议室", preparation_start=prep,
        )  # fmt: skip
        made += 1
        for other in team[1:4]:
            talk_record(
                recorded_by_user=office, participants=[secretary, other], date=prep + dt.timedelta(days=2 + made % 5),
                formal=True, topics=[TalkTopic.THOUGHT, TalkTopic.STYLE], notes="围绕民主生活会主题交流思想，互相提出批评意见。",
                meeting=dl,
            )  # fmt: skip
            made += 1
        if dean and len(team) > 3:
            talk_record(
                recorded_by_user=office, participants=[dean, team[3]], date=today - dt.timedelta(days=5), formal=False,
                topics=[TalkTopic.WORK], notes="沟通本学期教学检查安排。",
            )  # fmt: skip
            made += 1

    # 校级 (pack 001 一（二）): a coordination meeting on alternate Mondays, held every cycle of term so far.
    shuji = _holder(university, PositionKind.SECRETARY, today)
    xiaozhang = _holder(university, PositionKind.PRESIDENT, today)
    uni_rule = ObligationRule.objects.filter(organization=university, code="001-coordination-meeting").first()
    if uni_rule and shuji:
        uni_team = _team(university, today)
        cycle = biweek_of(semester.start, uni_rule.anchor or calendar.anchor)
        while cycle.start <= today:
            day = expected_date(uni_rule, cycle, workdays.is_workday)  # type: ignore[arg-type]
            if day and semester.start <= day < today:
                meeting_create(
                    created_by=office, organization=university, kind=MeetingKind.COORDINATION,
                    title=f"校领导班子碰头会{MARKER}", date=day, start_time=dt.time(8, 30), chair=shuji,
                    attendees=uni_team, place="行政楼第一会议室", agenda="班子成员通报近期工作及需协调事项。",
                )  # fmt: skip
                made += 1
            cycle = biweek_of(cycle.end + dt.timedelta(days=1), uni_rule.anchor or calendar.anchor)

    # 校级 (pack 001 三（一）): the secretary and president talk every week — except last week.
    if shuji and xiaozhang:
        week = week_of(max(semester.start, today - dt.timedelta(weeks=8)))
        last_week = week_of(today - dt.timedelta(days=7))
        while week.start < today:
            if week != last_week:
                day = workdays.next_workday(week.start + dt.timedelta(days=1))
                if day <= min(week.end, today):
                    talk_record(
                        recorded_by_user=office, participants=[shuji, xiaozhang], date=day, formal=False,
                        topics=[TalkTopic.WORK], notes="交流本周学校重点工作。", channel="communication",
                    )  # fmt: skip
                    made += 1
            week = week_of(week.end + dt.timedelta(days=1))
        # 001 三（三）: a 党委常委会 item the secretary brings, waiting for the president's opinion.
        item = agenda_item_create(
            created_by=office, organization=university, title="关于修订《学校教职工年度考核办法》的议题",
            meeting_kind=MeetingKind.PARTY_COMMITTEE, proposer=shuji, description="拟提交党委常委会审议。",
        )  # fmt: skip
        agenda_item_open_consultation(item=item, by=office)
    if secretary and dean:
        # 000 四（一）: a 党政联席会 item held back by a disagreement (暂缓上会).
        item = agenda_item_create(
            created_by=office, organization=college, title="关于调整文学院科研奖励办法的议题",
            meeting_kind=MeetingKind.JOINT, proposer=secretary, description="拟提交党政联席会研究。",
        )  # fmt: skip
        for opinion in agenda_item_open_consultation(item=item, by=office):
            stance = OpinionStance.DISAGREE if opinion.person_id == dean.pk else OpinionStance.AGREE
            opinion_record(
                item=item,
                person=opinion.person,
                stance=stance,
                comment="建议先征求教师意见再定。" if stance == OpinionStance.DISAGREE else "同意。",
                by=office,
            )
    # 001 三（七）: a vice-president's trip, with a colleague covering.
    vice = (
        Position.objects.active_on(today)
        .filter(team__organization=university, kind=PositionKind.VICE_PRESIDENT)
        .select_related("person")
        .order_by("order")
    )
    if vice.count() >= 2 and shuji:
        absence_record(
            created_by_user=office, person=vice[0].person, kind="trip", start=today + dt.timedelta(days=3),
            end=today + dt.timedelta(days=7), destination="北京", reason="参加教育部高校教学工作会议",
            notified=[shuji], leave_approved_by=shuji, handovers=[(vice[1].person, "代管本科教学及招生工作")],
        )  # fmt: skip
    return made
