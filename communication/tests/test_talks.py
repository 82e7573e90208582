"""Talks (谈心谈话): recording them, and keeping their notes confidential to participants and the office."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from communication import services
from communication.evidence import talk_evidence
from communication.models import Talk, TalkChannel
from communication.services import DomainError
from communication.tests.factories import (
    COLLEGE_KINDS,
    CollegeFactory,
    DemocraticLifeMeetingFactory,
    LeaderFactory,
    TalkFactory,
    make_team,
)
from governance.models import ObligationRule
from governance.tests.factories import ClauseFactory

pytestmark = pytest.mark.django_db

NOTES = "谈到工作分工中的分歧，约定下周再议。"


@pytest.fixture
def team():
    org = CollegeFactory(name="武术与表演学院", code="wushu")
    secretary, dean, vice1, vice2, deputy = make_team(
        org, COLLEGE_KINDS, names=["王书记", "张院长", "李副院长", "赵副院长", "钱副书记"]
    )
    return org, secretary, dean, vice1, vice2, deputy


# --- Recording ----------------------------------------------------------------------------------------------------


def test_a_talk_with_one_participant_is_refused_and_nothing_is_saved(team):
    _org, secretary, *_ = team
    with pytest.raises(DomainError) as refused:
        services.talk_record(
            recorded_by_user=secretary.user,
            participants=[secretary],
            date=dt.date(2026, 11, 19),
            formal=True,
            topics=["thought"],
            notes=NOTES,
        )
    assert refused.value.message_dict["participants"] == ["谈心谈话至少需要两名参与人，请选择谈话对象。"]
    assert not Talk.objects.exists()


def test_naming_the_same_person_twice_is_still_one_participant(team):
    _org, secretary, *_ = team
    with pytest.raises(DomainError):
        services.talk_record(
            recorded_by_user=secretary.user,
            participants=[secretary, secretary],
            date=dt.date(2026, 11, 19),
            formal=False,
            topics=[],
            notes="",
        )


def test_a_leader_cannot_record_a_talk_they_did_not_take_part_in(team):
    _org, secretary, dean, vice1, *_ = team
    with pytest.raises(DomainError) as refused:
        services.talk_record(
            recorded_by_user=secretary.user,
            participants=[dean, vice1],
            date=dt.date(2026, 11, 19),
            formal=False,
            topics=[],
            notes="",
        )
    assert refused.value.message_dict["participants"] == ["只能登记本人参加的谈心谈话。"]


def test_a_talk_cannot_be_dated_in_the_future(team):
    _org, secretary, dean, *_ = team
    with pytest.raises(DomainError) as refused:
        services.talk_record(
            recorded_by_user=secretary.user,
            participants=[secretary, dean],
            date=dt.date(2026, 11, 21),
            formal=False,
            topics=[],
            notes="",
        )
    assert refused.value.message_dict["date"] == ["谈话日期不能晚于今天。"]


def test_the_office_records_a_talk_between_two_leaders(team, office):
    _org, secretary, dean, *_ = team
    talk = services.talk_record(
        recorded_by_user=office,
        participants=[dean, secretary],
        date=dt.date(2026, 11, 18),
        formal=True,
        topics=["work", "thought", "work"],
        notes=NOTES,
        channel=TalkChannel.TALK,
    )
    assert set(talk.participants.all()) == {secretary, dean}
    assert talk.topics == ["thought", "work"]
    assert talk.recorded_by == office
    assert talk.history.count() >= 1


def test_a_talk_linked_to_a_democratic_life_meeting_must_fall_in_its_preparation(team):
    org, secretary, dean, *_ = team
    meeting = DemocraticLifeMeetingFactory(
        organization=org, chair=secretary, preparation_start=dt.date(2026, 11, 15)
    )
    with pytest.raises(DomainError) as refused:
        services.talk_record(
            recorded_by_user=secretary.user,
            participants=[secretary, dean],
            date=dt.date(2026, 11, 10),
            formal=True,
            topics=[],
            notes="",
            meeting=meeting,
        )
    assert refused.value.message_dict["democratic_life_meeting"] == [
        "谈话日期不在该民主生活会的会前谈心谈话期间（2026-11-15 至 2026-12-20）。"
    ]


def test_a_leader_records_their_own_talk_in_a_few_clicks(client, team):
    _org, secretary, dean, *_ = team
    client.force_login(secretary.user)
    form_page = client.get(reverse("communication:talk_create"))
    assert form_page.status_code == 200
    body = form_page.content.decode()
    assert "张院长" in body
    assert 'value="2026-11-20"' in body
    response = client.post(
        reverse("communication:talk_create"),
        {
            "participants": [dean.pk],
            "date": "2026-11-20",
            "formal": "on",
            "channel": "talk",
            "topics": ["thought", "work"],
            "notes": NOTES,
        },
    )
    talk = Talk.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("communication:talk_detail", args=[talk.pk])
    assert set(talk.participants.all()) == {secretary, dean}
    assert talk.formal is True
    assert talk.recorded_by == secretary.user


def test_a_refused_talk_keeps_the_leaders_input(client, team):
    _org, secretary, *_ = team
    client.force_login(secretary.user)
    response = client.post(
        reverse("communication:talk_create"),
        {"date": "2026-11-20", "channel": "talk", "topics": ["study"], "notes": NOTES},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "请选择谈话对象。" in body
    assert NOTES in body
    assert not Talk.objects.exists()


def test_the_counterparts_offered_are_the_leaders_current_team(client, team):
    _org, secretary, *_ = team
    make_team(CollegeFactory(name="外院"), COLLEGE_KINDS[:1], names=["外院书记"])
    client.force_login(secretary.user)
    body = client.get(reverse("communication:talk_create")).content.decode()
    assert "钱副书记" in body
    assert "外院书记" not in body
    assert f'value="{secretary.pk}"' not in body


def test_the_record_link_prefills_the_counterpart_and_the_rules_conditions(client, team):
    org, secretary, dean, *_ = team
    ObligationRule.objects.create(
        code="000-secretary-dean-formal-talk",
        title="党委书记与院长正式谈心",
        clause=ClauseFactory(),
        organization=org,
        subject="position",
        subject_positions=["secretary"],
        counterpart="position",
        counterpart_positions=["president"],
        evidence_source="communication.talk",
        evidence_params={"formal": True},
        period="semester",
    )
    link = talk_evidence.record_url(
        rule_code="000-secretary-dean-formal-talk",
        subject_person_id=secretary.pk,
        counterpart_person_id=dean.pk,
    )
    assert link == (
        f"{reverse('communication:talk_create')}?with={dean.pk}&for={secretary.pk}&rule=000-secretary-dean-formal-talk"
    )
    client.force_login(secretary.user)
    response = client.get(link)
    form = response.context["form"]
    assert form.initial["participants"] == [dean.pk]
    assert form.initial["formal"] is True
    body = response.content.decode()
    assert re.search(rf'<input[^>]*value="{dean.pk}"[^>]*checked', body)
    assert re.search(r'<input[^>]*name="formal"[^>]*checked', body)


def test_the_office_gets_both_people_of_the_pair_prefilled(client, team, office):
    _org, secretary, dean, *_ = team
    client.force_login(office)
    response = client.get(
        f"{reverse('communication:talk_create')}?with={dean.pk}&for={secretary.pk}&formal=1"
    )
    assert response.context["form"].initial["participants"] == [secretary.pk, dean.pk]
    assert response.context["form"].initial["formal"] is True


def test_a_party_member_without_a_position_cannot_record_talks(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("communication:talk_create")).status_code == 403


# --- Confidential notes -------------------------------------------------------------------------------------------


@pytest.fixture
def secret_talk(team):
    _org, secretary, dean, *_ = team
    return TalkFactory(participants=[secretary, dean], notes=NOTES, formal=True)


def test_a_participant_reads_the_notes(client, team, secret_talk):
    _org, _secretary, dean, *_ = team
    client.force_login(dean.user)
    response = client.get(reverse("communication:talk_detail", args=[secret_talk.pk]))
    assert response.status_code == 200
    assert NOTES in response.content.decode()


def test_a_leader_who_did_not_take_part_gets_404_on_the_detail_url(client, team, secret_talk):
    _org, _secretary, _dean, vice1, *_ = team
    client.force_login(vice1.user)
    response = client.get(reverse("communication:talk_detail", args=[secret_talk.pk]))
    assert response.status_code == 404
    assert NOTES not in response.content.decode()


def test_a_leader_who_did_not_take_part_does_not_see_the_talk_in_their_list(client, team, secret_talk):
    _org, _secretary, _dean, vice1, *_ = team
    client.force_login(vice1.user)
    body = client.get(reverse("communication:talk_list")).content.decode()
    # Their list is empty, and says why (issue 8): only the talks they took part in are listed.
    assert (
        "您还没有登记在案的谈心谈话。谈话由参加的班子成员或党委办公室登记；登记后这里只列出您参加的谈话。"
        in body
    )
    assert NOTES not in body


def test_the_list_never_shows_notes_even_to_participants(client, team, secret_talk):
    _org, secretary, *_ = team
    client.force_login(secretary.user)
    body = client.get(reverse("communication:talk_list")).content.decode()
    assert "张院长" in body
    assert NOTES not in body


def test_the_office_sees_every_talk_and_its_notes(client, team, secret_talk, office):
    client.force_login(office)
    assert "张院长" in client.get(reverse("communication:talk_list")).content.decode()
    response = client.get(reverse("communication:talk_detail", args=[secret_talk.pk]))
    assert NOTES in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client, secret_talk):
    response = client.get(reverse("communication:talk_detail", args=[secret_talk.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_talk_list_runs_a_constant_number_of_queries(client, team, django_assert_max_num_queries):
    _org, secretary, dean, vice1, vice2, deputy = team
    client.force_login(secretary.user)
    TalkFactory(participants=[secretary, dean])
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("communication:talk_list"))
    for other in [dean, vice1, vice2, deputy] * 10:
        TalkFactory(participants=[secretary, other, LeaderFactory()])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("communication:talk_list"))
    assert response.content.decode().count("查看") == 41
