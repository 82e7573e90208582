"""The core's audit-history reader (governance.history), on a core model: each change says who, when, why and what
changed, old → new, as pages show values (a choice's label, 是/否, a related record's name, dates and local times,
— for nothing); long texts are said to have changed, never quoted; a field the viewer may not see is left out; rows
one change wrote are one entry; the queries do not grow with the history. Every family's history page uses it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from governance.history import EMPTY, Change, plain_value, record_changes
from governance.models import Organization
from governance.tests.factories import OrganizationFactory, UniversityFactory, UserFactory

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")


def _save(record, *, by=None, reason="", **values):
    for name, value in values.items():
        setattr(record, name, value)
    record._history_user = by
    record._change_reason = reason
    record.save()
    for name in ("_history_user", "_change_reason"):
        record.__dict__.pop(name, None)


@pytest.fixture
def clock():
    with time_machine.travel(dt.datetime(2026, 12, 4, 9, 0, tzinfo=BEIJING), tick=False) as traveller:
        yield traveller


def test_values_show_as_pages_show_them():
    assert plain_value(True) == "是"
    assert plain_value(False) == "否"
    assert plain_value(dt.date(2026, 12, 4)) == "2026-12-04"
    assert plain_value(dt.time(9, 30)) == "09:30"
    assert plain_value(dt.datetime(2026, 12, 4, 1, 30, tzinfo=dt.UTC)) == "2026-12-04 09:30"  # Beijing time
    assert plain_value(Decimal("2.0")) == "2"
    assert plain_value(Decimal("1.5")) == "1.5"
    assert plain_value(None) == EMPTY
    assert plain_value("") == EMPTY


def test_a_change_shows_each_field_old_and_new_with_choice_labels_names_and_yes_no(clock):
    office = UserFactory(username="bangongshi", first_name="张敏")
    university = UniversityFactory()
    other_parent = OrganizationFactory(name="继续教育学院", code="jxjy", kind=Organization.Kind.COLLEGE)
    branch = OrganizationFactory(
        name="教工党支部", code="jgdzb", kind=Organization.Kind.BRANCH, parent=university
    )
    clock.shift(dt.timedelta(minutes=5))
    _save(
        branch, by=office, reason="调整隶属关系", parent=other_parent, is_active=False, short_name="教工支部"
    )

    changed, created = record_changes(branch)
    assert created.kind == "created"
    assert created.changes == []
    assert (changed.kind, changed.action, changed.who, changed.reason) == (
        "changed",
        "修改",
        "张敏",
        "调整隶属关系",
    )
    assert changed.when == dt.datetime(2026, 12, 4, 9, 5, tzinfo=BEIJING)
    assert changed.changes == [
        Change("简称", EMPTY, "教工支部"),
        Change("上级组织", "示例大学", "继续教育学院"),
        Change("在用", "是", "否"),
    ]


def test_a_choice_shows_its_label(clock):
    unit = OrganizationFactory(name="后勤处", code="hqc", kind=Organization.Kind.COLLEGE)
    clock.shift(dt.timedelta(minutes=1))
    _save(unit, reason="更正类型", kind=Organization.Kind.DEPARTMENT)
    assert record_changes(unit)[0].changes == [Change("类型", "学院", "职能部门")]


def test_a_long_text_is_said_to_have_changed_never_quoted_and_a_hidden_field_is_left_out(clock):
    unit = OrganizationFactory(name="文学院", code="wxy")
    clock.shift(dt.timedelta(minutes=1))
    _save(unit, reason="更正", name="文学与新闻学院", short_name="文新", order=3)
    changes = record_changes(unit, long=("name",), exclude=("order",))[0].changes
    assert changes == [Change("名称", quoted=False), Change("简称", EMPTY, "文新")]


def test_rows_written_by_one_change_a_few_seconds_apart_are_one_entry_and_an_empty_save_is_left_out(clock):
    office = UserFactory(username="bangongshi")
    unit = OrganizationFactory(name="文学院", code="wxy")
    clock.shift(dt.timedelta(minutes=1))
    _save(unit, by=office, reason="更正名称", name="文学与新闻学院")
    clock.shift(dt.timedelta(seconds=1))
    _save(unit, by=office, reason="更正名称", short_name="文新")
    clock.shift(dt.timedelta(minutes=1))
    _save(unit, by=office)  # the admin's "save" without edits
    entries = record_changes(unit)
    assert [e.kind for e in entries] == ["changed", "created"]
    assert [c.label for c in entries[0].changes] == ["名称", "简称"]


@pytest.mark.parametrize("changes", [1, 10])
def test_the_queries_do_not_grow_with_the_history(clock, changes, django_assert_max_num_queries):
    parents = [OrganizationFactory(name=f"学院{n}", code=f"xy{n}") for n in range(3)]
    branch = OrganizationFactory(name="党支部", code="dzb", kind=Organization.Kind.BRANCH, parent=parents[0])
    for n in range(changes):
        clock.shift(dt.timedelta(minutes=1))
        _save(branch, reason=f"第{n + 1}次调整", parent=parents[(n + 1) % 3], order=n + 1)
    with django_assert_max_num_queries(2):  # the rows with their users, the organizations' names
        entries = record_changes(branch)
    assert len(entries) == changes + 1
