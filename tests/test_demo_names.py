"""The demo's university is fictional (江城大学, issue 8): its pages cite its own regulations, under its own titles,
and name the real institutions whose regulations the policy packs were modelled on only as 参照 (reference). It is
江城大学 everywhere — never the short "江大", which a 文号 such as 江大党发〔2025〕12号 may still begin with."""

from __future__ import annotations

import html
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from communication.models import AgendaItem, Meeting, MeetingKind
from governance.models import LeadershipTeam, ObligationRule, Person, Regulation
from governance.services.demo import demo_seed
from governance.services.icalendar_feed import calendar_feed_regenerate

pytestmark = pytest.mark.django_db

# The real institutions (and provinces) the shipped regulations come from.
REAL_NAMES = (
    "广西师范大学",
    "武术与表演学院",
    "首都体育学院",
    "武汉软件工程职业学院",
    "武汉市广播电视大学",
    "肇庆学院",
    "广西",
    "广东",
)
# An element marked as a reference: <span class="… reference-note">参照：…</span> (never nested in its own kind).
REFERENCE = re.compile(r'<(span|div|p)\b[^>]*class="[^"]*\breference-note\b[^"]*"[^>]*>(.*?)</\1>', re.S)
# "江大" alone: not the start of a 文号 (江大党发〔…, 江大文党发〔…, 江大委〔…).
SHORT_NAME = re.compile(r"江大(?![^〔\s<]{0,4}〔)")


def words(markup: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


def check(page: str, where: str) -> int:
    """Fails if `page` names a real institution outside a 参照 note, or says 江大 alone; returns the notes found."""
    notes = [words(m.group(2)).strip() for m in REFERENCE.finditer(page)]
    for note in notes:
        assert note.startswith("参照："), f"{where}: a reference note that does not say 参照: {note}"
    outside = words(REFERENCE.sub(" ", page))
    for name in REAL_NAMES:
        assert name not in outside, (
            f"{where} names {name}: …{outside[max(0, outside.find(name) - 60) :][:160]}…"
        )
    assert not SHORT_NAME.search(outside), (
        f"{where} says 江大: …{outside[SHORT_NAME.search(outside).start() - 40 :][:100]}"
    )
    return len(notes)


@pytest.fixture
def demo(db):
    return demo_seed()


def pages_of(client, username: str, urls: list[str]) -> dict[str, str]:
    client.force_login(get_user_model().objects.get(username=username))
    shown = {}
    for url in urls:
        response = client.get(url)
        # A page a role may not use answers 403 (or sends elsewhere); what it shows is checked all the same.
        assert response.status_code < 500, f"{username} {url}: {response.status_code}"
        shown[f"{username} {url}"] = response.content.decode()
    return shown


def test_the_office_pages_cite_the_universitys_own_regulations_and_the_real_ones_only_as_reference(
    client, demo
):
    teams = {t.organization.code: t for t in LeadershipTeam.objects.select_related("organization")}
    urls = [
        "/",
        reverse("overview"),
        *(f"{reverse('overview')}?org={code}" for code in ("jcu", "wxy", "lxy")),
        reverse("communication:index"),
        reverse("communication:agenda_item_list"),
        reverse("communication:meeting_list"),
        reverse("communication:talk_list"),
        reverse("communication:absence_list"),
        reverse("outreach:index"),
        reverse("disclosure:index"),
        reverse("supervision:index"),
        reverse("policy_adopt") + "?org=lxy",
        *(
            reverse("communication:agenda_item_detail", args=[pk])
            for pk in AgendaItem.objects.values_list("pk", flat=True)
        ),
        *(
            reverse("communication:sibitan_matrix", args=[pk])
            for pk in Meeting.objects.filter(kind=MeetingKind.DEMOCRATIC_LIFE).values_list("pk", flat=True)
        ),
        *(
            f"{reverse('overview_cell')}?team={teams[rule.organization.code].pk}&rule={rule.code}"
            for rule in ObligationRule.objects.select_related("organization")
        ),
    ]
    notes = 0
    for where, page in pages_of(client, "office", urls).items():
        notes += check(page, where)

    overview = pages_of(client, "office", [f"{reverse('overview')}?org=jcu"])["office /overview/?org=jcu"]
    assert "《中共江城大学委员会领导班子议事沟通制度》（江大党发〔2025〕12号）" in words(overview)
    assert "参照：《广西师范大学校领导班子成员沟通交流制度》" in words(overview)
    assert notes >= 6  # the regulations pages, the overviews and each drill-down carry their 参照


def test_the_leaders_and_members_pages_and_calendars_name_no_real_institution(client, demo):
    urls = [
        "/",
        reverse("communication:index"),
        reverse("communication:meeting_list"),
        reverse("communication:talk_list"),
        reverse("communication:opinion_awaiting"),
        reverse("outreach:index"),
        reverse("disclosure:index"),
        reverse("calendar:page"),
    ]
    for username in ("shuji", "xiaozhang", "wxy_shuji", "wxy_yuanzhang", "dangyuan", "jiaozhigong"):
        for where, page in pages_of(client, username, urls).items():
            check(page, where)

    home = pages_of(client, "wxy_shuji", ["/"])["wxy_shuji /"]
    assert "依据 《中共江城大学文学院委员会关于建立学院党政领导经常性沟通机制的暂行办法》" in words(home)
    assert "参照：武术与表演学院党委《关于建立学院党政领导经常性沟通机制的暂行办法》" in words(home)

    client.logout()
    for username in ("shuji", "wxy_shuji"):
        person = Person.objects.get(user__username=username)
        feed = client.get(reverse("calendar:feed", args=[calendar_feed_regenerate(person=person).token]))
        # The .ics folds long lines (RFC 5545): unfold before reading.
        text = feed.content.decode().replace("\r\n ", "")
        assert "依据《中共江城大学" in text
        check(text, f"{username}'s calendar")


def test_the_reminder_run_and_the_seed_name_the_universitys_own_regulations(demo):
    out = StringIO()
    call_command("send_reminders", "--dry-run", stdout=out, stderr=StringIO())
    check(out.getvalue(), "send_reminders --dry-run")

    own = Regulation.objects.filter(organization__code__in=["jcu", "wxy"]).select_related("reference")
    assert {r.reference.code for r in own} == {
        "000",
        "001",
        "003-disclosure",
        "003-outreach",
        "003-supervision",
        "004",
    }
    for regulation in own:
        assert "江城大学" in regulation.title
        check(regulation.title + " ".join(c.text for c in regulation.clauses.all()), regulation.code)
    # The shipped ones are kept as they are: the references.
    assert Regulation.objects.get(code="001").title == "广西师范大学校领导班子成员沟通交流制度"
