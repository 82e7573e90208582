"""Agenda items and pre-meeting consultation: 000 四（一） at a college, 001 三（三） at a university."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse

from communication import selectors, services
from communication.models import AgendaItem, AgendaItemStatus, MeetingKind, Opinion, OpinionStance
from communication.services import DomainError
from communication.tests.factories import (
    AgendaItemFactory,
    CollegeFactory,
    LeaderFactory,
    MeetingFactory,
    make_team,
)
from governance.models import PositionKind
from governance.tests.factories import (
    AreaFactory,
    LeadershipTeamFactory,
    PositionFactory,
    RegulationFactory,
    UniversityFactory,
)

pytestmark = pytest.mark.django_db

TITLE_000 = "关于建立学院党政领导经常性沟通机制的暂行办法"
TITLE_001 = "广西师范大学校领导班子成员沟通交流制度"


@pytest.fixture
def college():
    org = CollegeFactory(name="武术与表演学院", code="wushu")
    secretary, dean, vice1, vice2, deputy = make_team(
        org,
        [
            PositionKind.SECRETARY,
            PositionKind.PRESIDENT,
            PositionKind.VICE_PRESIDENT,
            PositionKind.VICE_PRESIDENT,
            PositionKind.DEPUTY_SECRETARY,
        ],
        names=["王书记", "张院长", "李副院长", "赵副院长", "钱副书记"],
    )
    return org, {"secretary": secretary, "dean": dean, "vice1": vice1, "vice2": vice2, "deputy": deputy}


@pytest.fixture
def university():
    org = UniversityFactory()
    teaching, finance, research = AreaFactory(name="教学"), AreaFactory(name="财务"), AreaFactory(name="科研")
    people = make_team(
        org,
        [
            PositionKind.SECRETARY,
            PositionKind.PRESIDENT,
            PositionKind.VICE_PRESIDENT,
            PositionKind.VICE_PRESIDENT,
            PositionKind.COMMITTEE_MEMBER,
        ],
        names=["党委书记", "校长", "教学副校长", "财务副校长", "科研委员"],
        areas={2: [teaching], 3: [finance], 4: [research]},
    )
    keys = ["secretary", "president", "vp_teaching", "vp_finance", "research"]
    return (
        org,
        dict(zip(keys, people, strict=True)),
        {"teaching": teaching, "finance": finance, "research": research},
    )


def consultee_names(item) -> list[str]:
    return sorted(c.person.name for c in services.agenda_item_required_consultees(item))


# --- Who must be heard ------------------------------------------------------------------------------------------


def test_a_college_joint_meeting_item_needs_the_dean_and_vice_deans(college):
    org, p = college
    item = AgendaItemFactory(organization=org, meeting_kind=MeetingKind.JOINT, proposer=p["secretary"])
    consultees = services.agenda_item_required_consultees(item)
    assert sorted(c.person.name for c in consultees) == ["张院长", "李副院长", "赵副院长"]
    assert all(c.reason == "000 四（一）：党政联席会议题应在会前听取院长、副院长的意见" for c in consultees)


def test_a_college_party_committee_item_needs_the_dean_and_vice_deans(college):
    org, p = college
    item = AgendaItemFactory(organization=org, meeting_kind=MeetingKind.PARTY_COMMITTEE, proposer=p["deputy"])
    assert consultee_names(item) == ["张院长", "李副院长", "赵副院长"]


def test_a_college_administrative_meeting_item_needs_the_secretary(college):
    org, p = college
    item = AgendaItemFactory(organization=org, meeting_kind=MeetingKind.ADMINISTRATIVE, proposer=p["dean"])
    consultees = services.agenda_item_required_consultees(item)
    assert [c.person.name for c in consultees] == ["王书记"]
    assert consultees[0].reason == "000 四（一）：院务会重要议题应在会前听取党委书记的意见"


def test_the_proposer_is_never_asked_for_their_own_opinion(college):
    org, p = college
    item = AgendaItemFactory(organization=org, meeting_kind=MeetingKind.JOINT, proposer=p["vice1"])
    assert consultee_names(item) == ["张院长", "赵副院长"]


def test_a_vice_dean_who_has_left_the_team_is_not_consulted(college):
    org, p = college
    PositionFactory(
        person=LeaderFactory(name="孙前副院长"),
        team=LeadershipTeamFactory(organization=org),
        kind=PositionKind.VICE_PRESIDENT,
        start=dt.date(2020, 1, 1),
        end=dt.date(2025, 12, 31),
    )
    item = AgendaItemFactory(organization=org, meeting_kind=MeetingKind.JOINT, proposer=p["secretary"])
    assert consultee_names(item) == ["张院长", "李副院长", "赵副院长"]


def test_a_university_party_committee_item_needs_the_president(university):
    org, p, _areas = university
    item = AgendaItemFactory(
        organization=org, meeting_kind=MeetingKind.PARTY_COMMITTEE, proposer=p["secretary"]
    )
    consultees = services.agenda_item_required_consultees(item)
    assert [c.person.name for c in consultees] == ["校长"]
    assert consultees[0].reason == "001 三（三）：提交党委全委会、常委会的议题由党委书记向校长沟通、听取意见"


def test_a_university_presidents_office_meeting_item_needs_the_secretary(university):
    org, p, _areas = university
    item = AgendaItemFactory(
        organization=org, meeting_kind=MeetingKind.ADMINISTRATIVE, proposer=p["president"]
    )
    assert consultee_names(item) == ["党委书记"]


def test_a_major_item_also_needs_the_leaders_in_charge_of_its_areas(university):
    org, p, areas = university
    item = AgendaItemFactory(
        organization=org,
        meeting_kind=MeetingKind.ADMINISTRATIVE,
        proposer=p["vp_teaching"],
        is_major=True,
        areas=[areas["finance"], areas["research"]],
    )
    consultees = {c.person.name: c.reason for c in services.agenda_item_required_consultees(item)}
    assert sorted(consultees) == ["党委书记", "科研委员", "财务副校长"]
    assert (
        consultees["财务副校长"] == "001 三（三）：“三重一大”议题须听取分管相关业务（财务）的班子成员的意见"
    )


def test_a_major_item_does_not_ask_the_proposer_who_is_in_charge_of_its_area(university):
    org, p, areas = university
    item = AgendaItemFactory(
        organization=org,
        meeting_kind=MeetingKind.PARTY_COMMITTEE,
        proposer=p["vp_finance"],
        is_major=True,
        areas=[areas["finance"]],
    )
    assert consultee_names(item) == ["校长"]


def test_an_item_that_is_not_major_ignores_its_areas(university):
    org, p, areas = university
    item = AgendaItemFactory(
        organization=org,
        meeting_kind=MeetingKind.PARTY_COMMITTEE,
        proposer=p["secretary"],
        is_major=False,
        areas=[areas["finance"]],
    )
    assert consultee_names(item) == ["校长"]


def test_a_major_university_item_must_name_its_areas(university, office):
    org, p, _areas = university
    with pytest.raises(DomainError) as refused:
        services.agenda_item_create(
            created_by=office,
            organization=org,
            title="校区建设规划",
            meeting_kind=MeetingKind.PARTY_COMMITTEE,
            proposer=p["secretary"],
            is_major=True,
        )
    assert refused.value.message_dict["areas"] == [
        "“三重一大”议题请选择涉及的分管领域，以便征求分管相关业务的班子成员意见（001 三（三））。"
    ]
    assert not AgendaItem.objects.exists()


# --- Opening the consultation, recording opinions, scheduling -------------------------------------------------------


def test_opening_the_consultation_creates_a_pending_opinion_per_consultee(college, office):
    org, p = college
    item = AgendaItemFactory(organization=org, meeting_kind=MeetingKind.JOINT, proposer=p["secretary"])
    opinions = services.agenda_item_open_consultation(item=item, by=office)
    assert sorted(o.person.name for o in opinions) == ["张院长", "李副院长", "赵副院长"]
    assert {o.stance for o in opinions} == {OpinionStance.PENDING}
    item.refresh_from_db()
    assert item.status == AgendaItemStatus.CONSULTING
    # Running it again adds nobody twice.
    services.agenda_item_open_consultation(item=item, by=office)
    assert Opinion.objects.filter(item=item).count() == 3


@pytest.fixture
def joint_item(college, office):
    org, p = college
    item = services.agenda_item_create(
        created_by=office,
        organization=org,
        title="科级干部调整",
        meeting_kind=MeetingKind.JOINT,
        proposer=p["secretary"],
    )
    services.agenda_item_open_consultation(item=item, by=office)
    meeting = MeetingFactory(
        organization=org, kind=MeetingKind.JOINT, date=dt.date(2026, 11, 27), chair=p["secretary"]
    )
    return item, meeting, p


def all_agree_except_dean(item, p, office, dean_stance=OpinionStance.DISAGREE):
    for key in ("vice1", "vice2"):
        services.opinion_record(item=item, person=p[key], stance=OpinionStance.AGREE, by=office)
    services.opinion_record(
        item=item, person=p["dean"], stance=dean_stance, comment="人选需再斟酌", by=office
    )


def test_scheduling_is_refused_while_a_disagreement_stands(joint_item, office):
    item, meeting, p = joint_item
    all_agree_except_dean(item, p, office)
    with pytest.raises(DomainError) as refused:
        services.agenda_item_schedule(item=item, meeting=meeting, by=office)
    assert refused.value.messages == [
        f"该议题尚有意见不一致（张院长：不同意），按《{TITLE_000}》四（一）“意见不一致的议题暂缓上会”，"
        "请进一步交换意见、取得共识后再提交会议。"
    ]
    item.refresh_from_db()
    assert item.meeting is None
    assert item.status == AgendaItemStatus.HELD_BACK


def test_scheduling_is_allowed_once_the_disagreeing_leader_agrees(joint_item, office):
    item, meeting, p = joint_item
    all_agree_except_dean(item, p, office)
    services.opinion_record(
        item=item, person=p["dean"], stance=OpinionStance.AGREE, comment="同意", by=office
    )
    services.agenda_item_schedule(item=item, meeting=meeting, by=office)
    item.refresh_from_db()
    assert item.meeting == meeting
    assert item.status == AgendaItemStatus.SCHEDULED


def test_scheduling_is_allowed_once_the_office_records_the_consensus(joint_item, office):
    item, meeting, p = joint_item
    all_agree_except_dean(item, p, office)
    opinion = Opinion.objects.get(item=item, person=p["dean"])
    services.opinion_resolve(opinion=opinion, note="书记与院长当面交换意见，同意调整人选后上会。", by=office)
    services.agenda_item_schedule(item=item, meeting=meeting, by=office)
    item.refresh_from_db()
    assert item.status == AgendaItemStatus.SCHEDULED


def test_resolving_a_disagreement_needs_a_note(joint_item, office):
    item, _meeting, p = joint_item
    all_agree_except_dean(item, p, office)
    opinion = Opinion.objects.get(item=item, person=p["dean"])
    with pytest.raises(DomainError) as refused:
        services.opinion_resolve(opinion=opinion, note="  ", by=office)
    assert refused.value.message_dict["resolution_note"] == ["请填写进一步交换意见、取得共识的情况。"]


def test_scheduling_is_refused_while_a_required_opinion_is_pending(joint_item, office):
    item, meeting, p = joint_item
    services.opinion_record(item=item, person=p["dean"], stance=OpinionStance.AGREE, by=office)
    with pytest.raises(DomainError) as refused:
        services.agenda_item_schedule(item=item, meeting=meeting, by=office)
    assert refused.value.messages == [
        f"该议题尚未听取李副院长、赵副院长的意见，按《{TITLE_000}》四（一），议题应在会前听取意见后再提交会议。"
    ]


def test_the_message_cites_the_regulation_as_adopted(joint_item, office):
    item, meeting, p = joint_item
    RegulationFactory(code="000", title="学院党政领导经常性沟通办法（修订）")
    all_agree_except_dean(item, p, office)
    with pytest.raises(DomainError, match="按《学院党政领导经常性沟通办法（修订）》四（一）"):
        services.agenda_item_schedule(item=item, meeting=meeting, by=office)


def test_a_university_item_cites_001(university, office):
    org, p, _areas = university
    item = services.agenda_item_create(
        created_by=office,
        organization=org,
        title="年度预算",
        meeting_kind=MeetingKind.ADMINISTRATIVE,
        proposer=p["president"],
    )
    services.agenda_item_open_consultation(item=item, by=office)
    services.opinion_record(
        item=item, person=p["secretary"], stance=OpinionStance.DISAGREE, comment="先报常委会", by=office
    )
    meeting = MeetingFactory(organization=org, kind=MeetingKind.ADMINISTRATIVE, date=dt.date(2026, 11, 27))
    with pytest.raises(DomainError) as refused:
        services.agenda_item_schedule(item=item, meeting=meeting, by=office)
    assert refused.value.messages == [
        f"该议题尚有意见不一致（党委书记：不同意），按《{TITLE_001}》三（三）“意见不一致的议题应暂缓上会”，"
        "请进一步交换意见、取得共识后再提交会议。"
    ]


def test_a_disagreement_after_scheduling_takes_the_item_off_its_meeting(joint_item, office):
    item, meeting, p = joint_item
    all_agree_except_dean(item, p, office, dean_stance=OpinionStance.AGREE)
    services.agenda_item_schedule(item=item, meeting=meeting, by=office)
    services.opinion_record(
        item=item, person=p["vice1"], stance=OpinionStance.DISAGREE, comment="新情况", by=office
    )
    item.refresh_from_db()
    assert item.status == AgendaItemStatus.HELD_BACK
    assert item.meeting is None


def test_an_item_cannot_go_to_a_meeting_of_another_kind(joint_item, office):
    item, _meeting, p = joint_item
    all_agree_except_dean(item, p, office, dean_stance=OpinionStance.AGREE)
    wrong = MeetingFactory(
        organization=item.organization, kind=MeetingKind.PARTY_COMMITTEE, chair=p["secretary"]
    )
    with pytest.raises(DomainError) as refused:
        services.agenda_item_schedule(item=item, meeting=wrong, by=office)
    assert refused.value.message_dict["meeting"] == [
        "所选会议是“党委会/党委常委会”，与议题拟提交的“党政联席会”不符。"
    ]


def test_disagreeing_needs_a_reason(joint_item, office):
    item, _meeting, p = joint_item
    with pytest.raises(DomainError) as refused:
        services.opinion_record(
            item=item, person=p["dean"], stance=OpinionStance.DISAGREE, comment="", by=office
        )
    assert refused.value.message_dict["comment"] == ["不同意或提出意见建议时，请填写具体意见。"]
    assert Opinion.objects.get(item=item, person=p["dean"]).stance == OpinionStance.PENDING


def test_an_optional_consultees_pending_opinion_does_not_hold_the_item_back(joint_item, office):
    item, meeting, p = joint_item
    all_agree_except_dean(item, p, office, dean_stance=OpinionStance.AGREE)
    services.agenda_item_add_consultee(item=item, person=p["deputy"], by=office)
    services.agenda_item_schedule(item=item, meeting=meeting, by=office)
    assert AgendaItem.objects.get(pk=item.pk).status == AgendaItemStatus.SCHEDULED


# --- The office's not-ready list ----------------------------------------------------------------------------------


def test_the_office_sees_each_item_not_ready_with_the_reason(
    joint_item, college, office, django_assert_num_queries
):
    item, _meeting, p = joint_item
    org, _ = college
    # item: the dean disagrees, vice2 has not answered.
    services.opinion_record(item=item, person=p["vice1"], stance=OpinionStance.AGREE, by=office)
    services.opinion_record(
        item=item, person=p["dean"], stance=OpinionStance.DISAGREE, comment="再议", by=office
    )
    ready = AgendaItemFactory(organization=org, meeting_kind=MeetingKind.ADMINISTRATIVE, proposer=p["dean"])
    services.agenda_item_open_consultation(item=ready, by=office)
    services.opinion_record(item=ready, person=p["secretary"], stance=OpinionStance.AGREE, by=office)
    draft = AgendaItemFactory(organization=org, title="尚未征求的议题", proposer=p["secretary"])

    with django_assert_num_queries(2):
        rows = selectors.agenda_items_not_ready()
        reasons = {
            r.item.title: ([x.name for x in r.pending], r.disagreement_text, r.opened, r.badge) for r in rows
        }
    assert reasons == {
        "科级干部调整": (["赵副院长"], "张院长：不同意", True, "暂缓上会（意见不一致）"),
        "尚未征求的议题": ([], "", False, "未发起征求意见"),
    }
    assert draft.pk in {r.item.pk for r in rows}


def test_the_not_ready_list_runs_two_queries_for_many_items(college, office, django_assert_num_queries):
    org, p = college
    for _ in range(15):
        item = AgendaItemFactory(organization=org, proposer=p["secretary"])
        services.agenda_item_open_consultation(item=item, by=office)
    with django_assert_num_queries(2):
        rows = selectors.agenda_items_not_ready()
        names = [r.pending_names for r in rows]
    assert len(names) == 15


# --- Pages ----------------------------------------------------------------------------------------------------------


def test_the_office_schedules_from_the_item_page_and_sees_the_refusal(client, joint_item, office):
    item, meeting, p = joint_item
    all_agree_except_dean(item, p, office)
    client.force_login(office)
    url = reverse("communication:agenda_item_detail", args=[item.pk])
    response = client.post(url, {"action": "schedule", "meeting": meeting.pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert "该议题尚有意见不一致（张院长：不同意）" in body
    assert f'value="{meeting.pk}" selected' in body
    assert AgendaItem.objects.get(pk=item.pk).meeting is None


def test_an_office_worker_who_chose_english_reads_the_refusal_and_the_badge_in_english(
    client, joint_item, office
):
    item, meeting, p = joint_item
    all_agree_except_dean(item, p, office)
    client.force_login(office)
    client.cookies["django_language"] = "en"

    body = client.post(
        reverse("communication:agenda_item_detail", args=[item.pk]),
        {"action": "schedule", "meeting": meeting.pk},
    ).content.decode()
    listing = client.get(reverse("communication:agenda_item_list")).content.decode()

    # The regulation's title, clause and words stay as the regulation wrote them; the sentence around them is English.
    assert (
        f"Opinions on this item still disagree (张院长: Disagree). Under 《{TITLE_000}》 四（一） "
        "“意见不一致的议题暂缓上会”, exchange views further and reach consensus before submitting it to the meeting."
    ) in html.unescape(body)
    assert "请进一步交换意见" not in body
    assert "Held back from the meeting (no consensus)" in listing
    assert "暂缓上会（意见不一致）" not in listing


def test_the_office_records_an_opinion_on_the_item_page(client, joint_item, office):
    item, _meeting, p = joint_item
    opinion = Opinion.objects.get(item=item, person=p["dean"])
    client.force_login(office)
    url = reverse("communication:agenda_item_detail", args=[item.pk])
    response = client.post(
        url,
        {"action": f"opinion-{opinion.pk}", f"op{opinion.pk}-stance": "agree", f"op{opinion.pk}-comment": ""},
    )
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.stance == OpinionStance.AGREE
    assert opinion.recorded_by == office


def test_a_refused_opinion_keeps_what_the_office_typed(client, joint_item, office):
    item, _meeting, p = joint_item
    opinion = Opinion.objects.get(item=item, person=p["dean"])
    client.force_login(office)
    url = reverse("communication:agenda_item_detail", args=[item.pk])
    response = client.post(url, {"action": f"opinion-{opinion.pk}", f"op{opinion.pk}-stance": "disagree"})
    assert response.status_code == 200
    assert "不同意或提出意见建议时，请填写具体意见。" in response.content.decode()


def test_a_consulted_leader_sees_the_item_but_tabling_items_stays_with_the_office(client, joint_item):
    """Issue 8: those an item concerns see it (communication/tests/test_held_back_items.py); creating one does not
    change hands."""
    item, _meeting, p = joint_item
    client.force_login(p["dean"].user)
    assert client.get(reverse("communication:agenda_item_list")).status_code == 200
    assert client.get(reverse("communication:agenda_item_detail", args=[item.pk])).status_code == 200
    assert client.get(reverse("communication:agenda_item_create")).status_code == 403


def test_a_team_member_not_consulted_gets_403_on_the_item(client, joint_item):
    item, _meeting, p = joint_item
    client.force_login(p["deputy"].user)
    assert client.get(reverse("communication:agenda_item_detail", args=[item.pk])).status_code == 403


def test_the_agenda_list_shows_readiness_badges(client, joint_item, office):
    item, _meeting, p = joint_item
    all_agree_except_dean(item, p, office)
    client.force_login(office)
    body = client.get(reverse("communication:agenda_item_list")).content.decode()
    assert "暂缓上会（意见不一致）" in body
    assert "张院长：不同意" in body


def test_a_leader_sees_the_items_waiting_for_their_opinion_and_answers(client, joint_item):
    item, _meeting, p = joint_item
    client.force_login(p["dean"].user)
    body = client.get(reverse("communication:opinion_awaiting")).content.decode()
    assert "科级干部调整" in body
    opinion = Opinion.objects.get(item=item, person=p["dean"])
    response = client.post(
        reverse("communication:opinion_respond", args=[opinion.pk]),
        {"stance": "comment", "comment": "建议先公示"},
    )
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.stance == OpinionStance.COMMENT
    assert opinion.recorded_by == p["dean"].user
    assert "科级干部调整" not in client.get(reverse("communication:opinion_awaiting")).content.decode()


def test_a_leader_cannot_answer_for_someone_else(client, joint_item):
    item, _meeting, p = joint_item
    opinion = Opinion.objects.get(item=item, person=p["dean"])
    client.force_login(p["vice1"].user)
    assert client.get(reverse("communication:opinion_respond", args=[opinion.pk])).status_code == 404
    response = client.post(reverse("communication:opinion_respond", args=[opinion.pk]), {"stance": "agree"})
    assert response.status_code == 404
    opinion.refresh_from_db()
    assert opinion.stance == OpinionStance.PENDING


def test_the_office_creates_an_item_and_opens_its_consultation(client, college, office):
    org, p = college
    client.force_login(office)
    response = client.post(
        reverse("communication:agenda_item_create"),
        {
            "title": "学生党员发展计划",
            "organization": org.pk,
            "meeting_kind": MeetingKind.PARTY_COMMITTEE,
            "proposer": p["deputy"].pk,
            "description": "",
            "open_consultation": "1",
        },
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get(title="学生党员发展计划")
    assert item.status == AgendaItemStatus.CONSULTING
    assert sorted(item.opinions.values_list("person__name", flat=True)) == ["张院长", "李副院长", "赵副院长"]


def test_a_leader_without_a_pending_opinion_sees_an_empty_list(client, college):
    _org, p = college
    client.force_login(LeaderFactory().user)
    response = client.get(reverse("communication:opinion_awaiting"))
    assert response.status_code == 200
    assert "目前没有等待您发表意见的议题。" in response.content.decode()


# --- Consultee picker: the team's current members (issue 8) --------------------------------------------------------


def _options(body: str, select_name: str) -> list[str]:
    """The labels of a <select>'s options, in order."""
    import re

    select = re.search(rf'<select name="{select_name}"[^>]*>(.*?)</select>', body, re.S)
    assert select, select_name
    return [
        html.unescape(label).strip() for label in re.findall(r"<option[^>]*>(.*?)</option>", select.group(1))
    ]


def test_the_consultee_picker_offers_the_teams_current_members_not_yet_asked(
    client, joint_item, college, office
):
    item, _meeting, p = joint_item
    org, _ = college
    former = LeaderFactory(name="离任副院长")
    PositionFactory(
        person=former,
        team=org.team,
        kind=PositionKind.VICE_PRESIDENT,
        start=dt.date(2020, 1, 1),
        end=dt.date(2025, 6, 30),
    )
    LeaderFactory(name="外单位领导")
    client.force_login(office)

    body = client.get(reverse("communication:agenda_item_detail", args=[item.pk])).content.decode()

    # 王书记 proposed it; 张院长, 李副院长, 赵副院长 are already asked; 钱副书记 is the one left on the team today.
    assert _options(body, "person") == ["请选择班子成员", "钱副书记"]
    assert "可选武术与表演学院领导班子的现任成员（提出人和已征求意见的除外）。" in html.unescape(body)


def test_a_person_off_the_team_sent_as_consultee_is_refused_by_name(client, joint_item, office):
    item, _meeting, _p = joint_item
    outsider = LeaderFactory(name="外单位领导")
    client.force_login(office)

    response = client.post(
        reverse("communication:agenda_item_detail", args=[item.pk]),
        {"action": "consultee", "person": outsider.pk, "reason": "请其把关"},
    )

    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert "外单位领导不是武术与表演学院领导班子的现任成员，不能作为补充征求意见的对象。" in body
    assert 'value="请其把关"' in body
    assert not Opinion.objects.filter(item=item, person=outsider).exists()


def test_the_proposer_is_not_added_as_a_consultee(joint_item, office):
    item, _meeting, p = joint_item
    with pytest.raises(DomainError) as refused:
        services.agenda_item_add_consultee(item=item, person=p["secretary"], by=office)
    assert refused.value.message_dict["person"] == ["王书记是议题的提出人，无须就本人提出的议题征求其意见。"]


def test_a_team_member_is_added_as_a_consultee_from_the_picker(client, joint_item, office):
    item, _meeting, p = joint_item
    client.force_login(office)
    response = client.post(
        reverse("communication:agenda_item_detail", args=[item.pk]),
        {"action": "consultee", "person": p["deputy"].pk, "reason": "涉及学生工作"},
    )
    assert response.status_code == 302
    opinion = Opinion.objects.get(item=item, person=p["deputy"])
    assert (opinion.required, opinion.reason, opinion.stance) == (
        False,
        "涉及学生工作",
        OpinionStance.PENDING,
    )


# --- 安排上会 with no suitable meeting (issue 8) ----------------------------------------------------------------------


def test_with_no_upcoming_meeting_of_its_kind_the_page_says_so_and_links_to_recording_one(
    client, college, office
):
    org, p = college
    item = services.agenda_item_create(
        created_by=office,
        organization=org,
        title="学院章程修订",
        meeting_kind=MeetingKind.JOINT,
        proposer=p["secretary"],
    )
    # Neither a past 党政联席会 nor an upcoming meeting of another kind will do.
    MeetingFactory(organization=org, kind=MeetingKind.JOINT, date=dt.date(2026, 11, 13), chair=p["secretary"])
    MeetingFactory(
        organization=org, kind=MeetingKind.ADMINISTRATIVE, date=dt.date(2026, 11, 27), chair=p["dean"]
    )
    client.force_login(office)

    body = html.unescape(
        client.get(reverse("communication:agenda_item_detail", args=[item.pk])).content.decode()
    )

    assert (
        "武术与表演学院还没有登记今天及以后的党政联席会，暂无可安排的会议。请先登记会议，保存后回到本页安排上会。"
        in body
    )
    link = reverse("communication:meeting_create") + (
        f"?organization={org.pk}&kind=joint&next=%2Fcommunication%2Fagenda%2F{item.pk}%2F"
    )
    assert f'href="{link}"' in body
    assert "登记党政联席会" in body
    assert 'value="schedule"' not in body


def test_the_link_opens_the_meeting_form_for_the_items_organization_and_kind(client, college, office):
    org, p = college
    client.force_login(office)
    body = client.get(
        reverse("communication:meeting_create") + f"?organization={org.pk}&kind=joint"
    ).content.decode()
    assert f'<option value="{org.pk}" selected>' in body
    assert '<option value="joint" selected>' in body


def test_once_the_meeting_is_recorded_the_page_offers_it(client, joint_item, office):
    item, meeting, p = joint_item
    client.force_login(office)
    body = client.get(reverse("communication:agenda_item_detail", args=[item.pk])).content.decode()
    assert "暂无可安排的会议" not in body
    assert 'value="schedule"' in body
    assert f'<option value="{meeting.pk}">' in body
