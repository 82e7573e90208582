"""Role × URL access matrix (issue 7, guard): every URL pattern the resolver knows, requested by each role over real
objects, gets the outcome the table below states — and a planted secret appears only in the answers to roles allowed
to read it.

Roles: anonymous; a staff member (教职工); a Party member (党员); a leader not involved (吴副校长, of the university's
team: another team's meeting, talk and absence); the leader involved (李书记, 文学院's secretary: in the talk, chair of
the meetings, the absence is theirs, the opinion is theirs); the office (党委办公室).

How to extend it for a new family (or a new page): add its URL names to TABLE with a Case per object kind (a lambda
building the address from the World) and the expected outcome per role; build its objects in `build_world()` (plant
a secret string in anything confidential and list it in SECRETS with who may read it); give each model it registers
in the admin an object in `build_world()`. `test_every_url_pattern_is_in_the_table` fails until a new pattern is
covered, and `test_every_admin_model_has_an_object_to_open` until its model has a row. The admin's pages are
enumerated from the admin's registry and expected by ADMIN_KINDS (office only; anonymous visitors go to the admin's
login page, everyone else signed in gets the portal's page saying the admin is the office's: governance/admin_gate.py,
issue 8).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import factory
import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from communication.tests.factories import (
    AbsenceFactory,
    AgendaItemFactory,
    DemocraticLifeMeetingFactory,
    HandoverFactory,
    MeetingAttachmentFactory,
    MeetingFactory,
    OpinionFactory,
    TalkFactory,
    office_user,
)
from governance import roles
from governance.models import ObligationExcuse, ObligationRule
from governance.services.icalendar_feed import calendar_feed_regenerate, calendar_feed_revoke
from governance.tests.factories import (
    AreaFactory,
    HolidayDateFactory,
    HolidayYearFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_wednesday")]

# --- Outcomes and roles ------------------------------------------------------------------------------------------

OK = "200"
LOGIN = "→ login"  # 302 to /accounts/login/?next=…
ADMIN_LOGIN = "→ admin login"  # 302 to /admin/login/?next=…
MOVED = "→ elsewhere"  # any other redirect (301/302)
DENIED = "403"
MISSING = "404"
NOT_ALLOWED = "405"

ROLES = ("anonymous", "staff", "member", "outsider", "involved", "office")
ANON, STAFF, MEMBER, OUTSIDER, INVOLVED, OFFICE = ROLES


def row(*outcomes: str) -> dict[str, str]:
    """Expected outcomes in ROLES order: anonymous, staff, member, outsider, involved, office."""
    assert len(outcomes) == len(ROLES)
    return dict(zip(ROLES, outcomes, strict=True))


EVERYONE = row(OK, OK, OK, OK, OK, OK)
SIGNED_IN = row(LOGIN, OK, OK, OK, OK, OK)
LEADERS_AND_OFFICE = row(LOGIN, DENIED, DENIED, OK, OK, OK)
OFFICE_ONLY = row(LOGIN, DENIED, DENIED, DENIED, DENIED, OK)
# Those a record is about and the office; to anyone else it does not exist (404, so its existence is not revealed).
PARTIES_ONLY = row(LOGIN, MISSING, MISSING, MISSING, OK, OK)
OFFICE_ALONE_SEES_IT = row(LOGIN, MISSING, MISSING, MISSING, MISSING, OK)
# A supervised task's pages: staff and Party members do not use 督查督办 at all (403); a leader who is not its
# responsible leader is told nothing (404).
SUPERVISION_TASK = row(LOGIN, DENIED, DENIED, MISSING, OK, OK)
NOBODY = row(MISSING, MISSING, MISSING, MISSING, MISSING, MISSING)
# Correcting a record the involved leader sees but did not enter (the office entered it): 403 to them, 404 to others.
RECORDER_AND_OFFICE = row(LOGIN, MISSING, MISSING, MISSING, DENIED, OK)
# The admin: the office's. Signed in as anyone else: the portal's 403 page saying so (governance/admin_gate.py).
ADMIN = row(ADMIN_LOGIN, DENIED, DENIED, DENIED, DENIED, OK)
NOT_THE_OFFICE_DENIED = (DENIED,) * 4

# --- Planted secrets: who may read each --------------------------------------------------------------------------

TALK_NOTES = "SECRET-TALK-NOTES-7f3a"
MINUTES = "SECRET-MINUTES-2b9c"
ATTACHMENT = "SECRET-ATTACHMENT-5d1e"
LIFE_MINUTES = "SECRET-DL-MINUTES-8c2f"
OTHER_MINUTES = "SECRET-UNI-MINUTES-4a6b"
OTHER_ATTACHMENT = "SECRET-UNI-ATTACHMENT-9e0d"
OTHER_TALK_NOTES = "SECRET-UNI-TALK-NOTES-1c7e"
TASK_ATTACHMENT = "SECRET-TASK-ATTACHMENT-3f8d"  # a supervised task's progress attachment
DISCLOSURE_MEMBERS = "SECRET-DISCLOSURE-MEMBERS-2d7b"  # a disclosure item for Party members (三（二）)
DISCLOSURE_ATTACHMENT = "SECRET-DISCLOSURE-ATTACHMENT-8a1f"
DISCLOSURE_PENDING = "SECRET-DISCLOSURE-PENDING-5e3c"  # an item waiting for the committee's approval
OUTREACH_NOTES = "SECRET-OUTREACH-NOTES-6b2a"  # an outreach activity's notes (the 工作台账, 004 第六条2)
OUTREACH_ATTACHMENT = "SECRET-OUTREACH-ATTACHMENT-0c4e"
ISSUE_TEXT = "SECRET-ISSUE-TEXT-5a9d"  # a member of staff's mailbox letter (师生诉求)
RECEPTION_SUMMARY = "SECRET-RECEPTION-SUMMARY-2e7b"  # what visitors raised on a reception day (接待日)

SECRETS: dict[str, set[str]] = {
    # Talk notes: the participants and the office (DESIGN: communication/; pages, links and history alike).
    TALK_NOTES: {INVOLVED, OFFICE},
    OTHER_TALK_NOTES: {OFFICE},
    # Minutes and attachments of a confidential meeting: those who took part and the office (001 三（八）).
    MINUTES: {INVOLVED, OFFICE},
    ATTACHMENT: {INVOLVED, OFFICE},
    LIFE_MINUTES: {INVOLVED, OFFICE},
    # The university's confidential meeting: 吴副校长 sat on its team but did not attend; 李书记 is of another team.
    OTHER_MINUTES: {OFFICE},
    OTHER_ATTACHMENT: {OFFICE},
    # A supervised task's attachment: its responsible leader (李书记 here), its units' people and the office.
    TASK_ATTACHMENT: {INVOLVED, OFFICE},
    # 党务公开 (三（二）): an item for Party members — they, the leaders and the office; one waiting for approval — the
    # committee member (吴副校长, on the university's team) and the office.
    DISCLOSURE_MEMBERS: {MEMBER, OUTSIDER, INVOLVED, OFFICE},
    DISCLOSURE_ATTACHMENT: {MEMBER, OUTSIDER, INVOLVED, OFFICE},
    DISCLOSURE_PENDING: {OUTSIDER, OFFICE},
    # An outreach activity: the leaders who took part (李书记 here) and the office.
    OUTREACH_NOTES: {INVOLVED, OFFICE},
    OUTREACH_ATTACHMENT: {INVOLVED, OFFICE},
    # A mailbox letter: whoever wrote it (the member of staff), the leader it was sent to (李书记) and the office.
    ISSUE_TEXT: {STAFF, INVOLVED, OFFICE},
    # A reception day's record: its duty leader (李书记) and the office; the public schedule shows only who and where.
    RECEPTION_SUMMARY: {INVOLVED, OFFICE},
}


@dataclass
class World:
    """The objects every URL is requested over."""

    users: dict[str, Any]
    college: Any
    university: Any
    college_people: list
    university_people: list
    talk: Any
    other_talk: Any
    meeting: Any
    attachment: Any
    other_meeting: Any
    other_attachment: Any
    life_meeting: Any
    item: Any
    opinion: Any
    absence: Any
    other_absence: Any
    team: Any
    feed_token: str
    revoked_token: str
    secrets: dict[str, set[str]] = field(default_factory=dict)
    admin_objects: dict[type, Any] = field(default_factory=dict)
    supervision: dict[str, Any] = field(default_factory=dict)  # the supervision family's objects
    disclosure: dict[str, Any] = field(default_factory=dict)  # the disclosure family's objects
    outreach: dict[str, Any] = field(default_factory=dict)  # the outreach family's objects


def build_world(university, college) -> World:
    university_org, uni = university  # 林书记, 周校长, 吴副校长
    college_org, col = college  # 李书记, 王院长, 赵副院长, 钱副院长, 孙副书记
    secretary, dean, vice1, vice2, deputy = col
    staff = UserFactory(username="jiaozhigong", groups=(roles.STAFF,))
    PersonFactory(user=staff, name="教职工甲")
    member = UserFactory(username="dangyuan", groups=(roles.PARTY_MEMBERS,))
    PersonFactory(user=member, name="党员乙")
    users = {
        ANON: None,
        STAFF: staff,
        MEMBER: member,
        OUTSIDER: uni[2].user,
        INVOLVED: secretary.user,
        OFFICE: office_user(username="office"),
    }
    talk = TalkFactory(participants=[secretary, dean], notes=TALK_NOTES, date=dt.date(2026, 11, 10))
    talk.notes = f"{TALK_NOTES}（补记）"  # a second historical version
    talk.save()
    other_talk = TalkFactory(
        participants=[uni[0], uni[1]], notes=OTHER_TALK_NOTES, date=dt.date(2026, 11, 11)
    )
    meeting = MeetingFactory(
        organization=college_org, chair=secretary, attendees=[dean, vice1], minutes=MINUTES, confidential=True
    )
    attachment = MeetingAttachmentFactory(
        meeting=meeting, file=factory.django.FileField(filename="材料.txt", data=ATTACHMENT.encode())
    )
    other_meeting = MeetingFactory(
        organization=university_org,
        kind="party_committee",
        chair=uni[0],
        attendees=[uni[1]],
        minutes=OTHER_MINUTES,
        confidential=True,
    )
    other_attachment = MeetingAttachmentFactory(
        meeting=other_meeting,
        file=factory.django.FileField(filename="纪要.txt", data=OTHER_ATTACHMENT.encode()),
    )
    life_meeting = DemocraticLifeMeetingFactory(
        organization=college_org,
        chair=secretary,
        attendees=[dean, vice1, vice2, deputy],
        minutes=LIFE_MINUTES,
    )
    item = AgendaItemFactory(organization=college_org, proposer=dean, title="学院年度预算")
    opinion = OpinionFactory(item=item, person=secretary)
    absence = AbsenceFactory(person=secretary, notified=[dean])
    HandoverFactory(absence=absence, covering=dean)
    other_absence = AbsenceFactory(person=uni[1], notified=[uni[0]])
    feed_token = calendar_feed_regenerate(person=secretary).token
    revoked_token = calendar_feed_regenerate(person=dean).token
    calendar_feed_revoke(person=dean)
    team = secretary.positions.get().team
    rule = ObligationRule.objects.get(code="000-coordination-meeting")
    ObligationExcuse.objects.create(
        rule=rule,
        period_start=dt.date(2026, 11, 2),
        team=team,
        reason="全院参加上级巡视反馈会",
        created_by=None,
    )
    HolidayDateFactory(year=HolidayYearFactory(year=2027))
    world = World(
        users=users,
        college=college_org,
        university=university_org,
        college_people=col,
        university_people=uni,
        talk=talk,
        other_talk=other_talk,
        meeting=meeting,
        attachment=attachment,
        other_meeting=other_meeting,
        other_attachment=other_attachment,
        life_meeting=life_meeting,
        item=item,
        opinion=opinion,
        absence=absence,
        other_absence=other_absence,
        team=team,
        feed_token=feed_token,
        revoked_token=revoked_token,
        secrets=dict(SECRETS),
    )
    # The calendar address is a credential: only its owner (and the office, in the admin) may see it.
    world.secrets[feed_token] = {INVOLVED, OFFICE}
    world.supervision = _supervision_world(world)
    world.disclosure = _disclosure_world(world)
    world.outreach = _outreach_world(world)
    world.admin_objects = _admin_objects(world)
    return world


def _supervision_world(world: World) -> dict[str, Any]:
    """督查督办: one task led by 文学院 with 李书记 as its responsible leader (so "involved" is the task's leader and
    "outsider" a leader of another's task), a unit's liaison, a progress report with an attachment, an urging, an
    extension request, a red warning notice and a periodic supervision round."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from supervision import services as supervision_services
    from supervision.tests.factories import UnitContactFactory

    office = world.users[OFFICE]
    UnitContactFactory(organization=world.college, person__name="文学院联络员")
    task = supervision_services.task_register(
        registered_by=office,
        title="修订学院教学管理细则",
        source="work_plan",
        kind="special",
        assigned_on=dt.date(2026, 11, 2),
        lead_unit=world.college,
        leader=world.college_people[0],
        matter="完成细则修订。",
        deadline=dt.date(2026, 11, 20),
    )
    task = supervision_services.task_notify(task=task, user=office, method="notice")
    task = supervision_services.task_accept(task=task, user=office)
    report = supervision_services.progress_report(
        task=task,
        user=office,
        unit=world.college,
        text="初稿已完成。",
        files=[SimpleUploadedFile("进展.txt", TASK_ATTACHMENT.encode())],
    )
    supervision_services.urging_record(task=task, user=office, channel="phone", note="电话催办")
    warning = supervision_services.warning_issue(task=task, user=office)
    supervision_services.extension_request(
        task=task, user=office, reason="等待上级文件。", proposed_deadline=dt.date(2026, 12, 20)
    )
    supervision_services.round_record(
        user=office,
        organization=world.university,
        held_on=dt.date(2026, 11, 18),
        title="2026年下半年定期督查",
        findings="按计划推进。",
        tasks=[task],
    )
    return {"task": task, "attachment": report.attachments.get(), "warning": warning}


def _outreach_world(world: World) -> dict[str, Any]:
    """李书记's 联系点 (assigned by the office) and a forum they recorded, with notes and an attachment."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from outreach import services as outreach_services

    secretary = world.college_people[0]
    outreach_services.assign_contact(
        by=world.users[OFFICE],
        leader=secretary,
        kind="unit",
        organization=world.college,
        start=dt.date(2026, 9, 1),
    )
    activity = outreach_services.record_activity(
        by=world.users[INVOLVED],
        leaders=[secretary],
        units=[world.college],
        date=dt.date(2026, 11, 20),
        kind="forum",
        notes=OUTREACH_NOTES,
        files=[SimpleUploadedFile("座谈纪要.txt", OUTREACH_ATTACHMENT.encode())],
    )
    issue = outreach_services.mailbox_raise(
        by=world.users[STAFF], title="食堂排队太久", text=ISSUE_TEXT, owner=secretary
    )
    return {
        "activity": activity,
        "contact": activity.leaders.get().linked_contacts.get(),
        "attachment": activity.attachments.get(),
        "issue": issue,
        "reception": _reception_world(world, secretary),
    }


def _reception_world(world: World, leader) -> Any:
    from outreach.models import ReceptionDuty, ReceptionSession

    ReceptionDuty.objects.create(leader=leader, place="文学院 201 室")
    return ReceptionSession.objects.create(
        date=dt.date(2026, 11, 23),
        start_time=dt.time(15),
        end_time=dt.time(17),
        leader=leader,
        place="文学院 201 室",
        visitors=3,
        summary=RECEPTION_SUMMARY,
    )


def _disclosure_world(world: World) -> dict[str, Any]:
    """党务公开: an item published to Party members (三（二）) with an attachment and an opinion, and one waiting for the
    committee's approval (吴副校长 is on the university's team, 三（一）1), each with a secret in its content."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from disclosure import services as disclosure_services

    office, approver = world.users[OFFICE], world.users[OUTSIDER]
    fields = {
        "category": "organization",
        "nature": "routine",
        "form": "bulletin",
        "publish_from": dt.date(2026, 11, 2),
    }
    item = disclosure_services.item_propose(
        user=office,
        title="党费收缴管理情况",
        content=DISCLOSURE_MEMBERS,
        scope="members",
        files=[SimpleUploadedFile("党费明细.txt", DISCLOSURE_ATTACHMENT.encode())],
        **fields,
    )
    item = disclosure_services.item_submit(item=item, user=office)
    item = disclosure_services.item_approve(item=item, user=approver)
    item = disclosure_services.item_publish(item=item, user=office)
    disclosure_services.feedback_leave(item=item, user=world.users[MEMBER], text="建议按党支部公布。")
    pending = disclosure_services.item_propose(
        user=office, title="党风廉政建设责任分工", content=DISCLOSURE_PENDING, scope="staff", **fields
    )
    pending = disclosure_services.item_submit(item=pending, user=office)
    proposed = disclosure_services.item_propose(
        user=office, title="校领导接待日安排", content="隔周周一下午。", scope="public", **fields
    )
    return {"item": item, "attachment": item.attachments.get(), "pending": pending, "proposed": proposed}


def _admin_objects(world: World) -> dict[type, Any]:
    """One object per model registered in the admin: the planted ones where there are, else the first row (rows
    that only the app writes — login attempts, reminders sent, schedules — are made here)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_celery_beat.models import ClockedSchedule, IntervalSchedule, SolarSchedule

    from communication.models import Absence, AgendaItem, Meeting, Talk
    from governance.models import CalendarFeedToken, OfficeAlert, ReminderDigest

    AccessAttempt.objects.create(
        username="guess", ip_address="10.0.0.1", user_agent="x", failures_since_start=1
    )
    AccessLog.objects.create(username="linshuji", ip_address="10.0.0.2", user_agent="x")
    AccessFailureLog.objects.create(username="guess", ip_address="10.0.0.3", user_agent="x", locked_out=False)
    ClockedSchedule.objects.create(clocked_time=timezone.now())
    SolarSchedule.objects.create(event="sunrise", latitude=30.5, longitude=114.3)
    IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.DAYS)
    AreaFactory(name="人事")
    OfficeAlert.objects.get_or_create(key="matrix", defaults={"subject": "节假日数据缺失", "body": "请录入"})
    ReminderDigest.objects.create(
        person=world.college_people[0], to_email="lishuji@example.edu.cn", subject="提醒", body_text="提醒"
    )
    planted = {
        Talk: world.talk,
        Meeting: world.meeting,
        AgendaItem: world.item,
        Absence: world.absence,
        get_user_model(): world.users[INVOLVED],
        CalendarFeedToken: CalendarFeedToken.objects.get(token=world.feed_token),
    }
    return {
        model: planted.get(model) or model._default_manager.order_by("pk").first()
        for model in admin.site._registry
    }


# --- The table ---------------------------------------------------------------------------------------------------


@dataclass
class Case:
    what: str
    url: Callable[[World], str]
    expect: dict[str, str]
    shows: tuple[str, ...] = ()  # secrets the page must show to every role it answers 200


def url(name: str, *args) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[a(w) if callable(a) else a for a in args])


def cell(w: World) -> str:
    return f"{reverse('overview_cell')}?{urlencode({'team': w.team.pk, 'rule': '000-coordination-meeting'})}"


TABLE: dict[str, list[Case]] = {
    "home": [Case("home page", url("home"), SIGNED_IN)],
    "healthz": [Case("health check", url("healthz"), EVERYONE)],
    "favicon.ico": [Case("favicon", lambda w: "/favicon.ico", row(*[MOVED] * 6))],
    "overview": [Case("overview", url("overview"), OFFICE_ONLY)],
    "overview_cell": [Case("a team's cell", cell, OFFICE_ONLY)],
    "overview_print": [
        Case("overview, print view", lambda w: reverse("overview_print") + "?org=wxy", OFFICE_ONLY)
    ],
    "overview_export": [
        Case("overview, Excel", lambda w: reverse("overview_export") + "?org=wxy", OFFICE_ONLY)
    ],
    # Withdrawing an excuse is a POST; a GET is refused like any other request of someone who may not post.
    "overview_excuse_withdraw": [
        Case(
            "withdraw an excuse (GET)",
            lambda w: cell(w).replace(reverse("overview_cell"), reverse("overview_excuse_withdraw")),
            row(LOGIN, DENIED, DENIED, DENIED, DENIED, NOT_ALLOWED),
        )
    ],
    "reminder_preview": [Case("the next reminder run's emails", url("reminder_preview"), OFFICE_ONLY)],
    "reminder_preview_html": [
        Case(
            "one email's HTML in the preview",
            lambda w: reverse("reminder_preview_html", args=[w.college_people[0].pk]) + "?on=2026-11-26",
            OFFICE_ONLY,
        )
    ],
    # Adopting a policy pack (issue 8): the office only, whatever organization the address names.
    "policy_adopt": [
        Case("adopt a policy pack", url("policy_adopt"), OFFICE_ONLY),
        Case(
            "adopt a pack for a team",
            lambda w: f"{reverse('policy_adopt')}?org={w.college.code}",
            OFFICE_ONLY,
        ),
    ],
    "calendar:page": [Case("own subscription page", url("calendar:page"), SIGNED_IN)],
    # The address is the credential: no login; an unknown or stopped one answers 404 to everyone.
    "calendar:feed": [
        Case("a valid address", url("calendar:feed", lambda w: w.feed_token), EVERYONE),
        Case("a revoked address", url("calendar:feed", lambda w: w.revoked_token), NOBODY),
        Case("a wrong address", url("calendar:feed", "x" * 43), NOBODY),
    ],
    "login": [Case("login page", url("login"), EVERYONE)],
    "logout": [Case("logout (POST only)", url("logout"), row(*[NOT_ALLOWED] * 6))],
    "password_change": [Case("password change", url("password_change"), SIGNED_IN)],
    "password_change_done": [Case("password changed", url("password_change_done"), SIGNED_IN)],
    "set_language": [Case("language switch (GET)", url("set_language"), row(*[MOVED] * 6))],
    "communication:index": [Case("family index", url("communication:index"), SIGNED_IN)],
    "outreach:index": [Case("family index", url("outreach:index"), SIGNED_IN)],
    # 联系基层: the ledger is the office's and each leader's own (004 第六条2); staff and Party members do not use it
    # (403), a leader who did not take part is told nothing (404); only the recorder and the office correct.
    "outreach:activity_list": [
        Case("outreach activities", url("outreach:activity_list"), LEADERS_AND_OFFICE)
    ],
    "outreach:activity_create": [
        Case("record an activity", url("outreach:activity_create"), LEADERS_AND_OFFICE)
    ],
    "outreach:activity_detail": [
        Case(
            "an activity",
            url("outreach:activity_detail", lambda w: w.outreach["activity"].pk),
            SUPERVISION_TASK,
            shows=(OUTREACH_NOTES,),
        )
    ],
    "outreach:activity_update": [
        Case(
            "correct an activity",
            url("outreach:activity_update", lambda w: w.outreach["activity"].pk),
            SUPERVISION_TASK,
        )
    ],
    "outreach:activity_history": [
        Case(
            "an activity's history",
            url("outreach:activity_history", lambda w: w.outreach["activity"].pk),
            SUPERVISION_TASK,
        )
    ],
    "outreach:attachment_download": [
        Case(
            "an activity's attachment",
            url("outreach:attachment_download", lambda w: w.outreach["attachment"].pk),
            PARTIES_ONLY,
            shows=(OUTREACH_ATTACHMENT,),
        )
    ],
    "outreach:contact_list": [Case("assign 联系点", url("outreach:contact_list"), OFFICE_ONLY)],
    # 师生诉求: anyone signed in writes to the mailbox and lists what they raised; an issue is seen by whoever raised
    # it, the leader handling it and the office (404 to anyone else).
    "outreach:mailbox": [Case("the mailbox", url("outreach:mailbox"), SIGNED_IN)],
    # 校领导接待日: the schedule is public; the rota is the office's; a day's record its duty leader's and the office's.
    "outreach:reception_schedule": [Case("reception schedule", url("outreach:reception_schedule"), EVERYONE)],
    "outreach:reception_rota": [Case("reception rota", url("outreach:reception_rota"), OFFICE_ONLY)],
    "outreach:reception_session": [
        Case(
            "a reception day",
            url("outreach:reception_session", lambda w: w.outreach["reception"].pk),
            PARTIES_ONLY,
            shows=(RECEPTION_SUMMARY,),
        )
    ],
    "outreach:issue_list": [Case("issues", url("outreach:issue_list"), SIGNED_IN)],
    "outreach:issue_create": [Case("record an issue", url("outreach:issue_create"), LEADERS_AND_OFFICE)],
    "outreach:issue_detail": [
        Case(
            "an issue",
            url("outreach:issue_detail", lambda w: w.outreach["issue"].pk),
            row(LOGIN, OK, MISSING, MISSING, OK, OK),
            shows=(ISSUE_TEXT,),
        )
    ],
    # 工作台账 (004 第六条2): a leader's own and the office's; another leader is told nothing, staff and members use
    # no ledger (403). The Excel export likewise (its notes are compressed in the workbook, so not searched for).
    "outreach:ledger_home": [
        Case(
            "my ledger (redirects to it)",
            url("outreach:ledger_home"),
            row(LOGIN, DENIED, DENIED, MOVED, MOVED, MOVED),
        )
    ],
    "outreach:ledger": [
        Case(
            "a leader's ledger",
            url("outreach:ledger", lambda w: w.college_people[0].pk),
            row(LOGIN, DENIED, DENIED, MISSING, OK, OK),
        )
    ],
    "outreach:ledger_export": [
        Case(
            "a leader's ledger in Excel",
            url("outreach:ledger_export", lambda w: w.college_people[0].pk),
            row(LOGIN, DENIED, DENIED, MISSING, OK, OK),
        )
    ],
    # 学年汇总 (004 第六条1): the office's.
    "outreach:assessment": [
        Case("the yearly summary across leaders", url("outreach:assessment"), OFFICE_ONLY)
    ],
    "outreach:contact_end": [
        Case(
            "end a 联系点 (GET)",
            url("outreach:contact_end", lambda w: w.outreach["contact"].pk),
            row(LOGIN, DENIED, DENIED, DENIED, DENIED, NOT_ALLOWED),
        )
    ],
    "disclosure:index": [Case("family index", url("disclosure:index"), SIGNED_IN)],
    "disclosure:item_list": [
        Case("disclosure items (what is disclosed to them)", url("disclosure:item_list"), SIGNED_IN)
    ],
    "disclosure:item_create": [Case("propose an item", url("disclosure:item_create"), OFFICE_ONLY)],
    "disclosure:register_export": [
        Case("the disclosure register in Excel", url("disclosure:register_export"), OFFICE_ONLY)
    ],
    "disclosure:item_detail": [
        Case(
            "an item for Party members",
            url("disclosure:item_detail", lambda w: w.disclosure["item"].pk),
            row(LOGIN, MISSING, OK, OK, OK, OK),
            shows=(DISCLOSURE_MEMBERS,),
        ),
        Case(
            "an item waiting for approval (the committee's)",
            url("disclosure:item_detail", lambda w: w.disclosure["pending"].pk),
            row(LOGIN, MISSING, MISSING, OK, MISSING, OK),
            shows=(DISCLOSURE_PENDING,),
        ),
    ],
    "disclosure:item_update": [
        Case(
            "edit a proposed item",
            url("disclosure:item_update", lambda w: w.disclosure["proposed"].pk),
            OFFICE_ONLY,
        )
    ],
    "disclosure:item_history": [
        Case(
            "an item's audit history (office and committee)",
            url("disclosure:item_history", lambda w: w.disclosure["item"].pk),
            row(LOGIN, MISSING, MISSING, OK, MISSING, OK),
        )
    ],
    "disclosure:attachment_download": [
        Case(
            "an item's attachment (its scope)",
            url("disclosure:attachment_download", lambda w: w.disclosure["attachment"].pk),
            row(MISSING, MISSING, OK, OK, OK, OK),
            shows=(DISCLOSURE_ATTACHMENT,),
        )
    ],
    "disclosure:public": [Case("the public disclosure page (社会)", url("disclosure:public"), EVERYONE)],
    # 三（一）3: opinions without logging in are taken on 社会 items collecting opinions only; any other item: 404.
    "disclosure:public_feedback": [
        Case(
            "leave a public opinion on an item for Party members",
            url("disclosure:public_feedback", lambda w: w.disclosure["item"].pk),
            NOBODY,
        )
    ],
    "disclosure:archive": [
        Case(
            "the disclosure archive (四（四）: what was disclosed to each)",
            url("disclosure:archive"),
            EVERYONE,
        )
    ],
    "disclosure:archive_export": [
        Case("the archive's register in Excel", url("disclosure:archive_export"), OFFICE_ONLY)
    ],
    "disclosure:public_feed": [Case("the public disclosure feed", url("disclosure:public_feed"), EVERYONE)],
    "supervision:index": [Case("family index", url("supervision:index"), SIGNED_IN)],
    # 督查督办: the office, leaders and units' people use it; a task is seen by its responsible leader (here the
    # involved 李书记), its units' people and the office; to anyone else it does not exist (404).
    "supervision:task_list": [Case("supervised tasks", url("supervision:task_list"), LEADERS_AND_OFFICE)],
    "supervision:task_create": [Case("register a task", url("supervision:task_create"), OFFICE_ONLY)],
    "supervision:task_detail": [
        Case("a task", url("supervision:task_detail", lambda w: w.supervision["task"].pk), SUPERVISION_TASK)
    ],
    "supervision:notice_print": [
        Case(
            "its printed notice",
            url("supervision:notice_print", lambda w: w.supervision["task"].pk),
            SUPERVISION_TASK,
        )
    ],
    "supervision:warning_print": [
        Case(
            "its red warning notice",
            lambda w: w.supervision["warning"].get_absolute_url(),
            SUPERVISION_TASK,
        )
    ],
    "supervision:notice_pdf": [
        Case(
            "its notice as PDF",
            url("supervision:notice_pdf", lambda w: w.supervision["task"].pk),
            SUPERVISION_TASK,
        )
    ],
    "supervision:warning_pdf": [
        Case(
            "its red warning notice as PDF",
            url(
                "supervision:warning_pdf",
                lambda w: w.supervision["task"].pk,
                lambda w: w.supervision["warning"].pk,
            ),
            SUPERVISION_TASK,
        )
    ],
    "supervision:task_history": [
        Case(
            "its audit history",
            url("supervision:task_history", lambda w: w.supervision["task"].pk),
            SUPERVISION_TASK,
        )
    ],
    "supervision:attachment_download": [
        Case(
            "a progress attachment",
            url("supervision:attachment_download", lambda w: w.supervision["attachment"].pk),
            PARTIES_ONLY,
            shows=(TASK_ATTACHMENT,),
        )
    ],
    "supervision:ledger_export": [
        Case("the ledger in Excel (their own tasks)", url("supervision:ledger_export"), LEADERS_AND_OFFICE)
    ],
    "supervision:ledger_import": [Case("import a ledger", url("supervision:ledger_import"), OFFICE_ONLY)],
    "supervision:statistics": [
        Case("statistics (第六条; a leader's own)", url("supervision:statistics"), LEADERS_AND_OFFICE)
    ],
    "supervision:round_list": [
        Case("periodic supervision rounds", url("supervision:round_list"), OFFICE_ONLY)
    ],
    "supervision:round_create": [Case("record a round", url("supervision:round_create"), OFFICE_ONLY)],
    "communication:talk_list": [Case("talks", url("communication:talk_list"), SIGNED_IN)],
    "communication:talk_create": [
        Case("record a talk", url("communication:talk_create"), LEADERS_AND_OFFICE)
    ],
    "communication:talk_detail": [
        Case(
            "the involved leader's talk",
            url("communication:talk_detail", lambda w: w.talk.pk),
            PARTIES_ONLY,
            shows=(TALK_NOTES,),
        ),
        Case(
            "another team's talk",
            url("communication:talk_detail", lambda w: w.other_talk.pk),
            OFFICE_ALONE_SEES_IT,
            shows=(OTHER_TALK_NOTES,),
        ),
    ],
    # Correcting a record (issue 8): whoever recorded it and the office; whoever sees it but did not record it gets
    # 403, whoever may not see it 404 (the talk and absence here were entered by neither leader).
    "communication:talk_update": [
        Case(
            "correct the involved leader's talk",
            url("communication:talk_update", lambda w: w.talk.pk),
            RECORDER_AND_OFFICE,
            shows=(TALK_NOTES,),
        ),
        Case(
            "correct another team's talk",
            url("communication:talk_update", lambda w: w.other_talk.pk),
            OFFICE_ALONE_SEES_IT,
        ),
    ],
    "communication:talk_delete": [
        Case(
            "delete the involved leader's talk",
            url("communication:talk_delete", lambda w: w.talk.pk),
            RECORDER_AND_OFFICE,
        ),
        Case(
            "delete another team's talk",
            url("communication:talk_delete", lambda w: w.other_talk.pk),
            OFFICE_ALONE_SEES_IT,
        ),
    ],
    "communication:meeting_list": [Case("meetings", url("communication:meeting_list"), SIGNED_IN)],
    "communication:meeting_create": [
        Case("record a meeting", url("communication:meeting_create"), OFFICE_ONLY)
    ],
    "communication:meeting_detail": [
        Case(
            "the college's confidential meeting",
            url("communication:meeting_detail", lambda w: w.meeting.pk),
            PARTIES_ONLY,
            shows=(MINUTES,),
        ),
        # 吴副校长 sat on the university's team that day: the meeting's facts, not its minutes (001 三（八）).
        Case(
            "the university's confidential meeting",
            url("communication:meeting_detail", lambda w: w.other_meeting.pk),
            row(LOGIN, MISSING, MISSING, OK, MISSING, OK),
        ),
    ],
    # Meetings are recorded, corrected and deleted by the office (000 五（二）).
    "communication:meeting_update": [
        Case(
            "correct the college's meeting",
            url("communication:meeting_update", lambda w: w.meeting.pk),
            RECORDER_AND_OFFICE,
            shows=(MINUTES,),
        ),
        Case(
            "correct the university's meeting",
            url("communication:meeting_update", lambda w: w.other_meeting.pk),
            row(LOGIN, MISSING, MISSING, DENIED, MISSING, OK),
        ),
    ],
    "communication:meeting_delete": [
        Case(
            "delete the college's meeting",
            url("communication:meeting_delete", lambda w: w.meeting.pk),
            RECORDER_AND_OFFICE,
        ),
        Case(
            "delete the university's meeting",
            url("communication:meeting_delete", lambda w: w.other_meeting.pk),
            row(LOGIN, MISSING, MISSING, DENIED, MISSING, OK),
        ),
    ],
    "communication:sibitan_matrix": [
        Case(
            "the college's democratic life meeting",
            url("communication:sibitan_matrix", lambda w: w.life_meeting.pk),
            PARTIES_ONLY,
        ),
    ],
    "communication:attachment_download": [
        Case(
            "the college meeting's attachment",
            url("communication:attachment_download", lambda w: w.attachment.pk),
            PARTIES_ONLY,
            shows=(ATTACHMENT,),
        ),
        Case(
            "the university meeting's attachment",
            url("communication:attachment_download", lambda w: w.other_attachment.pk),
            OFFICE_ALONE_SEES_IT,
            shows=(OTHER_ATTACHMENT,),
        ),
    ],
    # Issue 8: everyone signed in has an agenda list — the office all items, anyone else the items they proposed or
    # were asked about (000 四（一）、001 三（三）: those concerned see why an item is held back); none: an empty list
    # that says why.
    "communication:agenda_item_list": [
        Case("agenda items", url("communication:agenda_item_list"), SIGNED_IN)
    ],
    "communication:agenda_item_create": [
        Case("table an agenda item", url("communication:agenda_item_create"), OFFICE_ONLY)
    ],
    # Issue 8: the item's proposer and those asked for an opinion (李书记 here) see it; everyone else still 403.
    "communication:agenda_item_detail": [
        Case(
            "the college's agenda item",
            url("communication:agenda_item_detail", lambda w: w.item.pk),
            row(LOGIN, DENIED, DENIED, DENIED, OK, OK),
        )
    ],
    "communication:opinion_awaiting": [
        Case("opinions awaited", url("communication:opinion_awaiting"), SIGNED_IN)
    ],
    "communication:opinion_respond": [
        Case(
            "the involved leader's opinion",
            url("communication:opinion_respond", lambda w: w.opinion.pk),
            PARTIES_ONLY,
        )
    ],
    "communication:absence_list": [Case("absences", url("communication:absence_list"), SIGNED_IN)],
    "communication:absence_create": [
        Case("report an absence", url("communication:absence_create"), LEADERS_AND_OFFICE)
    ],
    "communication:absence_detail": [
        Case(
            "the involved leader's absence",
            url("communication:absence_detail", lambda w: w.absence.pk),
            PARTIES_ONLY,
        ),
        Case(
            "another team's absence",
            url("communication:absence_detail", lambda w: w.other_absence.pk),
            OFFICE_ALONE_SEES_IT,
        ),
    ],
    "communication:absence_update": [
        Case(
            "correct the involved leader's absence",
            url("communication:absence_update", lambda w: w.absence.pk),
            RECORDER_AND_OFFICE,
        ),
        Case(
            "correct another team's absence",
            url("communication:absence_update", lambda w: w.other_absence.pk),
            OFFICE_ALONE_SEES_IT,
        ),
    ],
    "communication:absence_delete": [
        Case(
            "delete the involved leader's absence",
            url("communication:absence_delete", lambda w: w.absence.pk),
            RECORDER_AND_OFFICE,
        ),
        Case(
            "delete another team's absence",
            url("communication:absence_delete", lambda w: w.other_absence.pk),
            OFFICE_ALONE_SEES_IT,
        ),
    ],
    # The admin site's own pages (its models' pages: ADMIN_KINDS).
    "admin:index": [Case("admin index", url("admin:index"), ADMIN)],
    "admin:login": [Case("admin login", url("admin:login"), row(OK, *NOT_THE_OFFICE_DENIED, MOVED))],
    # Logging out is a POST; a GET from outside the admin is sent to its index first.
    "admin:logout": [
        Case("admin logout (GET)", url("admin:logout"), row(MOVED, *NOT_THE_OFFICE_DENIED, NOT_ALLOWED))
    ],
    "admin:password_change": [Case("admin password change", url("admin:password_change"), ADMIN)],
    "admin:password_change_done": [Case("admin password changed", url("admin:password_change_done"), ADMIN)],
    "admin:autocomplete": [
        Case(
            "autocomplete",
            lambda w: (
                f"{reverse('admin:autocomplete')}?"
                + urlencode({"app_label": "governance", "model_name": "organization", "field_name": "parent"})
            ),
            ADMIN,
        )
    ],
    "admin:jsi18n": [Case("admin translations", url("admin:jsi18n"), ADMIN)],
    "admin:view_on_site": [
        Case(
            "view the talk on the site",
            lambda w: reverse(
                "admin:view_on_site", args=[ContentType.objects.get_for_model(w.talk).pk, w.talk.pk]
            ),
            row(ADMIN_LOGIN, *NOT_THE_OFFICE_DENIED, MOVED),
        )
    ],
    "admin:app_list": [
        Case(f"app {label}", lambda w, label=label: reverse("admin:app_list", args=[label]), ADMIN)
        for label in ("governance", "communication", "auth", "django_celery_beat")
    ]
    # Only NOT_FOR_THE_OFFICE's admins: the office has no module there.
    + [
        Case(
            "app axes",
            lambda w: reverse("admin:app_list", args=["axes"]),
            row(ADMIN_LOGIN, *NOT_THE_OFFICE_DENIED, MISSING),
        )
    ],
    "admin/(?P<url>.*)$": [
        Case(
            "a page the admin does not have",
            lambda w: "/admin/no-such-page/",
            row(ADMIN_LOGIN, *NOT_THE_OFFICE_DENIED, MISSING),
        )
    ],
}

# Every page of a model registered in the admin, by kind: office only; anonymous visitors to the admin's login page.
ADMIN_KINDS: dict[str, tuple[Callable[[Any, Any], str], dict[str, str]]] = {
    "changelist": (lambda m, o: reverse(_admin_name(m, "changelist")), ADMIN),
    "add": (lambda m, o: reverse(_admin_name(m, "add")), ADMIN),
    "change": (lambda m, o: reverse(_admin_name(m, "change"), args=[o.pk]), ADMIN),
    "delete": (lambda m, o: reverse(_admin_name(m, "delete"), args=[o.pk]), ADMIN),
    "history": (lambda m, o: reverse(_admin_name(m, "history"), args=[o.pk]), ADMIN),
    "simple_history": (
        lambda m, o: reverse(
            _admin_name(m, "simple_history"), args=[o.pk, o.history.order_by("pk").first().pk]
        ),
        ADMIN,
    ),
    "password_change": (lambda m, o: reverse(_admin_name(m, "password_change"), args=[o.pk]), ADMIN),
    # <object_id>/ without "change/": the admin redirects to the change page (an old address form).
    "redirect": (
        lambda m, o: f"{reverse(_admin_name(m, 'changelist'))}{o.pk}/",
        row(ADMIN_LOGIN, *NOT_THE_OFFICE_DENIED, MOVED),
    ),
}
NOT_EVEN_THE_OFFICE = row(ADMIN_LOGIN, *NOT_THE_OFFICE_DENIED, DENIED)
# Admins the office does not use: Django's groups (the four roles; the office gives a user a role on the user's
# page) and django-axes' login records (a lockout ends by itself after AXES_COOLOFF_HOURS). Their own admins ask
# for model permissions the office group is not given, so they stay closed (403) and out of the admin's index.
NOT_FOR_THE_OFFICE = {"auth.Group", "axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"}
# Where else the office's outcome differs from ADMIN_KINDS, and why.
ADMIN_EXCEPTIONS: dict[tuple[str, str], dict[str, str]] = {
    # Written by the reminder job and by each person's calendar page, never added by hand.
    ("governance.ReminderDigest", "add"): NOT_EVEN_THE_OFFICE,
    ("governance.CalendarFeedToken", "add"): NOT_EVEN_THE_OFFICE,
    # A supervised task is registered on the site (its number, 第四条（一）) and never deleted (gap-free numbers).
    ("supervision.SupervisedTask", "add"): NOT_EVEN_THE_OFFICE,
    ("supervision.SupervisedTask", "delete"): NOT_EVEN_THE_OFFICE,
    # A disclosure item and an opinion are written on the site only (the workflow of 三（一）, the sanitizing of the
    # content) and kept for the archive (四（四）); the admin shows them read-only.
    ("disclosure.DisclosureItem", "add"): NOT_EVEN_THE_OFFICE,
    ("disclosure.DisclosureItem", "delete"): NOT_EVEN_THE_OFFICE,
    ("disclosure.Feedback", "add"): NOT_EVEN_THE_OFFICE,
    ("disclosure.Feedback", "delete"): NOT_EVEN_THE_OFFICE,
}


def _admin_name(model, kind: str) -> str:
    return f"admin:{model._meta.app_label}_{model._meta.model_name}_{kind}"


# --- Enumerating the resolver ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str  # the URL name with its namespaces, or the route when it has no name
    route: str
    callback: Any


def url_patterns() -> Iterator[Pattern]:
    def walk(patterns, prefix: str, namespaces: tuple[str, ...]) -> Iterator[Pattern]:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespaces + ((p.namespace,) if p.namespace else ())
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                yield Pattern(":".join((*namespaces, p.name)) if p.name else route, route, p.callback)

    yield from walk(get_resolver().url_patterns, "", ())


def admin_model_pattern_kinds() -> dict[str, tuple[Any, str]]:
    """Each pattern key of a registered model's admin pages → (model, kind)."""
    kinds = {}
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin/{model._meta.app_label}/{model._meta.model_name}/"
        for p in model_admin.urls:
            route = prefix + str(p.pattern)
            if p.name:
                kind = p.name.removeprefix(f"{model._meta.app_label}_{model._meta.model_name}_")
                if p.name == "auth_user_password_change":
                    kind = "password_change"
                kinds[f"admin:{p.name}"] = (model, kind)
            elif str(p.pattern) == "<path:object_id>/":
                kinds[route] = (model, "redirect")
            else:
                kinds[route] = (model, f"unnamed {p.pattern}")
    return kinds


def all_cases(world: World) -> Iterator[tuple[str, Case]]:
    for key, cases in TABLE.items():
        for case in cases:
            yield key, case
    for key, (model, kind) in admin_model_pattern_kinds().items():
        build, expect = ADMIN_KINDS[kind]
        if model._meta.label in NOT_FOR_THE_OFFICE and kind != "redirect":
            expect = NOT_EVEN_THE_OFFICE
        expect = ADMIN_EXCEPTIONS.get((model._meta.label, kind), expect)
        obj = world.admin_objects[model]
        yield key, Case(f"{model._meta.label} {kind}", lambda w, b=build, m=model, o=obj: b(m, o), expect)


def outcome(response) -> str:
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith(reverse("login") + "?next="):
            return LOGIN
        if location.startswith(reverse("admin:login") + "?next="):
            return ADMIN_LOGIN
        return MOVED
    return str(response.status_code)


def content(response) -> str:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return data.decode("utf-8", errors="replace")


# --- The tests ---------------------------------------------------------------------------------------------------


def test_every_url_pattern_is_in_the_table():
    """A new page (a new family's, say) fails here until the table says who may open it."""
    admin_kinds = admin_model_pattern_kinds()
    uncovered = [
        p.route
        for p in url_patterns()
        if p.key not in TABLE and not (p.key in admin_kinds and admin_kinds[p.key][1] in ADMIN_KINDS)
    ]
    assert uncovered == []
    stale = set(TABLE) - {p.key for p in url_patterns()}
    assert stale == set()  # a page removed: its rows go too


@pytest.fixture
def world(university, college, settings, tmp_path) -> World:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return build_world(university, college)


def test_every_admin_model_has_an_object_to_open(world):
    assert [m._meta.label for m, obj in world.admin_objects.items() if obj is None] == []


@pytest.mark.parametrize("role", ROLES)
def test_each_url_answers_each_role_as_the_table_says_and_shows_secrets_only_to_those_allowed(world, role):
    client = Client(raise_request_exception=False)
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    differences, leaks, missing, seen = [], [], [], 0
    for key, case in all_cases(world):
        address = case.url(world)
        if key in ("logout", "admin:logout") and user is not None:
            # A logout that worked would end this role's session: a client of its own.
            one_off = Client(raise_request_exception=False)
            one_off.force_login(user)
            response = one_off.get(address)
        else:
            response = client.get(address)
        seen += 1
        got = outcome(response)
        if got != case.expect[role]:
            differences.append(f"{address} ({case.what}): expected {case.expect[role]}, got {got}")
        text = content(response)
        leaks.extend(
            f"{address} ({case.what}) shows {secret}"
            for secret, readers in world.secrets.items()
            if role not in readers and secret in text
        )
        if got == OK:
            missing.extend(f"{address} ({case.what}) lacks {s}" for s in case.shows if s not in text)
    problems = [*differences, *leaks, *missing]
    assert problems == [], "\n".join(problems)
    assert seen > 200  # every page of the site and of the admin, not a few
