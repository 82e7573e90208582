"""The iCalendar feed: a person's meetings and deadlines at a secret address, parsed back with icalendar.

Same college as test_reminders, on Friday 2027-01-08: 张书记 and 李院长 owe a weekly talk and a semester formal
talk; 王副院长 has met his class observation. Meetings come from communication.Meeting.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse

from communication.models import Meeting, MeetingKind
from governance import families, roles
from governance import urls as root_urls
from governance.engine import evidence as evidence_registry
from governance.models import CalendarFeedToken
from governance.services.icalendar_feed import calendar_feed_regenerate
from governance.tests.factories import PersonFactory, UserFactory
from governance.tests.test_reminders import (
    FRIDAY,
    REG_000,
    SITE,
    SOURCE,
    College,
    FakeSource,
    at,
    make_college,
    make_rules,
)

# The lead includes governance.urls_feeds into governance/urls.py; until then this module's URLconf adds it.
urlpatterns = list(root_urls.urlpatterns)
if not any(getattr(p, "namespace", None) == "calendar" for p in urlpatterns):
    urlpatterns.append(path("", include("governance.urls_feeds")))
pytestmark = pytest.mark.urls(__name__)

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOST = "portal.example.edu.cn"


@pytest.fixture
def source(monkeypatch) -> FakeSource:
    fake = FakeSource()
    monkeypatch.setitem(evidence_registry._SOURCES, SOURCE, fake)
    return fake


@pytest.fixture(autouse=True)
def site_url(settings) -> str:
    settings.SITE_URL = SITE
    return SITE


@pytest.fixture
def college(db, source) -> College:
    from governance.tests.factories import SemesterFactory, UniversityFactory

    SemesterFactory()
    make_rules(UniversityFactory())
    return make_college("wenxue", "文学院", source=source)


@pytest.fixture
def friday():
    with time_machine.travel(at(FRIDAY, 10), tick=False):
        yield FRIDAY


def meeting(college: College, *, title, kind, day, start, end, chair, attendees=(), observers=(), **kw):
    m = Meeting.objects.create(
        organization=college.organization,
        title=title,
        kind=kind,
        date=day,
        start_time=start,
        end_time=end,
        chair=chair,
        **kw,
    )
    m.attendees.set(attendees)
    m.observers.set(observers)
    return m


def feed_path(feed: CalendarFeedToken) -> str:
    return reverse("calendar:feed", args=[feed.token])


def fetch(client, person) -> icalendar.Calendar:
    feed = CalendarFeedToken.objects.filter(person=person).first() or calendar_feed_regenerate(person=person)
    response = client.get(feed_path(feed))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events_by_summary(cal: icalendar.Calendar) -> dict[str, list[icalendar.Event]]:
    found: dict[str, list[icalendar.Event]] = {}
    for event in cal.events:
        found.setdefault(str(event["SUMMARY"]), []).append(event)
    return found


# --- what the calendar app shows ---------------------------------------------------------------------------------


def test_the_feed_is_a_valid_calendar_that_parses_back(client, college, friday):
    cal = fetch(client, college.secretary)

    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == "-//党委办公室//领导班子工作平台//ZH"
    assert str(cal["X-WR-CALNAME"]) == "党委办公室 · 我的日程"
    assert str(cal["X-WR-TIMEZONE"]) == "Asia/Shanghai"
    assert cal.events
    for event in cal.events:
        assert event.get("UID")
        assert event.get("DTSTAMP")
        assert event.get("DTSTART")
    uids = [str(e["UID"]) for e in cal.events]
    assert len(uids) == len(set(uids))


def test_deadlines_are_all_day_events_on_the_due_date_citing_the_clause(client, college, friday):
    cal = fetch(client, college.secretary)
    events = events_by_summary(cal)

    (formal,) = events["截止：党委书记与院长正式谈心（与 李院长）"]
    assert formal.decoded("DTSTART") == dt.date(2027, 1, 17)
    assert formal["DTSTART"].params.get("VALUE") == "DATE"
    assert formal.decoded("DTEND") == dt.date(2027, 1, 18)
    description = str(formal["DESCRIPTION"])
    assert f"依据《{REG_000}》四（五）" in description
    assert "状态：即将到期（已完成 0/1 次）" in description
    assert str(formal["URL"]) == (
        f"{SITE}/records/new/?rule=000-secretary-dean-formal-talk"
        f"&subject={college.secretary.pk}&counterpart={college.dean.pk}"
    )
    assert str(formal["UID"]).endswith(f"@{HOST}")

    weekly = events["截止：书记与校长（院长）每周沟通（与 李院长）"]
    days = sorted(e.decoded("DTSTART") for e in weekly)
    # Last week's, still overdue on the dashboard; this week's; then every Sunday for about four months.
    assert days[:3] == [dt.date(2027, 1, 3), dt.date(2027, 1, 10), dt.date(2027, 1, 17)]
    assert days[-1] >= dt.date(2027, 5, 2)
    overdue = next(e for e in weekly if e.decoded("DTSTART") == dt.date(2027, 1, 3))
    assert "状态：已逾期" in str(overdue["DESCRIPTION"])

    # The dean sees the same talk from their side.
    dean_events = events_by_summary(fetch(client, college.dean))
    assert "截止：党委书记与院长正式谈心（与 张书记）" in dean_events


def test_obligation_uids_stay_the_same_from_one_fetch_to_the_next(client, college, friday):
    first = {
        str(e["SUMMARY"]) + str(e.decoded("DTSTART")): str(e["UID"])
        for e in fetch(client, college.dean).events
    }
    second = {
        str(e["SUMMARY"]) + str(e.decoded("DTSTART")): str(e["UID"])
        for e in fetch(client, college.dean).events
    }
    assert first == second


def test_the_persons_meetings_show_with_their_time_in_shanghai(client, college, friday):
    from communication.models import MeetingKind

    joint = meeting(
        college,
        title="学院党政联席会（第1次）",
        kind=MeetingKind.JOINT,
        day=dt.date(2027, 1, 12),
        start=dt.time(14, 30),
        end=dt.time(16, 0),
        chair=college.secretary,
        attendees=[college.dean],
        observers=[college.vice],
        place="行政楼 201",
        confidential=False,
    )

    for person, role in ((college.secretary, "主持"), (college.dean, "参会"), (college.vice, "列席")):
        (event,) = events_by_summary(fetch(client, person))["学院党政联席会（第1次）"]
        assert event.decoded("DTSTART") == dt.datetime(2027, 1, 12, 14, 30, tzinfo=SHANGHAI)
        assert event.decoded("DTEND") == dt.datetime(2027, 1, 12, 16, 0, tzinfo=SHANGHAI)
        assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
        assert str(event["LOCATION"]) == "行政楼 201"
        assert str(event["UID"]) == f"meeting-{joint.pk}@{HOST}"
        assert f"您的身份：{role}" in str(event["DESCRIPTION"])

    cal = fetch(client, college.dean)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]


def test_a_meeting_ends_when_its_recorded_end_says_and_its_description_does_not_call_that_an_estimate(
    client, college, friday
):
    from communication.models import MeetingKind

    meeting(
        college,
        title="领导班子工作碰头会",
        kind=MeetingKind.COORDINATION,
        day=dt.date(2027, 1, 15),
        start=dt.time(16, 0),
        end=dt.time(17, 15),
        chair=college.secretary,
        confidential=False,
    )

    (event,) = events_by_summary(fetch(client, college.secretary))["领导班子工作碰头会"]

    assert event.decoded("DTEND") == dt.datetime(2027, 1, 15, 17, 15, tzinfo=SHANGHAI)
    assert event["DTEND"].params["TZID"] == "Asia/Shanghai"
    assert "DURATION" not in event
    assert "结束时间未登记" not in str(event["DESCRIPTION"])


@pytest.mark.parametrize(
    ("kind", "label", "hours"),
    [
        ("coordination", "碰头会", 1),
        ("secretary_special", "书记专题会", 1),
        ("party_committee", "党委会/党委常委会", 2),
        ("joint", "党政联席会", 2),
        ("administrative", "校长办公会/院务会", 2),
        ("retreat", "务虚会", 3),
        ("democratic_life", "民主生活会", 3),
    ],
)
def test_a_meeting_without_a_recorded_end_blocks_the_usual_length_of_its_kind_and_says_so(
    client, college, friday, kind, label, hours
):
    from communication.calendar import DEFAULT_DURATIONS

    meeting(
        college,
        title="没有登记结束时间的会议",
        kind=kind,
        day=dt.date(2027, 1, 14),
        start=dt.time(9, 30),
        end=None,
        chair=college.secretary,
        confidential=False,
    )

    (event,) = events_by_summary(fetch(client, college.secretary))["没有登记结束时间的会议"]

    start = dt.datetime(2027, 1, 14, 9, 30, tzinfo=SHANGHAI)
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTEND") == start + dt.timedelta(hours=hours)
    assert DEFAULT_DURATIONS[kind] == dt.timedelta(hours=hours)  # the README's table says the same
    assert f"结束时间未登记，按{label}通常时长 {hours} 小时显示。" in str(event["DESCRIPTION"])


def test_an_end_recorded_before_the_start_counts_as_not_recorded(client, college, friday):
    from communication.models import MeetingKind

    meeting(
        college,
        title="党政联席会（结束时间填错）",
        kind=MeetingKind.JOINT,
        day=dt.date(2027, 1, 14),
        start=dt.time(14, 30),
        end=dt.time(8, 30),
        chair=college.secretary,
        confidential=False,
    )

    (event,) = events_by_summary(fetch(client, college.secretary))["党政联席会（结束时间填错）"]

    assert event.decoded("DTEND") == dt.datetime(2027, 1, 14, 16, 30, tzinfo=SHANGHAI)
    assert "结束时间未登记" in str(event["DESCRIPTION"])


def test_every_timed_event_in_the_feed_ends_after_it_starts(client, college, friday):
    from communication.models import MeetingKind

    for day, end in ((dt.date(2027, 1, 12), dt.time(11, 0)), (dt.date(2027, 1, 13), None)):
        meeting(
            college,
            title=f"会议 {day}",
            kind=MeetingKind.PARTY_COMMITTEE,
            day=day,
            start=dt.time(9, 0),
            end=end,
            chair=college.secretary,
            attendees=[college.dean],
        )

    for person in (college.secretary, college.dean):
        timed = [e for e in fetch(client, person).events if isinstance(e.decoded("DTSTART"), dt.datetime)]
        assert len(timed) == 2
        for event in timed:
            assert event.decoded("DTEND") > event.decoded("DTSTART")


def test_the_feed_never_shows_another_persons_meetings_or_a_confidential_meetings_minutes(
    client, college, friday
):
    from communication.models import MeetingKind

    meeting(
        college,
        title="书记专题会：干部调整",
        kind=MeetingKind.SECRETARY_SPECIAL,
        day=dt.date(2027, 1, 13),
        start=dt.time(9, 0),
        end=dt.time(10, 0),
        chair=college.secretary,
        attendees=[college.dean],
        place="书记办公室",
        confidential=True,
        agenda="讨论干部调整方案",
        minutes="纪要：同意甲同志任系主任",
    )
    meeting(
        college,
        title="院长办公会",
        kind=MeetingKind.ADMINISTRATIVE,
        day=dt.date(2027, 1, 14),
        start=dt.time(9, 0),
        end=None,
        chair=college.dean,
        confidential=False,
    )

    raw = client.get(feed_path(calendar_feed_regenerate(person=college.secretary))).content.decode()
    cal = icalendar.Calendar.from_ical(raw)
    summaries = events_by_summary(cal)

    # Confidential: kind, time and place only.
    (special,) = summaries["书记专题会"]
    assert special.decoded("DTSTART") == dt.datetime(2027, 1, 13, 9, 0, tzinfo=SHANGHAI)
    assert str(special["LOCATION"]) == "书记办公室"
    assert str(special["CLASS"]) == "CONFIDENTIAL"
    assert "干部调整" not in raw
    assert "纪要" not in raw
    assert "同意甲同志" not in raw
    # The dean's own meeting is not the secretary's.
    assert "院长办公会" not in summaries
    assert "院长办公会" in events_by_summary(fetch(client, college.dean))
    # Nothing of the college's meetings for someone who attends none.
    assert not [s for s in events_by_summary(fetch(client, college.vice)) if not s.startswith("截止：")]


def test_the_feed_works_with_no_family_registered(client, college, friday, monkeypatch):
    monkeypatch.setattr(families, "_FAMILIES", {})

    summaries = events_by_summary(fetch(client, college.secretary))

    assert "截止：党委书记与院长正式谈心（与 李院长）" in summaries


# --- the secret address ------------------------------------------------------------------------------------------


def test_anyone_with_the_address_can_fetch_it_but_the_page_needs_login(client, college, friday):
    feed = calendar_feed_regenerate(person=college.dean)

    assert client.get(feed_path(feed)).status_code == 200
    page = client.get(reverse("calendar:page"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("login"))


def test_an_unknown_token_is_not_found(client, college):
    assert client.get(reverse("calendar:feed", args=["no-such-token"])).status_code == 404


def test_the_page_shows_the_address_and_regenerating_replaces_it(client, college, friday):
    client.force_login(college.dean.user)

    page = client.get(reverse("calendar:page"))
    assert page.status_code == 200
    assert "您目前没有启用日历订阅。" in page.text

    response = client.post(reverse("calendar:page"), {"action": "regenerate"}, follow=True)
    old = CalendarFeedToken.objects.get(person=college.dean)
    assert f"{SITE}/calendar/{old.token}.ics" in response.text
    assert f"webcal://{HOST}/calendar/{old.token}.ics" in response.text
    assert "已生成订阅地址。" in response.text
    assert client.get(feed_path(old)).status_code == 200

    response = client.post(reverse("calendar:page"), {"action": "regenerate"}, follow=True)
    new = CalendarFeedToken.objects.get(person=college.dean)
    assert new.token != old.token
    assert "已生成新的订阅地址，原地址已失效。" in response.text
    assert f"{SITE}/calendar/{new.token}.ics" in response.text
    assert old.token not in response.text
    assert client.get(feed_path(old)).status_code == 404
    assert client.get(feed_path(new)).status_code == 200


def test_a_revoked_address_is_not_found_until_a_new_one_is_generated(client, college, friday):
    client.force_login(college.dean.user)
    feed = calendar_feed_regenerate(person=college.dean)

    response = client.post(reverse("calendar:page"), {"action": "revoke"}, follow=True)

    assert "订阅地址已停用" in response.text
    assert feed.token not in response.text
    assert client.get(feed_path(feed)).status_code == 404
    CalendarFeedToken.objects.get(person=college.dean, revoked_at__isnull=False)

    client.post(reverse("calendar:page"), {"action": "regenerate"})
    new = CalendarFeedToken.objects.get(person=college.dean)
    assert new.revoked_at is None
    assert client.get(feed_path(new)).status_code == 200
    assert client.get(feed_path(feed)).status_code == 404


def test_a_disabled_account_feed_is_not_found(client, college, friday):
    feed = calendar_feed_regenerate(person=college.dean)
    college.dean.user.is_active = False
    college.dean.user.save()

    assert client.get(feed_path(feed)).status_code == 404


def test_a_user_without_a_person_record_is_told_so(client, db):
    client.force_login(UserFactory(groups=[roles.STAFF]))  # groups: the factory saves the password then

    page = client.get(reverse("calendar:page"))

    assert "您的账号尚未关联人员信息，请联系党委办公室。" in page.text
    assert client.post(reverse("calendar:page"), {"action": "regenerate"}).status_code == 302
    assert not CalendarFeedToken.objects.exists()


def test_one_persons_token_opens_only_their_own_feed(client, college, friday):
    secretary_feed = calendar_feed_regenerate(person=college.secretary)
    outsider = PersonFactory(name="外单位人员", user=UserFactory())
    calendar_feed_regenerate(person=outsider)

    cal = icalendar.Calendar.from_ical(client.get(feed_path(secretary_feed)).content)

    assert "截止：党委书记与院长正式谈心（与 李院长）" in events_by_summary(cal)
    outsider_cal = fetch(client, outsider)
    assert outsider_cal.events == []


# --- cost -----------------------------------------------------------------------------------------------------


def _feed_queries(client, person) -> int:
    feed = calendar_feed_regenerate(person=person)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(feed_path(feed)).status_code == 200
    return len(ctx.captured_queries)


MAX_FEED_QUERIES = 40


def test_the_feed_takes_a_constant_number_of_queries(client, college, friday, django_assert_max_num_queries):
    # The vice dean: one rule, no meetings. The secretary: three rules, and six meetings.
    for i in range(6):
        meeting(
            college,
            title=f"碰头会{i}",
            kind=MeetingKind.COORDINATION,
            day=FRIDAY + dt.timedelta(days=i),
            start=dt.time(8, 30),
            end=dt.time(9, 30),
            chair=college.secretary,
            attendees=[college.dean],
            observers=[college.vice],
        )
    with django_assert_max_num_queries(MAX_FEED_QUERIES):
        few = _feed_queries(client, college.vice_no_email)
    with django_assert_max_num_queries(MAX_FEED_QUERIES):
        many = _feed_queries(client, college.secretary)
    assert many == few
