"""The notices as PDF (督查督办, 第四条（二）): the lead unit's liaison opens the task, downloads the 督查督办通知单 as a
PDF from the task's page and from the print page, next to 打印, and gets a file named in Chinese that holds the task's
number and matter; then the red warning notice the office issued, the same way. Another unit's liaison who types the
PDF's address gets the site's 页面不存在 page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from governance.tests.factories import SemesterFactory
from supervision import services
from supervision.tests.factories import DepartmentFactory, UnitContactFactory, office_user, university_leader

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db, wednesday):
    SemesterFactory()
    office = office_user(username="bangongshi")
    unit = DepartmentFactory(name="教务处", code="jwc")
    other = DepartmentFactory(name="科学研究处", code="kyc")
    UnitContactFactory(organization=unit, person__name="罗联络", person__user__username="jwc_lianluo")
    UnitContactFactory(organization=other, person__name="任联络", person__user__username="kyc_lianluo")
    task = services.task_register(
        registered_by=office,
        title="修订学生手册",
        source="work_plan",
        kind="special",
        assigned_on=dt.date(2026, 11, 2),
        lead_unit=unit,
        leader=university_leader("黄副校长"),
        matter="完成学生手册修订并印发。",
        deadline=dt.date(2026, 11, 20),
    )
    task = services.task_notify(task=task, user=office, method="notice")
    task = services.task_accept(task=task, user=office)
    warning = services.warning_issue(task=task, user=office, note="请说明逾期原因")
    return {"task": task, "warning": warning}


def _pdf_text(download) -> str:
    with open(download.path(), "rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return "".join(page.extract_text() for page in reader.pages).replace(" ", "")


def test_the_liaison_downloads_the_notice_and_the_warning_as_pdf(
    page, live_server, world, log_in, console_errors
):
    task = world["task"]
    log_in("jwc_lianluo")
    page.goto(f"{live_server.url}/supervision/tasks/{task.pk}/")
    with page.expect_download() as notice:
        page.get_by_role("link", name="下载 PDF").click()
    assert notice.value.suggested_filename == f"督查督办通知单-{task.number}.pdf"
    text = _pdf_text(notice.value)
    assert task.number in text
    assert "完成学生手册修订并印发。" in text

    page.get_by_role("link", name="打印督查督办通知单").click()
    expect(page.get_by_role("heading", name="督查督办通知单")).to_be_visible()
    expect(page.get_by_role("button", name="打印")).to_be_visible()
    with page.expect_download() as again:
        page.get_by_role("link", name="下载 PDF").click()
    assert again.value.suggested_filename == f"督查督办通知单-{task.number}.pdf"

    page.goto(f"{live_server.url}/supervision/tasks/{task.pk}/")
    with page.expect_download() as warning:
        page.locator(".warning-pdf").click()
    assert warning.value.suggested_filename == f"红色预警督办单-{task.number}.pdf"
    text = _pdf_text(warning.value)
    assert "红色预警督办单" in text
    assert "请说明逾期原因" in text
    assert console_errors == []


def test_another_units_liaison_cannot_download_the_notice_by_its_address(page, live_server, world, log_in):
    log_in("kyc_lianluo")
    response = page.goto(f"{live_server.url}/supervision/tasks/{world['task'].pk}/notice.pdf")
    assert response.status == 404
    expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
