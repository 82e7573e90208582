"""Loading regulations and their clauses from governance/policies/regulations/*.yaml."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from governance.models import Clause, ObligationRule, Regulation
from governance.services.regulations import (
    REGULATIONS_DIR,
    RegulationFileError,
    regulation_import,
    regulation_load,
    regulations_load_all,
)
from governance.tests.factories import UniversityFactory

pytestmark = pytest.mark.django_db

SHIPPED = sorted(REGULATIONS_DIR.glob("*.yaml"))


def snapshot() -> list[tuple]:
    """Every stored value of every regulation and clause, ids included."""
    return [
        *Regulation.objects.order_by("pk").values_list(),
        *Clause.objects.order_by("pk").values_list(),
    ]


def write(tmp_path: Path, text: str, name: str = "reg.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


VALID = """
    code: "T01"
    seed: "T01"
    title: "测试制度"
    issuing_body: "江城大学党委"
    document_number: "江大党〔2026〕1号"
    issued_on: "2026-03-01"
    level: university
    family: communication
    preamble: |
      为了测试，制定本制度。
    clauses:
      - number: "一"
        heading: "总则"
        text: |
          第一条的条文。
      - number: "二"
        heading: ""
        text: "第二条的条文。"
      - number: "三"
        heading: "附则"
        text: ""
"""


MISSING_NUMBER = VALID.replace('      - number: "三"\n        heading: "附则"', '      - heading: "附则"')


def test_there_are_six_shipped_regulation_files():
    assert [p.name for p in SHIPPED] == [
        "000.yaml",
        "001.yaml",
        "003-disclosure.yaml",
        "003-outreach.yaml",
        "003-supervision.yaml",
        "004.yaml",
    ]


def test_loading_all_files_creates_each_regulation_with_as_many_clauses_as_its_file():
    regulations_load_all()

    expected = {}
    for path in SHIPPED:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        expected[data["code"]] = (data["title"], [c["number"] for c in data["clauses"]])
    stored = {
        r.code: (r.title, list(r.clauses.order_by("order").values_list("number", flat=True)))
        for r in Regulation.objects.all()
    }
    assert stored == expected
    assert Clause.objects.count() == 129


def test_loaded_values_are_stored_trimmed_and_typed():
    regulations_load_all()
    disclosure = Regulation.objects.get(code="003-disclosure")
    assert disclosure.issued_on.isoformat() == "2017-06-01"
    assert disclosure.level == Regulation.Level.UNIVERSITY
    assert disclosure.family == "disclosure"
    assert Regulation.objects.get(code="000").level == Regulation.Level.COLLEGE
    assert Regulation.objects.get(code="004").document_number == "肇学委〔2018〕40号"
    clause = Clause.objects.get(regulation__code="000", number="四（四）")
    assert clause.heading == "领导班子工作碰头会沟通机制"
    assert not clause.text.endswith("\n")


def test_clauses_keep_the_order_of_the_file():
    regulations_load_all()
    numbers = list(Clause.objects.filter(regulation__code="000").values_list("number", "order"))
    assert numbers[:5] == [("一", 0), ("二", 1), ("三", 2), ("四", 3), ("四（一）", 4)]


def test_loading_twice_changes_nothing():
    first = regulations_load_all()
    before = snapshot()

    second = regulations_load_all()

    assert snapshot() == before
    assert all(r.changed for r in first)
    assert not any(r.changed for r in second)
    assert second[0].summary() == "《关于建立学院党政领导经常性沟通机制的暂行办法》（000）：未变化，共 14 条"


def test_a_clause_cites_as_a_short_reference_and_as_a_full_citation():
    regulations_load_all()
    clause = Clause.objects.select_related("regulation").get(regulation__code="000", number="四（四）")
    assert clause.reference == "000 四（四）"
    assert clause.citation == "《关于建立学院党政领导经常性沟通机制的暂行办法》四（四）"
    assert str(clause) == clause.citation
    outreach = Clause.objects.select_related("regulation").get(regulation__code="004", number="第五条3")
    assert outreach.reference == "004 第五条3"
    assert outreach.citation == "《肇庆学院关于进一步改进工作作风密切联系基层实施办法》第五条3"


def test_regulation_load_loads_one_file_and_returns_the_regulation(tmp_path):
    regulation = regulation_load(path=write(tmp_path, VALID))
    assert str(regulation) == "《测试制度》"
    assert regulation.issuing_body == "江城大学党委"
    assert regulation.preamble == "为了测试，制定本制度。"
    assert list(regulation.clauses.values_list("number", "heading", "text")) == [
        ("一", "总则", "第一条的条文。"),
        ("二", "", "第二条的条文。"),
        ("三", "附则", ""),
    ]


def test_an_edited_file_updates_only_what_changed(tmp_path):
    path = write(tmp_path, VALID)
    regulation_load(path=path)
    untouched = Clause.objects.get(number="一")

    result = regulation_import(path=write(tmp_path, VALID.replace("第二条的条文。", "修改后的第二条。")))

    assert result.clauses_updated == ["二"]
    assert result.clauses_created == result.clauses_deleted == []
    assert not result.updated
    assert Clause.objects.get(number="二").text == "修改后的第二条。"
    assert Clause.objects.get(number="一").pk == untouched.pk
    assert result.summary() == "《测试制度》（T01）：更新条款 1 条，共 3 条"


def test_a_clause_removed_from_the_file_is_deleted(tmp_path):
    regulation_load(path=write(tmp_path, VALID))
    shorter = VALID.split('      - number: "三"')[0]

    result = regulation_import(path=write(tmp_path, shorter))

    assert result.clauses_deleted == ["三"]
    assert list(Clause.objects.values_list("number", flat=True)) == ["一", "二"]


def test_a_removed_clause_still_cited_by_an_obligation_rule_is_kept(tmp_path):
    regulation_load(path=write(tmp_path, VALID))
    cited = Clause.objects.get(number="三")
    ObligationRule.objects.create(
        code="t01-retreat",
        title="务虚会",
        clause=cited,
        organization=UniversityFactory(),
        subject="team",
        evidence_source="communication.meeting",
        period="semester",
    )
    shorter = VALID.split('      - number: "三"')[0]

    result = regulation_import(path=write(tmp_path, shorter))

    assert result.clauses_kept == ["三"]
    assert result.clauses_deleted == []
    assert Clause.objects.filter(pk=cited.pk).exists()
    assert "条款 三 已不在文件中，但仍被引用，予以保留" in result.summary()


def test_a_clause_without_a_number_is_refused_with_the_clause_and_line(tmp_path):
    path = write(tmp_path, MISSING_NUMBER)

    with pytest.raises(RegulationFileError) as excinfo:
        regulation_load(path=path)

    error = excinfo.value
    assert error.reason == "第3条缺少 number"
    assert (error.index, error.line) == (3, 19)
    assert str(error) == f"制度文件 {path} 第19行：第3条缺少 number"
    assert not Regulation.objects.exists()
    assert not Clause.objects.exists()


def test_a_duplicate_clause_number_is_refused(tmp_path):
    path = write(tmp_path, VALID.replace('number: "三"', 'number: "一"'))

    with pytest.raises(RegulationFileError) as excinfo:
        regulation_load(path=path)

    assert excinfo.value.reason == "第3条的 number“一”与第1条重复"
    assert not Regulation.objects.exists()


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ('    title: "测试制度"\n', "", "缺少 title"),
        ('code: "T01"', "code: 001", 'code 应加引号，如 code: "000"（不加引号时被读成了 1）'),
        ("level: university", "level: school", "level 只能是 university 或 college，而不是“school”"),
        (
            'issued_on: "2026-03-01"',
            'issued_on: "2026-02-30"',
            "issued_on 不是有效日期（应为 YYYY-MM-DD）：2026-02-30",
        ),
        ("    family: communication\n", "    familly: communication\n", "有无法识别的字段：familly"),
        ('heading: "附则"', 'heding: "附则"', "第3条有无法识别的字段：heding"),
    ],
)
def test_other_malformed_files_are_refused_in_chinese(tmp_path, old, new, reason):
    assert old in VALID
    with pytest.raises(RegulationFileError) as excinfo:
        regulation_load(path=write(tmp_path, VALID.replace(old, new)))
    assert excinfo.value.reason == reason
    assert not Regulation.objects.exists()


def test_broken_yaml_is_refused_with_its_line(tmp_path):
    path = write(tmp_path, VALID.replace('title: "测试制度"', 'title: "测试制度'))
    with pytest.raises(RegulationFileError) as excinfo:
        regulation_load(path=path)
    assert excinfo.value.reason.startswith("YAML 格式错误")
    assert excinfo.value.line is not None


def test_a_clause_the_database_refuses_leaves_nothing_half_saved(tmp_path):
    regulation_load(path=write(tmp_path, VALID))
    before = snapshot()
    too_long = "四" * 41
    edited = VALID.replace("测试制度", "改名后的测试制度").replace('number: "三"', f'number: "{too_long}"')

    with pytest.raises(RegulationFileError) as excinfo:
        regulation_load(path=write(tmp_path, edited))

    assert excinfo.value.reason.startswith(f"第3条（{too_long}）：条款号：")
    assert excinfo.value.line == 19
    assert snapshot() == before


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(RegulationFileError) as excinfo:
        regulation_load(path=tmp_path / "none.yaml")
    assert excinfo.value.reason == "文件不存在"


def test_the_command_loads_everything_and_says_what_it_did():
    out = io.StringIO()
    call_command("load_regulations", stdout=out)
    assert "《关于建立学院党政领导经常性沟通机制的暂行办法》（000）：新建，共 14 条" in out.getvalue()
    assert "共 6 部制度，其中 6 部有变化。" in out.getvalue()

    out = io.StringIO()
    call_command("load_regulations", stdout=out)
    assert "（000）：未变化，共 14 条" in out.getvalue()
    assert "共 6 部制度，其中 0 部有变化。" in out.getvalue()


def test_the_command_loads_only_the_files_named(tmp_path):
    out = io.StringIO()
    call_command("load_regulations", str(write(tmp_path, VALID)), stdout=out)
    assert list(Regulation.objects.values_list("code", flat=True)) == ["T01"]
    assert "《测试制度》（T01）：新建，共 3 条" in out.getvalue()


def test_the_command_exits_non_zero_with_the_chinese_reason_and_loads_nothing(tmp_path):
    bad = write(tmp_path, MISSING_NUMBER)
    good = SHIPPED[0]

    # A CommandError is what manage.py turns into the message on stderr and exit status 1.
    with pytest.raises(CommandError) as excinfo:
        call_command("load_regulations", str(good), str(bad))

    assert str(excinfo.value) == f"制度文件 {bad} 第19行：第3条缺少 number。未载入任何制度。"
    assert not Regulation.objects.exists()
