"""A held-back agenda item (暂缓上会) is seen by the people it concerns (issue 8).

000 四（一）: 意见不一致的议题暂缓上会，待进一步交换意见、取得共识后再提交会议讨论 (001 三（三） the same). The proposer
and everyone asked for an opinion see the item — in their agenda list and on its page — with why it is held back; a
consulted leader revises their own opinion (the old one stays in the history, the office's view follows); recording
consensus and putting the item on a meeting stay with the office. Anyone else gets 403, by page and by URL.

文学院 (pack 000 rules, college): 王书记 proposes a 党政联席会 item; 张院长, 李副院长 and 赵副院长 are asked; 张院长
disagrees, the vice-deans agree. 钱副书记 sits on the team but was not asked."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from communication import selectors, services
from communication.models import AgendaItem, AgendaItemStatus, MeetingKind, Opinion, OpinionStance
from communication.permissions import can_view_agenda_item, filter_agenda_items_visible
from communication.services import DomainError
from communication.tests.factories import (
    AgendaItemFactory,
    CollegeFactory,
    MeetingAttachmentFactory,
    MeetingFactory,
    make_team,
)
from governance import roles
from governance.models import PositionKind
from governance.tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

TITLE = "科研奖励办法修订"
DEAN_SAYS = "奖励标准调整幅度过大，建议先征求教师意见。"


@pytest.fixture
def college():
    org = CollegeFactory(name="文学院", code="wxy")
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
def held_back(college, office):
    """The item, held back by 张院长's disagreement (recorded by himself); the vice-deans agreed."""
    org, p = college
    item = services.agenda_item_create(
        created_by=office,
        organization=org,
        title=TITLE,
        meeting_kind=MeetingKind.JOINT,
        proposer=p["secretary"],
        description="拟提交党政联席会研究。",
    )
    services.agenda_item_open_consultation(item=item, by=office)
    for key in ("vice1", "vice2"):
        services.opinion_record(item=item, person=p[key], stance=OpinionStance.AGREE, by=p[key].user)
    services.opinion_record(
        item=item, person=p["dean"], stance=OpinionStance.DISAGREE, comment=DEAN_SAYS, by=p["dean"].user
    )
    item.refresh_from_db()
    assert item.status == AgendaItemStatus.HELD_BACK
    return item, p


@pytest.fixture
def other_team_leader(db):
    (person,) = make_team(
        CollegeFactory(name="外国语学院", code="wgy"), [PositionKind.SECRETARY], names=["外院书记"]
    )
    return person


def detail_url(item) -> str:
    return reverse("communication:agenda_item_detail", args=[item.pk])


def dean_opinion(item, p) -> Opinion:
    return Opinion.objects.get(item=item, person=p["dean"])


def page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


# --- Who sees the item ------------------------------------------------------------------------------------------


def test_the_dissenting_leader_opens_the_item_and_reads_why_it_is_held_back(client, held_back):
    item, p = held_back
    body = page(client, p["dean"].user, detail_url(item))
    assert "暂缓上会（意见不一致）" in body
    assert (
        "该议题尚有意见不一致（张院长：不同意），按《关于建立学院党政领导经常性沟通机制的暂行办法》四（一）"
        "“意见不一致的议题暂缓上会”，请进一步交换意见、取得共识后再提交会议。"
    ) in body
    assert DEAN_SAYS in body
    assert "该意见使议题暂缓上会，待进一步交换意见、取得共识。" in body


def test_the_proposer_finds_the_item_in_their_agenda_list_with_who_disagrees(
    client, held_back, college, office
):
    item, p = held_back
    org, _ = college
    AgendaItemFactory(organization=org, proposer=p["deputy"], title="别人的议题")
    body = page(client, p["secretary"].user, reverse("communication:agenda_item_list"))
    assert "我参与的议题" in body
    assert TITLE in body
    assert "张院长：不同意" in body
    assert "别人的议题" not in body
    assert "登记议题" not in body  # tabling items stays with the office
    assert "您是该议题的提出人。" in page(client, p["secretary"].user, detail_url(item))


def test_a_consulted_leader_who_agreed_also_sees_the_item_and_the_disagreement(client, held_back):
    item, p = held_back
    body = page(client, p["vice1"].user, detail_url(item))
    assert "张院长" in body
    assert DEAN_SAYS in body


def test_the_office_still_sees_every_item(client, held_back, college, office):
    item, p = held_back
    org, _ = college
    AgendaItemFactory(organization=org, proposer=p["deputy"], title="别人的议题")
    body = page(client, office, reverse("communication:agenda_item_list"))
    assert TITLE in body
    assert "别人的议题" in body
    assert "议题与会前沟通" in body


@pytest.mark.parametrize("who", ["deputy", "other_team_leader", "staff", "party_member"])
def test_anyone_else_gets_403_on_the_item_page_and_does_not_see_it_listed(
    client, held_back, other_team_leader, who
):
    item, p = held_back
    user = {
        "deputy": lambda: p["deputy"].user,  # on the team, not asked
        "other_team_leader": lambda: other_team_leader.user,
        "staff": lambda: UserFactory(username="teacher", groups=(roles.STAFF,)),
        "party_member": lambda: (
            PersonFactory(
                name="党员乙", user=UserFactory(username="member", groups=(roles.PARTY_MEMBERS,))
            ).user
        ),
    }[who]()
    client.force_login(user)
    assert client.get(detail_url(item)).status_code == 403
    listing = client.get(reverse("communication:agenda_item_list"))
    assert listing.status_code == 200
    assert TITLE not in listing.content.decode()
    assert "目前没有您提出或征求您意见的议题。" in listing.content.decode()
    # Nor by the dissenting leader's opinion address.
    assert (
        client.get(reverse("communication:opinion_respond", args=[dean_opinion(item, p).pk])).status_code
        == 404
    )


def test_anonymous_visitors_are_sent_to_the_login_page(client, held_back):
    item, _p = held_back
    for url in (detail_url(item), reverse("communication:agenda_item_list")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_someone_not_concerned_cannot_post_to_the_item_either(client, held_back):
    item, p = held_back
    client.force_login(p["deputy"].user)
    opinion = dean_opinion(item, p)
    response = client.post(
        detail_url(item),
        {"action": f"opinion-{opinion.pk}", f"op{opinion.pk}-stance": "agree", f"op{opinion.pk}-comment": ""},
    )
    assert response.status_code == 403
    opinion.refresh_from_db()
    assert opinion.stance == OpinionStance.DISAGREE


def test_the_meetings_attachments_keep_their_own_rules_for_someone_not_concerned(
    client, held_back, other_team_leader, office
):
    """Once on a meeting, the item page links the meeting; its attachments answer only to those the meeting's
    rules allow (001 三（八）), never to someone merely able to guess the address."""
    item, p = held_back
    meeting = MeetingFactory(
        organization=item.organization,
        kind=MeetingKind.JOINT,
        date=dt.date(2026, 11, 27),
        chair=p["secretary"],
    )
    attachment = MeetingAttachmentFactory(meeting=meeting)
    services.opinion_resolve(
        opinion=dean_opinion(item, p), note="书记与院长当面沟通，同意修改后上会。", by=office
    )
    services.agenda_item_schedule(item=item, meeting=meeting, by=office)
    url = reverse("communication:attachment_download", args=[attachment.pk])
    client.force_login(other_team_leader.user)
    assert client.get(detail_url(item)).status_code == 403
    assert client.get(url).status_code == 404
    client.force_login(p["dean"].user)
    assert client.get(detail_url(item)).status_code == 200


def test_the_permission_and_the_list_filter_agree(held_back, college, office, other_team_leader, outsider):
    item, p = held_back
    org, _ = college
    items = [
        item,
        AgendaItemFactory(organization=org, proposer=p["deputy"]),
        AgendaItemFactory(organization=org, proposer=p["dean"]),
    ]
    services.agenda_item_add_consultee(item=items[2], person=p["deputy"], by=office)
    users = [
        office,
        outsider,
        AnonymousUser(),
        other_team_leader.user,
        *(person.user for person in p.values()),
    ]
    for user in users:
        listed = set(filter_agenda_items_visible(AgendaItem.objects.all(), user).values_list("pk", flat=True))
        for one in items:
            candidate = selectors.agenda_item_with_opinions(one.pk)
            assert can_view_agenda_item(user, candidate) == (candidate.pk in listed), (user, candidate)
    deputy_sees = set(filter_agenda_items_visible(AgendaItem.objects.all(), p["deputy"].user))
    assert deputy_sees == {items[1], items[2]}


# --- 待我发表意见: 可修改意见 -------------------------------------------------------------------------------------------


def test_the_dissenting_leader_finds_the_item_in_their_opinions_as_revisable(client, held_back):
    item, p = held_back
    body = page(client, p["dean"].user, reverse("communication:opinion_awaiting"))
    assert "目前没有等待您发表意见的议题。" in body
    assert "暂缓上会、可修改意见的议题" in body
    assert TITLE in body
    assert "可修改意见" in body
    assert f"您的意见：不同意——{DEAN_SAYS}" in body
    assert "暂缓上会：意见不一致（张院长：不同意）" in body
    assert reverse("communication:opinion_respond", args=[dean_opinion(item, p).pk]) in body


def test_a_leader_who_agreed_has_nothing_to_revise(client, held_back):
    _item, p = held_back
    body = page(client, p["vice1"].user, reverse("communication:opinion_awaiting"))
    assert "可修改意见" not in body
    assert TITLE not in body


def test_the_home_panel_lists_the_revisable_item_below_the_opinions_awaited(client, held_back):
    item, p = held_back
    body = page(client, p["dean"].user, reverse("home"))
    assert "没有等待您意见的议题。" in body
    assert "可修改意见" in body
    assert "您不同意，议题暂缓上会；交换意见后可修改。" in body
    assert reverse("communication:opinion_respond", args=[dean_opinion(item, p).pk]) in body


def test_a_settled_disagreement_is_no_longer_offered_for_revision(held_back, office):
    item, p = held_back
    services.opinion_resolve(opinion=dean_opinion(item, p), note="已当面沟通取得共识。", by=office)
    assert list(selectors.opinions_revisable(p["dean"])) == []


def test_the_opinions_page_runs_the_same_queries_for_one_revisable_item_as_for_several(
    client, held_back, college, office, django_assert_max_num_queries
):
    item, p = held_back
    org, _ = college
    client.force_login(p["dean"].user)
    url = reverse("communication:opinion_awaiting")
    client.get(url)
    with django_assert_max_num_queries(50) as one:
        client.get(url)
    for n in range(4):
        other = services.agenda_item_create(
            created_by=office,
            organization=org,
            title=f"议题{n}",
            meeting_kind=MeetingKind.JOINT,
            proposer=p["secretary"],
        )
        services.agenda_item_open_consultation(item=other, by=office)
        services.opinion_record(
            item=other, person=p["dean"], stance=OpinionStance.DISAGREE, comment="再议", by=office
        )
    with django_assert_max_num_queries(len(one)):
        body = client.get(url).content.decode()
    assert body.count("可修改意见</span>") == 5


# --- Revising an opinion ----------------------------------------------------------------------------------------


def test_the_dissenting_leader_revises_and_the_old_opinion_stays_in_the_history(client, held_back):
    item, p = held_back
    opinion = dean_opinion(item, p)
    client.force_login(p["dean"].user)
    url = reverse("communication:opinion_respond", args=[opinion.pk])
    form = html.unescape(client.get(url).content.decode())
    assert "该议题尚有意见不一致（张院长：不同意）" in form
    assert "其他同志的意见" in form
    assert "现在的意见" in form

    response = client.post(
        url, {"stance": "agree", "comment": "与书记交换意见后，同意分步实施。"}, follow=True
    )

    body = html.unescape(response.content.decode())
    assert "您的意见已修改，原意见保留在修改记录中。" in body
    assert "暂缓上会、可修改意见的议题" not in body
    opinion.refresh_from_db()
    assert (opinion.stance, opinion.comment, opinion.recorded_by) == (
        OpinionStance.AGREE,
        "与书记交换意见后，同意分步实施。",
        p["dean"].user,
    )
    versions = selectors.opinion_versions(selectors.agenda_item_with_opinions(item.pk))[opinion.pk]
    assert [(v.stance, v.comment, v.by_office) for v in versions] == [
        (OpinionStance.DISAGREE, DEAN_SAYS, False)
    ]
    detail = page(client, p["dean"].user, detail_url(item))
    assert "修改记录（此前意见 1 条）" in detail
    assert DEAN_SAYS in detail


def test_after_the_revision_the_office_sees_the_item_ready_for_its_meeting(client, held_back, office):
    item, p = held_back
    assert item.pk in {r.item.pk for r in selectors.agenda_items_not_ready()}
    services.opinion_record(
        item=item, person=p["dean"], stance=OpinionStance.AGREE, comment="同意", by=p["dean"].user
    )

    item.refresh_from_db()
    assert item.status == AgendaItemStatus.READY
    assert item.pk not in {r.item.pk for r in selectors.agenda_items_not_ready()}
    body = page(client, office, detail_url(item))
    assert "可以上会" in body
    assert "该议题尚有意见不一致" not in body


def test_a_leader_revises_on_the_item_page(client, held_back):
    item, p = held_back
    opinion = dean_opinion(item, p)
    client.force_login(p["dean"].user)
    body = html.unescape(client.get(detail_url(item)).content.decode())
    assert f'name="action" value="opinion-{opinion.pk}"' in body
    assert "修改意见" in body
    # Only their own opinion has a form.
    vice = Opinion.objects.get(item=item, person=p["vice1"])
    assert f'value="opinion-{vice.pk}"' not in body

    response = client.post(
        detail_url(item),
        {
            "action": f"opinion-{opinion.pk}",
            f"op{opinion.pk}-stance": "comment",
            f"op{opinion.pk}-comment": "分两年实施",
        },
        follow=True,
    )

    assert "您的意见已修改。" in response.content.decode()
    opinion.refresh_from_db()
    assert opinion.stance == OpinionStance.COMMENT
    assert AgendaItem.objects.get(pk=item.pk).status == AgendaItemStatus.READY


def test_a_revision_without_a_reason_is_refused_and_keeps_what_was_typed(client, held_back):
    item, p = held_back
    opinion = dean_opinion(item, p)
    client.force_login(p["dean"].user)
    response = client.post(
        reverse("communication:opinion_respond", args=[opinion.pk]), {"stance": "comment", "comment": "  "}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "不同意或提出意见建议时，请填写具体意见。" in body
    assert re.search(r'value="comment"[^>]*checked', body)
    opinion.refresh_from_db()
    assert (opinion.stance, opinion.comment) == (OpinionStance.DISAGREE, DEAN_SAYS)


def test_the_same_opinion_again_adds_no_version(held_back):
    item, p = held_back
    services.opinion_record(
        item=item, person=p["dean"], stance=OpinionStance.DISAGREE, comment=DEAN_SAYS, by=p["dean"].user
    )
    opinion = dean_opinion(item, p)
    assert selectors.opinion_versions(selectors.agenda_item_with_opinions(item.pk)).get(opinion.pk, []) == []


def test_an_opinion_the_office_recorded_for_a_leader_is_marked_so_in_the_history(held_back, office):
    item, p = held_back
    services.opinion_record(
        item=item, person=p["vice1"], stance=OpinionStance.COMMENT, comment="补充说明", by=office
    )
    services.opinion_record(item=item, person=p["vice1"], stance=OpinionStance.AGREE, by=p["vice1"].user)
    vice = Opinion.objects.get(item=item, person=p["vice1"])
    versions = selectors.opinion_versions(selectors.agenda_item_with_opinions(item.pk))[vice.pk]
    assert [(v.stance, v.by_office) for v in versions] == [
        (OpinionStance.COMMENT, True),
        (OpinionStance.AGREE, False),
    ]


def test_the_consensus_the_office_recorded_is_kept_with_the_version_it_settled(held_back, office):
    item, p = held_back
    services.opinion_resolve(opinion=dean_opinion(item, p), note="书记与院长当面沟通。", by=office)
    services.opinion_record(
        item=item, person=p["dean"], stance=OpinionStance.AGREE, comment="同意", by=p["dean"].user
    )
    (old,) = selectors.opinion_versions(selectors.agenda_item_with_opinions(item.pk))[
        dean_opinion(item, p).pk
    ]
    assert (old.stance, old.resolution_note) == (OpinionStance.DISAGREE, "书记与院长当面沟通。")


def test_disagreeing_again_after_agreeing_holds_the_item_back_again(held_back):
    item, p = held_back
    services.opinion_record(
        item=item, person=p["dean"], stance=OpinionStance.AGREE, comment="同意", by=p["dean"].user
    )
    services.opinion_record(
        item=item,
        person=p["vice1"],
        stance=OpinionStance.DISAGREE,
        comment="经费来源未落实",
        by=p["vice1"].user,
    )
    item.refresh_from_db()
    assert item.status == AgendaItemStatus.HELD_BACK
    assert [o.item_id for o in selectors.opinions_revisable(p["vice1"])] == [item.pk]


def test_a_decided_item_takes_no_more_revisions(held_back, office):
    item, p = held_back
    meeting = MeetingFactory(
        organization=item.organization,
        kind=MeetingKind.JOINT,
        date=dt.date(2026, 11, 27),
        chair=p["secretary"],
    )
    services.opinion_record(
        item=item, person=p["dean"], stance=OpinionStance.AGREE, comment="同意", by=p["dean"].user
    )
    services.agenda_item_schedule(item=item, meeting=meeting, by=office)
    services.agenda_item_decide(item=item, decision="通过", by=office)
    with pytest.raises(DomainError, match="该议题已作出决定，不能再登记意见。"):
        services.opinion_record(
            item=item, person=p["dean"], stance=OpinionStance.DISAGREE, comment="再议", by=p["dean"].user
        )


# --- Consensus and scheduling stay with the office ---------------------------------------------------------------


@pytest.mark.parametrize(
    "action", ["resolve", "schedule", "consultee", "decide", "open", "someone_elses_opinion"]
)
def test_a_consulted_leader_cannot_take_the_offices_actions_on_the_page(client, held_back, action):
    item, p = held_back
    opinion = dean_opinion(item, p)
    vice = Opinion.objects.get(item=item, person=p["vice1"])
    meeting = MeetingFactory(
        organization=item.organization,
        kind=MeetingKind.JOINT,
        date=dt.date(2026, 11, 27),
        chair=p["secretary"],
    )
    data = {
        "resolve": {"action": f"resolve-{opinion.pk}", f"res{opinion.pk}-resolution_note": "我们谈过了"},
        "schedule": {"action": "schedule", "meeting": meeting.pk},
        "consultee": {"action": "consultee", "person": p["deputy"].pk},
        "decide": {"action": "decide", "decision": "通过"},
        "open": {"action": "open"},
        "someone_elses_opinion": {"action": f"opinion-{vice.pk}", f"op{vice.pk}-stance": "disagree"},
    }[action]
    client.force_login(p["dean"].user)
    before = list(Opinion.objects.filter(item=item).values_list("pk", "stance", "resolved_at").order_by("pk"))

    response = client.post(detail_url(item), data)

    assert response.status_code == 403
    item.refresh_from_db()
    assert (item.status, item.meeting_id) == (AgendaItemStatus.HELD_BACK, None)
    assert (
        list(Opinion.objects.filter(item=item).values_list("pk", "stance", "resolved_at").order_by("pk"))
        == before
    )


def test_the_item_page_offers_a_leader_no_consensus_or_scheduling_forms(client, held_back):
    item, p = held_back
    body = page(client, p["dean"].user, detail_url(item))
    assert "取得共识情况" not in body
    assert 'value="schedule"' not in body
    assert 'value="consultee"' not in body
    assert "取得共识、安排上会和会议决定由党委办公室登记；您可以登记或修改本人的意见。" in body


def test_the_services_refuse_a_leader_recording_consensus_or_scheduling(held_back):
    item, p = held_back
    meeting = MeetingFactory(
        organization=item.organization,
        kind=MeetingKind.JOINT,
        date=dt.date(2026, 11, 27),
        chair=p["secretary"],
    )
    with pytest.raises(DomainError, match="只有党委办公室可以管理议题和会前征求意见。"):
        services.opinion_resolve(opinion=dean_opinion(item, p), note="谈过了", by=p["secretary"].user)
    with pytest.raises(DomainError, match="只有党委办公室可以管理议题和会前征求意见。"):
        services.agenda_item_schedule(item=item, meeting=meeting, by=p["dean"].user)
    assert AgendaItem.objects.get(pk=item.pk).status == AgendaItemStatus.HELD_BACK


# --- Pages at a glance ------------------------------------------------------------------------------------------


def test_a_leaders_agenda_list_runs_the_same_queries_for_one_item_as_for_many(
    client, held_back, college, office, django_assert_max_num_queries
):
    item, p = held_back
    org, _ = college
    client.force_login(p["dean"].user)
    url = reverse("communication:agenda_item_list")
    client.get(url)
    with django_assert_max_num_queries(50) as one:
        client.get(url)
    for n in range(6):
        other = services.agenda_item_create(
            created_by=office,
            organization=org,
            title=f"另一议题{n}",
            meeting_kind=MeetingKind.JOINT,
            proposer=p["secretary"],
        )
        services.agenda_item_open_consultation(item=other, by=office)
    with django_assert_max_num_queries(len(one)):
        body = client.get(url).content.decode()
    assert body.count("另一议题") >= 6


def test_the_item_page_runs_the_same_queries_whatever_the_number_of_revisions(
    client, held_back, django_assert_max_num_queries
):
    item, p = held_back
    client.force_login(p["dean"].user)
    url = detail_url(item)
    client.get(url)
    with django_assert_max_num_queries(50) as before:
        client.get(url)
    for stance, comment in (
        ("agree", "同意"),
        ("comment", "建议分步"),
        ("disagree", "仍有顾虑"),
        ("agree", "同意了"),
    ):
        services.opinion_record(
            item=item, person=p["dean"], stance=stance, comment=comment, by=p["dean"].user
        )
    with django_assert_max_num_queries(len(before)):
        body = html.unescape(client.get(url).content.decode())
    assert "修改记录（此前意见 4 条）" in body
