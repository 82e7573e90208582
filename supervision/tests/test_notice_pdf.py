"""The printed notices as PDF downloads: the 督查督办通知单 (第四条（二）) and the graded warning notices, made from the
print page's template with WeasyPrint, Chinese in a CJK font, named in Chinese, seen only by those who see the task,
and made without the network (static files from disk, every other URL refused)."""

from __future__ import annotations

import datetime as dt
import io
import re
from urllib.parse import quote

import pytest
from django.urls import reverse
from pypdf import PdfReader

from governance import roles
from governance.pdf import RefusedFetch, make_fetcher, static_file_path
from governance.tests.factories import UserFactory
from supervision import services
from supervision.tests.factories import register, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(office, unit, leader):
    return walk(
        register(
            office,
            lead_unit=unit,
            leader=leader,
            title="完成本科教学审核评估整改",
            matter="对照审核评估专家组意见逐项整改，形成整改报告。",
            deadline=dt.date(2026, 11, 16),
        ),
        "in_progress",
        office=office,
    )


@pytest.fixture
def red_notice(task, office):
    return services.warning_issue(task=task, user=office, note="请说明逾期原因")


def _pdf(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def _text(reader: PdfReader) -> str:
    """The PDF's text; the title's letter-spacing comes out as spaces between its characters."""
    text = "".join(page.extract_text() for page in reader.pages)
    return re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", text)


def _fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_the_notice_downloads_as_a_pdf_named_after_the_task_with_its_number_and_matter(client, office, task):
    client.force_login(office)
    response = client.get(reverse("supervision:notice_pdf", args=[task.pk]))
    reader = _pdf(response)
    filename = f"督查督办通知单-{task.number}.pdf"
    assert f"filename*=utf-8''{quote(filename)}" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    text = _text(reader)
    assert task.number.startswith("督〔2026〕")
    assert task.number in text
    assert "督查督办通知单" in text
    assert "对照审核评估专家组意见逐项整改，形成整改报告。" in text
    assert "2026年11月16日前" in text
    # The page's own print stylesheet was read: its serif CJK face, not a fallback (or boxes).
    assert any("Noto-Serif-CJK-SC" in name for name in _fonts(reader)), _fonts(reader)
    assert len(reader.pages) == 1
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4


def test_the_pdf_leaves_out_the_screens_toolbar(client, office, task):
    client.force_login(office)
    text = _text(_pdf(client.get(reverse("supervision:notice_pdf", args=[task.pk]))))
    assert "返回督办事项" not in text
    assert "下载 PDF" not in text


def test_a_red_warning_downloads_as_a_pdf_with_its_level_in_the_name_and_the_text(
    client, office, task, red_notice
):
    client.force_login(office)
    response = client.get(reverse("supervision:warning_pdf", args=[task.pk, red_notice.pk]))
    reader = _pdf(response)
    assert f"filename*=utf-8''{quote(f'红色预警督办单-{task.number}.pdf')}" in response["Content-Disposition"]
    text = _text(reader)
    assert "红色预警督办单" in text
    assert task.number in text
    assert "完成本科教学审核评估整改" in text
    assert "请说明逾期原因" in text


def test_the_task_page_and_the_print_pages_link_to_the_pdf(client, office, task, red_notice):
    client.force_login(office)
    notice_pdf = reverse("supervision:notice_pdf", args=[task.pk])
    warning_pdf = reverse("supervision:warning_pdf", args=[task.pk, red_notice.pk])
    page = client.get(task.get_absolute_url()).content.decode()
    assert notice_pdf in page
    assert warning_pdf in page
    printed = client.get(reverse("supervision:notice_print", args=[task.pk])).content.decode()
    assert f'href="{notice_pdf}">下载 PDF</a>' in printed
    printed = client.get(red_notice.get_absolute_url()).content.decode()
    assert f'href="{warning_pdf}">下载 PDF</a>' in printed


def test_the_units_people_and_the_leader_download_their_tasks_notices(
    client, task, red_notice, liaison, leader
):
    for user in (liaison.user, leader.user):
        client.force_login(user)
        assert task.number in _text(_pdf(client.get(reverse("supervision:notice_pdf", args=[task.pk]))))
        response = client.get(reverse("supervision:warning_pdf", args=[task.pk, red_notice.pk]))
        assert response.status_code == 200


def test_another_units_people_cannot_download_the_notices_by_url(client, task, red_notice, other_liaison):
    client.force_login(other_liaison.user)
    assert client.get(reverse("supervision:notice_pdf", args=[task.pk])).status_code == 404
    assert client.get(reverse("supervision:warning_pdf", args=[task.pk, red_notice.pk])).status_code == 404


def test_staff_and_anonymous_visitors_get_no_pdf(client, task, red_notice):
    url = reverse("supervision:notice_pdf", args=[task.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client.force_login(UserFactory(groups=(roles.STAFF,)))
    assert client.get(url).status_code == 403
    assert client.get(reverse("supervision:warning_pdf", args=[task.pk, red_notice.pk])).status_code == 403


def test_a_warning_of_another_task_is_not_found_under_this_task(
    client, office, unit, leader, task, red_notice
):
    other = register(office, lead_unit=unit, leader=leader, title="另一事项")
    client.force_login(office)
    assert client.get(reverse("supervision:warning_pdf", args=[other.pk, red_notice.pk])).status_code == 404


def test_the_pdf_reads_this_sites_static_files_from_disk_and_refuses_other_urls():
    css = static_file_path("http://testserver/static/supervision/notice.css", origin="http://testserver")
    assert css.endswith("supervision/static/supervision/notice.css")
    for url in (
        "https://cdn.example.com/static/supervision/notice.css",  # another host
        "http://testserver/private/supervision/secret.txt",  # not a static file
        "http://testserver/static/../governance/settings/base.py",
        "http://testserver/static/supervision/missing.css",
    ):
        with pytest.raises(RefusedFetch):
            static_file_path(url, origin="http://testserver")
    fetcher = make_fetcher("http://testserver")
    with pytest.raises(ValueError, match="不加载|protocol"):
        fetcher.fetch("file:///etc/passwd")
    response = fetcher.fetch("http://testserver/static/supervision/notice.css")
    assert b"@page { size: A4" in response.read()
    assert response.content_type == "text/css"
