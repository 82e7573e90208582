"""The office adopts a policy pack in the portal (issue 8): it picks a pack for an organization, names its own
regulation (title, 文号, date), previews the rules adopting it would create, and confirms. The pack's source — another
institution's real regulation — is kept as 参照 beside every citation."""

from __future__ import annotations

import datetime as dt
import html
import re
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.errors import DomainError
from governance.models import ObligationRule, Organization, PolicyPack, PositionKind, Regulation
from governance.selectors.regulations import regulation_in_force
from governance.services import policies
from governance.services.policies import (
    OwnRegulation,
    PolicyPackError,
    policy_adopt,
    policy_load,
    policy_preview,
)
from governance.services.regulations import REGULATIONS_DIR, regulation_load
from governance.tests.factories import (
    AcademicYearFactory,
    LeadershipTeamFactory,
    LeaderUserFactory,
    OfficeUserFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    SemesterFactory,
    UniversityFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = "/policies/adopt/"
OWN_TITLE = "中共江城大学理学院委员会关于建立学院党政领导经常性沟通机制的暂行办法"
OWN_NUMBER = "江大理党发〔2026〕3号"
SOURCE_000 = "武术与表演学院党委《关于建立学院党政领导经常性沟通机制的暂行办法》"
PACK_000_RULES = 5


@pytest.fixture
def university(db):
    return UniversityFactory(name="江城大学", code="jcu")


@pytest.fixture
def college(university):
    """理学院 with a team (a secretary and a dean) and no rules yet."""
    college = OrganizationFactory(
        name="理学院", code="lxy", kind=Organization.Kind.COLLEGE, parent=university
    )
    team = LeadershipTeamFactory(organization=college, name="理学院党政领导班子")
    for name, kind in (("郭书记", PositionKind.SECRETARY), ("宋院长", PositionKind.PRESIDENT)):
        PositionFactory(person=PersonFactory(name=name), team=team, kind=kind, start=dt.date(2024, 1, 1))
    return college


@pytest.fixture
def semester(db):
    """The 2026—2027 autumn semester, so the rules have a current period to show."""
    year = AcademicYearFactory(name="2026—2027学年", start=dt.date(2026, 8, 24), end=dt.date(2027, 8, 22))
    return SemesterFactory(academic_year=year, start=dt.date(2026, 8, 31), end=dt.date(2027, 1, 17))


@pytest.fixture
def office(client):
    user = OfficeUserFactory(username="office")
    client.force_login(user)
    return user


def form(**overrides) -> dict:
    data = {
        "organization": "lxy",
        "pack": "000",
        "title": OWN_TITLE,
        "document_number": OWN_NUMBER,
        "issued_on": "2026-09-15",
        "issuing_body": "中共江城大学理学院委员会",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def words_of(markup: str) -> str:
    """Words without tags, with entities decoded and spaces squeezed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


def text(response) -> str:
    return words_of(response.content.decode())


def digest_of(response) -> str:
    match = re.search(r'name="digest" value="([0-9a-f]+)"', response.content.decode())
    assert match, "the preview carries the digest of its plan"
    return match.group(1)


def preview(client, **overrides):
    return client.post(URL, {**form(**overrides), "action": "preview"})


def confirm(client, digest: str, **overrides):
    return client.post(URL, {**form(**overrides), "action": "confirm", "digest": digest})


# The preview ----------------------------------------------------------------------------------------------------


def test_the_overview_of_an_organization_without_rules_links_to_adopting_a_pack(client, office, college):
    page = client.get(reverse("overview"), {"org": "lxy"})
    body = page.content.decode()
    assert "理学院还没有启用的义务规则。" in text(page)
    assert "load_policy" not in body
    assert f'href="{URL}?org=lxy"' in body


def test_the_form_comes_with_the_organization_the_overview_named(client, office, college):
    page = client.get(URL, {"org": "lxy"})
    assert page.status_code == 200
    assert '<option value="lxy" selected>理学院</option>' in page.content.decode()
    assert "000 · 学院党政领导经常性沟通机制（000）（二级学院，5 条规则）" in text(page)


def test_the_preview_shows_each_rule_with_its_cycle_threshold_and_clause_and_writes_nothing(
    client, office, college
):
    page = preview(client)
    words = text(page)

    assert page.status_code == 200
    assert "预览：理学院采用“学院党政领导经常性沟通机制（000）”" in words
    assert f"将新增 {PACK_000_RULES} 条规则。" in words
    assert f"规则依据： 《{OWN_TITLE}》 （{OWN_NUMBER}，2026年9月15日）" in words
    assert f"参照：{SOURCE_000}" in words
    coordination = re.search(r'data-rule="000-coordination-meeting".*?</li>', page.content.decode(), re.S)
    assert coordination
    rule = words_of(coordination.group(0))
    assert "领导班子工作碰头会" in rule
    assert "领导班子整体（党委书记负责）" in rule
    assert "每两周，周五，仅学期内，遇节假日提前到前一个工作日" in rule
    assert "不少于 1 次" in rule
    assert f"《{OWN_TITLE}》四（四）" in rule
    assert f"参照：{SOURCE_000}四（四）" in rule
    assert "将新增" in rule
    assert not ObligationRule.objects.exists()
    assert not Regulation.objects.filter(organization__isnull=False).exists()
    assert not PolicyPack.objects.exists()


def test_confirming_creates_exactly_the_rules_the_preview_showed(client, office, college):
    plan = policy_preview(
        name="000",
        organization=college,
        own=OwnRegulation(
            title=OWN_TITLE,
            document_number=OWN_NUMBER,
            issued_on=dt.date(2026, 9, 15),
            issuing_body="中共江城大学理学院委员会",
        ),
        by=office,
    )
    previewed = [
        (
            r.code, r.rule.title, r.rule.subject, r.rule.subject_positions, r.rule.counterpart,
            r.rule.counterpart_positions, r.rule.evidence_source, r.rule.evidence_params, r.rule.measure,
            r.rule.target, r.rule.unit, r.rule.period, r.rule.season, r.rule.weekday, r.rule.holiday_shift,
            r.rule.event_source, r.rule.remind_days_before, r.clause_number,
        )
        for r in plan.rules
    ]  # fmt: skip

    page = preview(client)
    assert digest_of(page) == plan.digest
    done = confirm(client, digest_of(page))

    assert done.status_code == 302
    assert done["Location"] == f"{reverse('overview')}?org=lxy"
    created = [
        (
            r.code, r.title, r.subject, r.subject_positions, r.counterpart, r.counterpart_positions,
            r.evidence_source, r.evidence_params, r.measure, r.target, r.unit, r.period, r.season, r.weekday,
            r.holiday_shift, r.event_source, r.remind_days_before, r.clause.number,
        )
        for r in ObligationRule.objects.filter(organization=college).order_by("order").select_related("clause")
    ]  # fmt: skip
    assert created == previewed
    assert len(created) == PACK_000_RULES


@time_machine.travel(dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC), tick=False)
def test_after_confirming_the_overview_shows_the_rules_and_the_own_regulation_with_its_reference(
    client, office, college, semester
):
    done = confirm(client, digest_of(preview(client)))
    page = client.get(done["Location"])
    words = text(page)

    assert "已为理学院采用规则包“学院党政领导经常性沟通机制（000）”" in words
    assert f"规则依据《{OWN_TITLE}》。新增 {PACK_000_RULES} 条规则。" in words
    assert "领导班子工作碰头会" in words
    assert "还没有启用的义务规则" not in words
    assert f"依据制度： 《{OWN_TITLE}》（{OWN_NUMBER}） 参照：{SOURCE_000}" in words


# The own regulation and its 参照 -----------------------------------------------------------------------------------


def test_the_own_regulation_is_stored_with_its_reference_and_the_rules_cite_it(client, office, college):
    confirm(client, digest_of(preview(client)))

    own = Regulation.objects.get(organization=college)
    source = Regulation.objects.get(code="000")
    assert (own.title, own.document_number, own.issued_on, own.issuing_body) == (
        OWN_TITLE,
        OWN_NUMBER,
        dt.date(2026, 9, 15),
        "中共江城大学理学院委员会",
    )
    assert own.reference == source
    assert own.clauses.count() == source.clauses.count()
    rule = ObligationRule.objects.select_related("clause__regulation__reference").get(
        organization=college, code="000-coordination-meeting"
    )
    assert rule.clause.regulation == own
    assert rule.clause.citation == f"《{OWN_TITLE}》四（四）"
    assert rule.clause.reference == "000 四（四）"
    assert rule.clause.source_citation == f"{SOURCE_000}四（四）"
    # The shipped regulation stays as it is, with its own clauses: the reference.
    assert source.title == "关于建立学院党政领导经常性沟通机制的暂行办法"
    assert source.organization is None


def test_the_drill_down_and_the_regulations_page_show_the_own_title_with_the_reference(
    client, office, college
):
    confirm(client, digest_of(preview(client)))
    team = college.team

    cell = text(client.get(reverse("overview_cell"), {"team": team.pk, "rule": "000-coordination-meeting"}))
    assert f"依据 《{OWN_TITLE}》四（四）" in cell
    assert f"参照：{SOURCE_000}四（四）" in cell

    regulations = client.get(reverse("communication:index"))
    words = text(regulations)
    assert f"《{OWN_TITLE}》" in words
    assert f"参照：{SOURCE_000}" in words
    # The shipped regulation is no longer listed as a regulation in force of its own.
    assert "发文机关：武术与表演学院党委" not in words


@time_machine.travel(dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC), tick=False)
def test_a_leaders_dashboard_cites_the_own_regulation_and_the_reference_in_small_text(
    client, office, college, semester
):
    confirm(client, digest_of(preview(client)))
    secretary = college.team.positions.get(kind=PositionKind.SECRETARY).person

    client.force_login(secretary.user)
    page = client.get("/")
    body = page.content.decode()

    assert f"依据 《{OWN_TITLE}》四（四）" in text(page)
    assert re.search(r'class="[^"]*reference-note[^"]*">参照：' + re.escape(f"{SOURCE_000}四（四）"), body)
    assert "依据 《关于建立学院党政领导经常性沟通机制的暂行办法》" not in text(page)


# Adopting again ------------------------------------------------------------------------------------------------


def test_adopting_the_same_pack_again_says_every_rule_already_exists_and_changes_nothing(
    client, office, college
):
    confirm(client, digest_of(preview(client)))
    before = list(ObligationRule.objects.order_by("pk").values())
    history = ObligationRule.history.count()

    again = preview(client)
    words = text(again)
    assert f"{PACK_000_RULES} 条已存在，不会改动" in words
    assert "将新增 0 条规则" in words
    assert words.count("已存在，不变") == PACK_000_RULES
    assert f"本单位已登记《{OWN_TITLE}》，不会改动。" in words

    page = client.get(confirm(client, digest_of(again))["Location"])
    assert f"{PACK_000_RULES} 条规则已存在，未作改动。" in text(page)
    assert list(ObligationRule.objects.order_by("pk").values()) == before
    assert ObligationRule.history.count() == history
    assert Regulation.objects.filter(organization=college).count() == 1


def test_naming_the_regulation_again_renames_it_and_says_so_in_the_preview(client, office, college):
    confirm(client, digest_of(preview(client)))

    again = preview(client, document_number="江大理党发〔2026〕9号")
    assert f"本单位已登记《{OWN_TITLE}》，确认后将更新其文号。" in text(again)
    confirm(client, digest_of(again), document_number="江大理党发〔2026〕9号")

    own = Regulation.objects.get(organization=college)
    assert own.document_number == "江大理党发〔2026〕9号"
    assert ObligationRule.objects.filter(organization=college).count() == PACK_000_RULES


def test_rules_loaded_before_without_an_own_regulation_move_to_it_when_the_office_names_one(
    client, office, college
):
    policy_load(name="000", organization=college)  # as load_policy without --title: they cite the shipped one

    page = preview(client)
    assert f"{PACK_000_RULES} 条将更新" in text(page)
    assert "将更新 依据条款" in text(page)
    confirm(client, digest_of(page))

    cited = set(
        ObligationRule.objects.filter(organization=college).values_list(
            "clause__regulation__title", flat=True
        )
    )
    assert cited == {OWN_TITLE}


def test_a_plan_that_changed_after_its_preview_is_shown_again_not_applied(client, office, college):
    page = preview(client)
    # Meanwhile someone else adopts the pack (or the pack file changes): the plan is not the one previewed.
    policy_load(name="000", organization=college)
    before = list(ObligationRule.objects.order_by("pk").values())

    again = confirm(client, digest_of(page))

    assert again.status_code == 200
    assert "预览之后，规则包或该组织的规则有了变化。请核对下面更新后的预览，再确认采用。" in text(again)
    assert list(ObligationRule.objects.order_by("pk").values()) == before
    assert not Regulation.objects.filter(organization=college).exists()
    assert digest_of(again) != digest_of(page)


# Wrong input ------------------------------------------------------------------------------------------------------


def test_without_a_pack_the_office_is_asked_for_one_and_keeps_what_it_typed(client, office, college):
    page = preview(client, pack="")
    assert "请选择规则包。" in text(page)
    assert f'value="{OWN_TITLE}"' in page.content.decode()
    assert f'value="{OWN_NUMBER}"' in page.content.decode()
    assert not ObligationRule.objects.exists()


def test_an_unknown_organization_is_refused_in_chinese_and_the_rest_is_kept(client, office, college):
    page = preview(client, organization="no-such-org")
    assert "找不到这个组织（或它没有领导班子），请从列表中选择。" in text(page)
    assert f'value="{OWN_TITLE}"' in page.content.decode()

    linked = client.get(URL, {"org": "no-such-org"})
    assert "找不到代码为“no-such-org”且有领导班子的组织，请从列表中选择。" in text(linked)


def test_an_unknown_pack_is_refused_in_chinese(client, office, college):
    page = preview(client, pack="999")
    assert "没有“999”这个规则包，请从列表中选择。" in text(page)


def test_the_own_regulation_needs_a_name_other_than_the_reference(client, office, college):
    missing = preview(client, title="")
    assert "请填写本单位制度的名称，如《中共江城大学委员会领导班子议事沟通制度》。" in text(missing)

    same = preview(client, title="《关于建立学院党政领导经常性沟通机制的暂行办法》")
    assert "本单位制度的名称不能与参照的《关于建立学院党政领导经常性沟通机制的暂行办法》相同" in text(same)
    assert not Regulation.objects.filter(organization__isnull=False).exists()


def test_a_bad_date_is_refused_and_the_typed_date_kept(client, office, college):
    page = preview(client, issued_on="2026-13-40")
    assert "请按“年-月-日”填写印发日期，如 2025-03-18。" in text(page)
    assert 'value="2026-13-40"' in page.content.decode()


def test_a_college_pack_is_not_for_the_university(client, office, college, university):
    LeadershipTeamFactory(organization=university, name="江城大学领导班子")
    page = preview(client, organization="jcu")
    assert "“学院党政领导经常性沟通机制（000）”是二级学院的制度，学校不能采用" in text(page)
    assert not ObligationRule.objects.exists()


# Nothing half-saved -------------------------------------------------------------------------------------------------


def test_a_pack_with_an_invalid_rule_is_refused_whole(college, tmp_path):
    pack = (Path(policies.PACK_DIR) / "000.yaml").read_text(encoding="utf-8")
    # The third rule's unit is longer than the field allows: only the model's checks find it.
    first, second, third, rest = pack.split("unit: 次", 3)
    bad = tmp_path / "000-bad.yaml"
    bad.write_text(
        "unit: 次".join([first, second, third]) + "unit: 次次次次次次次次次次次次" + rest, encoding="utf-8"
    )

    with pytest.raises(PolicyPackError, match="规则 000-secretary-dean-formal-talk"):
        policy_load(name=str(bad), organization=college, own=OwnRegulation(title=OWN_TITLE))

    assert not ObligationRule.objects.exists()
    assert not PolicyPack.objects.exists()
    assert not Regulation.objects.filter(organization=college).exists()


def test_a_rule_refused_while_saving_leaves_nothing_written(client, office, college, monkeypatch):
    page = preview(client)
    saved = []
    original = ObligationRule.save

    def save(self, *args, **kwargs):
        if len(saved) == 3:
            raise DomainError("第四条规则保存失败")
        saved.append(self.code)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ObligationRule, "save", save)
    refused = confirm(client, digest_of(page))

    assert refused.status_code == 200
    assert "第四条规则保存失败" in text(refused)
    assert len(saved) == 3
    assert not ObligationRule.objects.exists()
    assert not Regulation.objects.filter(organization=college).exists()
    assert not PolicyPack.objects.exists()


# Office only ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["leader", "staff"])
def test_no_one_but_the_office_may_open_or_post_the_page(client, college, role):
    user = LeaderUserFactory() if role == "leader" else UserFactory()
    client.force_login(user)

    assert client.get(URL).status_code == 403
    assert client.get(URL, {"org": "lxy"}).status_code == 403
    assert client.post(URL, {**form(), "action": "preview"}).status_code == 403
    assert client.post(URL, {**form(), "action": "confirm", "digest": "0" * 32}).status_code == 403
    assert not ObligationRule.objects.exists()
    assert not Regulation.objects.filter(organization__isnull=False).exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, college):
    page = client.get(URL)
    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/login/")


def test_a_leaders_overview_link_is_no_way_in(client, college):
    client.force_login(LeaderUserFactory())
    assert client.get(reverse("overview"), {"org": "lxy"}).status_code == 403


def test_the_service_refuses_anyone_but_the_office_whatever_calls_it(college):
    own = OwnRegulation(title=OWN_TITLE)
    for user in (LeaderUserFactory(), UserFactory(), None):
        with pytest.raises(DomainError, match="只有党委办公室可以采用制度规则包。"):
            policy_adopt(name="000", organization=college, own=own, by=user)
    assert not ObligationRule.objects.exists()


# The command and the regulation in force ----------------------------------------------------------------------------


def test_load_policy_names_the_own_regulation_and_prints_its_reference(college):
    out = StringIO()
    call_command(
        "load_policy", "000", "--org", "lxy", "--title", OWN_TITLE, "--document-number", OWN_NUMBER,
        "--issued-on", "2026-09-15", stdout=out,
    )  # fmt: skip

    assert f"规则依据：《{OWN_TITLE}》（{OWN_NUMBER}）；参照：{SOURCE_000}" in out.getvalue()
    assert Regulation.objects.get(organization=college).issued_on == dt.date(2026, 9, 15)
    with pytest.raises(CommandError, match="不是有效日期"):
        call_command("load_policy", "000", "--org", "lxy", "--title", OWN_TITLE, "--issued-on", "15/09/2026")
    with pytest.raises(CommandError, match="须与 --title"):
        call_command("load_policy", "000", "--org", "lxy", "--document-number", OWN_NUMBER)


def test_a_department_cites_the_universitys_own_regulation_and_a_college_without_one_the_shipped_one(
    university, college
):
    LeadershipTeamFactory(organization=university)
    policy_load(
        name="001", organization=university, own=OwnRegulation(title="中共江城大学委员会领导班子议事沟通制度")
    )
    regulation_load(path=REGULATIONS_DIR / "000.yaml")
    department = OrganizationFactory(code="dwbgs", kind=Organization.Kind.DEPARTMENT, parent=university)

    assert (
        regulation_in_force(code="001", organization=department).title
        == "中共江城大学委员会领导班子议事沟通制度"
    )
    assert (
        regulation_in_force(code="000", organization=college).title
        == "关于建立学院党政领导经常性沟通机制的暂行办法"
    )
    assert (
        regulation_in_force(code="001", organization=None).title == "广西师范大学校领导班子成员沟通交流制度"
    )


def test_the_regulations_page_asks_as_many_queries_however_many_organizations_adopted_a_pack(
    client, office, college, university
):
    policy_load(name="000", organization=college, own=OwnRegulation(title=OWN_TITLE))
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("communication:index")).status_code == 200
    for code in ("wxy", "tyxy"):
        other = OrganizationFactory(code=code, kind=Organization.Kind.COLLEGE, parent=university)
        LeadershipTeamFactory(organization=other)
        policy_load(name="000", organization=other, own=OwnRegulation(title=f"{code} 的沟通制度"))

    with CaptureQueriesContext(connection) as three:
        page = client.get(reverse("communication:index"))

    assert words_of(page.content.decode()).count("参照：") == 3
    assert len(three) == len(one)
