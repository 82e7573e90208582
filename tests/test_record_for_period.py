"""“去登记” from a period records for that period (issue 6 §2.4): the link carries the period, the form opens with a
date inside it and says which period it is for, refuses a date outside it (keeping the other input), and after saving
the user is back on the dashboard with a message saying what the record counted toward. Reminder links do the same.

Wednesday 25 November 2026: the university's secretary 林书记 has not talked with 周校长 in week 47 (16—22 November),
so that week is overdue (001 三（一）); 文学院 missed its coordination meeting of 2—15 November (000 四（四）)."""

from __future__ import annotations

import datetime as dt
import html
import re
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from communication.models import Meeting, MeetingKind, Talk
from communication.tests.factories import office_user
from governance.services.reminders import reminders_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_wednesday")]
D = dt.date
TODAY = D(2026, 11, 25)
WEEK_47 = "period_start=2026-11-16&period_end=2026-11-22"
NOTES = "沟通下周党委常委会议题安排。"


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def dashboard(client, person) -> list[tuple[str, str, str, str]]:
    """(rule, status, text, 去登记 link) of each line of the person's dashboard."""
    client.force_login(person.user)
    page = client.get(reverse("home")).content.decode()
    lines = []
    for rule, status, body in re.findall(
        r'<li class="list-group-item obligation[^"]*" data-rule="([^"]+)" data-status="([^"]+)">(.*?)</li>',
        page,
        re.S,
    ):
        link = re.search(r'href="([^"]*)"[^>]*>去登记<', body)
        lines.append((rule, status, _text(body), html.unescape(link[1]) if link else ""))
    return lines


def weekly_line(client, person, status: str) -> tuple[str, str, str, str]:
    (line,) = [
        x for x in dashboard(client, person) if x[0] == "001-secretary-president-weekly" and x[1] == status
    ]
    return line


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_record_link_of_an_overdue_week_carries_the_week(client, university):
    _university, (secretary, president, _vice) = university

    _rule, _status, _text_, link = weekly_line(client, secretary, "overdue")

    assert link == (
        f"/communication/talks/new/?with={president.pk}&for={secretary.pk}&rule=001-secretary-president-weekly"
        f"&{WEEK_47}"
    )


def test_the_form_opens_on_the_weeks_last_day_and_says_which_week_it_is_for(client, university):
    _university, (secretary, _president, _vice) = university
    link = weekly_line(client, secretary, "overdue")[3]

    page = client.get(link).content.decode()

    assert "登记的是 2026年第47周（11月16日—11月22日）的记录，计入“党委书记与校长沟通”。" in _text(page)
    assert re.search(r'<input[^>]*name="date"[^>]*value="2026-11-22"', page)


def test_for_the_current_week_the_form_opens_on_today(client, university):
    _university, (secretary, _president, _vice) = university
    link = weekly_line(client, secretary, "on_track")[3]

    page = client.get(link).content.decode()

    assert "period_start=2026-11-23&period_end=2026-11-29" in link
    assert "登记的是 2026年第48周（11月23日—11月29日）的记录" in _text(page)
    assert re.search(r'<input[^>]*name="date"[^>]*value="2026-11-25"', page)


def test_a_date_outside_the_week_is_refused_with_the_other_input_kept(client, university):
    _university, (secretary, president, _vice) = university
    link = weekly_line(client, secretary, "overdue")[3]

    response = client.post(
        link,
        {"participants": [president.pk], "date": "2026-11-24", "channel": "communication", "notes": NOTES},
    )

    assert response.status_code == 200
    body = _text(response.content.decode())
    assert "日期须在11月16日至11月22日之间：登记的是 2026年第47周的记录。" in body
    assert NOTES in body
    assert not Talk.objects.exists()


def test_after_saving_the_leader_is_back_on_the_dashboard_told_what_it_counted_toward(client, university):
    _university, (secretary, president, _vice) = university
    link = weekly_line(client, secretary, "overdue")[3]

    response = client.post(
        link,
        {"participants": [president.pk], "date": "2026-11-18", "channel": "communication", "notes": NOTES},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert messages_of(response) == ["已登记，计入“党委书记与校长沟通”（2026年第47周，11月16日—11月22日）。"]
    talk = Talk.objects.get()
    assert (talk.date, set(talk.participants.all())) == (D(2026, 11, 18), {secretary, president})
    assert not [
        x
        for x in dashboard(client, secretary)
        if x[0] == "001-secretary-president-weekly" and x[1] == "overdue"
    ]


def test_a_record_of_a_kind_the_rule_does_not_count_is_saved_and_the_message_says_it_does_not_count(
    client, university
):
    _university, (secretary, president, _vice) = university
    (semester,) = [
        x
        for x in dashboard(client, secretary)
        if x[0] == "001-main-leaders-member-talk" and "与 周校长" in x[2]
    ]

    response = client.post(
        semester[3], {"participants": [president.pk], "date": "2026-11-24", "channel": "communication"}
    )

    assert response["Location"] == reverse("home")
    assert messages_of(response) == [
        "已登记，但这条记录不计入“党委书记、校长与班子成员谈心交心”：该要求计入的记录类别或参与人与之不同。"
    ]
    assert Talk.objects.count() == 1


def test_a_safe_next_address_is_followed_and_an_outside_one_ignored(client, university):
    _university, (secretary, president, _vice) = university
    link = weekly_line(client, secretary, "overdue")[3]
    data = {"participants": [president.pk], "date": "2026-11-18", "channel": "communication"}

    outside = client.post(link + "&" + urlencode({"next": "https://evil.example/"}), data)
    inside = client.post(link + "&" + urlencode({"next": "/communication/talks/"}), data)

    assert outside["Location"] == reverse("home")
    assert inside["Location"] == "/communication/talks/"


def test_a_talk_recorded_without_a_rule_still_opens_its_own_page(client, university):
    _university, (secretary, president, _vice) = university
    client.force_login(secretary.user)

    response = client.post(
        reverse("communication:talk_create"),
        {"participants": [president.pk], "date": "2026-11-24", "channel": "talk"},
    )

    assert response["Location"] == reverse("communication:talk_detail", args=[Talk.objects.get().pk])
    assert messages_of(response) == ["谈心谈话已登记。"]


def test_a_reminder_emails_link_opens_the_form_for_the_overdue_week(client, university):
    _university, (secretary, _president, _vice) = university

    (entry,) = [e for e in reminders_plan(today=TODAY).recipients if e.person == secretary]
    (item,) = [i for i in entry.items if i.rule_code == "001-secretary-president-weekly" and i.is_overdue]
    client.force_login(secretary.user)
    url = urlsplit(item.url)
    page = client.get(f"{url.path}?{url.query}")

    assert WEEK_47 in url.query
    assert page.status_code == 200
    assert "登记的是 2026年第47周（11月16日—11月22日）的记录" in _text(page.content.decode())


# The office records a missed meeting for its cycle -------------------------------------------------------------


def test_the_office_records_a_missed_coordination_meeting_for_its_cycle_from_the_drill_down(client, college):
    organization, (secretary, *others) = college
    client.force_login(office_user(username="office-staff"))
    cell = (
        reverse("overview_cell")
        + "?"
        + urlencode({"rule": "000-coordination-meeting", "team": organization.team.pk})
    )

    drill_down = client.get(cell).content.decode()
    links = [html.unescape(h) for h in re.findall(r'href="([^"]*)"[^>]*>去登记<', drill_down)]
    (link,) = [x for x in links if "period_start=2026-11-02&period_end=2026-11-15" in x]
    form = client.get(link).content.decode()
    assert "登记的是 双周（11月2日—11月15日）的记录，计入“领导班子工作碰头会”。" in _text(form)
    assert re.search(r'<input[^>]*name="date"[^>]*value="2026-11-15"', form)

    outside = client.post(link, meeting_data(organization, secretary, others, date="2026-11-20"))
    assert "日期须在11月2日至11月15日之间：登记的是 双周的记录。" in _text(outside.content.decode())
    assert not Meeting.objects.exists()

    response = client.post(link, meeting_data(organization, secretary, others, date="2026-11-13"))
    assert response["Location"] == cell
    assert messages_of(response) == ["已登记，计入“领导班子工作碰头会”（双周，11月2日—11月15日）。"]
    assert Meeting.objects.get().date == D(2026, 11, 13)


def meeting_data(organization, chair, attendees, *, date: str) -> dict:
    return {
        "kind": MeetingKind.COORDINATION, "organization": organization.pk, "title": "领导班子工作碰头会",
        "date": date, "start_time": "16:00", "chair": chair.pk, "attendees": [p.pk for p in attendees],
        "confidential": "on",
    }  # fmt: skip
