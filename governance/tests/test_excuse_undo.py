"""The office withdraws an excuse (免于考核) it recorded by mistake: with a reason, kept in the audit history; the period
then shows as it really stands (overdue again, if nothing was done) on the overview, its drill-down and the leaders'
dashboards. Nobody else may."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from communication.tests.factories import MeetingFactory, make_college_team, make_university_team, office_user
from governance.models import ObligationExcuse, ObligationRule
from governance.services.obligations import ExcuseError, obligation_excuse, obligation_excuse_withdraw
from governance.tests.factories import AcademicYearFactory, PersonFactory, SemesterFactory, UserFactory

pytestmark = pytest.mark.django_db
D = dt.date
MISSED = D(2026, 11, 2)  # 文学院 held no coordination meeting in the cycle of 2—15 November (000 四（四）)
EXCUSE_REASON = "11月13日全院参加上级巡视反馈会，碰头会未召开"
WITHDRAW_REASON = "登记有误：巡视反馈会在11月20日，不影响该周期"


@pytest.fixture(autouse=True)
def _wednesday():
    """Wednesday 25 November 2026, 10:00 in Beijing."""
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


@pytest.fixture
def college(db):
    """文学院 (pack 000) under 示例大学 (001), in the autumn semester of 2026; it held its coordination meeting on
    20 November, none in the cycle of 2—15 November."""
    year = AcademicYearFactory(name="2026—2027学年", start=D(2026, 8, 24), end=D(2027, 8, 22))
    SemesterFactory(academic_year=year, start=D(2026, 8, 31), end=D(2027, 1, 17))
    university, _university_people = make_university_team()
    organization, people = make_college_team(university)
    MeetingFactory(
        organization=organization,
        title="工作碰头会（11月20日）",
        date=D(2026, 11, 20),
        chair=people[0],
        attendees=people[1:],
    )
    return organization, people


@pytest.fixture
def office(db):
    return office_user(username="office-staff")


@pytest.fixture
def excused(college, office):
    """The missed cycle, excused by the office."""
    organization, _people = college
    return obligation_excuse(
        rule=ObligationRule.objects.get(code="000-coordination-meeting"),
        period_start=MISSED,
        team=organization.team,
        person=None,
        counterpart=None,
        reason=EXCUSE_REASON,
        by=office,
    )


def _cell_url(college) -> str:
    organization, _people = college
    return f"{reverse('overview_cell')}?rule=000-coordination-meeting&team={organization.team.pk}&org=wxy"


def _withdraw_url(college) -> str:
    return reverse("overview_excuse_withdraw") + "?" + _cell_url(college).split("?", 1)[1]


def _form(college) -> dict[str, str]:
    organization, _people = college
    return {
        "rule": "000-coordination-meeting",
        "team": str(organization.team.pk),
        "period_start": MISSED.isoformat(),
    }


def _text(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def _coordination_cell(client) -> tuple[str, str]:
    page = client.get(reverse("overview") + "?org=wxy").content.decode()
    found = re.search(
        r'<a class="status-badge status-(\w+)" href="[^"]*rule=000-coordination-meeting[^"]*"[^>]*>(.*?)</a>',
        page,
        re.S,
    )
    assert found, "文学院's coordination meeting has a cell"
    return found[1], _text(found[2])


# The office withdraws -------------------------------------------------------------------------------------------


def test_the_drill_down_offers_the_office_to_withdraw_an_excused_period(client, office, college, excused):
    client.force_login(office)

    page = client.get(_cell_url(college)).content.decode()

    forms = re.findall(
        r'<form method="post" action="([^"]+)" class="[^"]*withdraw-form">(.*?)</form>', page, re.S
    )
    assert len(forms) == 1
    action, body = forms[0]
    assert action.startswith(reverse("overview_excuse_withdraw") + "?")
    assert f'name="period_start" value="{MISSED.isoformat()}"' in body
    assert "撤销原因" in body


def test_withdrawing_an_excuse_shows_the_period_overdue_again(client, office, college, excused):
    client.force_login(office)
    assert _coordination_cell(client)[0] != "overdue"

    response = client.post(_withdraw_url(college), {**_form(college), "reason": WITHDRAW_REASON}, follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == _cell_url(college).replace("&org=wxy", "") + "&org=wxy"
    assert "已撤销免于考核，该周期恢复按实际完成情况计算；撤销原因已记入修改历史。" in _text(page)
    assert not ObligationExcuse.objects.exists()
    assert "已逾期" in _text(page)
    # The overview (cached until the data changes) shows the real state again.
    status, label = _coordination_cell(client)
    assert status == "overdue"
    assert "已逾期" in label


def test_the_withdrawal_and_its_reason_are_kept_in_the_history(client, office, college, excused):
    client.force_login(office)

    client.post(_withdraw_url(college), {**_form(college), "reason": WITHDRAW_REASON})

    last = ObligationExcuse.history.filter(id=excused.pk).order_by("-history_date", "-history_id").first()
    assert last.history_type == "-"
    assert last.history_change_reason == WITHDRAW_REASON
    assert last.history_user == office
    assert last.reason == EXCUSE_REASON  # what was withdrawn stays readable
    page = _text(client.get(_cell_url(college)).content.decode())
    assert "已撤销的免于考核" in page
    assert f"双周（2026年11月2日 — 2026年11月15日） · 班子整体：原登记理由“{EXCUSE_REASON}”" in page
    assert f"撤销，原因：{WITHDRAW_REASON}" in page


def test_the_leaders_dashboard_shows_the_period_overdue_again(client, office, college, excused):
    _organization, (secretary, *_rest) = college
    client.force_login(secretary.user)
    assert "免于考核：" + EXCUSE_REASON in _text(client.get(reverse("home")).content.decode())

    obligation_excuse_withdraw(
        rule=excused.rule,
        period_start=MISSED,
        team=excused.team,
        person=None,
        counterpart=None,
        reason=WITHDRAW_REASON,
        by=office,
    )

    dashboard = _text(client.get(reverse("home")).content.decode())
    assert "免于考核：" + EXCUSE_REASON not in dashboard
    assert "已逾期" in dashboard


def test_a_withdrawal_without_a_reason_is_refused_keeps_the_excuse_and_says_why(
    client, office, college, excused
):
    client.force_login(office)

    response = client.post(_withdraw_url(college), {**_form(college), "reason": "  "})

    assert response.status_code == 200
    assert "请填写撤销免于考核的原因，例如“登记有误，该周期实际已召开会议”。" in _text(
        response.content.decode()
    )
    assert ObligationExcuse.objects.filter(pk=excused.pk).exists()


def test_a_too_long_reason_is_refused_and_what_was_typed_stays_in_the_form(client, office, college, excused):
    client.force_login(office)
    typed = "原因" * 60

    response = client.post(_withdraw_url(college), {**_form(college), "reason": typed})

    page = response.content.decode()
    assert "撤销原因最多 100 个字（现有 120 个），请精简后再提交。" in _text(page)
    assert f'value="{typed}"' in page
    assert ObligationExcuse.objects.filter(pk=excused.pk).exists()


def test_withdrawing_what_is_not_excused_is_refused(client, office, college):
    client.force_login(office)

    response = client.post(_withdraw_url(college), {**_form(college), "reason": WITHDRAW_REASON})

    assert "这个周期没有登记免于考核，或已被撤销。" in _text(response.content.decode())


def test_a_pairs_excuse_is_withdrawn_from_either_persons_row(office, college):
    organization, (secretary, dean, vice, *_rest) = college
    rule = ObligationRule.objects.get(code="000-main-leaders-member-talk")  # 000 四（六）, yearly
    period = D(2026, 1, 1)
    obligation_excuse(
        rule=rule,
        period_start=period,
        team=organization.team,
        person=vice,
        counterpart=dean,
        reason="王院长赴外校挂职",
        by=office,
    )

    obligation_excuse_withdraw(
        rule=rule,
        period_start=period,
        team=organization.team,
        person=dean,
        counterpart=vice,
        reason=WITHDRAW_REASON,
        by=office,
    )

    assert not ObligationExcuse.objects.exists()


def test_the_service_refuses_an_empty_reason():
    with pytest.raises(ExcuseError):
        obligation_excuse_withdraw(
            rule=None,  # type: ignore[arg-type]  # refused before the rule is read
            period_start=MISSED,
            team=None,  # type: ignore[arg-type]
            person=None,
            counterpart=None,
            reason="",
            by=None,
        )


# Nobody else may --------------------------------------------------------------------------------------------------


def test_leaders_and_staff_may_not_withdraw_an_excuse(client, college, excused):
    _organization, (secretary, *_rest) = college
    staff = UserFactory(username="staff-member")
    PersonFactory(user=staff, name="教职工甲")
    for user in (secretary.user, staff):
        client.force_login(user)
        response = client.post(_withdraw_url(college), {**_form(college), "reason": WITHDRAW_REASON})
        assert response.status_code == 403
    assert ObligationExcuse.objects.filter(pk=excused.pk).exists()


def test_anonymous_visitors_are_sent_to_log_in_and_nothing_is_withdrawn(client, college, excused):
    response = client.post(_withdraw_url(college), {**_form(college), "reason": WITHDRAW_REASON})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert ObligationExcuse.objects.filter(pk=excused.pk).exists()


def test_the_withdraw_address_answers_only_posts(client, office, college, excused):
    client.force_login(office)

    assert client.get(_withdraw_url(college)).status_code == 405
    assert ObligationExcuse.objects.filter(pk=excused.pk).exists()


def test_leaders_do_not_see_the_withdraw_form_anywhere(client, college, excused):
    _organization, (secretary, *_rest) = college
    client.force_login(secretary.user)

    assert client.get(_cell_url(college)).status_code == 403
    assert "撤销免于考核" not in client.get(reverse("home")).content.decode()
