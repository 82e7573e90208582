"""Demo records for `seed_demo`: every university leader's 联系点 (a college or a department, the secretary also a
democratic-party organization), the 004 and 003 联系服务群众 policy packs adopted for the university (citing the
university's own regulations that the core's demo named), and a term of activities recorded through the services —
forums, research, organizational life, class observations with hours, a festival visit, a first lesson, a retiree
briefing — so the dashboards have something true to show. Created once; a second run changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from governance.families import DemoContext
from governance.models import Organization, Person, Position
from outreach import services
from outreach.models import (
    Activity,
    ActivityKind,
    ContactKind,
    Festival,
    IssueSource,
    IssueState,
    LinkedContact,
    RaisedIssue,
)

# The packs the demo adopts for the university, each citing the university's own copy of its regulation: the one the
# demo's regulations step named (中共江城大学委员会…), or this fictional name when there is none yet
# (tests/test_demo_names.py: no real institution's name).
PACKS: tuple[tuple[str, str, dict], ...] = (
    (
        "004-outreach",
        "004",
        {
            "title": "中共江城大学委员会关于进一步改进工作作风密切联系基层实施办法",
            "document_number": "江大党发〔2024〕7号",
            "issued_on": dt.date(2024, 3, 6),
            "issuing_body": "中共江城大学委员会",
        },
    ),
    (
        "003-outreach",
        "003-outreach",
        {
            "title": "中共江城大学委员会成员联系服务群众制度",
            "document_number": "江大党发〔2024〕8号",
            "issued_on": dt.date(2024, 3, 6),
            "issuing_body": "中共江城大学委员会",
        },
    ),
)

# Leader (the university position's person name) → the units they link with, by code.
LINKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("周明远", ("wxy",)),
    ("林致和", ("lxy",)),
    ("陈静怡", ("tyxy",)),
    ("黄晓峰", ("wxy", "wxy-xs")),
    ("吴立群", ("lxy",)),
)
NON_PARTY = ("周明远", "民盟江城大学委员会")


def _office_user():
    User = get_user_model()
    return User.objects.filter(username="office").first() or User.objects.filter(is_superuser=True).first()


def _adopt(result: list[str], university: Organization) -> None:
    from governance.models import Regulation
    from governance.services.policies import OwnRegulation, policy_load

    for pack, regulation, fictional in PACKS:
        named = Regulation.objects.filter(organization=university, reference__code=regulation).first()
        own = None if named is not None else OwnRegulation(**fictional)
        loaded = policy_load(name=pack, organization=university, own=own)
        title = named.title if named is not None else fictional["title"]
        result.append(
            f"规则包“{loaded.pack.title}” → {university.name}（《{title}》）：新增 {len(loaded.created)} 条，"
            f"更新 {len(loaded.updated)} 条，未变 {len(loaded.unchanged)} 条"
        )


@transaction.atomic
def demo_records_seed(context: DemoContext) -> list[str]:
    result: list[str] = []
    _adopt(result, context.university)
    if LinkedContact.objects.exists() or Activity.objects.exists():
        return result
    office = _office_user()
    today = context.today
    orgs = context.organizations
    people = {
        p.name: p
        for p in Person.objects.filter(
            pk__in=Position.objects.active_on(today)
            .filter(team__organization=context.university)
            .values("person_id")
        )
    }
    start = today - dt.timedelta(days=120)
    contacts = 0
    for name, codes in LINKS:
        leader = people.get(name)
        if leader is None:
            continue
        for code in codes:
            if code in orgs:
                services.assign_contact(
                    by=office, leader=leader, kind=ContactKind.UNIT, organization=orgs[code], start=start
                )
                contacts += 1
    secretary = people.get(NON_PARTY[0])
    party = None
    if secretary is not None:
        party = services.assign_contact(
            by=office, leader=secretary, kind=ContactKind.DEMOCRATIC_PARTY, name=NON_PARTY[1], start=start
        )
        contacts += 1
    made = 0
    K = ActivityKind
    for n, (name, codes) in enumerate(LINKS):
        leader = people.get(name)
        if leader is None:
            continue
        units = [orgs[c] for c in codes if c in orgs]
        user = leader.user or office

        def record(days_ago: int, kind: str, _by=user, _leader=leader, _units=units, **extra) -> None:
            services.record_activity(
                by=_by,
                leaders=[_leader],
                units=_units,
                date=today - dt.timedelta(days=days_ago),
                kind=kind,
                **extra,
            )

        made += 3 + (2 if n % 2 == 0 else 0)
        record(
            20 + n, K.FORUM, title="师生座谈会", participants=15 + n, notes="听取师生对教学、后勤的意见建议。"
        )
        record(55 + n, K.RESEARCH, title="基层调研", participants=8, notes="了解联系点党建和教学工作情况。")
        record(
            40 + n,
            K.CLASS_OBSERVATION,
            course="中国现代文学" if n % 2 == 0 else "高等数学",
            teacher="张老师",
            class_hours=Decimal(2),
            notes="课堂秩序良好，互动较多。",
        )
        if n % 2 == 0:
            record(
                12,
                K.CLASS_OBSERVATION,
                course="思想道德与法治",
                teacher="李老师",
                class_hours=Decimal(2),
                notes="案例贴近学生。",
            )
            record(30 + n, K.ORGANIZATIONAL_LIFE, title="参加支部组织生活会", participants=22)
    if secretary is not None:
        services.record_activity(
            by=secretary.user or office,
            leaders=[secretary],
            units=[],
            date=today - dt.timedelta(days=35),
            kind=K.NON_PARTY_TALK,
            contact=party,
            notes="听取对学校发展规划的意见。",
        )
        made += 1
        visit_day = services.festival_date(Festival.DOUBLE_NINTH, today.year)
        if visit_day > today:
            visit_day = services.festival_date(Festival.DOUBLE_NINTH, today.year - 1)
        services.record_activity(
            by=office,
            leaders=[p for p in people.values()][:4],
            units=[],
            date=visit_day - dt.timedelta(days=2),
            kind=K.FESTIVAL_VISIT,
            festival=Festival.DOUBLE_NINTH,
            title="重阳节走访慰问离退休老党员",
            participants=30,
        )
        made += 1
    issues = _demo_issues(office, people)
    reception = _demo_reception(office, people, today)
    task = _demo_task(office, people, today)
    result.append(
        f"联系基层：联系点 {contacts} 个，活动 {made} 次（近一学期，含听课学时、节日走访、联系党外人士），"
        f"师生诉求 {issues + (1 if task else 0)} 条（待分送、待答复、已答复、已移交并办结），本学期接待日 {reception} 个"
        "（公开安排：/outreach/reception/；最近一次接待日上提出的一条诉求已提请校长办公会研究）"
        + (f"；一条诉求经承办校领导提请已转为督办事项 {task}" if task else "")
    )
    return result


def _demo_task(office, people: dict[str, Person], today: dt.date) -> str:
    """An issue a linked college raised, which its leader in charge asks the office to have supervised and the office
    turns into a task for 教务处 (004 第六条4; 督查督办 第二条（四）、第三条（二）) through supervision's services. Runs
    after supervision's demo (outreach/family.py: demo_after), so its number follows the year's demo tasks and theirs
    stay as they were. Also one request to list an issue for the 校长办公会 left for the office to act on. Returns the
    task's number, or "" when the demo has no such leader or unit."""
    vice = people.get("黄晓峰")
    lead = Organization.objects.filter(code="jwc").first()
    if vice is None or vice.user is None or lead is None or office is None:
        return ""
    issue = services.issue_record(
        by=office,
        title="公共选修课容量不足，学生选不上课",
        text="文学院反映：本学期公共选修课开课门数和容量不足，约三分之一学生未选上，影响按期修满学分。",
        raiser="文学院党政办",
        owner=vice,
        unit=Organization.objects.filter(code="wxy").first(),
    )
    services.issue_ask_escalation(
        issue,
        by=vice.user,
        target=services.ASK_TASK,
        reason="涉及教务处统筹开课和排课，需要督查督办限期落实",
    )
    services.issue_to_task(
        issue,
        by=office,
        lead_unit=lead,
        deadline=today + dt.timedelta(days=45),
        matter="下学期公共选修课增加开课门数和容量，保证学生按期修满学分；本学期未选上的学生安排补选。",
        requirements="办理情况及时报分管校领导，并向文学院反馈进展（004 第六条4）。",
    )
    pending = (
        RaisedIssue.objects.filter(owner=vice, state=IssueState.OPEN, source=IssueSource.MAILBOX)
        .order_by("created_at")
        .first()
    )
    if pending is not None:
        services.issue_ask_escalation(
            pending,
            by=vice.user,
            target=services.ASK_AGENDA,
            meeting_kind="administrative",
            reason="多个教学楼都有类似问题，需要学校统筹安排设备更新经费",
        )
    issue.refresh_from_db()
    return issue.supervised_task.number if issue.supervised_task else ""


def _demo_issues(office, people: dict[str, Person]) -> int:
    """Issues in every state: a staff member's and a Party member's mailbox letters (one sent to 黄晓峰, one waiting
    for the office), one raised at a forum and answered, one transferred, answered, fed back and closed."""
    User = get_user_model()
    staff = User.objects.filter(username="jiaozhigong").first()
    member = User.objects.filter(username="dangyuan").first()
    vice = people.get("黄晓峰")
    other = people.get("孙海涛") or people.get("吴立群")
    made = 0
    if staff is not None and vice is not None:
        services.mailbox_raise(
            by=staff,
            title="教学楼多媒体设备经常故障",
            text="三号教学楼多间教室投影仪经常无法使用，影响上课。",
            owner=vice,
        )
        made += 1
    if member is not None:
        services.mailbox_raise(
            by=member, title="建议延长图书馆开放时间", text="考试周期间希望图书馆开放到晚上十一点。"
        )
        made += 1
    forum = Activity.objects.filter(kind=ActivityKind.FORUM, leaders=vice).first() if vice else None
    if forum is not None and vice is not None:
        answered = services.issue_record(
            by=office,
            title="学生宿舍热水供应时间短",
            text="座谈中学生代表反映宿舍热水每天只供应两小时。",
            raiser="文学院学生代表",
            owner=vice,
            activity=forum,
            unit=forum.units.first(),
        )
        services.issue_answer(
            answered, by=office, answer="已请后勤管理处研究延长供应时间，下月起每天供应四小时。"
        )
        made += 1
        if other is not None:
            closed = services.issue_record(
                by=office,
                title="实验室安全培训安排",
                text="座谈中教师反映新进研究生的实验室安全培训排期太晚。",
                raiser="理学院教工",
                owner=vice,
                activity=forum,
            )
            services.issue_transfer(
                closed, by=office, to_person=other, note="属于安全稳定工作，由分管校领导办理"
            )
            services.issue_answer(closed, by=office, answer="保卫处已将培训提前到开学第二周。")
            services.issue_feedback(closed, by=office, channel="face", note="在学院教工大会上当面通报")
            services.issue_close(closed, by=office)
            made += 1
    return made


def _demo_reception(office, people: dict[str, Person], today: dt.date) -> int:
    """The reception rota (004 第五条8): five university leaders in their offices, this semester's days."""
    from governance.models import Semester
    from outreach.models import ReceptionDuty

    semester = Semester.objects.filter(start__lte=today, end__gte=today).first()
    if semester is None:
        return 0
    for n, name in enumerate(("周明远", "林致和", "陈静怡", "黄晓峰", "吴立群")):
        if name in people:
            ReceptionDuty.objects.get_or_create(
                leader=people[name],
                defaults={"place": f"行政楼 {301 + n * 2} 室", "order": n, "recorded_by": office},
            )
    sessions, _dropped = services.rota_generate(by=office, semester=semester)
    past = [s for s in sessions if s.date <= today]
    if past:
        services.session_record(
            by=office,
            session=past[-1],
            visitors=4,
            summary="学生反映宿舍热水、图书馆开放时间等问题，已分别转相关部门。",
        )
        # A visitor's issue on that day (004 第五条8), a common difficulty the office puts on the 校长办公会's agenda
        # (004 第六条4): it stays open, waiting for the answer and the feedback (件件有回音).
        raised = services.issue_record(
            by=office,
            title="研究生公寓晚间热水供应不足",
            text="接待日来访的研究生代表反映，多个学院的研究生公寓晚上十点以后没有热水。",
            raiser="研究生会代表",
            owner=past[-1].leader,
            reception=past[-1],
        )
        services.issue_escalate(
            raised, by=office, meeting_kind="administrative", note="涉及多个学院的共性问题，需学校统筹解决"
        )
    return len(sessions)
