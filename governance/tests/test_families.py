"""The family contract (governance.families): whatever a family registers shows up in the core's menu, home pages,
calendar feed, reminder digest, admin shortcuts and demo — with no family named in the core.

The families here are samples made in the test; the real ones (communication …) are swapped out for the test."""

# ruff: noqa: F811 - the reminder tests' fixtures are imported by name
from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
import time_machine
from django.urls import reverse

from governance import families, roles
from governance.families import (
    AdminCard,
    AdminLink,
    CalendarItem,
    DemoContext,
    DigestLine,
    DigestSection,
    Family,
    Panel,
)
from governance.models import ReminderDigest, ReminderSectionSent
from governance.services.demo import demo_seed
from governance.services.icalendar_feed import calendar_feed_regenerate
from governance.services.reminders import reminders_collect, reminders_plan
from governance.tests.factories import UserFactory
from governance.tests.test_reminders import (  # noqa: F401 - fixtures
    FRIDAY,
    at,
    college,
    queued,
    rules,
    run_worker,
    site_url,
    source,
    subject_of,
    university,
)

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture
def sample_templates(settings):
    engines = [dict(engine) for engine in settings.TEMPLATES]
    engines[0]["DIRS"] = [*engines[0].get("DIRS", []), TEMPLATES]
    settings.TEMPLATES = engines


@pytest.fixture
def registry(monkeypatch) -> dict[str, Family]:
    """Only the families a test registers."""
    registered: dict[str, Family] = {}
    monkeypatch.setattr(families, "_FAMILIES", registered)
    return registered


def sample(name="sample", **kwargs) -> Family:
    kwargs.setdefault("label", "示例模块")
    kwargs.setdefault("index_url", "calendar:page")
    return Family(name=name, **kwargs)


def test_a_registered_family_is_in_the_menu_and_the_module_cards_of_those_it_allows(client, registry):
    families.register(sample(description="示例模块的说明"))
    families.register(sample("office_only", label="仅办公室可见", nav_visible=roles.is_office))
    leader = UserFactory(groups=[roles.LEADERS])
    office = UserFactory(groups=[roles.OFFICE], is_staff=True)

    client.force_login(leader)
    page = client.get(reverse("home")).text
    assert "示例模块" in page
    assert "仅办公室可见" not in page

    client.force_login(office)
    page = client.get(reverse("home")).text
    assert "示例模块" in page
    assert "示例模块的说明" in page
    assert "仅办公室可见" in page
    assert f'href="{reverse("calendar:page")}"' in page


def test_the_leader_home_shows_each_familys_panel_in_order(client, registry, sample_templates, college):
    families.register(
        sample(
            "second",
            leader_panel=Panel(
                "sample_family/leader_panel.html",
                select=lambda person, today: {"greeting": "第二个面板"},
                order=20,
            ),
        )
    )
    families.register(
        sample(
            "first",
            leader_panel=Panel(
                "sample_family/leader_panel.html",
                select=lambda person, today: {"greeting": f"{person.name}，今天是{today:%m-%d}"},
                order=10,
            ),
        )
    )
    with time_machine.travel(at(FRIDAY), tick=False):
        client.force_login(college.secretary.user)
        page = client.get(reverse("home")).text

    assert "张书记，今天是01-08" in page
    assert page.index("张书记，今天是01-08") < page.index("第二个面板")


def test_a_party_members_and_a_staff_members_home_show_each_familys_member_panel(
    client, registry, sample_templates
):
    families.register(
        sample(
            member_panel=Panel(
                "sample_family/leader_panel.html",
                select=lambda user, today: {"greeting": f"{user.username}，今天是{today:%m-%d}"},
            ),
        )
    )
    families.register(
        sample("leader_only", leader_panel=Panel("sample_family/leader_panel.html", select=dict))
    )
    with time_machine.travel(at(FRIDAY), tick=False):
        for username, group in (("dangyuan", roles.PARTY_MEMBERS), ("jiaozhigong", roles.STAFF)):
            client.force_login(UserFactory(username=username, groups=[group]))
            page = client.get(reverse("home")).text
            assert f"{username}，今天是01-08" in page
            assert page.count("member-panels") == 1


def test_the_office_home_shows_each_familys_attention_panel_and_admin_cards(
    client, registry, sample_templates
):
    families.register(
        sample(
            office_panel=Panel(
                "sample_family/office_panel.html", select=lambda today: {"greeting": "示例关注"}
            ),
            admin_cards=(
                AdminCard(
                    "示例记录",
                    "示例模块的后台入口",
                    (AdminLink("人员", "admin:governance_person_changelist"),),
                ),
            ),
        )
    )
    client.force_login(UserFactory(groups=[roles.OFFICE], is_staff=True))

    page = client.get(reverse("home")).text

    assert "sample-office-panel" in page
    assert "示例关注" in page
    assert "示例模块的后台入口" in page
    assert f'href="{reverse("admin:governance_person_changelist")}"' in page


def test_a_familys_calendar_items_are_in_the_persons_feed(client, registry, college, site_url):
    shanghai = dt.timezone(dt.timedelta(hours=8))

    def items(person, start, end):
        return [
            CalendarItem(
                uid=f"sample-{person.pk}",
                start=dt.datetime(2027, 1, 11, 9, 0, tzinfo=shanghai),
                end=dt.datetime(2027, 1, 11, 10, 0, tzinfo=shanghai),
                summary="示例活动",
                location="行政楼 301",
                url="/sample/1/",
                confidential=True,
            )
        ]

    families.register(sample(calendar_items=items))
    feed = calendar_feed_regenerate(person=college.dean)
    with time_machine.travel(at(FRIDAY), tick=False):
        body = client.get(reverse("calendar:feed", args=[feed.token])).content

    events = {str(e["SUMMARY"]): e for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}
    event = events["示例活动"]
    assert str(event["UID"]) == f"sample-{college.dean.pk}@portal.example.edu.cn"
    assert str(event["URL"]) == "https://portal.example.edu.cn/sample/1/"
    assert str(event["LOCATION"]) == "行政楼 301"
    assert str(event["CLASS"]) == "CONFIDENTIAL"


def _sections(key: str):
    def provide(people, today):
        return {
            p.pk: [
                DigestSection(
                    "sample", "待您处理的示例事项", (DigestLine("示例事项一", "/sample/1/", "示例说明"),), key
                )
            ]
            for p in people
            if p.name == "李院长"
        }

    return provide


def test_a_familys_digest_section_goes_in_the_same_one_email_as_the_obligations(
    registry, college, smtp_sink, site_url, queued, django_capture_on_commit_callbacks
):
    families.register(sample(digest_sections=_sections("items:1")))
    families.register(sample("other", digest_sections=_sections("items:9")))

    with time_machine.travel(at(FRIDAY), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            reminders_collect(today=FRIDAY)
        run_worker(queued)

    dean_emails = [m for m in smtp_sink.messages if m["to"] == [college.dean.contact_email]]
    assert len(dean_emails) == 1
    body = dean_emails[0]["message"].get_body(preferencelist=("plain",)).get_content()
    assert "【待您处理的示例事项】" in body
    assert "示例事项一（示例说明）" in body
    assert "https://portal.example.edu.cn/sample/1/" in body
    assert "已逾期" in body  # the obligations of the same person, in the same email
    assert ReminderSectionSent.objects.filter(person=college.dean).count() == 2
    # The subject names the sections beside the count, and the footer does not claim that a section, which may be
    # repeated (an urging), is sent only once.
    subject = str(dean_emails[0]["message"]["subject"]).strip()
    assert subject.startswith("[党委办公室] 您有 ")
    assert subject.endswith("的工作；另有：待您处理的示例事项")
    assert "以上各项工作要求只提醒两次：即将到期时一次，逾期后一次。" in body
    assert "其余事项在有新情况时提醒；需要催办的，按规定的周期重复提醒，直至办结。" in body
    assert "每项工作只提醒一次" not in body


def test_a_section_is_sent_once_per_state_and_again_when_it_changes(
    registry, college, smtp_sink, site_url, queued, django_capture_on_commit_callbacks
):
    family = sample(digest_sections=_sections("items:1"))
    families.register(family)
    with time_machine.travel(at(FRIDAY), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            reminders_collect(today=FRIDAY)
        run_worker(queued)
    assert ReminderDigest.objects.filter(person=college.dean).count() == 1

    next_day = FRIDAY + dt.timedelta(days=1)
    with time_machine.travel(at(next_day), tick=False):
        assert reminders_plan(today=next_day).recipients == []

        families.register(sample(digest_sections=_sections("items:1,2")))
        plan = reminders_plan(today=next_day)
    (entry,) = plan.recipients
    assert entry.person == college.dean
    assert entry.items == []
    assert [s.key for s in entry.sections] == ["items:1,2"]
    with time_machine.travel(at(next_day), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            reminders_collect(today=next_day)
        run_worker(queued)
    second = [m for m in smtp_sink.messages if m["to"] == [college.dean.contact_email]][-1]
    assert "您有新的待办：待您处理的示例事项" in str(second["message"]["subject"])


def test_seed_demo_runs_each_familys_demo_records(registry, monkeypatch):
    seen: list[DemoContext] = []

    def demo(context: DemoContext) -> list[str]:
        seen.append(context)
        return ["示例记录：新建 3 条"]

    families.register(sample(demo=demo))

    result = demo_seed()

    assert result.records == ["示例记录：新建 3 条"]
    (context,) = seen
    assert context.university.code == result.university.code
    assert "wxy" in context.organizations


def test_registering_a_family_registers_its_evidence_sources(registry, monkeypatch):
    from governance.engine import evidence

    monkeypatch.setattr(evidence, "_SOURCES", {})
    monkeypatch.setattr(evidence, "_EVENT_SOURCES", {})

    class Source:
        code = "sample.record"
        label = "示例记录"
        office_records = False

    families.register(sample(evidence_sources=(Source(),), event_sources=(Source(),)))

    assert evidence.get_source("sample.record").label == "示例记录"
    assert evidence.get_event_source("sample.record").label == "示例记录"


def test_seed_demo_runs_a_familys_demo_after_the_families_it_builds_on(registry):
    ran: list[str] = []

    def demo_of(name: str):
        def demo(context: DemoContext) -> list[str]:
            ran.append(name)
            return []

        return demo

    families.register(sample("first", order=10, demo=demo_of("first"), demo_after=("third", "unknown")))
    families.register(sample("second", order=20, demo=demo_of("second")))
    families.register(sample("third", order=30, demo=demo_of("third")))

    demo_seed()

    assert ran == ["second", "third", "first"]
    assert [f.name for f in families.families()] == ["first", "second", "third"]  # the menu keeps its order


def test_families_that_wait_for_each_other_keep_the_menu_order(registry):
    families.register(sample("first", order=10, demo_after=("second",)))
    families.register(sample("second", order=20, demo_after=("first",)))
    assert [f.name for f in families.demo_order()] == ["first", "second"]


def test_the_dry_run_prints_a_familys_section_lines_with_their_links(registry, college, site_url, capsys):
    """`send_reminders --dry-run` shows what the email will say, links included, for the families' sections too."""
    from django.core.management import call_command

    families.register(sample(digest_sections=_sections("items:1")))
    with time_machine.travel(at(FRIDAY), tick=False):
        call_command("send_reminders", "--dry-run", "--on", FRIDAY.isoformat())

    out = capsys.readouterr().out
    assert "  【待您处理的示例事项】" in out
    assert "    示例事项一（示例说明）" in out
    assert "      办理：https://portal.example.edu.cn/sample/1/" in out
    assert ReminderDigest.objects.count() == 0


def test_a_family_adds_a_link_to_another_familys_page_for_whom_it_chooses(registry):
    """`Family.page_actions`: the page asks `page_actions(page, user, record)` and names no family."""
    from governance.families import PageAction, page_actions

    def offer(user, record):
        return (
            [PageAction("转为示例事项", f"/sample/new/?from={record}", "依据示例条款")]
            if user == "office"
            else []
        )

    families.register(sample(page_actions={"other.record": offer}))
    families.register(sample("silent"))

    assert page_actions("other.record", "office", 7) == [
        PageAction("转为示例事项", "/sample/new/?from=7", "依据示例条款")
    ]
    assert page_actions("other.record", "leader", 7) == []
    assert page_actions("another.page", "office", 7) == []
