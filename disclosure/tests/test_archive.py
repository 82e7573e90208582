"""The archive (四（四）资料归档: 对历次公开的内容和相关材料……分类归档保存): archived items and the versions a re-disclosure
replaced (三（一）4), searchable by year, category, scope and text, each viewer seeing what was disclosed to them (the one
visibility rule of disclosure.permissions), the office also the items past their window; its Excel register is the
office's; the page asks a constant number of queries."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from disclosure import services
from disclosure.models import Category, ItemState, Scope
from disclosure.tests.factories import TODAY, propose, walk

pytestmark = pytest.mark.django_db

ARCHIVE = reverse("disclosure:archive")


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _archived(office, approver, **fields):
    return walk(propose(office, **fields), ItemState.ARCHIVED, office=office, approver=approver)


def _rows(response) -> int:
    return response.content.decode().count('class="disclosure-archive-row"')


def test_the_archive_lists_archived_items_and_replaced_versions_but_not_live_ones(office, approver):
    _archived(office, approver, title="二〇二五年党费收缴情况", scope=Scope.PUBLIC)
    first = walk(
        propose(office, title="校领导接待日安排", content="<p>行政楼一楼。</p>", scope=Scope.PUBLIC),
        ItemState.PUBLISHED,
        office=office,
        approver=approver,
    )
    second = services.item_revise(item=first, user=office)
    services.item_update(item=second, user=office, content="<p>学生事务中心。</p>")
    walk(second, ItemState.PUBLISHED, office=office, approver=approver)
    walk(
        propose(office, title="正在公开的事项", scope=Scope.PUBLIC),
        ItemState.PUBLISHED,
        office=office,
        approver=approver,
    )
    body = Client().get(ARCHIVE).content.decode()
    assert "二〇二五年党费收缴情况" in body
    assert "校领导接待日安排" in body
    assert "已由第 2 版替代" in body
    assert "正在公开的事项" not in body


def test_each_viewer_finds_in_the_archive_only_what_was_disclosed_to_them(
    office, approver, leader, member, staff
):
    for scope in (Scope.LEADERS, Scope.MEMBERS, Scope.STAFF, Scope.PUBLIC):
        _archived(office, approver, title=f"归档-{scope}", scope=scope)
    expected = {
        None: {"public"},
        staff: {"public", "staff"},
        member: {"public", "staff", "members"},
        leader: {"public", "staff", "members", "leaders"},
        office: {"public", "staff", "members", "leaders"},
    }
    for user, scopes in expected.items():
        body = _client(user).get(ARCHIVE).content.decode()
        shown = {s for s in ("leaders", "members", "staff", "public") if f"归档-{s}" in body}
        assert shown == scopes, user


def test_an_archived_item_outside_the_scope_is_404_by_url_and_attachment_for_the_person(
    office, approver, member, staff
):
    item = _archived(
        office,
        approver,
        title="党员发展情况",
        scope=Scope.MEMBERS,
        files=[SimpleUploadedFile("名单.pdf", b"%PDF-1.4 list", content_type="application/pdf")],
    )
    attachment = reverse("disclosure:attachment_download", args=[item.attachments.get().pk])
    assert _client(member).get(item.get_absolute_url()).status_code == 200
    assert _client(member).get(attachment).status_code == 200
    assert _client(staff).get(item.get_absolute_url()).status_code == 404
    assert _client(staff).get(attachment).status_code == 404
    assert _client(staff).get(reverse("disclosure:item_history", args=[item.pk])).status_code == 404
    assert _client(member).get(reverse("disclosure:item_history", args=[item.pk])).status_code == 404


def test_an_item_never_published_is_not_in_anyones_archive_but_the_office_sees_expired_ones(
    office, approver, member
):
    walk(
        propose(office, title="退回的事项", scope=Scope.PUBLIC),
        ItemState.RETURNED,
        office=office,
        approver=approver,
    )
    walk(
        propose(
            office,
            title="已过公开期的公示",
            scope=Scope.PUBLIC,
            publish_from=TODAY - dt.timedelta(days=20),
            publish_until=TODAY - dt.timedelta(days=1),
        ),
        ItemState.PUBLISHED,
        office=office,
        approver=approver,
    )
    for user in (None, member, office):
        assert "退回的事项" not in _client(user).get(ARCHIVE).content.decode()
    assert "已过公开期的公示" not in _client(member).get(ARCHIVE).content.decode()
    office_body = _client(office).get(ARCHIVE).content.decode()
    assert "已过公开期的公示" in office_body
    assert "已过公开期" in office_body


def test_the_archive_is_searched_by_year_category_scope_and_words_of_the_content(office, approver):
    _archived(
        office,
        approver,
        title="年度党委工作计划",
        content="<p>全年安排中心组学习十二次。</p>",
        category=Category.OPERATION,
        scope=Scope.PUBLIC,
        publish_from=dt.date(2025, 3, 1),
    )
    _archived(
        office,
        approver,
        title="干部任前公示",
        content="<p>拟任处级干部三名。</p>",
        category=Category.CADRES,
        scope=Scope.STAFF,
        publish_from=TODAY,
    )
    client = _client(office)
    assert _rows(client.get(ARCHIVE)) == 2
    only = {
        "?year=2025": "年度党委工作计划",
        "?category=cadres": "干部任前公示",
        "?scope=staff": "干部任前公示",
        "?q=中心组": "年度党委工作计划",
        "?q=处级+干部": "干部任前公示",
    }
    for query, title in only.items():
        response = client.get(ARCHIVE + query)
        assert _rows(response) == 1, query
        assert title in response.content.decode(), query


def test_a_bad_filter_value_is_explained_and_the_other_filters_still_apply(office, approver):
    _archived(office, approver, title="干部任前公示", category=Category.CADRES, scope=Scope.PUBLIC)
    _archived(office, approver, title="党费收缴", category=Category.ORGANIZATION, scope=Scope.PUBLIC)
    response = _client(office).get(ARCHIVE + "?year=abc&category=cadres")
    assert response.status_code == 200
    body = response.content.decode()
    assert "有筛选条件无效，已忽略，其余条件照常筛选。" in body
    assert _rows(response) == 1
    assert "干部任前公示" in body


@pytest.mark.parametrize("who", ["office", "member", "anonymous"])
def test_the_archive_asks_as_many_queries_for_four_items_as_for_one(
    who, office, approver, member, django_assert_max_num_queries
):
    user = {"office": office, "member": member, "anonymous": None}[who]
    client = _client(user)
    _archived(office, approver, scope=Scope.PUBLIC)
    client.get(ARCHIVE)
    with CaptureQueriesContext(connection) as one:
        client.get(ARCHIVE)
    for _ in range(3):
        _archived(office, approver, scope=Scope.PUBLIC)
    with django_assert_max_num_queries(len(one)):
        response = client.get(ARCHIVE)
    assert _rows(response) == 4


def test_the_office_exports_the_filtered_archive_to_excel_and_no_one_else_may(office, approver, member):
    _archived(office, approver, title="干部任前公示", category=Category.CADRES, scope=Scope.PUBLIC)
    _archived(office, approver, title="党费收缴", category=Category.ORGANIZATION, scope=Scope.PUBLIC)
    page = _client(office).get(ARCHIVE + "?category=cadres").content.decode()
    assert reverse("disclosure:archive_export") + "?category=cadres" in page
    response = _client(office).get(reverse("disclosure:archive_export") + "?category=cadres")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.cell(row=5, column=2).value == "干部任前公示"
    assert ws.cell(row=5, column=11).value == "已归档"
    assert ws.cell(row=6, column=2).value is None
    assert "导出 Excel 登记簿" not in _client(member).get(ARCHIVE).content.decode()
    assert _client(member).get(reverse("disclosure:archive_export")).status_code == 403
    assert Client().get(reverse("disclosure:archive_export")).status_code == 302
