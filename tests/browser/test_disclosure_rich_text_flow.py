"""Writing a disclosure item's content in the rich-text editor on a phone (issue 11): the office types a paragraph
with a bold phrase and a bulleted list using the editor's toolbar, saves, and the item page shows the formatting, as
sanitized on save; no Content-Security-Policy error in the console, and no sideways scrolling at 390 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from disclosure.models import DisclosureItem
from disclosure.tests.factories import office_user

pytestmark = pytest.mark.browser

TITLE = "2026年第三季度党费收缴管理情况"


@pytest.fixture
def world(transactional_db, wednesday, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    office_user(username="bangongshi")


def _page_width(page) -> tuple[int, int]:
    page.wait_for_load_state()
    return page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")


def test_the_office_writes_bold_text_and_a_list_in_the_editor_on_a_phone_and_the_item_shows_them(
    page, live_server, world, log_in, flash_message, console_errors
):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in("bangongshi")
    page.goto(f"{live_server.url}/disclosure/items/new/")
    page.get_by_label("公开事项").fill(TITLE)
    page.get_by_label("公开内容类别（二（一））").select_option(label="基层组织建设情况")

    editor = page.get_by_role("textbox", name=re.compile("^公开内容"))
    expect(editor).to_be_visible()
    expect(page.locator("textarea[name=content]")).to_be_hidden()
    toolbar = page.locator(".prose-menubar")
    for offered in ("加粗", "倾斜", "下划线", "项目符号列表", "编号列表", "引用", "插入链接", "插入表格"):
        expect(toolbar.get_by_role("button", name=offered)).to_have_count(1)
    expect(toolbar.get_by_role("button", name=re.compile("image|图片|strike", re.I))).to_have_count(0)
    # Nothing the sanitizer would drop: no images, no strike-through, no numbering styles (a `type` attribute).
    expect(toolbar.locator("[data-name=orderedListProperties]")).to_have_count(0)
    assert _page_width(page)[0] <= _page_width(page)[1]

    editor.click()
    page.keyboard.type("第三季度全校党费")
    toolbar.get_by_role("button", name="加粗").click()
    page.keyboard.type("按时足额")
    toolbar.get_by_role("button", name="加粗").click()
    page.keyboard.type("收缴。")
    page.keyboard.press("Enter")
    toolbar.get_by_role("button", name="项目符号列表").click()
    page.keyboard.type("机关第一党支部")
    page.keyboard.press("Enter")
    page.keyboard.type("机关第二党支部")
    expect(editor.locator("strong")).to_have_text("按时足额")
    expect(editor.locator("ul > li")).to_have_count(2)

    page.get_by_label("工作性质（三（三））").select_option(label="常规性工作")
    page.get_by_label("公开范围（三（二））").select_option(label="全体党员")
    page.get_by_role("button", name="提出公开事项").click()

    expect(flash_message("已登记拟公开事项")).to_be_visible()
    content = page.locator(".disclosure-content")
    expect(content.locator("p").first).to_have_text("第三季度全校党费按时足额收缴。")
    expect(content.locator("strong")).to_have_text("按时足额")
    expect(content.locator("ul > li")).to_have_text(["机关第一党支部", "机关第二党支部"])
    stored = DisclosureItem.objects.get(title=TITLE).content
    assert "<strong>按时足额</strong>" in stored
    assert "<ul><li><p>机关第一党支部</p></li><li><p>机关第二党支部</p></li></ul>" in stored
    scroll_width, client_width = _page_width(page)
    assert scroll_width <= client_width
    assert console_errors == []


def test_the_office_makes_a_heading_from_the_block_menu_and_reads_the_help_in_plain_chinese(
    page, live_server, world, log_in, console_errors
):
    """QA walk-through (issue 11): the block menu's marker was a missing-glyph box (the package's "⏷", in no font the
    office has) and the help listed raw HTML tags."""
    page.set_viewport_size({"width": 390, "height": 844})
    log_in("bangongshi")
    page.goto(f"{live_server.url}/disclosure/items/new/")
    page.wait_for_load_state()
    help_text = page.locator(".form-text").filter(has_text="可用：")
    expect(help_text).to_contain_text("可用：标题、加粗、倾斜、下划线、列表、引用、链接、表格")
    expect(help_text).not_to_contain_text("<")
    expect(help_text).not_to_contain_text("HTML")

    menu = page.locator(".prose-menubar__selected")
    expect(menu).to_be_visible()
    # The marker is drawn (borders), not a character: nothing for a font to miss.
    marker = menu.evaluate(
        "el => { const s = getComputedStyle(el, '::after'); return [s.content, s.borderTopWidth, s.fontFamily] }"
    )
    assert marker[0] in ('""', "none"), marker
    assert marker[1] == "5px", marker
    # The toolbar's icons come from the Material Icons font the package ships, served from /static/.
    assert page.evaluate(
        """async () => {
            await document.fonts.ready
            return [...document.fonts].some(f => f.family.replaceAll('"', "") === "Material Icons" && f.status === "loaded")
        }"""
    )

    editor = page.get_by_role("textbox", name=re.compile("^公开内容"))
    editor.click()
    menu.click()
    page.locator(".prose-menubar__option", has_text="三级标题").click()
    page.keyboard.type("一、收缴情况")
    expect(editor.locator("h3")).to_have_text("一、收缴情况")
    expect(page.locator(".prose-menubar__selected button")).to_have_attribute("title", "三级标题")
    assert console_errors == []
