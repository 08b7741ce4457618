"""The content checks: the real content passes, and each smallest bad change fails exactly its own check,
with a finding that names the file and the line of the mistake."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from chenzhou_report.languages import CONFIGS
from chenzhou_report.checks import CHECKS, Finding
from chenzhou_report.checks.content import check_content, check_content_dir
from chenzhou_report.cli import main
from chenzhou_report.model import Content

WAGE = "content/areas/14-wage-arrears.yaml"
MARKET = "content/areas/05-market-entities.yaml"
REGION = "content/areas/04-regional-strategy.yaml"


# --- helpers ---------------------------------------------------------------------------------------------------

def edit(project, rel: str, old: str, new: str, count: int = 1) -> None:
    """Replace `old` by `new` in a content file of the copy; `old` must be there exactly `count` times."""
    path = project.root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, f"{rel}: expected {old!r} {count}×, found {text.count(old)}× (content changed?)"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(project, rel: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth occurrence of `needle` in the (edited) file."""
    text = (project.root / rel).read_text(encoding="utf-8")
    index = -1
    for _ in range(nth):
        index = text.index(needle, index + 1)
    return text.count("\n", 0, index) + 1


def findings(project) -> list[Finding]:
    return check_content_dir(project.content_dir, project.root)[1]


def only(found: list[Finding], check: str) -> list[Finding]:
    """Assert that every finding comes from `check` (and that there is at least one); return them."""
    assert found, f"expected a {check} finding, got none"
    assert {f.check for f in found} == {check}, "\n".join(map(str, found))
    return found


# --- the real content ------------------------------------------------------------------------------------------

def test_real_content_passes_every_content_check(content):
    assert check_content(content) == []


def test_check_command_is_green_on_the_real_content(project_root, capsys):
    assert main(["--root", str(project_root), "check"]) == 0
    out = capsys.readouterr().out
    assert out.strip().splitlines()[-1].startswith("0 findings")


def test_every_check_is_documented():
    for check, (catches, fix) in CHECKS.items():
        assert catches and fix, check


# --- load: everything the build validates becomes a finding ----------------------------------------------------

def test_unknown_reference_is_a_load_finding_at_its_line(project_copy):
    edit(project_copy, WAGE, "handled {wage_platform_received}", "handled {wage_platform_recieved}")
    [finding] = only(findings(project_copy), "load")
    assert finding.path == WAGE
    assert finding.line == line_of(project_copy, WAGE, "{wage_platform_recieved}")
    assert "wage_platform_recieved" in finding.message and "did you mean 'wage_platform_received'" in finding.message


def test_duplicate_metric_id_is_a_load_finding(project_copy):
    edit(project_copy, WAGE, "- id: wage_platform_resolved", "- id: wage_platform_received")
    found = only(findings(project_copy), "load")
    assert any(f.path == WAGE and "already used" in f.message
               and f.line == line_of(project_copy, WAGE, "- id: wage_platform_received", nth=2) for f in found)


def test_missing_english_is_a_load_finding(project_copy):
    edit(project_copy, "content/ui.yaml", "home: {zh: 首页, en: Home}", "home: {zh: 首页}")
    [finding] = only(findings(project_copy), "load")
    assert finding.path == "content/ui.yaml" and "missing field 'en'" in finding.message
    assert finding.line == line_of(project_copy, "content/ui.yaml", "home: {zh: 首页}")


# --- bare-number -----------------------------------------------------------------------------------------------

def test_bare_year_in_an_english_paragraph(project_copy):
    edit(project_copy, WAGE, "In {y2025}, Chenzhou", "In 2025, Chenzhou")
    [finding] = only(findings(project_copy), "bare-number")
    assert (finding.path, finding.line) == (WAGE, line_of(project_copy, WAGE, "In 2025, Chenzhou"))
    assert finding.column == 10  # the digits themselves: "      In 2025"
    assert "'2025'" in finding.message and "paragraphs[0].en" in finding.message


def test_bare_figure_in_chinese_prose_is_found_after_references_with_the_same_digits(project_copy):
    # {y2025} also contains 2025: the finding must point at the bare one, not inside the reference
    edit(project_copy, WAGE, "成功获评全省{y2025}年度", "成功获评全省2025年度")
    [finding] = only(findings(project_copy), "bare-number")
    text = (project_copy.root / WAGE).read_text(encoding="utf-8")
    offset = text.index("成功获评全省2025") + len("成功获评全省")
    assert finding.line == text.count("\n", 0, offset) + 1
    assert finding.column == offset - text.rfind("\n", 0, offset)


@pytest.mark.parametrize("rel, old, new", [
    ("content/ui.yaml", "areas: {zh: 受表扬的工作领域, en: Commended work areas}",
     "areas: {zh: 受表扬的工作领域, en: 16 commended work areas}"),
    ("content/report.yaml", "A view of downtown Chenzhou (file photo)", "A view of downtown Chenzhou (photo 2)"),
    ("content/glossary.yaml", "since {y2024} to fund", "since 2024 to fund"),
    (WAGE, "en: Wages and other entitlements recovered}", "en: Wages and other entitlements recovered in 2025}"),
    (WAGE, "  en: Tackling Wage Arrears", "  en: Tackling Wage Arrears ２０２５"),  # full-width digits too
])
def test_bare_number_in_every_kind_of_prose(project_copy, rel, old, new):
    edit(project_copy, rel, old, new)
    [finding] = only(findings(project_copy), "bare-number")
    assert (finding.path, finding.line) == (rel, line_of(project_copy, rel, new.strip()))


def test_digits_in_data_fields_and_link_targets_are_not_prose(project_copy):
    # a link target and a declared name are fine; `source`, `value` and `written` are data
    edit(project_copy, WAGE, "In {y2025}, Chenzhou", "In {y2025}, [Chenzhou](https://example.org/2025/report-3884)")
    assert findings(project_copy) == []


# --- parity ----------------------------------------------------------------------------------------------------

def test_figure_dropped_from_one_english_paragraph(project_copy):
    edit(project_copy, WAGE, "recovered {wage_recovered} in wages", "recovered wages")
    [finding] = only(findings(project_copy), "parity")
    assert finding.path == WAGE
    text = (project_copy.root / WAGE).read_text(encoding="utf-8")
    english = text.index("en: >-", text.index("paragraphs:"))
    assert finding.line == text.count("\n", 0, english) + 1  # the English paragraph
    assert "drops figure {wage_recovered}" in finding.message and "1×" in finding.message


def test_figure_added_to_the_english(project_copy):
    edit(project_copy, WAGE, "harmony and stability.", "harmony and stability of {wage_workers}.")
    [finding] = only(findings(project_copy), "parity")
    assert finding.line == line_of(project_copy, WAGE, "stability of {wage_workers}")
    assert "adds figure {wage_workers}" in finding.message


# --- derived ---------------------------------------------------------------------------------------------------

def test_changed_input_of_a_rate(project_copy):
    # an editor corrects 3852 to 3853 in the value and in every quoted clause, and forgets the rate (99.17%)
    edit(project_copy, WAGE, "3852", "3853", count=4)
    [finding] = only(findings(project_copy), "derived")
    assert finding.path == WAGE
    assert finding.line == line_of(project_copy, WAGE, 'value: "99.17"')
    assert "wage_platform_rate prints 99.17%" in finding.message and "3853 / 3884" in finding.message
    assert "no rounding mode gives the printed value" in finding.message


def test_wrong_rounding_names_the_modes_that_would_match(project_copy):
    edit(project_copy, WAGE, "denominator: wage_referred_received, rounding: half_even",
         "denominator: wage_referred_received, rounding: up")
    [finding] = only(findings(project_copy), "derived")
    assert finding.line == line_of(project_copy, WAGE, 'value: "98.85"')
    assert "rounds (up) to 98.86" in finding.message
    assert "rounding down or half_up or half_even would give the printed value" in finding.message


# --- sanity ----------------------------------------------------------------------------------------------------

def test_percentage_of_140(project_copy):
    edit(project_copy, MARKET, 'value: "27"', 'value: "140"')
    edit(project_copy, MARKET, "实有企业占比达27%", "实有企业占比达140%", count=2)
    [finding] = only(findings(project_copy), "sanity-percent")
    assert (finding.path, finding.line) == (MARKET, line_of(project_copy, MARKET, 'value: "140"'))
    assert "140%" in finding.message and "may_exceed_100" in finding.message


def test_percentage_above_100_needs_its_declaration(project_copy):
    edit(project_copy, REGION, "    may_exceed_100: true\n", "")
    [finding] = only(findings(project_copy), "sanity-percent")
    assert (finding.path, finding.line) == (REGION, line_of(project_copy, REGION, 'value: "114.27"'))


def test_part_larger_than_its_whole(project_copy):
    edit(project_copy, WAGE, "part_of: wage_platform_received", "part_of: wage_referred_received")
    [finding] = only(findings(project_copy), "sanity-part")
    assert (finding.path, finding.line) == (WAGE, line_of(project_copy, WAGE, 'value: "3852"'))
    assert "larger than its whole wage_referred_received = 87" in finding.message


def test_numerator_larger_than_denominator(project_copy):
    edit(project_copy, WAGE, "{numerator: wage_referred_resolved, denominator: wage_referred_received",
         "{numerator: wage_referred_received, denominator: wage_referred_resolved")
    found = findings(project_copy)
    assert {f.check for f in found} == {"sanity-part", "derived"}  # 87/86 is both > 100% and not 98.85
    [part] = [f for f in found if f.check == "sanity-part"]
    assert part.line == line_of(project_copy, WAGE, "derived: {numerator: wage_referred_received")


def test_count_that_is_not_a_whole_number(project_copy):
    edit(project_copy, WAGE, 'value: "954"', 'value: "954.5"')
    edit(project_copy, WAGE, "投诉954件", "投诉954.5件", count=1)
    [finding] = only(findings(project_copy), "sanity-count")
    assert (finding.path, finding.line) == (WAGE, line_of(project_copy, WAGE, 'value: "954.5"'))


def test_area_without_metrics(content):
    # the loader refuses such an area already (see the next test); the check guards Content built any other way
    area = next(a for a in content.areas if a.key == "14-wage-arrears")
    bare = area.model_copy(update={"metrics": [], "headline": None})
    changed = Content(content.report, [bare if a is area else a for a in content.areas], content.glossary,
                      content.ui, content.sources, content.files, content._area_paths)
    [finding] = only(check_content(changed), "sanity-area")
    assert finding.path == "content/areas/14-wage-arrears.yaml" and "no_metrics_reason" in finding.message
    assert finding.line == content.area_source(area).position(("metrics",))[0]


def test_area_without_metrics_is_refused_when_loading(project_copy):
    path = project_copy.root / WAGE
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("\nmetrics:")].replace("headline: wage_platform_rate\n", "") + "\n",
                    encoding="utf-8")
    found = only(findings(project_copy), "load")
    assert any("area has no metrics" in f.message and f.path == WAGE for f in found)


# --- no digit lost: source-form and source-text ----------------------------------------------------------------

def test_source_clause_without_the_figure(project_copy):
    edit(project_copy, WAGE, "    source: 市县两级直接受理农民工欠薪举报投诉954件",
         "    source: 市县两级直接受理农民工欠薪举报投诉")
    [finding] = only(findings(project_copy), "source-form")
    assert (finding.path, finding.line) == (WAGE, line_of(project_copy, WAGE, "source: 市县两级直接受理农民工欠薪举报投诉"))
    assert "'954件'" in finding.message


def test_wrong_scale_loses_digits(project_copy):
    # 6665万元 typed as yuan without its scale: the page would print 6665元 (both checks see it)
    edit(project_copy, WAGE, 'value: "6665"\n    scale: wan\n', 'value: "6665"\n')
    workers, recovered = (line_of(project_copy, WAGE, "source: 为6707名农民工追发工资等待遇6665万元", nth=n)
                          for n in (1, 2))
    found = {(f.check, f.line) for f in findings(project_copy)}
    # the printed 6665元 is not in its source; and the shared clause is no longer in the printed Chinese
    assert found == {("source-form", recovered), ("source-text", workers), ("source-text", recovered)}


def test_source_clause_that_the_chinese_text_does_not_contain(project_copy):
    edit(project_copy, WAGE, "    source: 市县两级直接受理农民工欠薪举报投诉954件",
         "    source: 市县两级直接受理欠薪举报投诉954件")
    [finding] = only(findings(project_copy), "source-text")
    assert (finding.path, finding.line) == (WAGE, line_of(project_copy, WAGE, "source: 市县两级直接受理欠薪举报投诉954件"))


def test_chinese_prose_edited_away_from_its_sources(project_copy):
    edit(project_copy, WAGE, "办结{wage_referred_resolved}", "完成{wage_referred_resolved}")
    found = only(findings(project_copy), "source-text")
    assert len(found) == 3  # the three metrics quoting 接收上级转办交办欠薪线索87条，办结86条，办结率98.85%


# --- unreferenced ----------------------------------------------------------------------------------------------

def test_metric_that_no_text_references(project_copy):
    edit(project_copy, WAGE, "  - id: wage_workers\n", "  - id: wage_complaints_again\n"
         "    label: {zh: 举报投诉数, en: Complaints}\n    value: \"954\"\n    unit: count\n"
         "    counter: {zh: 件, en: [complaint, complaints]}\n    source: 市县两级直接受理农民工欠薪举报投诉954件\n"
         "  - id: wage_workers\n")
    [finding] = only(findings(project_copy), "unreferenced")
    assert (finding.path, finding.line) == (WAGE, line_of(project_copy, WAGE, "- id: wage_complaints_again"))


# --- the command line ------------------------------------------------------------------------------------------

def test_check_command_prints_one_line_per_finding_and_exits_1(project_copy, capsys):
    edit(project_copy, WAGE, "In {y2025}, Chenzhou", "In 2025, Chenzhou")
    assert main(["--root", str(project_copy.root), "check"]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    line = line_of(project_copy, WAGE, "In 2025")
    assert re.fullmatch(rf"{re.escape(WAGE)}:{line}:10: \[bare-number\] bare number '2025' .*", lines[0])
    assert lines[-1].startswith("1 finding(s) (bare-number 1)")


def test_check_command_json(project_copy, capsys):
    edit(project_copy, WAGE, "recovered {wage_recovered} in wages", "recovered wages")
    assert main(["--root", str(project_copy.root), "check", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["count"] == 1 and report["by_check"] == {"parity": 1}
    assert report["findings"][0]["path"] == WAGE and report["findings"][0]["check"] == "parity"


def test_build_refuses_content_with_findings_and_leaves_no_site(project_copy, capsys):
    edit(project_copy, MARKET, 'value: "27"', 'value: "140"')
    edit(project_copy, MARKET, "实有企业占比达27%", "实有企业占比达140%", count=2)
    site = project_copy.root / "site"
    assert main(["--root", str(project_copy.root), "build", "--site-dir", str(site)]) == 1
    err = capsys.readouterr().err
    line = line_of(project_copy, MARKET, 'value: "140"')
    assert f"{MARKET}:{line}:" in err and "[sanity-percent]" in err
    assert not site.exists()


def test_content_checks_need_no_build(project_copy):
    # they read content/ only: no templates, no mkdocs.yml
    for name in CONFIGS:
        (project_copy.root / name).unlink()
    assert check_content_dir(Path(project_copy.content_dir), project_copy.root)[1] == []
