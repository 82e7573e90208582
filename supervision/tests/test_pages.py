"""The pages: who sees which task by page and by URL (the task, its notice, its history, its attachments), the lists
and panels in a constant number of queries, and registration that keeps what the user typed when it is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from governance import roles
from governance.tests.factories import UserFactory
from supervision import selectors, services
from supervision.models import SupervisedTask, TaskState
from supervision.tests.factories import DepartmentFactory, UnitContactFactory, register, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(office, unit, leader, liaison):
    task = walk(
        register(office, lead_unit=unit, leader=leader, title="本单位的事项"), "in_progress", office=office
    )
    services.progress_report(
        task=task,
        user=liaison.user,
        unit=unit,
        text="进展",
        files=[SimpleUploadedFile("材料.txt", b"SECRET-ATTACHMENT")],
    )
    return task


def _pages(task):
    attachment = task.reports.get().attachments.get()
    return [
        reverse("supervision:task_detail", args=[task.pk]),
        reverse("supervision:notice_print", args=[task.pk]),
        reverse("supervision:task_history", args=[task.pk]),
        reverse("supervision:attachment_download", args=[attachment.pk]),
    ]


def test_a_units_people_see_their_tasks_pages_attachments_and_history(client, task, liaison):
    client.force_login(liaison.user)
    for url in _pages(task):
        assert client.get(url).status_code == 200, url
    response = client.get(
        reverse("supervision:attachment_download", args=[task.reports.get().attachments.get().pk])
    )
    assert b"".join(response.streaming_content) == b"SECRET-ATTACHMENT"


def test_another_units_people_cannot_see_the_task_by_page_or_by_url(client, task, other_liaison):
    client.force_login(other_liaison.user)
    listing = client.get(reverse("supervision:task_list"))
    assert listing.status_code == 200
    assert "本单位的事项" not in listing.content.decode()
    for url in _pages(task):
        assert client.get(url).status_code == 404, url


def test_another_units_people_cannot_act_on_the_task_by_a_forged_post(client, task, other_liaison):
    client.force_login(other_liaison.user)
    response = client.post(
        reverse("supervision:task_detail", args=[task.pk]), {"action": "submit", "submit-result": "冒名报结"}
    )
    assert response.status_code == 404
    assert SupervisedTask.objects.get(pk=task.pk).state == TaskState.IN_PROGRESS


def test_a_unit_cannot_complete_its_own_task_through_the_page(client, office, task, liaison):
    services.task_submit(task=task, user=liaison.user, result="已办结")
    client.force_login(liaison.user)
    page = client.get(reverse("supervision:task_detail", args=[task.pk])).content.decode()
    assert "审核办结" not in page
    response = client.post(
        reverse("supervision:task_detail", args=[task.pk]), {"action": "complete"}, follow=True
    )
    assert "“已报结”状态的事项，您不能审核办结。" in response.content.decode()
    assert SupervisedTask.objects.get(pk=task.pk).state == TaskState.SUBMITTED


def test_staff_and_party_members_have_no_supervision_pages(client, task):
    for group in (roles.STAFF, roles.PARTY_MEMBERS):
        client.force_login(UserFactory(groups=(group,)))
        assert client.get(reverse("supervision:task_list")).status_code == 403
        assert client.get(_pages(task)[0]).status_code == 403
        assert client.get(_pages(task)[3]).status_code == 404


def test_a_leader_sees_the_tasks_they_are_responsible_for_only(client, task, office, other_unit):
    from supervision.tests.factories import university_leader

    other_leader = university_leader("吴副校长")
    register(office, lead_unit=other_unit, leader=other_leader, title="别人分管的事项")
    client.force_login(task.leader.user)
    page = client.get(reverse("supervision:task_list")).content.decode()
    assert "本单位的事项" in page
    assert "别人分管的事项" not in page
    assert client.get(reverse("supervision:task_detail", args=[task.pk])).status_code == 200


def test_only_the_office_registers(client, liaison, task):
    client.force_login(liaison.user)
    assert client.get(reverse("supervision:task_create")).status_code == 403
    client.force_login(task.leader.user)
    assert client.get(reverse("supervision:task_create")).status_code == 403


def test_a_refused_registration_keeps_what_was_typed(client, office, unit, leader):
    client.force_login(office)
    response = client.post(
        reverse("supervision:task_create"),
        {
            "title": "建设智慧教室",
            "source": "work_plan",
            "kind": "special",
            "assigned_on": "2026-11-20",
            "deadline": "2026-11-01",
            "lead_unit": unit.pk,
            "co_units": [unit.pk],
            "leader": leader.pk,
            "matter": "完成 20 间智慧教室改造。",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "办理时限不能早于交办时间。" in page
    assert "主办单位不必再列为协办单位。" in page
    assert 'value="建设智慧教室"' in page
    assert SupervisedTask.objects.count() == 0


def test_the_office_registers_a_task_and_lands_on_its_page_with_its_number(client, office, unit, leader):
    client.force_login(office)
    response = client.post(
        reverse("supervision:task_create"),
        {
            "title": "建设智慧教室",
            "source": "work_plan",
            "kind": "special",
            "assigned_on": "2026-11-20",
            "deadline": "2026-12-20",
            "lead_unit": unit.pk,
            "leader": leader.pk,
            "matter": "完成 20 间智慧教室改造。",
        },
        follow=True,
    )
    assert "已立项登记，编号 督〔2026〕1号。" in response.content.decode()


def test_the_list_filters_by_state_unit_and_colour(client, office, unit, other_unit, leader):
    register(office, lead_unit=unit, leader=leader, title="教务处红色事项", deadline=dt.date(2026, 11, 10))
    register(office, lead_unit=other_unit, leader=leader, title="科研处绿色事项")
    client.force_login(office)
    page = client.get(reverse("supervision:task_list"), {"colour": "red"}).content.decode()
    assert "教务处红色事项" in page
    assert "科研处绿色事项" not in page
    page = client.get(reverse("supervision:task_list"), {"unit": other_unit.pk}).content.decode()
    assert "教务处红色事项" not in page
    assert "科研处绿色事项" in page
    page = client.get(reverse("supervision:task_list"), {"q": "绿色", "state": "registered"}).content.decode()
    assert "科研处绿色事项" in page
    assert "教务处红色事项" not in page


def test_the_filters_selects_keep_the_choice_and_escape_names(client, office, other_unit, leader):
    """The selects are written in Python (supervision.filters.ListSelect): the chosen option stays selected and a
    name is text, never markup."""
    odd = DepartmentFactory(name='<b>"附属"</b>医院', code="fsyy")
    register(office, lead_unit=odd, leader=leader, title="附属医院事项")
    client.force_login(office)
    page = client.get(
        reverse("supervision:task_list"), {"unit": odd.pk, "state": "registered"}
    ).content.decode()
    assert f'<option value="{odd.pk}" selected>&lt;b&gt;&quot;附属&quot;&lt;/b&gt;医院</option>' in page
    assert '<option value="registered" selected>立项登记</option>' in page
    assert '<option value="" >' not in page
    assert '<option value="">全部</option>' in page
    assert '<b>"附属"</b>' not in page
    assert "附属医院事项" in page


def _many_tasks(office, leader, count):
    for i in range(count):
        unit = DepartmentFactory()
        UnitContactFactory(organization=unit)
        co = DepartmentFactory()
        task = register(
            office,
            lead_unit=unit,
            leader=leader,
            co_units=[co],
            title=f"事项{i}",
            deadline=dt.date(2026, 11, 10) if i % 2 else dt.date(2026, 11, 24),
        )
        walk(task, "in_progress", office=office)


def test_the_list_and_panels_run_a_constant_number_of_queries(
    client, office, leader, django_assert_max_num_queries
):
    _many_tasks(office, leader, 3)
    client.force_login(office)
    client.get(reverse("supervision:task_list"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("supervision:task_list"))
    today = dt.date(2026, 11, 20)
    with django_assert_max_num_queries(10) as panel_few:
        selectors.office_panel(today=today)
        selectors.leader_panel(leader, today=today)
    _many_tasks(office, leader, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("supervision:task_list"))
    with django_assert_max_num_queries(len(panel_few.captured_queries)):
        panel = selectors.office_panel(today=today)
        mine = selectors.leader_panel(leader, today=today)
    assert panel.red == 7
    assert panel.amber == 8
    assert mine.counts == {"red": 7, "amber": 8, "green": 0}


def test_the_calendar_feed_carries_the_deadlines_of_the_tasks_a_person_answers_for(
    office, task, liaison, leader
):
    for person in (liaison, leader):
        (item,) = selectors.calendar_items(person, dt.date(2026, 11, 1), dt.date(2027, 1, 31))
        assert item.start == dt.date(2026, 12, 31)
        assert item.summary == "督办事项办理时限：督〔2026〕1号 本单位的事项"
