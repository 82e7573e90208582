"""Issue 8: the admin's list of sent reminders shows what went to whom. On an office PC (1280 px, the admin's menu
and filters open) the office reads each email's recipient, address and what it reminded of without scrolling the
table sideways: what it reminded of is not squeezed into a sliver or cut off at the table's right edge."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communication.tests.factories import office_user
from governance.models import ObligationRule, ReminderDigest, ReminderKind, ReminderSent
from governance.tests.factories import ClauseFactory, LeadershipTeamFactory, PersonFactory, UniversityFactory

pytestmark = pytest.mark.browser
REMINDED = "即将到期：党政正职与班子每一位成员谈心（与王院长）"


@pytest.fixture
def sent(transactional_db, wednesday):
    """Two emails of the morning's run, with subjects as long as the run writes them."""
    office_user(username="bangongshi")
    rule = ObligationRule.objects.create(
        code="t-talk",
        title="党政正职与班子每一位成员谈心",
        subject="position",
        period="year",
        clause=ClauseFactory(),
        organization=UniversityFactory(),
        evidence_source="communication.talk",
    )
    secretary = PersonFactory(name="李书记", email="lishuji-wenxueyuan@example.edu.cn")
    dean = PersonFactory(name="王院长", email="wangyuanzhang-wenxueyuan@example.edu.cn")
    for person, counterpart in ((secretary, dean), (dean, secretary)):
        digest = ReminderDigest.objects.create(
            person=person,
            to_email=person.email,
            subject="[党委办公室] 您有 2 项即将到期的工作；另有：待您答复的师生诉求（004 第五条7）、督办事项经 10 次催办仍未报结（第六条）",
            body_text=f"{person.name}同志：您好！",
            sent_at=timezone.now(),
            attempts=1,
        )
        ReminderSent.objects.create(
            person=person,
            rule=rule,
            team=LeadershipTeamFactory(),
            period_start=dt.date(2026, 1, 1),
            counterpart=counterpart,
            kind=ReminderKind.DUE_SOON,
            digest=digest,
        )


def test_the_office_reads_to_whom_each_reminder_went_and_what_it_reminded_of_without_scrolling_sideways(
    live_server, page, sent, log_in, console_errors
):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in("bangongshi")
    page.goto(f"{live_server.url}/admin/governance/reminderdigest/")

    table = page.locator("#changelist .results")
    row = page.locator("#result_list tbody tr").filter(has_text="lishuji-wenxueyuan@example.edu.cn")
    expect(row).to_have_count(1)
    expect(row.locator("th, td").nth(1)).to_contain_text("李书记")
    reminded = row.locator("td.field-reminded_of")
    expect(reminded).to_contain_text(REMINDED)

    page.wait_for_load_state()  # measured before its stylesheets arrive, a table is wider
    box, cell = table.bounding_box(), reminded.bounding_box()
    # Within the table's visible part, not behind its sideways scroll bar …
    assert cell["x"] + cell["width"] <= box["x"] + box["width"] + 1, (cell, box)
    # … and wide enough to read a line of it rather than a character a line.
    assert cell["width"] >= 16 * 14, cell
    assert page.evaluate("(e => e.scrollWidth <= e.clientWidth + 1)", table.element_handle())
    assert console_errors == []
