"""The admin's list of reminder emails says what went to whom: the person, the address, whether it was sent and when
(or is waiting, or failed), and what it reminded of; the email's page adds its subject and body; the office finds a
person's emails by name or login."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from communication.tests.factories import office_user
from governance.models import ObligationRule, ReminderDigest, ReminderKind, ReminderSectionSent, ReminderSent
from governance.tests.factories import ClauseFactory, LeadershipTeamFactory, PersonFactory, UniversityFactory

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _wednesday():
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, 0, tzinfo=BEIJING), tick=False):
        yield


@pytest.fixture
def office(db):
    return office_user(username="office-staff")


def _digest(
    person, *, subject: str, sent: bool = True, error: str = "", items=(), sections=0
) -> ReminderDigest:
    digest = ReminderDigest.objects.create(
        person=person,
        to_email=person.email,
        subject=subject,
        body_text=f"{person.name}同志：您好！",
        sent_at=timezone.now() if sent else None,
        last_error=error,
        attempts=1 if (sent or error) else 0,
    )
    for rule, kind, counterpart in items:
        ReminderSent.objects.create(
            person=person,
            rule=rule,
            team=LeadershipTeamFactory(),
            period_start=dt.date(2026, 11, 2),
            counterpart=counterpart,
            kind=kind,
            digest=digest,
        )
    for i in range(sections):
        ReminderSectionSent.objects.create(
            person=person, family="communication", key=f"opinions:{i}", key_hash=f"{i:040d}", digest=digest
        )
    return digest


@pytest.fixture
def digests(db):
    common = {
        "clause": ClauseFactory(),
        "organization": UniversityFactory(),
        "evidence_source": "communication.talk",
    }
    meeting = ObligationRule.objects.create(
        code="t-meeting", title="领导班子工作碰头会", subject="team", period="biweek", **common
    )
    talk = ObligationRule.objects.create(
        code="t-talk", title="党委书记与院长谈心", subject="position", period="semester", **common
    )
    secretary = PersonFactory(name="李书记", email="lishuji@example.edu.cn")
    dean = PersonFactory(name="王院长", email="wangyuanzhang@example.edu.cn")
    return {
        "secretary": _digest(
            secretary,
            subject="[党委办公室] 您有 1 项即将到期、1 项已逾期的工作",
            items=[(meeting, ReminderKind.OVERDUE, None), (talk, ReminderKind.DUE_SOON, dean)],
            sections=1,
        ),
        "dean": _digest(
            dean,
            subject="[党委办公室] 您有 1 项即将到期的工作",
            sent=False,
            items=[(talk, ReminderKind.DUE_SOON, secretary)],
        ),
        "failed": _digest(
            dean,
            subject="[党委办公室] 您有新的待办",
            sent=False,
            error="SMTPServerDisconnected: gone",
            sections=2,
        ),
    }


def _rows(page: str) -> dict[str, str]:
    """Each listed email's row text, by its subject (the list links each row to the email's page, which shows the
    subject; the list itself leaves the subject out to keep what it reminded of readable, issue 8)."""
    body = page.split('<table id="result_list">', 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], re.S):
        text = " ".join(re.sub(r"<[^>]+>", " ", row).split())
        pk = re.search(r"/reminderdigest/(\d+)/change/", row).group(1)
        rows[ReminderDigest.objects.get(pk=pk).subject.removeprefix("[党委办公室] ")] = text
    return rows


def test_the_list_says_to_whom_at_which_address_when_what_and_in_what_state(client, office, digests):
    client.force_login(office)

    page = client.get(reverse("admin:governance_reminderdigest_changelist")).content.decode()

    rows = _rows(page)
    secretary = rows["您有 1 项即将到期、1 项已逾期的工作"]
    assert "李书记" in secretary
    assert "lishuji@example.edu.cn" in secretary
    assert "已发送（2026年11月25日 10:00）" in secretary
    assert "已逾期：领导班子工作碰头会" in secretary
    assert "即将到期：党委书记与院长谈心（与王院长）" in secretary
    assert "待办提醒：领导沟通 1 项" in secretary
    assert "待发送" in rows["您有 1 项即将到期的工作"]
    failed = rows["您有新的待办"]
    assert "发送失败，将重试（已尝试 1 次）" in failed
    assert "待办提醒：领导沟通 2 项" in failed


def test_the_office_finds_a_persons_emails_by_name_or_login(client, office, digests):
    client.force_login(office)
    url = reverse("admin:governance_reminderdigest_changelist")

    by_name = _rows(client.get(url, {"q": "王院长"}).content.decode())
    by_login = _rows(client.get(url, {"q": digests["secretary"].person.user.username}).content.decode())

    assert set(by_name) == {"您有 1 项即将到期的工作", "您有新的待办"}
    assert set(by_login) == {"您有 1 项即将到期、1 项已逾期的工作"}


@pytest.mark.parametrize(("state", "expected"), [("sent", 1), ("waiting", 1), ("failed", 1)])
def test_the_list_filters_by_sending_state(client, office, digests, state, expected):
    client.force_login(office)

    response = client.get(reverse("admin:governance_reminderdigest_changelist"), {"status": state})

    assert len(response.context["cl"].result_list) == expected


def test_an_email_opens_read_only_with_its_body_and_each_item_it_reminded_of(client, office, digests):
    client.force_login(office)
    digest = digests["secretary"]

    page = client.get(reverse("admin:governance_reminderdigest_change", args=[digest.pk])).content.decode()

    assert "李书记同志：您好！" in page
    assert "[党委办公室] 您有 1 项即将到期、1 项已逾期的工作" in page
    assert "领导班子工作碰头会" in page
    assert "党委书记与院长谈心" in page
    assert "提醒的待办（各业务模块）" in page
    assert 'name="_save"' not in page  # a record of what was sent: never edited


def test_the_list_runs_as_many_queries_for_many_emails_as_for_a_few(
    client, office, digests, django_assert_max_num_queries
):
    client.force_login(office)
    url = reverse("admin:governance_reminderdigest_changelist")
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    rule = ReminderSent.objects.first().rule
    for i in range(15):
        person = PersonFactory(email=f"p{i}@example.edu.cn")
        _digest(person, subject=f"提醒 {i}", items=[(rule, ReminderKind.OVERDUE, None)], sections=1)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 18


def test_leaders_may_not_open_the_list_of_reminder_emails(client, digests):
    leader = digests["secretary"].person.user
    leader.is_staff = True
    leader.save()
    client.force_login(leader)

    for url in (
        reverse("admin:governance_reminderdigest_changelist"),
        reverse("admin:governance_reminderdigest_change", args=[digests["secretary"].pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert "lishuji@example.edu.cn" not in response.content.decode()
