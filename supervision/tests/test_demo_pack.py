"""The demo adopts the supervision pack (第三条（一）: the half-yearly round) for 江城大学, citing the university's own
regulation, so that after `make run` the round shows on the university leaders' dashboards; a second run changes
nothing."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from governance.models import ObligationRule
from governance.services.demo import demo_seed

pytestmark = pytest.mark.django_db

OWN_TITLE = "中共江城大学委员会工作落实督查督办工作制度"


def test_the_demo_adopts_the_half_yearly_round_citing_the_universitys_own_regulation(client):
    result = demo_seed()
    rule = ObligationRule.objects.select_related("clause__regulation", "organization").get(
        code="003-supervision-periodic-round"
    )
    assert rule.organization.name == "江城大学"
    assert rule.clause.number == "第三条（一）"
    assert rule.clause.regulation.title == OWN_TITLE
    assert rule.clause.regulation.reference.code == "003-supervision"
    assert any(
        line.startswith("规则包“校党委工作落实督查督办工作制度（003）” → 江城大学") for line in result.records
    )

    client.force_login(get_user_model().objects.get(username="shuji"))
    dashboard = client.get("/").content.decode()
    assert "定期督查（年度重点工作）" in dashboard
    assert OWN_TITLE in dashboard
    # The real institution whose regulation the pack was modelled on is named only as the 参照 (tests/test_demo_names).
    outside_references = re.sub(
        r'<span class="[^"]*reference-note[^"]*">.*?</span>', "", dashboard, flags=re.S
    )
    assert "武汉软件工程职业学院" not in outside_references

    again = demo_seed()
    assert any(
        line.endswith("新增 0 条，更新 0 条，未变 2 条") for line in again.records if "督查督办" in line
    )
    assert ObligationRule.objects.filter(code="003-supervision-periodic-round").count() == 1
    # 第五条: the lead unit's progress reports on long tasks, owed by the units' people (an event_owners rule).
    progress = ObligationRule.objects.get(code="003-supervision-progress-report")
    assert (progress.subject, progress.period, progress.clause.number) == (
        "event_owners",
        "before_event",
        "第五条",
    )
