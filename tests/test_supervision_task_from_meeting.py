"""“转为督办事项” from a meeting (第二条（三）: 会议决议、决定; a cross-family test, as supervision imports communication only through its selectors and services; QA walk-through of issue 9, defect 6): the form says truthfully
what it prefilled — from an agenda item's decision the matter (督办事项) and the content (督办内容) — and its agenda-item
choice offers that meeting's items only; an item of another meeting is refused with the input kept."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from communication.models import AgendaItemStatus
from communication.tests.factories import AgendaItemFactory, MeetingFactory
from supervision.models import SupervisedTask
from supervision.tests.factories import DepartmentFactory, office_user, university_leader

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_wednesday")]

NEW = reverse("supervision:task_create")


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _item(meeting, title, decision=""):
    return AgendaItemFactory(
        meeting=meeting,
        organization=meeting.organization,
        meeting_kind=meeting.kind,
        title=title,
        decision=decision,
        status=AgendaItemStatus.DECIDED,
    )


@pytest.fixture
def office(db):
    return office_user(username="office-staff")


@pytest.fixture
def unit(db):
    return DepartmentFactory(name="教务处", code="jwc")


@pytest.fixture
def leader(db):
    return university_leader("黄副校长")


@pytest.fixture
def meeting(db):
    return MeetingFactory(title="校领导碰头会")


@pytest.fixture
def elsewhere(db):
    other = MeetingFactory(title="另一次碰头会")
    return _item(other, "另一会议的议题", "另一会议的决定。")


def test_a_meeting_with_one_decision_prefills_the_matter_and_the_content_from_it(
    client, office, meeting, elsewhere
):
    _item(meeting, "启用学生综合服务大厅", "学生综合服务大厅于期末前启用，由教务处牵头。")
    client.force_login(office)
    response = client.get(f"{NEW}?meeting={meeting.pk}")
    form = response.context["form"]
    assert form.initial["title"] == "启用学生综合服务大厅"
    assert form.initial["matter"] == "学生综合服务大厅于期末前启用，由教务处牵头。"
    page = _text(response)
    assert "督办事项和督办内容已按议题“启用学生综合服务大厅”的会议决定预填，请核对。" in page
    assert "学生综合服务大厅于期末前启用，由教务处牵头。" in page
    assert "另一会议的议题" not in page


def test_a_meeting_with_several_items_lists_them_to_choose_one_and_offers_only_them(
    client, office, meeting, elsewhere
):
    first = _item(meeting, "修订学籍管理办法", "同意修订，12 月底前报党委会。")
    _item(meeting, "筹备教学工作会议")
    client.force_login(office)
    response = client.get(f"{NEW}?meeting={meeting.pk}")
    page = _text(response)
    assert "该会议有 2 个议题：按一事一项（第四条（一）），请选择要督办的议题" in page
    assert "已按会议决定预填" not in page
    assert f'href="?agenda_item={first.pk}"' in response.content.decode()
    offered = [label for _value, label in response.context["form"].fields["agenda_item"].choices][1:]
    assert offered == ["修订学籍管理办法", "筹备教学工作会议"]
    assert not response.context["form"].initial.get("matter")
    chosen = client.get(f"{NEW}?agenda_item={first.pk}")
    assert chosen.context["form"].initial["matter"] == "同意修订，12 月底前报党委会。"
    assert "事项来源、来源会议和交办时间已按会议预填。" in _text(chosen)


def test_a_meeting_without_agenda_items_says_the_matter_and_content_are_to_be_written(
    client, office, meeting
):
    client.force_login(office)
    page = _text(client.get(f"{NEW}?meeting={meeting.pk}"))
    assert "由“2026-11-20 校领导碰头会”转为督办事项：事项来源、来源会议和交办时间已按会议预填。" in page
    assert "该会议没有登记议题和会议决定，请填写督办事项和督办内容。" in page
    assert "已按会议决定预填" not in page


def test_an_agenda_item_of_another_meeting_is_refused_and_the_input_kept(
    client, office, meeting, elsewhere, unit, leader
):
    client.force_login(office)
    response = client.post(
        f"{NEW}?meeting={meeting.pk}",
        {
            "title": "启用学生综合服务大厅",
            "source": "meeting",
            "meeting": meeting.pk,
            "agenda_item": elsewhere.pk,
            "kind": "special",
            "assigned_on": "2026-11-20",
            "deadline": "2026-12-18",
            "lead_unit": unit.pk,
            "leader": leader.pk,
            "matter": "期末前启用。",
        },
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in _text(response)  # only the meeting's items are offered
    assert "期末前启用。" in _text(response)
    assert not SupervisedTask.objects.exists()


def test_the_form_checks_the_item_belongs_to_the_meeting_chosen(office, meeting, elsewhere, unit, leader):
    from communication.selectors import agenda_items_queryset, meetings_for_list
    from supervision.forms import TaskForm

    form = TaskForm(
        {
            "title": "启用学生综合服务大厅",
            "source": "meeting",
            "meeting": meeting.pk,
            "agenda_item": elsewhere.pk,
            "kind": "special",
            "assigned_on": "2026-11-20",
            "deadline": "2026-12-18",
            "lead_unit": unit.pk,
            "leader": leader.pk,
            "matter": "期末前启用。",
        },
        meetings=meetings_for_list(office),
        agenda_items=agenda_items_queryset(),
    )
    assert not form.is_valid()
    assert form.errors["agenda_item"] == ["所选议题不是来源会议的议题，请重新选择（第二条（三））。"]
