"""Demo records for `seed_demo`: units' people with logins, and a year of supervised tasks in every state (some from
the demo's meetings), made through the services so their numbers, timelines and history are real. Created once; a
second run changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from governance.families import DemoContext
from governance.models import Organization, Person, Position, PositionKind
from governance.roles import STAFF
from supervision import services
from supervision.models import (
    ApprovalChannel,
    NoticeMethod,
    ProgressReport,
    ReportCycle,
    SupervisedTask,
    TaskAction,
    TaskEvent,
    TaskKind,
    TaskSource,
    UnitRole,
    UrgingChannel,
)
from supervision.roles import ensure_group

DEMO_PASSWORD = "demo12345"  # noqa: S105 - the documented demo password, set only on accounts the seed creates
EMAIL_DOMAIN = "example.edu.cn"

# Departments the demo's tasks go to, beside the demo's colleges.
UNITS = (
    ("jwc", "教务处", 30),
    ("kyc", "科学研究处", 31),
    ("xgc", "学生工作处", 32),
    ("hqc", "后勤管理处", 33),
)


@dataclass(frozen=True)
class Account:
    username: str
    name: str
    unit: str
    role: str
    title: str


ACCOUNTS = (
    Account("jwc_chuzhang", "高建华", "jwc", UnitRole.HEAD, "教务处处长"),
    Account("jwc_lianluo", "罗晓燕", "jwc", UnitRole.LIAISON, "教务处办公室主任（督办联络员）"),
    Account("kyc_lianluo", "任志强", "kyc", UnitRole.LIAISON, "科学研究处综合科科长（督办联络员）"),
    Account("wxy_lianluo", "秦雨薇", "wxy", UnitRole.LIAISON, "文学院党政办主任（督办联络员）"),
)


@dataclass(frozen=True)
class Spec:
    title: str
    source: str
    kind: str
    lead: str
    co: tuple[str, ...]
    leader: str  # a university leader's position title, e.g. "副校长" (the first such)
    assigned: int  # days ago
    deadline: int  # days from the assignment
    final: str  # the state to walk the task to
    matter: str
    from_meeting: bool = False
    cycle: int | None = None
    returned: bool = False


S, K = TaskSource, TaskKind
# fmt: off
SPECS = (
    Spec("修订本科人才培养方案", S.WORK_PLAN, K.PERIODIC, "jwc", (), "黄晓峰", 330, 150, "archived",
         "按年度工作要点完成全校本科专业人才培养方案修订，报校长办公会审定。", cycle=ReportCycle.MONTHLY),
    Spec("落实上级关于高校安全稳定工作的部署", S.HIGHER, K.SPECIAL, "hqc", ("xgc",), "孙海涛", 300, 60, "archived",
         "按上级通知开展校园安全隐患排查整治，形成台账并报送整改情况。"),
    Spec("推进科研平台年度考核", S.WORK_PLAN, K.PERIODIC, "kyc", (), "吴立群", 260, 120, "completed",
         "完成校级科研平台年度考核，提出优化调整方案。", cycle=ReportCycle.MONTHLY),
    Spec("校领导碰头会决定：启用新版学生综合服务大厅", S.MEETING, K.SPECIAL, "xgc", ("hqc",), "陈静怡", 200, 45,
         "completed", "按碰头会决定，学生综合服务大厅于秋季学期前启用，实行一站式办理。", from_meeting=True),
    Spec("书记批示：教学楼空调维修", S.LEADER, K.SPECIAL, "hqc", (), "孙海涛", 120, 20, "submitted",
         "周明远书记批示：尽快完成第三教学楼空调维修，保障夏季教学。"),
    Spec("整改本科教学审核评估反馈问题", S.HIGHER, K.JOINT, "jwc", ("kyc", "wxy"), "黄晓峰", 150, 100, "returned",
         "对照审核评估专家组反馈意见，逐条制定并落实整改措施。", returned=True, cycle=ReportCycle.BIWEEKLY),
    Spec("文学院学科建设中期自评", S.WORK_PLAN, K.PERIODIC, "wxy", (), "吴立群", 90, 70, "in_progress",
         "完成中国语言文学学科建设中期自评报告，报学校学科办。", cycle=ReportCycle.MONTHLY),
    Spec("落实校长办公会关于实验室安全检查的决定", S.MEETING, K.SPECIAL, "kyc", (), "吴立群", 40, 30,
         "in_progress", "按会议决定，对全校实验室开展一次全面安全检查并限期整改。", from_meeting=True),
    Spec("完成新生入学教育方案", S.WORK_PLAN, K.SPECIAL, "xgc", (), "陈静怡", 45, 40, "in_progress",
         "制定新学年新生入学教育方案，报党委学生工作部审定。"),
    Spec("校长批示：优化研究生课程排课", S.LEADER, K.SPECIAL, "jwc", (), "黄晓峰", 30, 28, "notified",
         "林致和校长批示：统筹研究生与本科生课程排课，减少教室冲突。"),
    Spec("推进后勤服务社会化改革调研", S.WORK_PLAN, K.JOINT, "hqc", ("jwc", "xgc"), "孙海涛", 5, 90, "registered",
         "开展后勤服务社会化改革专题调研，提出改革方案。"),
    Spec("上级交办：高校毕业生就业工作督查", S.HIGHER, K.SPECIAL, "xgc", (), "陈静怡", 3, 60, "registered",
         "落实上级关于做好高校毕业生就业工作的通知要求，按月报送就业进展。"),
    Spec("碰头会决定：教务系统升级", S.MEETING, K.SPECIAL, "jwc", (), "黄晓峰", 60, 50, "in_progress",
         "按碰头会决定完成教务管理系统升级，期末前上线。", from_meeting=True),
)
# fmt: on


def _unit(code: str, name: str, order: int, university: Organization) -> Organization:
    unit, _created = Organization.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "short_name": name,
            "kind": Organization.Kind.DEPARTMENT,
            "parent": university,
            "order": order,
        },
    )
    return unit


def _account(spec: Account, unit: Organization, office, since: dt.date) -> Person:
    user_model = get_user_model()
    user = user_model.objects.filter(username=spec.username).first()
    if user is None:
        user = user_model.objects.create_user(
            username=spec.username,
            email=f"{spec.username}@{EMAIL_DOMAIN}",
            password=DEMO_PASSWORD,
            first_name=spec.name,
        )
    from django.contrib.auth.models import Group

    user.groups.add(ensure_group(), Group.objects.get_or_create(name=STAFF)[0])
    person = Person.objects.filter(user=user).first() or Person.objects.create(
        user=user, name=spec.name, organization=unit, title=spec.title, email=user.email
    )
    services.unit_contact_add(
        recorded_by=office, organization=unit, person=person, role=spec.role, start=since
    )
    return person


def _leader(name: str, university: Organization, today: dt.date) -> Person | None:
    position = (
        Position.objects.active_on(today)
        .filter(team__organization=university, person__name=name)
        .select_related("person")
        .first()
    )
    return position.person if position else None


# 第三条（一）: the half-yearly round is an obligation rule of the university's team, shipped as a policy pack. The demo
# adopts it like the office does on the adoption page (the same service), citing the university's own copy of the
# regulation: the one the demo's regulations step named (中共江城大学委员会…), or this name when there is none yet.
PACK = "003-supervision"
OWN_REGULATION = {
    "title": "中共江城大学委员会工作落实督查督办工作制度",
    "document_number": "江大党发〔2024〕9号",
    "issued_on": dt.date(2024, 3, 6),
    "issuing_body": "中共江城大学委员会",
}


def demo_pack_adopt(context: DemoContext) -> str:
    """Adopt the supervision pack for the demo university (a second run changes nothing); the banner's line."""
    from governance.models import Regulation
    from governance.services.policies import OwnRegulation, policy_load

    university = context.university
    named = Regulation.objects.filter(organization=university, reference__code=PACK).first()
    own = None if named is not None else OwnRegulation(**OWN_REGULATION)
    loaded = policy_load(name=PACK, organization=university, own=own)
    title = named.title if named is not None else OWN_REGULATION["title"]
    return (
        f"规则包“{loaded.pack.title}” → {university.name}（《{title}》）：新增 {len(loaded.created)} 条，"
        f"更新 {len(loaded.updated)} 条，未变 {len(loaded.unchanged)} 条"
    )


@transaction.atomic
def demo_records_seed(context: DemoContext) -> int:
    """Returns how many tasks it made (0 when the demo's tasks already exist)."""
    if SupervisedTask.objects.filter(title=SPECS[0].title).exists():
        return 0
    office = get_user_model().objects.filter(username="office").first()
    if office is None:
        return 0
    today = context.today
    university = context.university
    units = {code: _unit(code, name, order, university) for code, name, order in UNITS}
    units.update({code: org for code, org in context.organizations.items() if code in ("wxy", "lxy", "tyxy")})
    # In post since before the year's tasks: the report cycles (第五条) of the past months were theirs to report.
    since = today - dt.timedelta(days=365)
    people = {a.username: _account(a, units[a.unit], office, since) for a in ACCOUNTS}
    liaison_user = {a.unit: people[a.username].user for a in ACCOUNTS if a.role == UnitRole.LIAISON}
    # 文学院's dean answers for the college as a unit too (第一条（一）: 牵头单位负责落实, the unit's head): his leader
    # home (wxy_yuanzhang) shows the college's tasks beside his obligations.
    dean = (
        Position.objects.active_on(today)
        .filter(team__organization=units["wxy"], kind=PositionKind.PRESIDENT)
        .select_related("person")
        .first()
    )
    if dean is not None:
        services.unit_contact_add(
            recorded_by=office, organization=units["wxy"], person=dean.person, role=UnitRole.HEAD, start=since
        )
    from communication.selectors import meetings_for_list

    meetings = list(meetings_for_list(office).filter(organization=university, date__lte=today)[:10])
    made = 0
    for index, spec in enumerate(SPECS):
        leader = _leader(spec.leader, university, today)
        if leader is None:
            continue
        meeting = meetings[index % len(meetings)] if spec.from_meeting and meetings else None
        assigned = meeting.date if meeting else today - dt.timedelta(days=spec.assigned)
        task = services.task_register(
            registered_by=office,
            title=spec.title,
            source=spec.source,
            source_detail=meeting.title if meeting else "",
            meeting=meeting,
            kind=spec.kind,
            assigned_on=assigned,
            lead_unit=units[spec.lead],
            co_units=[units[c] for c in spec.co],
            leader=leader,
            matter=spec.matter,
            requirements="办理过程中遇到问题及时向分管校领导请示，并向督查小组反馈（第五条）。",
            deadline=assigned + dt.timedelta(days=spec.deadline),
            report_cycle=spec.cycle,
        )
        made += 1
        _walk(task, spec, office=office, unit_user=liaison_user.get(spec.lead), today=today)
        _spread_events(task, start=task.assigned_on, end=today)
    _extensions_warnings_and_rounds(
        office=office, university=university, liaison_user=liaison_user, today=today
    )
    return made


def _extensions_warnings_and_rounds(*, office, university, liaison_user, today: dt.date) -> None:
    """An extension approved and one waiting (第五条), the warning notices the colours call for, and last half
    year's periodic supervision round (第三条（一）)."""
    from supervision.models import OPEN_STATES, REPORTING_STATES, WarningNotice

    in_progress = list(
        SupervisedTask.objects.filter(state__in=REPORTING_STATES, deadline__gt=today)
        .select_related("lead_unit", "leader__user")
        .order_by("deadline", "pk")
    )
    for task, approve in zip(in_progress[:2], (True, None), strict=False):
        asker = liaison_user.get(task.lead_unit.code) or office
        extension = services.extension_request(
            task=task,
            user=asker,
            reason="需待上级主管部门批复后实施，申请延期。",
            proposed_deadline=task.deadline + dt.timedelta(days=30),
        )
        if approve:
            services.extension_decide(
                extension=extension,
                user=office,
                approve=True,
                note="同意延期一个月。",
                channel=ApprovalChannel.PAPER,  # the leader signed the request; the office enters it (第五条)
            )
    for task in SupervisedTask.objects.filter(state__in=OPEN_STATES).select_related("lead_unit", "leader"):
        level = services.warning_level_due(task)
        if (
            level
            and not WarningNotice.objects.filter(task=task, level=level, deadline=task.deadline).exists()
        ):
            services.warning_issue(task=task, user=office, note="请于3个工作日内书面报告办理进展。")
    first_half = today.month <= 6
    held_on = dt.date(today.year - 1, 12, 15) if first_half else dt.date(today.year, 6, 20)
    if university is not None and held_on >= dt.date(today.year - 1, 1, 1):
        key_work = SupervisedTask.objects.filter(source=TaskSource.WORK_PLAN, assigned_on__lte=held_on)
        services.round_record(
            user=office,
            organization=university,
            held_on=held_on,
            title=f"{held_on.year}年{'下' if held_on.month > 6 else '上'}半年定期督查",
            findings="对年度工作要点、折子工程的完成情况逐项核查：总体按计划推进，个别事项进度滞后，已要求承办单位限期整改。",
            tasks=list(key_work[:10]),
        )


def _walk(task: SupervisedTask, spec: Spec, *, office, unit_user, today: dt.date) -> None:
    order = ["registered", "notified", "in_progress", "submitted", "returned", "completed", "archived"]
    target = order.index(spec.final)
    if target == 0:
        return
    actor = unit_user or office
    if task.needs_approval:
        task = services.task_approve(
            task=task, user=office, channel=ApprovalChannel.PAPER, note="分管校领导已在立项审批表上签字同意。"
        )
    method = NoticeMethod.PHONE if spec.source == TaskSource.LEADER else NoticeMethod.NOTICE
    task = services.task_notify(task=task, user=office, method=method)
    if target == 1:
        return
    task = services.task_accept(task=task, user=actor)
    services.progress_report(
        task=task,
        user=actor,
        unit=task.lead_unit,
        text="已召开专题会议研究部署，明确分工和时间节点，正在推进。",
    )
    for co_unit in task.co_units.all():
        services.progress_report(
            task=task, user=office, unit=co_unit, text=f"{co_unit.name}已按分工完成本单位承担的部分。"
        )
    if target == 2:
        if task.deadline < today:
            services.urging_record(
                task=task, user=office, channel=UrgingChannel.PHONE, note="电话催办，承办单位表示本周内报结。"
            )
        return
    task = services.task_submit(task=task, user=actor, result="已按要求办理完毕，相关材料已报督查小组。")
    if spec.returned:
        services.task_return(
            task=task,
            user=office,
            reason="部分整改措施未落实到位，缺少整改前后的对比材料，请补充完善。",
            new_deadline=today + dt.timedelta(days=10),
        )
        return
    if target == 3:
        return
    task = services.task_complete(task=task, user=office, note="经审核，办理情况属实，同意办结。")
    if target >= 6:
        services.task_archive(task=task, user=office, note="材料已按文书档案管理要求立卷归档。")


def _spread_events(task: SupervisedTask, *, start: dt.date, end: dt.date) -> None:
    """The demo's steps spread over the days from assignment to today (they were all made just now)."""
    events = list(TaskEvent.objects.filter(task=task).order_by("pk"))
    if not events:
        return
    span = max((end - start).days, 1)
    tz = timezone.get_current_timezone()
    reports = iter(ProgressReport.objects.filter(task=task).order_by("pk").values_list("pk", flat=True))
    for i, event in enumerate(events):
        day = start + dt.timedelta(days=span * i // max(len(events), 1))
        at = dt.datetime.combine(day, dt.time(9 + i % 8, 10 * (i % 6)), tzinfo=tz)
        TaskEvent.objects.filter(pk=event.pk).update(at=at)
        # The notice and the reports on their steps' days too: the report cycle (第五条) runs from the notice day, and a
        # report counts in the cycle of its date (the rule 003-supervision-progress-report).
        if event.action == TaskAction.NOTIFY:
            SupervisedTask.objects.filter(pk=task.pk).update(notified_at=at)
        elif event.action == TaskAction.REPORT and (report := next(reports, None)) is not None:
            ProgressReport.objects.filter(pk=report).update(reported_on=day)
