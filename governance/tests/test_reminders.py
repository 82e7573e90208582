"""Reminder digests: one Chinese email per person with what is due soon and overdue, citing the clause, linking to
the page that resolves it — and each item sent once, whatever reruns, retries, crashes or concurrent workers do.

Email goes through Django's SMTP backend to a real aiosmtpd server (smtp_sink). The Celery task queued after
commit is captured and run the way a worker would (`.apply()`); the real worker runs in tests/services/.

The college in these tests, as of Friday 2027-01-08 (first semester ends Sunday 2027-01-17):
- 张书记 (secretary) and 李院长 (dean) owe a weekly talk (001 三（一）) and a semester formal talk (000 四（五）),
  none held; the secretary also answers for the team's fortnightly 碰头会 (000 四（四）, on the cycle's Friday).
- 王副院长 attended a class this semester (听课, 004 第五条4): met. 赵副院长 has not, and has no email address.
"""

from __future__ import annotations

import datetime as dt
import socket
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_celery_beat.models import PeriodicTask

from governance import roles
from governance.engine import evidence as evidence_registry
from governance.engine.evidence import EvidenceRecord
from governance.models import (
    ObligationRule,
    Organization,
    Person,
    PositionKind,
    ReminderDigest,
    ReminderKind,
    ReminderSent,
)
from governance.services import reminders as reminders_service
from governance.services.reminders import (
    reminder_digest_send,
    reminders_collect,
    reminders_plan,
)
from governance.tasks import send_digest, send_reminders
from governance.tests.factories import (
    ClauseFactory,
    LeadershipTeamFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    RegulationFactory,
    SemesterFactory,
    UniversityFactory,
    UserFactory,
)

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
FRIDAY = dt.date(2027, 1, 8)
MONDAY = dt.date(2027, 1, 11)
SITE = "https://portal.example.edu.cn"
SOURCE = "test.records"

REG_000 = "关于建立学院党政领导经常性沟通机制的暂行办法"
REG_001 = "广西师范大学校领导班子成员沟通交流制度"


def at(day: dt.date, hour: int = 8) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=SHANGHAI)


# --- an evidence source of our own, until the family apps register theirs ----------------------------------------


@dataclass
class FakeSource:
    """Records kept in memory (no queries); record_url like a family app's "record it" page."""

    code: str = SOURCE
    label: str = "测试记录"
    office_records: bool = False
    records: list[EvidenceRecord] = field(default_factory=list)

    def gather(self, *, start, end, people=None, organizations=None):
        return [r for r in self.records if start <= r.date <= end]

    def record_url(
        self, *, rule_code, subject_person_id, counterpart_person_id, period_start=None, period_end=None
    ):
        url = f"/records/new/?rule={rule_code}&subject={subject_person_id}"
        return url + (f"&counterpart={counterpart_person_id}" if counterpart_person_id else "")


@pytest.fixture
def source(monkeypatch) -> FakeSource:
    fake = FakeSource()
    monkeypatch.setitem(evidence_registry._SOURCES, SOURCE, fake)
    return fake


@pytest.fixture
def site_url(settings) -> str:
    settings.SITE_URL = SITE
    return SITE


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """What was queued for the worker: `send_digest.delay(id)` calls, recorded instead of sent to a broker."""
    ids: list[int] = []
    monkeypatch.setattr(send_digest, "delay", ids.append)
    return ids


def run_worker(ids: list[int]) -> None:
    """Run each queued send the way a worker would, then forget it."""
    while ids:
        result = send_digest.apply(args=(ids.pop(0),))
        assert result.successful(), result.traceback


# --- the college ---------------------------------------------------------------------------------------------------


def make_rules(university: Organization) -> dict[str, ObligationRule]:
    """The rules, adopted by the university for its colleges' teams too (001 第四条: 各二级单位参照执行)."""
    reg_000 = RegulationFactory(code="000", title=REG_000)
    reg_001 = RegulationFactory(code="001", title=REG_001)
    reg_004 = RegulationFactory(code="004", title="关于校领导联系基层的规定")
    common = dict(organization=university, include_sub_units=True, evidence_source=SOURCE)
    rules = {
        # 000 四（四）: coordination meeting every two weeks, usually Friday; the secretary answers for it.
        "meeting": ObligationRule(
            code="000-coordination-meeting",
            title="领导班子工作碰头会",
            clause=ClauseFactory(regulation=reg_000, number="四（四）"),
            subject="team",
            subject_positions=[PositionKind.SECRETARY],
            evidence_params={"kind": "meeting"},
            period="biweek",
            weekday=4,
            remind_days_before=3,
            order=1,
            **common,
        ),
        # 001 三（一）: the secretary and the president communicate at least once a week.
        "weekly": ObligationRule(
            code="001-weekly-communication",
            title="书记与校长（院长）每周沟通",
            clause=ClauseFactory(regulation=reg_001, number="三（一）"),
            subject="position",
            subject_positions=[PositionKind.SECRETARY],
            counterpart="position",
            counterpart_positions=[PositionKind.PRESIDENT],
            evidence_params={"kind": "talk"},
            period="week",
            remind_days_before=3,
            order=2,
            **common,
        ),
        # 000 四（五）: the secretary and the dean hold a formal talk every semester.
        "formal": ObligationRule(
            code="000-secretary-dean-formal-talk",
            title="党委书记与院长正式谈心",
            clause=ClauseFactory(regulation=reg_000, number="四（五）"),
            subject="position",
            subject_positions=[PositionKind.SECRETARY],
            counterpart="position",
            counterpart_positions=[PositionKind.PRESIDENT],
            evidence_params={"kind": "talk", "formal": True},
            period="semester",
            remind_days_before=14,
            order=3,
            **common,
        ),
        # 004 第五条4: each leader observes classes (here: vice deans, once a semester).
        "class": ObligationRule(
            code="004-class-observation",
            title="深入课堂听课",
            clause=ClauseFactory(regulation=reg_004, number="第五条4"),
            subject="position",
            subject_positions=[PositionKind.VICE_PRESIDENT],
            evidence_params={"kind": "class"},
            period="semester",
            remind_days_before=14,
            order=4,
            **common,
        ),
    }
    for rule in rules.values():
        rule.full_clean()
        rule.save()
    return rules


@dataclass
class College:
    organization: Organization
    secretary: Person
    dean: Person
    vice: Person  # has attended a class: everything met
    vice_no_email: Person


def make_college(code: str, name: str, *, source: FakeSource, prefix: str = "") -> College:
    org = OrganizationFactory(code=code, name=name)
    team = LeadershipTeamFactory(organization=org, name=f"{name}领导班子")

    def member(person_name: str, kind: str, **kw) -> Person:
        # LeaderUserFactory's class-level `groups` shadows its hook (see test_tasks): pass the groups here.
        kw.setdefault("user", UserFactory(groups=[roles.LEADERS, roles.PARTY_MEMBERS]))
        person = PersonFactory(name=prefix + person_name, organization=org, **kw)
        PositionFactory(person=person, team=team, kind=kind, start=dt.date(2024, 1, 1))
        return person

    college = College(
        organization=org,
        secretary=member("张书记", PositionKind.SECRETARY),
        dean=member("李院长", PositionKind.PRESIDENT),
        vice=member("王副院长", PositionKind.VICE_PRESIDENT),
        vice_no_email=member("赵副院长", PositionKind.VICE_PRESIDENT, user=None, email=""),
    )
    source.records.append(
        EvidenceRecord(
            key=f"class:{college.vice.pk}",
            source=SOURCE,
            date=dt.date(2026, 11, 10),
            title="听课",
            people=frozenset({college.vice.pk}),
            attrs={"kind": "class"},
        )
    )
    return college


@pytest.fixture
def university(db) -> Organization:
    SemesterFactory()  # 2026—2027学年第一学期: 2026-08-31 to 2027-01-17
    return UniversityFactory()


@pytest.fixture
def rules(university) -> dict[str, ObligationRule]:
    return make_rules(university)


@pytest.fixture
def college(university, rules, source) -> College:
    return make_college("wenxue", "文学院", source=source)


def body_of(sink, email: str) -> str:
    (message,) = [m["message"] for m in sink.messages if m["to"] == [email]]
    return message.get_body(preferencelist=("plain",)).get_content()


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


def html_of(sink, email: str) -> str:
    (message,) = [m["message"] for m in sink.messages if m["to"] == [email]]
    return message.get_body(preferencelist=("html",)).get_content()


def subject_of(sink, email: str) -> str:
    (message,) = [m["message"] for m in sink.messages if m["to"] == [email]]
    # A long encoded subject is folded onto the header's next line; unfolding leaves a leading space.
    return str(message["subject"]).strip()


def collect_and_send(day: dt.date, queued: list[int], capture) -> list[int]:
    with time_machine.travel(at(day), tick=False):
        with capture(execute=True):
            created = reminders_collect(today=day)
        run_worker(queued)
    return created


# --- what a leader receives ----------------------------------------------------------------------------------------


def test_it_sends_one_chinese_digest_per_person_with_their_due_soon_and_overdue_work(
    college, smtp_sink, site_url, queued, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(FRIDAY), tick=False):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            created = reminders_collect(today=FRIDAY)
            assert queued == []  # nothing is queued before the digests are committed
        assert len(callbacks) == 2
        assert sorted(queued) == sorted(created)
        run_worker(queued)

    secretary, dean = college.secretary, college.dean
    assert sorted(m["to"][0] for m in smtp_sink.messages) == sorted([secretary.email, dean.email])
    assert subject_of(smtp_sink, dean.email) == "[党委办公室] 您有 2 项即将到期、1 项已逾期的工作"
    assert subject_of(smtp_sink, secretary.email) == "[党委办公室] 您有 3 项即将到期、2 项已逾期的工作"

    body = body_of(smtp_sink, dean.email)
    assert body.startswith("李院长同志：")
    overdue, due_soon = body.split("【已逾期】")[1].split("【即将到期】")
    # WHAT (with whom, which team), BY WHEN, WHY, progress, and where to record it — for the dean, the other
    # person of the pair is the secretary.
    assert "书记与校长（院长）每周沟通（与 张书记）（文学院领导班子）" in overdue
    assert "截止：2027年1月3日（周日），已逾期 5 天" in overdue
    assert f"依据《{REG_001}》三（一）" in overdue
    assert "进度：已完成 0/1 次" in overdue
    assert (
        f"办理：{SITE}/records/new/?rule=001-weekly-communication&subject={dean.pk}&counterpart={secretary.pk}"
        in overdue
    )
    assert "截止：2027年1月10日（周日），还剩 2 天" in due_soon
    assert "党委书记与院长正式谈心（与 张书记）" in due_soon
    assert "截止：2027年1月17日（周日），还剩 9 天" in due_soon
    assert f"依据《{REG_000}》四（五）" in due_soon
    assert f"查看我的全部工作：{SITE}/" in body
    assert "碰头会" not in body  # the team's meeting is the secretary's to answer for

    body = body_of(smtp_sink, secretary.email)
    assert body.startswith("张书记同志：")
    assert "领导班子工作碰头会（文学院领导班子）" in body
    assert "截止：2026年12月25日（周五），已逾期 14 天" in body
    assert "截止：2027年1月8日（周五），今天到期" in body
    assert f"依据《{REG_000}》四（四）" in body
    assert f"办理：{SITE}/records/new/?rule=000-coordination-meeting&subject={secretary.pk}" in lines(body)
    assert f"&subject={secretary.pk}&counterpart={dean.pk}" in body

    html = html_of(smtp_sink, dean.email)
    assert "已逾期" in html
    assert "文学院领导班子 · 2026年第53周（12月28日—1月3日）" in html  # the period, with its dates
    assert "即将到期" in html
    assert f"依据《{REG_000}》四（五）" in html
    assert (
        f'href="{SITE}/records/new/?rule=000-secretary-dean-formal-talk&amp;subject={dean.pk}'
        f'&amp;counterpart={secretary.pk}"' in html
    )
    assert f'href="{SITE}/"' in html

    assert ReminderDigest.objects.filter(sent_at__isnull=False).count() == 2
    assert ReminderSent.objects.filter(person=dean).count() == 3
    assert set(ReminderSent.objects.filter(person=dean).values_list("counterpart", flat=True)) == {
        secretary.pk
    }


def test_what_the_office_records_is_not_sent_as_the_readers_to_do_but_says_who_records_it(
    college, source, smtp_sink, site_url, queued, django_capture_on_commit_callbacks
):
    """A meeting is recorded by the office (000 五（二）): its reminder names who records it and links to the
    reader's dashboard to look, instead of a "去办理" that leads nowhere to record it."""
    source.office_records = True
    source.label = "会议"
    with time_machine.travel(at(FRIDAY), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            reminders_collect(today=FRIDAY)
        run_worker(queued)

    body = body_of(smtp_sink, college.secretary.email)
    assert "领导班子工作碰头会（文学院领导班子）" in body
    assert f"会议由党委办公室登记，查看：{SITE}/" in lines(body)
    assert "办理：" not in body
    html = html_of(smtp_sink, college.secretary.email)
    assert "会议由党委办公室登记 · 查看" in html
    assert "去办理" not in html


def test_a_person_whose_work_is_all_done_gets_nothing(
    college, smtp_sink, queued, django_capture_on_commit_callbacks
):
    collect_and_send(FRIDAY, queued, django_capture_on_commit_callbacks)

    assert college.vice.email not in [m["to"][0] for m in smtp_sink.messages]
    assert not ReminderDigest.objects.filter(person=college.vice).exists()
    assert not ReminderSent.objects.filter(person=college.vice).exists()


def test_a_second_run_the_same_day_sends_nothing(
    college, smtp_sink, queued, django_capture_on_commit_callbacks
):
    collect_and_send(FRIDAY, queued, django_capture_on_commit_callbacks)
    assert len(smtp_sink.messages) == 2

    again = collect_and_send(FRIDAY, queued, django_capture_on_commit_callbacks)

    assert again == []
    assert len(smtp_sink.messages) == 2
    assert ReminderDigest.objects.count() == 2


def test_the_next_day_a_due_soon_item_that_became_overdue_is_sent_but_nothing_is_repeated(
    college, smtp_sink, queued, django_capture_on_commit_callbacks
):
    collect_and_send(FRIDAY, queued, django_capture_on_commit_callbacks)
    smtp_sink.messages.clear()

    collect_and_send(MONDAY, queued, django_capture_on_commit_callbacks)

    dean = college.dean
    assert subject_of(smtp_sink, dean.email) == "[党委办公室] 您有 1 项已逾期的工作"
    body = body_of(smtp_sink, dean.email)
    # The week of 4–10 January was due soon on Friday; on Monday it is overdue: a new reminder.
    assert "书记与校长（院长）每周沟通（与 张书记）" in body
    assert "截止：2027年1月10日（周日），已逾期 1 天" in body
    # Friday's reminders are not repeated.
    assert "【即将到期】" not in body
    assert "正式谈心" not in body
    assert "2027年1月3日" not in body

    assert subject_of(smtp_sink, college.secretary.email) == "[党委办公室] 您有 2 项已逾期的工作"
    body = body_of(smtp_sink, college.secretary.email)
    assert "截止：2027年1月8日（周五），已逾期 3 天" in body  # the 碰头会 cycle that ended on Sunday
    assert "2026年12月25日" not in body
    assert ReminderSent.objects.filter(person=dean, kind=ReminderKind.OVERDUE).count() == 2


def test_the_dry_run_prints_each_persons_reminders_and_writes_and_sends_nothing(college, smtp_sink, capsys):
    with time_machine.travel(at(FRIDAY), tick=False):
        call_command("send_reminders", "--dry-run", "--on", "2027-01-08")

    out = capsys.readouterr().out
    assert "2027年1月8日（周五） 提醒预览（试运行：不写入、不发送）" in out
    assert f"李院长 <{college.dean.email}>：[党委办公室] 您有 2 项即将到期、1 项已逾期的工作" in out
    assert (
        "【已逾期】书记与校长（院长）每周沟通（与 张书记） · 文学院领导班子 · 截止 2027年1月3日（周日），已逾期 5 天"
        in out
    )
    assert f"依据《{REG_000}》四（五）" in out
    assert "没有电子邮箱、未能提醒 1 人：赵副院长（1 项）" in out
    assert "合计：2 人将收到邮件，共 8 项；1 人没有电子邮箱。" in out
    assert "王副院长" not in out
    assert smtp_sink.messages == []
    assert not ReminderDigest.objects.exists()
    assert not ReminderSent.objects.exists()


def test_people_without_an_email_are_skipped_and_reported(
    college, smtp_sink, queued, django_capture_on_commit_callbacks
):
    plan = reminders_plan(today=FRIDAY)
    assert [p.person.name for p in plan.without_email] == ["赵副院长"]
    assert [i.title for i in plan.without_email[0].items] == ["深入课堂听课"]

    with time_machine.travel(at(FRIDAY), tick=False):
        call_command("send_reminders", "--on", "2027-01-08")

    assert len(smtp_sink.messages) == 2
    assert not ReminderSent.objects.filter(person=college.vice_no_email).exists()
    # Once the office enters an address, the item is still owed and is sent.
    Person.objects.filter(pk=college.vice_no_email.pk).update(email="zhao@example.edu.cn")
    with time_machine.travel(at(FRIDAY, 9), tick=False):
        call_command("send_reminders", "--on", "2027-01-08")
    assert subject_of(smtp_sink, "zhao@example.edu.cn") == "[党委办公室] 您有 1 项即将到期的工作"


def test_the_command_reports_who_has_no_email(college, smtp_sink, capsys):
    with time_machine.travel(at(FRIDAY), tick=False):
        call_command("send_reminders", "--on", "2027-01-08")

    out = capsys.readouterr().out
    assert "2027年1月8日（周五）：生成提醒邮件 2 封，发送成功 2 封" in out
    assert "没有电子邮箱、未能提醒 1 人：赵副院长（1 项）" in out


def test_the_command_sends_in_process_without_a_broker(college, smtp_sink, queued):
    with time_machine.travel(at(FRIDAY), tick=False):
        call_command("send_reminders", "--on", "2027-01-08")
        call_command("send_reminders", "--on", "2027-01-08")

    assert queued == []
    assert len(smtp_sink.messages) == 2
    assert ReminderDigest.objects.filter(sent_at__isnull=True).count() == 0


def test_the_command_with_no_sync_queues_the_sends_for_the_worker(
    college, smtp_sink, queued, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(FRIDAY), tick=False), django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--on", "2027-01-08", "--no-sync")

    assert len(queued) == 2
    assert smtp_sink.messages == []
    run_worker(queued)
    assert len(smtp_sink.messages) == 2


# --- never twice, never lost -------------------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_smtp_failure_leaves_the_digest_unsent_and_a_later_run_sends_it_exactly_once(
    college, smtp_sink, settings, queued, django_capture_on_commit_callbacks
):
    settings.EMAIL_PORT = _closed_port()
    with time_machine.travel(at(FRIDAY), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            created = reminders_collect(today=FRIDAY)
        for digest_id in created:
            with pytest.raises(ConnectionRefusedError):
                reminder_digest_send(digest_id)

    digest = ReminderDigest.objects.get(person=college.dean)
    assert digest.sent_at is None
    assert digest.claimed_until is None  # released for the retry
    assert digest.attempts == 1
    assert "ConnectionRefusedError" in digest.last_error
    assert smtp_sink.messages == []

    # The server is back; the next day's beat run finds nothing new but sends what was left unsent.
    settings.EMAIL_PORT = smtp_sink.port
    queued.clear()
    with time_machine.travel(at(FRIDAY + dt.timedelta(days=1)), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            result = send_reminders.apply()
        assert result.successful(), result.traceback
        assert sorted(result.get()["requeued"]) == sorted(created)
        run_worker(queued)
        with django_capture_on_commit_callbacks(execute=True):
            assert send_reminders.apply().get()["requeued"] == []

    assert len(smtp_sink.messages) == 2
    digest.refresh_from_db()
    assert digest.sent_at is not None
    assert digest.attempts == 2
    assert digest.last_error == ""
    assert subject_of(smtp_sink, college.dean.email) == "[党委办公室] 您有 2 项即将到期、1 项已逾期的工作"


def test_a_digest_lost_by_a_killed_worker_is_sent_by_the_next_sweep_once_its_claim_expires(
    college, smtp_sink, queued, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(FRIDAY), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            reminders_collect(today=FRIDAY)
        queued.clear()  # the worker died holding the messages
        # …after claiming one digest, before sending it.
        digest = ReminderDigest.objects.get(person=college.dean)
        ReminderDigest.objects.filter(pk=digest.pk).update(
            claimed_until=at(FRIDAY) + reminders_service.CLAIM_FOR, attempts=1
        )

    with time_machine.travel(at(FRIDAY, 9), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            send_reminders.apply()
        run_worker(queued)

    assert sorted(m["to"][0] for m in smtp_sink.messages) == sorted(
        [college.secretary.email, college.dean.email]
    )


def test_two_workers_sending_the_same_digest_send_it_once(
    college, smtp_sink, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reminders_collect(today=FRIDAY)
    digest = ReminderDigest.objects.get(person=college.dean)

    assert send_digest.apply(args=(digest.pk,)).get() is True
    assert send_digest.apply(args=(digest.pk,)).get() is False
    assert [m["to"] for m in smtp_sink.messages] == [[college.dean.email]]


def test_a_worker_that_starts_while_another_is_sending_leaves_the_digest_alone(
    college, smtp_sink, monkeypatch, django_capture_on_commit_callbacks, queued
):
    with django_capture_on_commit_callbacks(execute=True):
        reminders_collect(today=FRIDAY)
    digest = ReminderDigest.objects.get(person=college.dean)
    deliver = reminders_service._deliver
    second_worker: list[bool] = []

    def deliver_while_another_worker_runs(d):
        second_worker.append(reminder_digest_send(d.pk))  # mid-send, the same digest comes up elsewhere
        deliver(d)

    monkeypatch.setattr(reminders_service, "_deliver", deliver_while_another_worker_runs)

    assert reminder_digest_send(digest.pk) is True
    assert second_worker == [False]
    assert len(smtp_sink.messages) == 1


def test_an_item_another_run_claimed_first_is_left_out_and_never_sent_twice(
    college, smtp_sink, queued, django_capture_on_commit_callbacks
):
    # Two runs read the same plan; the other one commits its claim on the dean's weekly talk first.
    plan = reminders_plan(today=FRIDAY)
    dean_entry = next(p for p in plan.recipients if p.person == college.dean)
    weekly = next(i for i in dean_entry.overdue if i.rule_code == "001-weekly-communication")
    other_run = ReminderDigest.objects.create(
        person=college.dean, to_email="x@example.edu.cn", subject="x", body_text="x"
    )
    ReminderSent.objects.create(
        person=college.dean,
        rule_id=weekly.rule_id,
        team_id=weekly.team_id,
        period_start=weekly.period_start,
        counterpart_id=weekly.counterpart_id,
        kind=weekly.kind,
        digest=other_run,
    )

    with django_capture_on_commit_callbacks(execute=True):
        reminders_collect(today=FRIDAY, plan=plan)
    run_worker([d for d in queued if d != other_run.pk])

    assert subject_of(smtp_sink, college.dean.email) == "[党委办公室] 您有 2 项即将到期的工作"
    assert "【已逾期】" not in body_of(smtp_sink, college.dean.email)
    assert ReminderSent.objects.filter(person=college.dean).count() == 3


def test_when_another_run_claimed_everything_no_digest_is_left_behind(
    college, queued, django_capture_on_commit_callbacks
):
    plan = reminders_plan(today=FRIDAY)
    with django_capture_on_commit_callbacks(execute=True):
        first = reminders_collect(today=FRIDAY)
        second = reminders_collect(today=FRIDAY, plan=plan)  # a stale plan: every item is taken

    assert len(first) == 2
    assert second == []
    assert ReminderDigest.objects.count() == 2


# --- scale and schedule ----------------------------------------------------------------------------------------


def _colleges(n: int, source: FakeSource) -> None:
    for i in range(n):
        make_college(f"c{i}", f"第{i}学院", source=source, prefix=f"{i}号")


def _collect_queries() -> int:
    """The job's queries, a table's bulk insert counted once: SQLite splits one into batches of at most 999
    parameters (ReminderSent's nine columns: 111 rows a batch), which PostgreSQL does not."""
    with CaptureQueriesContext(connection) as ctx:
        reminders_collect(today=FRIDAY, queue=False)
    inserts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("INSERT")]
    return len(ctx.captured_queries) - len(inserts) + len({sql.split('"')[1] for sql in inserts})


MAX_COLLECT_QUERIES = 30


@pytest.mark.django_db
def test_collecting_for_50_people_takes_as_many_queries_as_for_5(
    university, rules, source, django_assert_max_num_queries
):
    # 4 people a college here (a fifth, without a team position, has no obligations); 8 items per college.
    _colleges(1, source)
    PersonFactory(name="无任职人员", user=UserFactory())
    with django_assert_max_num_queries(MAX_COLLECT_QUERIES):
        few = _collect_queries()
    ReminderSent.objects.all().delete()
    ReminderDigest.objects.all().delete()

    _colleges(12, source)  # 13 colleges: 52 people
    with django_assert_max_num_queries(MAX_COLLECT_QUERIES):
        many = _collect_queries()

    assert ReminderDigest.objects.count() == 26
    assert many == few


def test_the_reminder_job_runs_daily_at_eight_shanghai_time(db):
    task = PeriodicTask.objects.get(task="governance.tasks.send_reminders")
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("0", "8", "*")
    assert str(task.crontab.timezone) == "Asia/Shanghai"
    assert task.enabled


def test_reminder_amounts_show_without_trailing_zeros(college):
    item = reminders_plan(today=FRIDAY).recipients[0].items[0]
    assert item.required == "1"
    assert reminders_service._number(Decimal("4.50")) == "4.5"
