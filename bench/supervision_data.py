"""The supervision family's part of the benchmark data set (issue 9): 20,000 supervised tasks (督办事项) over five years
(2022 to the benchmark's date), in every state, with progress reports, urgings and extension requests.

Built into its own database, a copy of the main benchmark database (bench/run.py: `SUP_DB_PATH`), so the pages the
main data set measures (issue 6: the leader's and the office's homes, the overview, the reminder job) keep exactly
their data; the supervision pages and the reminder job with urgings are measured on the copy, which has the same
university, leaders, meetings and talks plus:

- ten functional departments (职能部门) besides the twenty colleges: thirty units that lead or co-handle tasks;
- each unit's head (a college's dean, a department's new 处长) and one or two liaisons (联络员, new people with logins
  in the units' people group) as `UnitContact`s;
- 4,000 tasks a year, numbered per year in the order assigned (督〔2026〕1号 …), each led by one unit (a fifth with one
  or two co-units), under a university leader (the holder on the day it was assigned), deadlines 10 to 150 days out,
  long tasks with a report cycle (第五条); older tasks mostly completed and archived, a few still overdue; this year's
  in every state (立项登记 to 已归档, some returned with a new deadline);
- progress reports on each cycle, the office's logged urgings (phone, 约见, letter) of tasks that ran late, the
  reminder job's e-mail urging rounds already sent (the outbox rows `urging:<task>:<deadline>:<round>`, so a run on
  the benchmark's date sends only the rounds that start that day), and extension requests (approved, refused, and
  some waiting).

Deterministic (its own seeded generator); bulk_create throughout (no audit history rows: no measured page reads them),
then one `data_changed()`, as README says for data written past the ORM's signals."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from collections import defaultdict
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from governance.models import (
    Organization,
    Person,
    Position,
    PositionKind,
    ReminderDigest,
    ReminderSectionSent,
)
from governance.services.freshness import data_changed

VERSION = 2  # 2: the supervision pack adopted (its progress-report rule, issue 9 第五条, in the reminder job)
SEED = 20261121
TASKS = 20_000
YEARS = (2022, 2023, 2024, 2025, 2026)
LIAISON_UNIT = "c01"  # the unit whose liaison's list is measured
TZ = ZoneInfo("Asia/Shanghai")

DEPARTMENTS = (
    "教务处", "科学技术处", "人事处", "财务处", "学生工作部（处）", "国有资产管理处", "国际交流合作处",
    "后勤管理处", "发展规划处", "保卫处",
)  # fmt: skip
LEADER_KINDS = (
    PositionKind.SECRETARY,
    PositionKind.PRESIDENT,
    PositionKind.DEPUTY_SECRETARY,
    PositionKind.VICE_PRESIDENT,
    PositionKind.DISCIPLINE_SECRETARY,
)
MATTERS = (
    "推进{unit}年度重点工作任务落实", "落实校党委常委会关于{area}工作的决定", "完成{unit}专项整改任务",
    "抓好上级巡视反馈意见中{area}问题的整改", "推进“双一流”建设{area}指标任务", "办理校领导关于{area}工作的批示",
    "落实年度工作要点中的{area}事项", "完成{area}制度修订并报党委审定",
)  # fmt: skip
AREAS = (
    "教学",
    "科研",
    "学生工作",
    "财务",
    "人事",
    "后勤",
    "国际交流",
    "组织",
    "宣传思想",
    "纪检监察",
    "安全稳定",
)


def _hash(key: str) -> str:
    return hashlib.sha1(f"supervision:{key}".encode(), usedforsecurity=False).hexdigest()


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ)


def build(
    *, today: dt.date, office_user_id: int, log: Callable[[str], None] = print
) -> list[tuple[str, float]]:
    """Fill the copied, migrated database with the supervision data. Returns the build steps and their seconds."""
    from supervision.conf import setting
    from supervision.models import (
        ExtensionRequest,
        ExtensionStatus,
        ProgressReport,
        ReportCycle,
        SupervisedTask,
        TaskAction,
        TaskEvent,
        TaskKind,
        TaskNumberCounter,
        TaskSource,
        TaskState,
        UnitContact,
        UnitRole,
        Urging,
        UrgingChannel,
        amber_from,
    )
    from supervision.roles import ensure_group

    steps: list[tuple[str, float]] = []
    t0 = time.perf_counter()

    def step(name: str) -> None:
        nonlocal t0
        now = time.perf_counter()
        steps.append((name, now - t0))
        log(f"  {name}: {now - t0:.1f} s")
        t0 = now

    rng = random.Random(SEED)
    share = float(setting("SUPERVISION_AMBER_SHARE"))
    cadence = max(int(setting("SUPERVISION_URGING_CADENCE_DAYS")), 1)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=OFF")

    with transaction.atomic():
        # --- units and their people -------------------------------------------------------------------------------
        university = Organization.objects.get(kind=Organization.Kind.UNIVERSITY)
        Organization.objects.bulk_create(
            [
                Organization(name=name, short_name=name, code=f"d{i:02d}", kind=Organization.Kind.DEPARTMENT,
                             parent=university, order=500 + i * 10)
                for i, name in enumerate(DEPARTMENTS, start=1)
            ]
        )  # fmt: skip
        units = list(
            Organization.objects.filter(
                kind__in=[Organization.Kind.COLLEGE, Organization.Kind.DEPARTMENT]
            ).order_by("order", "code")
        )
        User = get_user_model()
        next_id = max(Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
                      User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1  # fmt: skip
        password = make_password("bench-not-a-login")
        deans = {
            p.team.organization_id: p.person_id
            for p in Position.objects.active_on(today)
            .filter(kind=PositionKind.PRESIDENT)
            .select_related("team")
        }
        new_people: list[Person] = []
        contacts: list[UnitContact] = []
        contact_people: dict[int, list[int]] = defaultdict(list)  # unit → its people (head first)
        surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
        given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌宇晨浩然欣怡子涵梓轩一鸣思远"

        def person(unit: Organization, title: str) -> int:
            nonlocal next_id
            pk = next_id
            next_id += 1
            new_people.append(
                Person(id=pk, name=rng.choice(surnames) + rng.choice(given) + rng.choice(given),
                       organization_id=unit.pk, title=f"{unit.short_name}{title}",
                       email=f"u{pk:04d}@bench.example.edu.cn")
            )  # fmt: skip
            return pk

        start = dt.date(2021, 9, 1)
        for i, unit in enumerate(units):
            head = deans.get(unit.pk) or person(unit, "处长")
            liaisons = [person(unit, "办公室主任")] + ([person(unit, "综合科科长")] if i % 3 == 0 else [])
            for pid, role in [(head, UnitRole.HEAD)] + [(pid, UnitRole.LIAISON) for pid in liaisons]:
                contacts.append(
                    UnitContact(organization_id=unit.pk, person_id=pid, role=role, start=start,
                                recorded_by_id=office_user_id)
                )  # fmt: skip
                contact_people[unit.pk].append(pid)
        User.objects.bulk_create(
            [User(id=p.id, username=f"u{p.id:04d}", email=p.email, password=password, first_name=p.name)
             for p in new_people]
        )  # fmt: skip
        for p in new_people:
            p.user_id = p.id
        Person.objects.bulk_create(new_people)
        UnitContact.objects.bulk_create(contacts)
        group = ensure_group()
        user_ids = set(
            Person.objects.filter(pk__in=[c.person_id for c in contacts]).values_list("user_id", flat=True)
        )
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=uid, group_id=group.pk) for uid in user_ids if uid],
            ignore_conflicts=True,
        )
        step(
            f"{len(DEPARTMENTS)} departments, {len(contacts)} unit heads and liaisons ({len(new_people)} new logins)"
        )

        # --- tasks ------------------------------------------------------------------------------------------------
        leader_tenures = [
            (p.person_id, p.start, p.end)
            for p in Position.objects.filter(team__organization=university, kind__in=LEADER_KINDS)
        ]

        def leader_on(day: dt.date) -> int:
            holders = [pid for pid, s, e in leader_tenures if s <= day and (e is None or day <= e)]
            return rng.choice(holders)

        per_year = TASKS // len(YEARS)
        plans = []
        for year in YEARS:
            first, last = dt.date(year, 1, 4), min(dt.date(year, 12, 28), today)
            span = (last - first).days
            days = sorted(first + dt.timedelta(days=rng.randint(0, span)) for _ in range(per_year))
            plans.extend((year, seq, day) for seq, day in enumerate(days, start=1))

        tasks: list[SupervisedTask] = []
        co_rows: list[tuple[int, int]] = []
        events: list[TaskEvent] = []
        reports: list[ProgressReport] = []
        urgings: list[Urging] = []
        extensions: list[ExtensionRequest] = []
        email_rounds: list[tuple[int, int, str, dt.date]] = []  # (task, person, key, day sent)
        office_name = "党委办公室"

        def event(task_id: int, action: str, day: dt.date, before: str = "", after: str = "", **kw) -> None:
            events.append(
                TaskEvent(task_id=task_id, action=action, from_state=before, to_state=after, actor_id=office_user_id,
                          actor_name=office_name, at=_at(day), **kw)
            )  # fmt: skip

        S = TaskState
        for pk, (year, seq, assigned) in enumerate(plans, start=1):
            unit = rng.choice(units)
            co = (
                rng.sample([u for u in units if u.pk != unit.pk], rng.choice((1, 1, 2)))
                if rng.random() < 0.2
                else []
            )
            kind = (
                TaskKind.JOINT
                if rng.random() < 0.08
                else (TaskKind.PERIODIC if rng.random() < 0.15 else TaskKind.SPECIAL)
            )
            long_task = rng.random() < 0.35
            first_deadline = assigned + dt.timedelta(
                days=rng.randint(60, 150) if long_task else rng.randint(10, 59)
            )
            cycle = (
                rng.choice((ReportCycle.MONTHLY, ReportCycle.MONTHLY, ReportCycle.BIWEEKLY))
                if long_task
                else None
            )
            needs_approval = kind == TaskKind.JOINT or bool(co)
            leader = leader_on(assigned)
            age = (today - assigned).days
            deadline = first_deadline
            late = rng.random() < 0.18  # the unit finishes after its deadline
            returned = rng.random() < 0.07
            extension = rng.random() < 0.08
            finish = deadline + dt.timedelta(days=rng.randint(1, 25) if late else -rng.randint(0, 20))
            finish = max(finish, assigned + dt.timedelta(days=3))
            # Where the task stands today.
            if age < 4:
                state = S.REGISTERED if rng.random() < 0.5 else S.NOTIFIED
            elif age < 8:
                state = rng.choice((S.NOTIFIED, S.IN_PROGRESS, S.IN_PROGRESS))
            elif finish >= today or (deadline < today and rng.random() < (0.01 if year < 2026 else 0.06)):
                state = S.IN_PROGRESS  # still at it (some overdue)
            else:
                review = finish + dt.timedelta(days=rng.randint(1, 6))
                if review > today:
                    state = S.SUBMITTED
                elif returned and review + dt.timedelta(days=20) > today:
                    state = S.RETURNED
                else:
                    state = S.ARCHIVED if review + dt.timedelta(days=45) <= today else S.COMPLETED
            approved_at = None
            if needs_approval and not (state == S.REGISTERED and rng.random() < 0.6):
                approved_at = _at(assigned, 16)
            notified = assigned + dt.timedelta(days=rng.randint(1, 3))
            task = SupervisedTask(
                id=pk, year=year, sequence=seq, number=f"督〔{year}〕{seq}号",
                title=rng.choice(MATTERS).format(unit=unit.short_name, area=rng.choice(AREAS))[:200],
                source=rng.choice(TaskSource.values), source_detail=f"{year}年第{seq % 40 + 1}次校党委常委会",
                kind=kind, assigned_on=assigned, lead_unit_id=unit.pk, leader_id=leader,
                matter="按照学校部署，明确责任分工和时间节点，抓好各项任务落实，并按要求报送办理情况。",
                requirements="请于办理时限前将办理结果书面报送督查小组。",
                deadline=deadline, original_deadline=first_deadline, amber_from=amber_from(assigned, deadline, share),
                report_cycle=cycle, state=state, approved_at=approved_at, approved_by_id=leader if approved_at else None,
                recorded_by_id=office_user_id,
            )  # fmt: skip
            co_rows.extend((pk, u.pk) for u in co)
            event(pk, TaskAction.REGISTER, assigned, "", S.REGISTERED)
            if approved_at:
                event(pk, TaskAction.APPROVE, assigned, S.REGISTERED, S.REGISTERED)
            if state != S.REGISTERED:
                task.notice_method = "notice" if rng.random() < 0.7 else "phone"
                task.notified_at = _at(notified)
                event(pk, TaskAction.NOTIFY, notified, S.REGISTERED, S.NOTIFIED)
            working = state not in (S.REGISTERED, S.NOTIFIED)
            if working:
                event(pk, TaskAction.ACCEPT, notified + dt.timedelta(days=1), S.NOTIFIED, S.IN_PROGRESS)
            # Extension requests (第五条): asked a week before the deadline.
            if extension and working and deadline - dt.timedelta(days=7) > assigned:
                asked = deadline - dt.timedelta(days=7)
                if asked <= today:
                    proposed = deadline + dt.timedelta(days=rng.choice((15, 30, 45)))
                    if state in (S.IN_PROGRESS, S.RETURNED) and asked > today - dt.timedelta(days=10):
                        status = ExtensionStatus.PENDING
                    else:
                        status = ExtensionStatus.APPROVED if rng.random() < 0.75 else ExtensionStatus.REFUSED
                    extensions.append(
                        ExtensionRequest(task_id=pk, reason="工作涉及多个部门协调，需延长办理时限。",
                                         current_deadline=deadline, proposed_deadline=proposed, status=status,
                                         decided_by_id=leader if status != ExtensionStatus.PENDING else None,
                                         decided_at=_at(asked + dt.timedelta(days=2))
                                         if status != ExtensionStatus.PENDING else None,
                                         recorded_by_id=office_user_id)
                    )  # fmt: skip
                    event(pk, TaskAction.EXTENSION_REQUEST, asked)
                    if status == ExtensionStatus.APPROVED:
                        event(
                            pk,
                            TaskAction.EXTENSION_APPROVE,
                            asked + dt.timedelta(days=2),
                            new_deadline=proposed,
                        )
                        deadline = proposed
                        task.deadline = deadline
                        task.amber_from = amber_from(assigned, deadline, share)
            # Progress reports on the cycle (第五条), while the unit works on it.
            if cycle and working:
                until = min(finish, today) if state not in (S.IN_PROGRESS, S.RETURNED) else today
                day = notified + dt.timedelta(days=int(cycle))
                while day <= until:
                    if rng.random() < 0.9:
                        reports.append(
                            ProgressReport(task_id=pk, unit_id=unit.pk, reported_on=day,
                                           text="已召开专题会议研究部署，各项工作按计划推进。",
                                           recorded_by_id=office_user_id)
                        )  # fmt: skip
                        if co and rng.random() < 0.3:
                            reports.append(
                                ProgressReport(task_id=pk, unit_id=co[0].pk, reported_on=day,
                                               text="协办部分已完成。", recorded_by_id=office_user_id)
                            )  # fmt: skip
                    day += dt.timedelta(days=int(cycle))
            # Submitted, returned (第四条（四）), completed, archived.
            if state in (S.SUBMITTED, S.RETURNED, S.COMPLETED, S.ARCHIVED):
                submitted = finish
                task.submitted_at = _at(submitted, 15)
                event(pk, TaskAction.SUBMIT, submitted, S.IN_PROGRESS, S.SUBMITTED)
                review = min(submitted + dt.timedelta(days=rng.randint(1, 6)), today)
                if returned and review < today:
                    new_deadline = review + dt.timedelta(days=20)
                    event(pk, TaskAction.RETURN, review, S.SUBMITTED, S.RETURNED, new_deadline=new_deadline,
                          note="办理结果不完整，请补充相关材料。")  # fmt: skip
                    deadline = new_deadline
                    task.deadline = deadline
                    task.amber_from = amber_from(assigned, deadline, share)
                    if state == S.RETURNED:
                        task.submitted_at = None
                    else:
                        resubmitted = min(review + dt.timedelta(days=rng.randint(3, 15)), today)
                        task.submitted_at = _at(resubmitted, 15)
                        event(pk, TaskAction.SUBMIT, resubmitted, S.RETURNED, S.SUBMITTED)
                        review = min(resubmitted + dt.timedelta(days=2), today)
                if state in (S.COMPLETED, S.ARCHIVED):
                    task.completed_at = _at(review, 17)
                    event(pk, TaskAction.COMPLETE, review, S.SUBMITTED, S.COMPLETED)
                if state == S.ARCHIVED:
                    archived = min(review + dt.timedelta(days=rng.randint(30, 45)), today)
                    task.archived_at = _at(archived, 11)
                    event(pk, TaskAction.ARCHIVE, archived, S.COMPLETED, S.ARCHIVED)
            # Urgings (第四条（三）): the e-mail rounds the reminder job sent while the task was overdue and open, and
            # the office's own (phone, 约见, letter).
            open_until = task.submitted_at.astimezone(TZ).date() if task.submitted_at else today
            overdue_days = (open_until - first_deadline).days if state != S.REGISTERED else 0
            if overdue_days > 1 and deadline == first_deadline:
                people = [*contact_people[unit.pk], leader]
                for n in range(1, (overdue_days - 1) // cadence + 2):
                    day = first_deadline + dt.timedelta(days=1 + (n - 1) * cadence)
                    if day >= min(open_until, today):
                        break
                    key = f"urging:{pk}:{first_deadline.isoformat()}:{n}"
                    email_rounds.extend((pk, pid, key, day) for pid in dict.fromkeys(people))
                for n in range(rng.choice((0, 1, 1, 2))):
                    day = first_deadline + dt.timedelta(days=2 + n * 5)
                    if day < open_until:
                        urgings.append(
                            Urging(task_id=pk, channel=rng.choice(UrgingChannel.values[1:]), urged_on=day,
                                   note="已电话催促承办单位抓紧办理。", recorded_by_id=office_user_id)
                        )  # fmt: skip
                        event(pk, TaskAction.URGE, day)
            tasks.append(task)
        SupervisedTask.objects.bulk_create(tasks, batch_size=500)
        SupervisedTask.co_units.through.objects.bulk_create(
            [SupervisedTask.co_units.through(supervisedtask_id=t, organization_id=o) for t, o in co_rows],
            batch_size=900,
        )
        TaskNumberCounter.objects.bulk_create([TaskNumberCounter(year=year, last=per_year) for year in YEARS])
        step(f"{len(tasks):,} tasks, {len(co_rows):,} co-unit rows")
        TaskEvent.objects.bulk_create(events, batch_size=500)
        ProgressReport.objects.bulk_create(reports, batch_size=500)
        Urging.objects.bulk_create(urgings, batch_size=500)
        ExtensionRequest.objects.bulk_create(extensions, batch_size=500)
        step(f"{len(events):,} events, {len(reports):,} progress reports, {len(urgings):,} logged urgings, "
             f"{len(extensions):,} extension requests")  # fmt: skip

        # --- the e-mail urging rounds already sent: one digest per person and day, one outbox row per section ------
        emails = dict(Person.objects.values_list("pk", "email"))
        digest_of: dict[tuple[int, dt.date], int] = {}
        digests: list[ReminderDigest] = []
        for _task, pid, _key, day in email_rounds:
            if (pid, day) not in digest_of:
                digest_of[(pid, day)] = len(digests)
                digests.append(
                    ReminderDigest(person_id=pid, to_email=emails.get(pid) or "x@bench.example.edu.cn",
                                   subject="党委工作提醒", body_text="督办事项催办", sent_at=_at(day, 8))
                )  # fmt: skip
        ReminderDigest.objects.bulk_create(digests, batch_size=500)
        ReminderSectionSent.objects.bulk_create(
            [
                ReminderSectionSent(person_id=pid, family="supervision", key=key, key_hash=_hash(key),
                                    digest_id=digests[digest_of[(pid, day)]].pk)
                for _task, pid, key, day in email_rounds
            ],
            batch_size=500,
        )  # fmt: skip
        step(f"{len(email_rounds):,} e-mail urging sections sent in {len(digests):,} digests")
    # The supervision pack, as the demo and the office adopt it: the half-yearly round (第三条（一）) and the lead units'
    # progress reports on long tasks (第五条, an event_owners rule the reminder job evaluates beside the teams').
    from governance.services.policies import policy_load

    policy_load(name="003-supervision", organization=university)
    step("policy pack 003-supervision adopted")
    data_changed()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return steps


def liaison_username(unit_code: str = LIAISON_UNIT) -> str:
    """The login of the unit's first liaison (联络员)."""
    from supervision.models import UnitContact, UnitRole

    contact = (
        UnitContact.objects.filter(organization__code=unit_code, role=UnitRole.LIAISON)
        .select_related("person__user")
        .order_by("pk")
        .first()
    )
    if contact is None or contact.person.user is None:
        raise LookupError(f"no liaison with a login for {unit_code}")
    return contact.person.user.username


def counts() -> dict[str, int]:
    from supervision.models import (
        ExtensionRequest,
        ProgressReport,
        SupervisedTask,
        TaskEvent,
        TaskState,
        UnitContact,
        Urging,
    )

    found = {"supervised tasks": SupervisedTask.objects.count()}
    for state in TaskState:
        found[f"  {state.value}"] = SupervisedTask.objects.filter(state=state).count()
    found.update(
        {
            "unit heads and liaisons": UnitContact.objects.count(),
            "task events": TaskEvent.objects.count(),
            "progress reports": ProgressReport.objects.count(),
            "logged urgings": Urging.objects.count(),
            "e-mail urging sections sent": ReminderSectionSent.objects.filter(family="supervision").count(),
            "extension requests": ExtensionRequest.objects.count(),
        }
    )
    return found
