"""English as the second language: the catalogue in locale/en is complete, and choosing English in the switcher
(the django_language cookie) turns the pages English, while without that choice the site stays Chinese.

The rendering tests read the compiled catalogue (locale/en/LC_MESSAGES/django.mo), which `make test` builds from the
.po before pytest runs; the catalogue test reads the .po itself, in pure Python."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from communication.tests.factories import make_college_team
from governance.tests.factories import PASSWORD, SemesterFactory, UserFactory

EN_PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
EN_MO = EN_PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


# Reading the .po -------------------------------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # 0 for a singular entry; the plural index otherwise
    flags: set[str] = field(default_factory=set)
    line: int = 0


def po_entries(path: Path) -> list[Entry]:
    """The entries of a .po file, header and obsolete (#~) entries left out. Enough of the format for makemessages'
    output: flags, msgctxt, msgid, msgid_plural, msgstr, msgstr[n] and continuation lines."""
    entries: list[Entry] = []
    entry, target = Entry(), None

    def finish() -> None:
        nonlocal entry, target
        if target is not None and entry.msgid:
            entries.append(entry)
        entry, target = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#,"):
            if target is not None and target[0] == "msgstr":
                finish()
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            if target is not None and target[0] == "msgstr":
                finish()
        elif line.startswith('"'):
            _append(entry, target, json.loads(line))
        else:
            keyword, _, value = line.partition(" ")
            if keyword.startswith("msgstr"):
                index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
                target = ("msgstr", index)
                entry.msgstr[index] = ""
            elif keyword in ("msgid", "msgid_plural", "msgctxt"):
                if target is not None and target[0] == "msgstr":
                    finish()
                target = (keyword, None)
                entry.line = entry.line or number
            else:
                raise AssertionError(f"{path.name}:{number}: cannot read {raw!r}")
            _append(entry, target, json.loads(value))
    finish()
    return entries


def _append(entry: Entry, target: tuple[str, int | None] | None, text: str) -> None:
    if target is None:
        return
    keyword, index = target
    if keyword == "msgid":
        entry.msgid += text
    elif keyword == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + text
    elif keyword == "msgstr":
        entry.msgstr[index] += text


def test_every_message_in_the_english_catalogue_is_translated_and_none_is_fuzzy():
    entries = po_entries(EN_PO)

    assert len(entries) > 500  # the whole UI, not a stub
    untranslated = [e.msgid for e in entries if not e.msgstr or not all(s.strip() for s in e.msgstr.values())]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []
    assert "#, fuzzy" not in EN_PO.read_text(encoding="utf-8")  # the header too


def test_every_english_translation_keeps_the_placeholders_of_its_chinese_message():
    mismatched = []
    for entry in po_entries(EN_PO):
        for index, translation in entry.msgstr.items():
            source = entry.msgid_plural if entry.msgid_plural is not None and index > 0 else entry.msgid
            if sorted(PLACEHOLDER.findall(translation)) != sorted(PLACEHOLDER.findall(source)):
                mismatched.append((entry.line, entry.msgid, translation))
            if source.endswith("\n") != translation.endswith("\n"):
                mismatched.append((entry.line, entry.msgid, translation))
    assert mismatched == []


def test_plural_messages_have_an_english_singular_and_plural():
    plurals = [e for e in po_entries(EN_PO) if e.msgid_plural is not None]

    assert plurals
    for entry in plurals:
        assert sorted(entry.msgstr) == [0, 1], entry.msgid


def test_the_reader_of_the_catalogue_finds_untranslated_and_fuzzy_entries(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        'msgid "登录"\nmsgstr "Log in"\n\n'
        '#: templates/x.html:1\nmsgid "退出"\nmsgstr ""\n\n'
        '#, fuzzy, python-format\nmsgid ""\n"欢迎，%(name)s"\nmsgstr "Welcome, %(name)s"\n\n'
        '#, python-format\nmsgid "%(n)s 项已逾期"\nmsgid_plural "%(n)s 项已逾期"\n'
        'msgstr[0] "%(n)s overdue"\nmsgstr[1] ""\n',
        encoding="utf-8",
    )

    entries = {e.msgid: e for e in po_entries(po)}

    assert list(entries) == ["登录", "退出", "欢迎，%(name)s", "%(n)s 项已逾期"]
    assert entries["登录"].msgstr == {0: "Log in"}
    assert entries["退出"].msgstr == {0: ""}
    assert "fuzzy" in entries["欢迎，%(name)s"].flags
    assert entries["%(n)s 项已逾期"].msgstr == {0: "%(n)s overdue", 1: ""}


# Rendering ------------------------------------------------------------------------------------------------------


@pytest.fixture
def english(client):
    """The client as a user who picked English in the language switcher."""
    assert EN_MO.exists(), f"{EN_MO} is missing: run `make compilemessages` (make test does it before pytest)"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _page(response) -> str:
    return response.content.decode()


def _text(page: str) -> str:
    """What a reader sees in <main>: tags dropped, entities decoded, whitespace collapsed."""
    main = re.search(r"<main\b.*?</main>", page, re.S)[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


@pytest.mark.django_db
def test_without_a_chosen_language_the_login_page_is_chinese(client):
    page = _page(client.get(reverse("login")))

    assert '<html lang="zh-hans">' in page
    assert "<title>登录 · 党委办公室</title>" in page
    assert "用户名" in page
    assert "忘记密码或账号被锁定，请联系党委办公室。" in page
    assert "Log in" not in page
    assert "Username" not in page


@pytest.mark.django_db
def test_an_english_browser_that_chose_no_language_still_gets_the_chinese_login_page(client):
    page = _page(client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))

    assert '<html lang="zh-hans">' in page
    assert "<title>登录 · 党委办公室</title>" in page
    assert "Username" not in page


@pytest.mark.django_db
def test_with_english_chosen_the_login_page_shows_english_labels_instead_of_chinese(english):
    response = english.get(reverse("login"))

    page = _page(response)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    assert '<html lang="en">' in page
    assert "<title>Log in · Party Committee Office</title>" in page
    text = _text(page)
    assert "Username" in text
    assert "Password" in text
    assert (
        "If you have forgotten your password or your account is locked, please contact the Party Committee Office."
        in text
    )
    for chinese in ("登录", "用户名", "密码", "忘记密码", "党委办公室"):
        assert chinese not in text
    assert "Skip to main content" in page
    assert "Party Committee Office · Leadership Team Work Platform" in page


@pytest.mark.django_db
def test_choosing_english_in_the_switcher_turns_the_login_page_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")}, follow=True)

    page = _page(response)
    assert response.redirect_chain == [(reverse("login"), 302)]
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "<title>Log in · Party Committee Office</title>" in page
    assert "Username" in page
    assert "用户名" not in page


@pytest.mark.django_db
def test_a_wrong_password_in_english_is_refused_with_an_english_page(english):
    UserFactory(username="leader")

    response = english.post(reverse("login"), {"username": "leader", "password": PASSWORD + "-wrong"})

    text = _text(_page(response))
    assert response.status_code == 200
    assert "Please enter a correct username and password." in text
    assert "请输入一个正确的用户名和密码" not in text


# A leader's home page --------------------------------------------------------------------------------------------


@pytest.fixture
def college_secretary(db):
    """李书记, Party Secretary of 文学院 under pack 000, on Wednesday 2026-11-25 in the autumn semester."""
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        SemesterFactory()
        _college, people = make_college_team()
        yield people[0]


def test_a_leader_who_chose_english_sees_their_home_page_headings_in_english(english, college_secretary):
    english.force_login(college_secretary.user)

    response = english.get(reverse("home"))

    page = _page(response)
    text = _text(page)
    assert response.status_code == 200
    assert "<title>My home · Party Committee Office</title>" in page
    # The obligations panel (governance/includes/obligations_panel.html).
    assert '<h2 id="obligations-heading" class="h5 mb-0">My requirements</h2>' in page
    assert re.search(r"\b1 overdue\b", text)
    assert re.search(r"\b\d+ due soon\b", text)
    assert "Done 0/1" in text
    assert "Meetings: recorded by the Party Committee Office" in text
    assert "with 王院长" in text
    # Periods and dates read in English too: the two-week cycle of 碰头会 (000 四（四）) and its day.
    assert re.search(r"Two weeks \(November \d+ – (?:November|December) \d+\)", text)
    assert "Today is Wednesday, Nov. 25, 2026" in text
    assert re.search(
        r" \((?:January|February|March|April|May|June|July|August|September|October|November|December) \d",
        text,
    )
    # The communication side panel and the positions.
    assert "Agenda items awaiting my opinion" in text
    assert "Upcoming meetings (next 30 days)" in text
    assert "Current positions" in text
    assert "Areas in charge" in text
    assert "Party Secretary" in text
    for chinese in (
        "我的工作要求",
        "项已逾期",
        "项即将到期",
        "待我发表意见的议题",
        "现任职务",
        "分管",
        "会议由党委办公室登记",
        "双周",
        "月23日",
    ):
        assert chinese not in text


def test_the_same_leader_home_page_stays_chinese_without_the_english_choice(client, college_secretary):
    client.force_login(college_secretary.user)

    page = _page(client.get(reverse("home")))

    assert "<title>我的首页 · 党委办公室</title>" in page
    assert '<h2 id="obligations-heading" class="h5 mb-0">我的工作要求</h2>' in page
    assert "1 项已逾期" in page
    assert "现任职务" in page
    assert "My requirements" not in page
    assert "Current positions" not in page
