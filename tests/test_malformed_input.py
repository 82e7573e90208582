"""A malformed request never makes a server error (issue 7, hole 4): a non-numeric or oversized id, a date out of
any calendar's range, an integer above 2^63−1 in a multi-select field or a query parameter, an admin history address
with a non-numeric id. Each gets a 404 (no such thing) or a page that says in Chinese what was wrong, and nothing
is saved.

Each test tries every bad value of its kind in a loop, so the teams are built once per test."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from communication.models import Absence, AgendaItem, Meeting, Talk
from communication.tests.factories import AgendaItemFactory, MeetingFactory, TalkFactory, office_user
from governance.models import ObligationExcuse
from governance.tests.factories import AreaFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_wednesday")]

TOO_BIG = str(2**64)  # beyond a 64-bit integer: SQLite raised OverflowError
JUST_TOO_BIG = str(2**63)  # one past the largest id a database can hold
OVERSIZED = [JUST_TOO_BIG, TOO_BIG, "9" * 40, "-1"]
BAD_IDS = ["abc", "1.5", "0", "", "١٢", *OVERSIZED]
BAD_DAYS = ["0001-01-01", "9999-12-31", "0000-00-00", "2026-02-30", "abc", "2026-11-25T10:00"]
NOT_FOUND = "您访问的页面不存在或已被移除，请检查地址是否正确。"
OUT_OF_RANGE = "无效或超出可查询的范围（2000年1月1日至2100年12月31日），已显示今天的情况。"
COORDINATION = "000-coordination-meeting"
MEMBER_TALK = "000-main-leaders-member-talk"


@pytest.fixture
def office(db):
    return office_user(username="office-staff")


@pytest.fixture
def team(college):
    _college, people = college
    return people[0].positions.get().team


def body(response) -> str:
    return response.content.decode()


def refused(response) -> bool:
    """Whether the form came back with an error shown beside a field (crispy's Bootstrap 5 markup)."""
    return response.status_code == 200 and (
        "invalid-feedback" in body(response) or "is-invalid" in body(response)
    )


def cell_url(**params) -> str:
    return f"{reverse('overview_cell')}?{urlencode(params)}"


def excuse(team, **fields) -> dict:
    """What the drill-down's excuse form posts for 文学院's coordination meeting (its hidden fields and a reason)."""
    return {"rule": COORDINATION, "team": team.pk, "reason": "会议日均为法定节假日", **fields}


def post_excuse(client, team, **fields):
    return client.post(cell_url(team=team.pk, rule=COORDINATION), excuse(team, **fields), follow=True)


# /overview/cell/ --------------------------------------------------------------------------------------------


def test_a_drill_down_for_a_team_or_person_that_is_no_id_is_not_found(client, office, team):
    client.force_login(office)

    for value in BAD_IDS:
        for url in (
            cell_url(team=value, rule=COORDINATION),
            cell_url(team=team.pk, rule=MEMBER_TALK, person=value),
        ):
            response = client.get(url)
            if value == "" and "person=" in url:
                assert response.status_code == 200, url  # no person named: the team's row
                continue

            assert response.status_code == 404, url
            assert NOT_FOUND in body(response)


def test_a_drill_down_for_a_rule_that_does_not_exist_is_not_found(client, office, team):
    client.force_login(office)

    for value in ["x" * 5000, "'; DROP TABLE governance_person; --", "<script>", "\x00", "规则"]:
        assert client.get(cell_url(team=team.pk, rule=value)).status_code == 404, value


def test_excusing_for_a_team_or_person_that_is_no_id_is_not_found_and_saves_nothing(client, office, team):
    client.force_login(office)

    for field in ("team", "person", "subject", "counterpart"):
        for value in ["abc", *OVERSIZED]:
            response = client.post(
                cell_url(team=team.pk, rule=COORDINATION),
                {**excuse(team, period_start="2026-11-02"), field: value},
            )

            assert response.status_code == 404, (field, value)
            assert NOT_FOUND in body(response)
    assert not ObligationExcuse.objects.exists()


def test_a_reason_longer_than_the_field_is_refused_with_a_chinese_message_and_saves_nothing(
    client, office, team
):
    client.force_login(office)

    response = post_excuse(client, team, period_start="2026-11-02", reason="理" * 301)

    assert response.status_code == 200
    (alert,) = re.findall(
        r'<div class="alert alert-danger[^"]*" role="alert">(.*?)<button', body(response), re.S
    )
    assert "300" in alert  # the reason's limit, in the model's own Chinese message
    assert not ObligationExcuse.objects.exists()


def test_excusing_a_period_that_starts_on_no_real_day_is_refused_and_saves_nothing(client, office, team):
    client.force_login(office)

    for value in BAD_DAYS:
        response = post_excuse(client, team, period_start=value)

        assert response.status_code == 200, value
        assert "周期开始日期无效。" in body(response)
    assert not ObligationExcuse.objects.exists()


def test_a_valid_excuse_is_still_recorded(client, office, team):
    client.force_login(office)

    response = post_excuse(client, team, period_start="2026-11-02")

    assert "已登记免于考核，该周期不再计为逾期。" in body(response)
    assert ObligationExcuse.objects.get().reason == "会议日均为法定节假日"


# ?on= --------------------------------------------------------------------------------------------------------


def test_the_overview_and_drill_down_on_a_day_out_of_range_say_so_and_show_today(client, office, team):
    client.force_login(office)

    for value in BAD_DAYS:
        overview = client.get(f"{reverse('overview')}?{urlencode({'on': value})}")
        cell = client.get(cell_url(team=team.pk, rule=COORDINATION, on=value))

        assert overview.status_code == cell.status_code == 200, value
        assert f"日期“{value}”{OUT_OF_RANGE}" in body(overview)
        assert "截至 2026年11月25日" in body(overview)
        assert OUT_OF_RANGE in body(cell)


def test_the_overview_on_a_day_in_range_is_shown_for_that_day(client, office, college):
    client.force_login(office)

    response = client.get(f"{reverse('overview')}?on=2026-10-14")

    assert response.status_code == 200
    assert OUT_OF_RANGE not in body(response)
    assert "截至 2026年10月14日" in body(response)


# Query parameters naming people, organizations, meetings and periods ------------------------------------------


def test_the_talk_and_meeting_forms_opened_with_an_id_that_is_no_id_open_without_it(client, office, college):
    _college, people = college

    for user in (office, people[0].user):
        client.force_login(user)
        for value in BAD_IDS:
            for name, param in [
                ("talk_create", "with"),
                ("talk_create", "for"),
                ("talk_create", "meeting"),
                ("meeting_create", "organization"),
                ("meeting_create", "for"),
            ]:
                url = f"{reverse(f'communication:{name}')}?{urlencode({param: value, 'rule': MEMBER_TALK})}"
                response = client.get(url)

                assert response.status_code in (200, 403), url  # a leader may not record meetings: 403


def test_a_record_link_for_a_period_out_of_range_opens_the_form_without_a_period(client, office, college):
    client.force_login(office)

    for value in BAD_DAYS:
        for name in ("meeting_create", "talk_create"):
            query = urlencode({"rule": COORDINATION, "period_start": value, "period_end": value})
            response = client.get(f"{reverse(f'communication:{name}')}?{query}")

            assert response.status_code == 200, (name, value)


def test_a_record_link_for_a_rule_that_does_not_exist_opens_the_form_without_one(client, office, college):
    client.force_login(office)

    for value in ["x" * 5000, "<script>alert(1)</script>", "' OR 1=1 --"]:
        response = client.get(f"{reverse('communication:talk_create')}?{urlencode({'rule': value})}")

        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in body(response)


def test_a_list_page_with_a_malformed_query_never_fails(client, office, college):
    client.force_login(office)

    for name in ("talk_list", "meeting_list", "agenda_item_list", "absence_list", "opinion_awaiting"):
        for param in ("organization", "page", "date_from", "date_to"):
            for value in (TOO_BIG, "0001-01-01", "9999-12-31", "abc"):
                response = client.get(f"{reverse(f'communication:{name}')}?{param}={value}")

                assert response.status_code in (200, 404), (name, param, value)


# Multi-select and single-select fields given integers above 2^63−1 --------------------------------------------


def test_a_meeting_naming_an_oversized_id_is_refused_on_its_field_and_not_saved(client, office, college):
    organization, people = college
    client.force_login(office)
    base = {
        "kind": "coordination",
        "organization": organization.pk,
        "title": "工作碰头会",
        "date": "2026-11-20",
        "start_time": "09:00",
        "chair": people[0].pk,
        "attendees": [people[1].pk],
        "confidential": "on",
    }

    for field in ("attendees", "observers", "chair", "organization"):
        for value in [*OVERSIZED, "abc"]:
            data = {**base, field: [people[1].pk, value] if field in ("attendees", "observers") else value}

            assert refused(client.post(reverse("communication:meeting_create"), data)), (field, value)
    assert not Meeting.objects.exists()


def test_a_talk_naming_an_oversized_participant_or_meeting_is_refused_and_not_saved(client, college):
    _college, people = college
    client.force_login(people[0].user)
    base = {"participants": [people[1].pk], "date": "2026-11-20", "channel": "talk"}

    for value in OVERSIZED:
        for changes in (
            {"participants": [value]},
            {"participants": [people[1].pk, value]},
            {"meeting": value},
        ):
            response = client.post(reverse("communication:talk_create"), {**base, **changes})

            assert refused(response), changes
    assert not Talk.objects.exists()


def test_an_agenda_item_naming_an_oversized_area_or_proposer_is_refused_and_not_saved(
    client, office, college
):
    organization, people = college
    AreaFactory(name="人事")  # with one area to choose, the field renders its error
    client.force_login(office)
    base = {
        "title": "议题",
        "organization": organization.pk,
        "meeting_kind": "joint",
        "proposer": people[0].pk,
    }

    for value in OVERSIZED:
        for changes in ({"areas": [value]}, {"proposer": value}, {"organization": value}):
            response = client.post(reverse("communication:agenda_item_create"), {**base, **changes})

            assert refused(response), changes
    assert not AgendaItem.objects.exists()


def test_an_absence_naming_an_oversized_person_is_refused_and_not_saved(client, office, college):
    _college, people = college
    client.force_login(office)
    base = {
        "person": people[1].pk,
        "kind": "trip",
        "start": "2026-11-26",
        "end": "2026-11-27",
        "handover-TOTAL_FORMS": "1",
        "handover-INITIAL_FORMS": "0",
    }

    for value in OVERSIZED:
        for changes in (
            {"notified": [value]},
            {"person": value},
            {"leave_approved_by": value},
            {"handover-0-covering": value, "handover-0-duties": "代管"},
        ):
            response = client.post(reverse("communication:absence_create"), {**base, **changes})

            assert refused(response), changes
    assert not Absence.objects.exists()


def test_acting_on_an_agenda_item_with_an_oversized_id_is_refused(client, office, college):
    organization, people = college
    item = AgendaItemFactory(organization=organization, proposer=people[0])
    client.force_login(office)
    url = reverse("communication:agenda_item_detail", args=[item.pk])

    for data in (
        {"action": "schedule", "meeting": TOO_BIG},
        {"action": "consultee", "person": TOO_BIG},
        {"action": f"opinion-{TOO_BIG}"},
        {"action": f"resolve-{TOO_BIG}"},
        {"action": "opinion-abc"},
        {"action": "x" * 5000},
    ):
        assert client.post(url, data).status_code in (200, 400, 404), data


# Object pages with oversized ids -------------------------------------------------------------------------------


def test_an_object_page_for_an_oversized_id_is_not_found(client, office):
    client.force_login(office)

    for name in (
        "talk_detail",
        "meeting_detail",
        "sibitan_matrix",
        "attachment_download",
        "agenda_item_detail",
        "opinion_respond",
    ):
        assert client.get(reverse(f"communication:{name}", args=[2**64])).status_code == 404, name


# The admin's history pages -----------------------------------------------------------------------------------


def test_an_admin_history_page_for_an_id_that_is_no_id_is_not_found(client, office):
    history_admins = [
        (model._meta.app_label, model._meta.model_name)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, SimpleHistoryAdmin)
    ]
    assert len(history_admins) >= 10  # every audited model of the core and of communication
    client.force_login(office)

    # An admin that lets no one delete (a supervised task is archived, never deleted) refuses its delete page before
    # it looks the id up: 403, whatever the id.
    request = RequestFactory().get("/admin/")
    request.user = office
    undeletable = {
        (model._meta.app_label, model._meta.model_name)
        for model, model_admin in admin.site._registry.items()
        if not model_admin.has_delete_permission(request)
    }

    for app, model in history_admins:
        for object_id in ("abc", "1.5", TOO_BIG, "-1"):
            for url in (
                f"/admin/{app}/{model}/{object_id}/history/",
                f"/admin/{app}/{model}/{object_id}/history/abc/",
                f"/admin/{app}/{model}/{object_id}/history/{TOO_BIG}/",
                f"/admin/{app}/{model}/{object_id}/change/",
                f"/admin/{app}/{model}/{object_id}/delete/",
            ):
                response = client.get(url)

                if url.endswith("/delete/") and (app, model) in undeletable:
                    assert response.status_code == 403, url
                    continue
                assert response.status_code in (302, 404), url
                if "/history/" in url:
                    assert NOT_FOUND in body(response)


def test_a_real_objects_history_version_that_is_no_id_is_not_found(client, office, college):
    organization, people = college
    talk = TalkFactory(participants=people[:2], date=dt.date(2026, 11, 10))
    meeting = MeetingFactory(organization=organization, chair=people[0])
    client.force_login(office)

    for obj in (talk, meeting):
        base = f"/admin/communication/{obj._meta.model_name}/{obj.pk}/history/"
        assert client.get(base).status_code == 200
        for version in ("abc", TOO_BIG, "-1"):
            assert client.get(f"{base}{version}/").status_code == 404


def test_an_admin_search_of_hundreds_of_words_searches_by_the_first_ten_and_says_so(client, office, college):
    _college, people = college
    TalkFactory(participants=people[:2], date=dt.date(2026, 11, 10))
    client.force_login(office)

    for changelist in (
        "communication_talk",
        "communication_meeting",
        "governance_person",
        "governance_organization",
    ):
        response = client.get(reverse(f"admin:{changelist}_changelist"), {"q": "x " * 331})

        assert response.status_code == 200, (
            changelist
        )  # SQLite refused the query: "Expression tree is too large"
        assert "搜索词太多，只按前 10 个搜索。" in body(response)


def test_the_overview_for_an_organization_that_does_not_exist_shows_every_team(client, office, college):
    client.force_login(office)
    whole = body(client.get(reverse("overview")))

    for value in ["x" * 5000, "<script>", "wxy' OR 1=1 --", "\U000353ac"]:
        response = client.get(reverse("overview"), {"org": value})

        assert response.status_code == 200
        assert "文学院" in body(response)
        assert body(response).count("<tbody>") == whole.count("<tbody>")
