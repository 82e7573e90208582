"""The notice email (督查督办通知, 第四条（二）; QA walk-through of issue 9, defect 7): it goes to every 承办单位 — the lead
unit's head and liaisons, and each co-unit's, told they co-handle it and who leads (第一条（一）) — and it carries what
the printed notice does: the matter, the content (督办内容), the requirements (工作要求), the deadline, the report cycle
(第五条) and the link. Sent after the commit, through a real SMTP server."""

from __future__ import annotations

import pytest

from supervision import services
from supervision.tests.factories import UnitContactFactory, register, walk

pytestmark = pytest.mark.django_db(transaction=True)


def _body(message) -> str:
    return message["message"].get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


@pytest.fixture
def people(unit, other_unit, liaison, other_liaison):
    head = UnitContactFactory(organization=unit, role="head", person__name="高处长").person
    return {"lead": [liaison, head], "co": [other_liaison]}


def test_the_notice_goes_to_the_lead_and_the_co_units_heads_and_liaisons_with_the_whole_notice(
    office, unit, other_unit, leader, people, smtp_sink
):
    task = register(
        office,
        lead_unit=unit,
        leader=leader,
        title="联合申报国家级教学成果奖",
        co_units=[other_unit],
        matter="组织申报 2026 年国家级教学成果奖，形成申报材料。",
        requirements="材料须经学术委员会审议；每两周报送进展。",
        report_cycle=14,
    )
    walk(task, "notified", office=office)
    by_subject = {str(m["message"]["subject"]).strip(): m for m in smtp_sink.messages}
    lead = by_subject["[党委办公室] 督查督办通知：督〔2026〕1号 联合申报国家级教学成果奖"]
    co = by_subject["[党委办公室] 督查督办通知（协办）：督〔2026〕1号 联合申报国家级教学成果奖"]
    assert sorted(lead["to"]) == sorted(p.contact_email for p in people["lead"])
    assert co["to"] == [people["co"][0].contact_email]
    lead_body = _body(lead)
    co_body = _body(co)
    assert "贵单位主办以下督办事项" in lead_body
    assert "协办单位科学研究处协同办理，请牵头协调（第一条（一））。" in lead_body
    assert "贵单位是以下督办事项的协办单位，主办单位是教务处。" in co_body
    for body in (lead_body, co_body):
        assert "督办事项：联合申报国家级教学成果奖" in body
        assert "协办单位：科学研究处" in body
        assert "分管校领导：黄副校长" in body
        assert "办理时限：2026年12月31日" in body
        assert "进展反馈：每两周向督查小组报送一次办理进展（第五条）" in body
        assert "督办内容：\n组织申报 2026 年国家级教学成果奖，形成申报材料。" in body
        assert "工作要求：\n材料须经学术委员会审议；每两周报送进展。" in body
        assert f"/supervision/tasks/{task.pk}/" in body


def test_a_task_without_co_units_or_requirements_says_so_plainly(office, unit, leader, liaison, smtp_sink):
    task = register(office, lead_unit=unit, leader=leader, title="修订学籍管理办法")
    services.task_notify(task=task, user=office, method="notice")
    (message,) = smtp_sink.messages
    body = _body(message)
    assert message["to"] == [liaison.contact_email]
    assert "协办单位：无" in body
    assert "督办内容：\n完成全校本科专业人才培养方案修订。" in body
    assert "工作要求" not in body
    assert "进展反馈" not in body
