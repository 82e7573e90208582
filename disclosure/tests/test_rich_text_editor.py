"""The content editor of a disclosure item (issue 11: rich text from a locally served editor, sanitized on save with
nh3): its assets come from /static/ (the installed django-prose-editor, no CDN), its import map carries the page's
CSP nonce and nothing else inline is allowed ('unsafe-inline' never), the field is a textarea underneath (it works
without JavaScript), and whatever the toolbar can produce survives the sanitizer while anything else does not."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from disclosure.models import DisclosureItem
from disclosure.sanitize import sanitize_html
from disclosure.tests.factories import TODAY

pytestmark = pytest.mark.django_db

EDITOR_ASSETS = (
    "django_prose_editor/editor.js",
    "django_prose_editor/editor.css",
    "django_prose_editor/material-icons.css",
    "disclosure/rich-text.js",
    "disclosure/rich-text-i18n.js",
    "disclosure/rich-text.css",
)


def _form_page(user):
    client = Client()
    client.force_login(user)
    return client.get(reverse("disclosure:item_create"))


def _script_src(response) -> str:
    policy = response.headers["Content-Security-Policy"]
    return next(d for d in policy.split(";") if d.strip().startswith("script-src")).strip()


def test_the_item_form_loads_the_editor_from_the_sites_own_static_files(office):
    body = _form_page(office).content.decode()
    for asset in EDITOR_ASSETS:
        assert f'"/static/{asset}"' in body
        assert finders.find(asset), f"{asset} is served by an installed app"
    assert '"django-prose-editor/editor": "/static/django_prose_editor/editor.js"' in body
    urls = re.findall(r'(?:src|href)="([^"]+)"', body)
    assert not [url for url in urls if url.startswith(("http:", "https:", "//"))]


def test_the_content_stays_a_textarea_for_browsers_without_javascript(office):
    body = _form_page(office).content.decode()
    textarea = re.search(r"<textarea[^>]*name=\"content\"[^>]*>", body).group(0)
    assert "data-disclosure-rich-text" in textarea
    assert 'maxlength="50000"' in textarea
    assert "编辑器没有出现时直接输入文字即可，空一行为新段落。" in body


def test_the_help_names_the_formats_in_plain_chinese_not_html_tags(office):
    """QA walk-through (issue 11): the help listed raw HTML tags to the office's staff."""
    body = _form_page(office).content.decode()
    assert "可用：标题、加粗、倾斜、下划线、列表、引用、链接、表格，用编辑器上方的按钮设置。" in body
    assert "&lt;p&gt;" not in body
    assert "&amp;lt;" not in body
    assert "HTML" not in body


def test_the_import_map_carries_the_nonce_the_policy_allows_and_nothing_is_unsafe_inline(office):
    response = _form_page(office)
    script_src = _script_src(response)
    nonce = re.search(r"'nonce-([^']+)'", script_src).group(1)
    body = response.content.decode()
    assert f'<script type="importmap" nonce="{nonce}">' in body
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert len(re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", body)) == 1, (
        "the import map is the only inline script"
    )


def test_a_page_without_the_editor_sends_no_nonce(office):
    client = Client()
    client.force_login(office)
    response = client.get(reverse("disclosure:item_list"))
    assert _script_src(response) == "script-src 'self'"
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


# What django-prose-editor's toolbar (bold, italic, underline, h3/h4, lists, blockquote, link, table) writes.
EDITOR_OUTPUT = (
    "<h3>一、收缴情况</h3><h4>（一）总体</h4>"
    "<p>全校党费<strong>按时足额</strong>收缴，<em>无</em>拖欠，<u>已公示</u>。</p>"
    "<ul><li><p>第一党支部</p></li></ul><ol><li><p>第二党支部</p></li></ol>"
    "<blockquote><p>党费是党员对党组织的经常性支持。</p></blockquote>"
    '<p><a target="_blank" rel="noopener noreferrer nofollow" href="https://www.example.edu.cn/">校园网</a></p>'
    '<table><tbody><tr><th colspan="1" rowspan="1"><p>支部</p></th></tr>'
    '<tr><td colspan="1" rowspan="1"><p>机关</p></td></tr></tbody></table>'
)


def test_everything_the_toolbar_writes_survives_the_sanitizer():
    clean = sanitize_html(EDITOR_OUTPUT)
    for kept in (
        "<h3>一、收缴情况</h3>",
        "<h4>（一）总体</h4>",
        "<strong>按时足额</strong>",
        "<em>无</em>",
        "<u>已公示</u>",
        "<ul><li><p>第一党支部</p></li></ul>",
        "<ol><li><p>第二党支部</p></li></ol>",
        "<blockquote><p>党费是党员对党组织的经常性支持。</p></blockquote>",
        '<a href="https://www.example.edu.cn/" rel="noopener noreferrer">校园网</a>',
        '<th colspan="1" rowspan="1"><p>支部</p></th>',
        '<td colspan="1" rowspan="1"><p>机关</p></td>',
    ):
        assert kept in clean
    assert "target=" not in clean
    assert "nofollow" not in clean


def test_editor_html_with_unsafe_markup_is_stored_sanitized(office):
    """The editor is a convenience, not the guard: a hand-made request gets nh3 all the same."""
    client = Client()
    client.force_login(office)
    dirty = EDITOR_OUTPUT + (
        '<h1 style="color:red">大标题</h1><p onclick="steal()">正文</p><script>alert(1)</script>'
        '<p><a href="javascript:alert(1)">链接</a></p>'
    )
    client.post(
        reverse("disclosure:item_create"),
        {
            "title": "2026年第三季度党费收缴管理情况",
            "category": "organization",
            "content": dirty,
            "nature": "routine",
            "scope": "members",
            "form": "bulletin",
            "publish_from": TODAY.isoformat(),
        },
    )
    stored = DisclosureItem.objects.get().content
    for bad in ("<h1", "style=", "onclick", "<script", "javascript:", "alert("):
        assert bad not in stored
    assert "<strong>按时足额</strong>" in stored
    assert "大标题" in stored
