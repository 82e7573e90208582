"""The ledger (台账) in Excel: the export opens with openpyxl and shows the list page's tasks, in its order, with the
columns of 第四条（一）; text that looks like a formula stays text. The import of an office's existing ledger shows a
preview, names each bad row's row and column in Chinese, and saves nothing unless every row is valid."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from supervision.models import SupervisedTask, TaskNumberCounter, TaskState
from supervision.tests.factories import register, walk

pytestmark = pytest.mark.django_db


def _sheet(response):
    wb = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    ws = wb.active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "立项编号")
    header = rows[header_at]
    return header, [dict(zip(header, r, strict=True)) for r in rows[header_at + 1 :]]


def test_the_export_opens_with_openpyxl_and_matches_the_list_page(client, office, unit, other_unit, leader):
    walk(
        register(office, lead_unit=unit, leader=leader, title="修订教学管理办法"),
        "in_progress",
        office=office,
    )
    register(office, lead_unit=other_unit, leader=leader, title='=HYPERLINK("http://x")', co_units=[unit])
    register(office, lead_unit=unit, leader=leader, title="完成评估整改", deadline=dt.date(2026, 11, 24))
    client.force_login(office)
    page = client.get(reverse("supervision:task_list")).content.decode()
    header, rows = _sheet(client.get(reverse("supervision:ledger_export")))
    for column in ("立项编号", "交办时间", "主办单位", "协办单位", "督办事项", "办理时限", "工作要求"):
        assert column in header  # 第四条（一）
    numbers_on_page = list(dict.fromkeys(re.findall(r"督〔2026〕\d+号", page)))
    assert [r["立项编号"] for r in rows] == numbers_on_page
    by_number = {r["立项编号"]: r for r in rows}
    first = by_number["督〔2026〕1号"]
    assert first["督办事项"] == "修订教学管理办法"
    assert first["主办单位"] == "教务处"
    assert first["分管校领导"] == "黄副校长"
    assert first["办理时限"] == "2026-12-31"
    assert first["办理状态"] == "办理中"
    assert by_number["督〔2026〕3号"]["期限"] == "临近期限"
    injected = by_number["督〔2026〕2号"]
    assert injected["督办事项"] == '\'=HYPERLINK("http://x")'  # text, never a formula
    assert injected["协办单位"] == "教务处"


def test_the_export_follows_the_lists_filters_and_the_users_view(
    client, office, unit, other_unit, leader, liaison
):
    register(office, lead_unit=unit, leader=leader, title="本单位的")
    register(office, lead_unit=other_unit, leader=leader, title="别的单位的")
    client.force_login(office)
    _, rows = _sheet(client.get(reverse("supervision:ledger_export"), {"unit": other_unit.pk}))
    assert [r["督办事项"] for r in rows] == ["别的单位的"]
    client.force_login(liaison.user)
    _, rows = _sheet(client.get(reverse("supervision:ledger_export")))
    assert [r["督办事项"] for r in rows] == ["本单位的"]


HEAD = [
    "督办事项",
    "事项来源",
    "交办时间",
    "主办单位",
    "协办单位",
    "分管校领导",
    "督办内容",
    "办理时限",
    "工作要求",
]


def _ledger(*rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["党委办公室督办台账（2026）"])
    ws.append(HEAD)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("台账.xlsx", out.getvalue())


GOOD = [
    "修订学生手册",
    "年度工作要点、折子工程",
    dt.datetime(2026, 3, 2),
    "教务处",
    "",
    "黄副校长",
    "完成修订。",
    "2026-06-30",
    "",
]


def test_a_good_ledger_is_previewed_then_imported_with_numbers(client, office, unit, other_unit, leader):
    client.force_login(office)
    url = reverse("supervision:ledger_import")
    second = [
        "建设智慧校园",
        "上级交办、批示事项",
        "2026/04/01",
        "科学研究处",
        "教务处",
        "黄副校长",
        "按要求建设。",
        "2026年9月30日",
        "每月报进展",
    ]
    response = client.post(url, {"file": _ledger(GOOD, second)})
    page = response.content.decode()
    assert "确认导入 2 项" in page
    assert "修订学生手册" in page
    assert not SupervisedTask.objects.exists()  # a preview saves nothing
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302
    tasks = list(SupervisedTask.objects.order_by("sequence"))
    assert [(t.number, t.title, t.state) for t in tasks] == [
        ("督〔2026〕1号", "修订学生手册", TaskState.REGISTERED),
        ("督〔2026〕2号", "建设智慧校园", TaskState.REGISTERED),
    ]
    assert tasks[1].deadline == dt.date(2026, 9, 30)
    assert list(tasks[1].co_units.all()) == [unit]
    assert tasks[0].recorded_by == office


def test_a_bad_row_names_its_row_and_column_and_nothing_is_saved(client, office, unit, leader):
    client.force_login(office)
    bad = ["", "会议决议", "2026-13-01", "不存在的处", "", "黄副校长", "内容", "2026-06-30", ""]
    response = client.post(reverse("supervision:ledger_import"), {"file": _ledger(GOOD, bad)})
    page = response.content.decode()
    assert "没有导入任何事项" in page
    assert "第 4 行“督办事项”：请填写督办事项。" in page
    assert "第 4 行“事项来源”：“会议决议”不是可选的事项来源" in page
    assert "第 4 行“交办时间”：“2026-13-01”不是日期" in page
    assert "第 4 行“主办单位”：没有名为“不存在的处”的学院或职能部门。" in page
    assert "第 3 行" not in page
    assert "import-confirm" not in page
    assert not SupervisedTask.objects.exists()
    assert TaskNumberCounter.objects.filter(last__gt=0).count() == 0  # no number used up
    assert client.post(reverse("supervision:ledger_import"), {"confirm": "1"}).status_code == 302
    assert not SupervisedTask.objects.exists()  # nothing left to confirm


def test_a_row_the_registration_refuses_is_named_too(client, office, unit, leader):
    client.force_login(office)
    late = [
        "修订学生手册",
        "年度工作要点、折子工程",
        "2026-07-01",
        "教务处",
        "",
        "黄副校长",
        "内容",
        "2026-06-30",
        "",
    ]
    twice = [
        "建设智慧校园",
        "上级交办、批示事项",
        "2026-04-01",
        "教务处",
        "教务处",
        "黄副校长",
        "内容",
        "2026-09-30",
        "",
    ]
    page = client.post(
        reverse("supervision:ledger_import"), {"file": _ledger(GOOD, late, twice)}
    ).content.decode()
    assert "第 4 行“办理时限”：办理时限不能早于交办时间。" in page
    assert "第 5 行“协办单位”：主办单位不必再列为协办单位。" in page
    assert not SupervisedTask.objects.exists()


def test_a_file_without_the_columns_says_which_are_missing(client, office):
    client.force_login(office)
    wb = Workbook()
    wb.active.append(["督办事项", "主办单位"])
    out = io.BytesIO()
    wb.save(out)
    page = client.post(
        reverse("supervision:ledger_import"), {"file": SimpleUploadedFile("x.xlsx", out.getvalue())}
    ).content.decode()
    assert "缺少这些列：事项来源、交办时间、分管校领导、督办内容、办理时限。" in page
    page = client.post(
        reverse("supervision:ledger_import"), {"file": SimpleUploadedFile("x.xlsx", b"not excel")}
    ).content.decode()
    assert "无法读取这个文件" in page


def test_only_the_office_imports(client, liaison, leader):
    for user in (liaison.user, leader.user):
        client.force_login(user)
        assert client.get(reverse("supervision:ledger_import")).status_code == 403
        assert client.post(reverse("supervision:ledger_import"), {"file": _ledger(GOOD)}).status_code == 403
    assert not SupervisedTask.objects.exists()
