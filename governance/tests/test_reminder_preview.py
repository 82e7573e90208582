"""The office reads the reminder emails before the next run sends them: per person, the subject and the text and HTML
bodies exactly as the run renders them — and looking writes nothing and sends nothing.

Wednesday 25 November 2026, 10:00 in Beijing; the daily run is at 08:00 (governance.services.schedules), so the next
run is Thursday's. 文学院 (pack 000) missed its coordination meeting in the cycle of 2—15 November: its secretary
is reminded of it; 林书记 of 示例大学 (001) owes this week's talk with the president (001 三（一）)."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from communication.tests.factories import (
    CollegeFactory,
    make_college_team,
    make_team,
    make_university_team,
    office_user,
)
from governance.models import PositionKind, ReminderDigest, ReminderSectionSent, ReminderSent
from governance.services.policies import policy_load
from governance.services.reminder_preview import next_reminder_run, reminders_preview
from governance.services.reminders import reminders_collect
from governance.services.schedules import ensure_periodic_tasks
from governance.tests.factories import AcademicYearFactory, PersonFactory, SemesterFactory, UserFactory

pytestmark = pytest.mark.django_db
D = dt.date
BEIJING = ZoneInfo("Asia/Shanghai")
THURSDAY = D(2026, 11, 26)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BEIJING)


@pytest.fixture(autouse=True)
def _wednesday():
    with time_machine.travel(at(D(2026, 11, 25), 10), tick=False):
        yield


@pytest.fixture
def teams(db, settings):
    settings.SITE_URL = "https://portal.example.edu.cn"
    year = AcademicYearFactory(name="2026—2027学年", start=D(2026, 8, 24), end=D(2027, 8, 22))
    SemesterFactory(academic_year=year, start=D(2026, 8, 31), end=D(2027, 1, 17))
    university, university_people = make_university_team()
    college, college_people = make_college_team(university)
    ensure_periodic_tasks()
    return (university, university_people), (college, college_people)


@pytest.fixture
def office(db):
    return office_user(username="office-staff")


def _text(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def _rows() -> tuple[int, int, int]:
    return ReminderDigest.objects.count(), ReminderSent.objects.count(), ReminderSectionSent.objects.count()


# What the run would send ----------------------------------------------------------------------------------------


def test_the_preview_is_exactly_what_the_run_then_sends_for_the_same_data(teams):
    preview = reminders_preview(day=THURSDAY)
    assert preview.digests, "someone is reminded on Thursday"

    reminders_collect(today=THURSDAY, queue=False)

    sent = {
        d.person_id: (d.to_email, d.subject, d.body_text, d.body_html) for d in ReminderDigest.objects.all()
    }
    shown = {d.person.pk: (d.email, d.subject, d.body_text, d.body_html) for d in preview.digests}
    assert shown == sent
    items = {(r.person_id, r.rule_id, r.period_start, r.kind) for r in ReminderSent.objects.all()}
    assert items == {
        (d.person.pk, i.rule_id, i.period_start, i.kind) for d in preview.digests for i in d.items
    }


def test_after_a_run_the_preview_of_the_next_leaves_out_what_was_sent(teams):
    reminders_collect(today=D(2026, 11, 25), queue=False)
    sent = set(ReminderSent.objects.values_list("person_id", "rule_id", "period_start", "kind"))

    preview = reminders_preview(day=THURSDAY)

    again = {(d.person.pk, i.rule_id, i.period_start, i.kind) for d in preview.digests for i in d.items}
    assert not again & sent


def test_previewing_writes_no_row_queues_nothing_and_sends_no_email(
    client, office, teams, django_capture_on_commit_callbacks
):
    client.force_login(office)
    before = _rows()

    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks() as callbacks:
        page = client.get(reverse("reminder_preview"))
        digest = reminders_preview(day=THURSDAY).digests[0]
        html = client.get(reverse("reminder_preview_html", args=[digest.person.pk]) + "?on=2026-11-26")

    assert page.status_code == html.status_code == 200
    assert _rows() == before
    assert mail.outbox == []
    assert callbacks == []
    writes = [
        q["sql"]
        for q in queries
        if not q["sql"].lstrip().upper().startswith(("SELECT", "SAVEPOINT", "RELEASE"))
    ]
    assert [w for w in writes if "governance_" in w or "communication_" in w] == []


def test_the_page_shows_each_email_with_its_subject_items_and_text_body(client, office, teams):
    client.force_login(office)
    preview = reminders_preview(day=THURSDAY)

    page = client.get(reverse("reminder_preview")).content.decode()

    text = _text(page)
    assert f"将发送 {len(preview.digests)} 封邮件" in text
    for digest in preview.digests:
        assert digest.person.name in text
        assert f"&lt;{digest.email}&gt;" in page
        assert f'<span class="digest-subject">{digest.subject}</span>' in page
        assert reverse("reminder_preview_html", args=[digest.person.pk]) + "?on=2026-11-26" in page
        for item in digest.items:
            assert item.what in text
        first_line = digest.body_text.strip().splitlines()[0]
        assert first_line in page
    secretary = next(d for d in preview.digests if d.person.name == "李书记")
    assert "领导班子工作碰头会" in _text(page)
    assert any(i.is_overdue for i in secretary.items)


def test_the_html_body_is_served_as_the_mail_client_gets_it_framed_by_this_site_only(client, office, teams):
    client.force_login(office)
    digest = reminders_preview(day=THURSDAY).digests[0]

    response = client.get(reverse("reminder_preview_html", args=[digest.person.pk]) + "?on=2026-11-26")

    assert response.content.decode() == digest.body_html
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    policy = response["Content-Security-Policy"]
    assert "style-src 'unsafe-inline'" in policy
    assert "script-src 'none'" in policy
    assert "frame-ancestors 'self'" in policy


def test_a_person_without_an_email_that_day_or_a_day_out_of_range_has_no_html_body(client, office, teams):
    client.force_login(office)
    (_university, (_secretary, _president, vice)), (_college, (college_secretary, *_rest)) = teams
    reminded = {d.person.pk for d in reminders_preview(day=THURSDAY).digests}
    assert vice.pk not in reminded  # 吴副校长 owes nothing due soon or overdue
    assert college_secretary.pk in reminded

    html = reverse("reminder_preview_html", args=[vice.pk]) + "?on=2026-11-26"
    assert client.get(html).status_code == 404
    for day in ("2026-11-24", "2027-01-30", "garbage", ""):
        url = reverse("reminder_preview_html", args=[college_secretary.pk]) + f"?on={day}"
        assert client.get(url).status_code == 404


def test_people_who_would_be_reminded_but_have_no_email_are_named_with_a_link_to_fix_it(
    client, office, teams
):
    _university, (_college, people) = teams
    secretary = people[0]
    secretary.email = ""
    secretary.save()
    secretary.user.email = ""
    secretary.user.save()
    client.force_login(office)

    page = client.get(reverse("reminder_preview")).content.decode()

    warning = re.search(r'<div class="alert alert-warning reminder-without-email">(.*?)</div>', page, re.S)
    assert warning, "the page names who cannot be reminded"
    assert "李书记" in warning[1]
    assert reverse("admin:governance_person_change", args=[secretary.pk]) in warning[1]
    assert "请在“人员”中填写邮箱。" in _text(warning[1])


# Which run ------------------------------------------------------------------------------------------------------


def test_by_default_the_preview_is_of_the_next_scheduled_run(client, office, teams):
    client.force_login(office)

    page = _text(client.get(reverse("reminder_preview")).content.decode())

    assert next_reminder_run() == at(THURSDAY, 8)
    assert "下一次发送：2026年11月26日 08:00" in page


def test_before_the_days_run_the_preview_is_of_todays_run(client, office, teams):
    client.force_login(office)
    with time_machine.travel(at(D(2026, 11, 25), 7, 30), tick=False):
        page = _text(client.get(reverse("reminder_preview")).content.decode())

    assert "下一次发送：2026年11月25日 08:00" in page


def test_a_run_moved_in_the_admin_is_the_one_previewed(client, office, teams):
    task = PeriodicTask.objects.get(task="governance.tasks.send_reminders")
    task.crontab = CrontabSchedule.objects.create(minute="30", hour="17", timezone="Asia/Shanghai")
    task.save()
    client.force_login(office)

    page = _text(client.get(reverse("reminder_preview")).content.decode())

    assert "下一次发送：2026年11月25日 17:30" in page


def test_when_the_task_is_disabled_the_page_says_so_and_previews_tomorrow(client, office, teams):
    PeriodicTask.objects.filter(task="governance.tasks.send_reminders").update(enabled=False)
    client.force_login(office)

    page = _text(client.get(reverse("reminder_preview")).content.decode())

    assert "2026年11月26日的发送" in page
    assert "提醒邮件的周期任务未启用，目前不会自动发送" in page


def test_the_office_may_preview_another_day_within_a_month(client, office, teams):
    client.force_login(office)

    page = client.get(reverse("reminder_preview") + "?on=2026-12-03").content.decode()

    assert "2026年12月3日的发送" in _text(page)
    assert 'value="2026-12-03"' in page


@pytest.mark.parametrize("day", ["2026-11-24", "2027-02-01", "2026-13-01", "x" * 50])
def test_a_day_outside_the_range_is_refused_in_chinese_and_the_next_run_shown(client, office, teams, day):
    client.force_login(office)

    page = _text(client.get(reverse("reminder_preview") + f"?on={day}").content.decode())

    assert "只能预览今天至2026年12月26日的提醒" in page
    assert "已显示2026年11月26日的预览。" in page
    assert "下一次发送：2026年11月26日 08:00" in page


def test_with_nothing_to_remind_the_page_says_no_email_will_go_out(client, office, semester_only):
    client.force_login(office)

    page = _text(client.get(reverse("reminder_preview")).content.decode())

    assert "按目前的数据，2026年11月26日的提醒不会发送任何邮件" in page


@pytest.fixture
def semester_only(db):
    year = AcademicYearFactory(name="2026—2027学年", start=D(2026, 8, 24), end=D(2027, 8, 22))
    SemesterFactory(academic_year=year, start=D(2026, 8, 31), end=D(2027, 1, 17))
    ensure_periodic_tasks()


# Where the office finds it, and who may ---------------------------------------------------------------------------


def test_the_office_home_links_to_the_preview(client, office, teams):
    client.force_login(office)

    page = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("reminder_preview")}"' in page
    assert "下一次提醒邮件预览" in page


@pytest.mark.parametrize("name", ["reminder_preview", "reminder_preview_html"])
def test_leaders_and_staff_may_not_preview_the_reminders(client, teams, name):
    _university, (_college, people) = teams
    staff = UserFactory(username="staff-member")
    PersonFactory(user=staff, name="教职工甲")
    args = [people[0].pk] if name == "reminder_preview_html" else []
    for user in (people[0].user, staff):
        client.force_login(user)
        response = client.get(reverse(name, args=args) + "?on=2026-11-26")
        assert response.status_code == 403
        assert "领导班子工作碰头会" not in response.content.decode()


@pytest.mark.parametrize("name", ["reminder_preview", "reminder_preview_html"])
def test_anonymous_visitors_are_sent_to_log_in_before_the_preview(client, teams, name):
    _university, (_college, people) = teams
    args = [people[0].pk] if name == "reminder_preview_html" else []

    response = client.get(reverse(name, args=args) + "?on=2026-11-26")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Queries --------------------------------------------------------------------------------------------------------


def test_the_preview_runs_as_many_queries_for_two_colleges_as_for_one(
    client, office, teams, django_assert_max_num_queries
):
    client.force_login(office)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("reminder_preview")).status_code == 200
    before = len(reminders_preview(day=THURSDAY).digests)
    university, _people = teams[0]
    other = CollegeFactory(name="理学院", code="lxy", parent=university)
    people = make_team(other, [PositionKind.SECRETARY, PositionKind.PRESIDENT, PositionKind.VICE_PRESIDENT])
    policy_load(name="000", organization=other)

    with django_assert_max_num_queries(len(one)):
        page = _text(client.get(reverse("reminder_preview")).content.decode())

    after = len(reminders_preview(day=THURSDAY).digests)
    assert after > before
    assert f"将发送 {after} 封邮件" in page
    assert people[0].name in page  # 理学院's secretary: its missed coordination cycle
