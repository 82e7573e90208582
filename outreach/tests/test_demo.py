"""The outreach demo: one issue a linked college raised, which the leader in charge asked the office to have supervised
and the office turned into a supervised task through outreach/services/escalation.py (004 第六条4; 督查督办 第二条（四））;
its number follows the year's supervision demo tasks, whose own numbers stay gap-free and unchanged (outreach/family.py:
demo_after). Also a leader's request to list an issue for the 校长办公会, left for the office."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from governance.services.demo import demo_seed
from outreach.models import IssueEvent, IssueEventKind, RaisedIssue

pytestmark = pytest.mark.django_db

TITLE = "公共选修课容量不足，学生选不上课"


@pytest.fixture
def seeded():
    return demo_seed()


def test_the_demo_turns_an_issue_into_a_supervised_task_after_the_leader_in_charge_asked(seeded):
    issue = RaisedIssue.objects.select_related(
        "owner", "supervised_task__leader", "supervised_task__lead_unit"
    ).get(title=TITLE)
    task = issue.supervised_task
    assert task is not None
    assert (task.leader.name, task.lead_unit.code) == ("黄晓峰", "jwc")
    assert f"师生诉求 #{issue.pk}" in task.source_detail
    kinds = list(issue.events.values_list("kind", "by__username"))
    assert (IssueEventKind.ASKED_TASK, "fuxiaozhang") in kinds
    assert (IssueEventKind.TASKED, "office") in kinds
    assert issue.state == "open"  # still to be answered and fed back (件件有回音)
    assert any(task.number in line for line in seeded.records)


def test_the_demo_task_takes_the_years_next_number_after_supervisions_own_gap_free_ones(seeded):
    issue = RaisedIssue.objects.select_related("supervised_task").get(title=TITLE)
    Task = RaisedIssue._meta.get_field("supervised_task").related_model
    mine = issue.supervised_task
    others = list(Task.objects.filter(year=mine.year).exclude(pk=mine.pk).order_by("sequence"))
    assert others, "supervision's demo has tasks in the current year"
    assert [t.sequence for t in others] == list(range(1, len(others) + 1))
    assert mine.sequence == len(others) + 1
    assert all(t.pk < mine.pk for t in others)  # registered after supervision's demo


def test_the_office_finds_the_leaders_pending_request_on_its_home(seeded):
    asked = IssueEvent.objects.select_related("issue").get(kind=IssueEventKind.ASKED_AGENDA)
    assert asked.issue.agenda_item is None
    client = Client()
    client.force_login(get_user_model().objects.get(username="office"))
    home = client.get("/").content.decode()
    assert "校领导提请上会或督办，待办理 1 条" in home
    assert asked.issue.get_absolute_url() in home


def test_a_second_run_adds_no_task(seeded):
    Task = RaisedIssue._meta.get_field("supervised_task").related_model
    count = Task.objects.count()
    demo_seed()
    assert Task.objects.count() == count
    assert RaisedIssue.objects.filter(title=TITLE).count() == 1


def test_every_outreach_record_a_demo_leaders_dashboard_counts_opens_for_them(seeded):
    """QA #5: the president's 已计入 重阳节 visit (a team record he did not attend) gave 404 from his dashboard."""
    import re

    opened = 0
    for username in ("xiaozhang", "shuji", "fuxiaozhang"):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        home = client.get("/").content.decode()
        for url in sorted(set(re.findall(r'href="(/outreach/activities/\d+/)"', home))):
            assert client.get(url).status_code == 200, (username, url)
            opened += 1
    assert opened
