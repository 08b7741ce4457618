"""Figures that must agree across languages, and characters that do not belong in text: each trick in each kind of
field, on a doctored copy of the real content, gives a precise finding (file, line, column, check) — or, where the
rule lets it pass, a clean result. Hostile strings from Hypothesis end in findings or nothing, never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chenzhou_report.languages import CONFIGS
from chenzhou_report.build import Project
from chenzhou_report.charts import Bar, ChartView
from chenzhou_report.checks.content import check_content_dir
from chenzhou_report.checks.figures import numbers_in
from chenzhou_report.model import Metric
from chenzhou_report.numbers import format_metric, machine_value

ROOT = Path(__file__).resolve().parent.parent
WAGE = "content/areas/14-wage-arrears.yaml"
TWO = "content/areas/03-two-majors.yaml"
OPEN = "content/areas/07-opening-up.yaml"
REPORT = "content/report.yaml"
GLOSSARY = "content/glossary.yaml"
UI = "content/ui.yaml"


@pytest.fixture
def copy(tmp_path) -> Project:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return Project(tmp_path)


def edit(project: Project, rel: str, old: str, new: str) -> int:
    """Replace the first `old` by `new`; return the line where `new` starts."""
    path = project.root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{rel}: {old!r} not found (content changed?)"
    index = text.index(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text.count("\n", 0, index) + 1


def column_of(project: Project, rel: str, line: int, needle: str) -> int:
    return (project.root / rel).read_text(encoding="utf-8").split("\n")[line - 1].index(needle) + 1


def found(project: Project):
    return check_content_dir(project.content_dir, project.root)[1]


def assert_one(project: Project, rel: str, line: int, needle: str, check: str, words: str = "", extra=()):
    """Exactly the findings of `check` (plus those of `extra` checks) and one at rel:line:column-of-needle."""
    result = found(project)
    column = column_of(project, rel, line, needle)
    assert {f.check for f in result} <= {check, *extra}, "\n".join(map(str, result))
    hits = [f for f in result if (f.path, f.line, f.column, f.check) == (rel, line, column, check)]
    assert hits, f"expected {rel}:{line}:{column} [{check}], got:\n" + "\n".join(map(str, result))
    assert words in hits[0].message


# --- the real content --------------------------------------------------------------------------------------------

def test_real_content_has_no_figure_or_character_finding(copy):
    assert found(copy) == []


@pytest.mark.parametrize("text, lang, expected", [
    ("六项", "zh", [6]), ("第十个", "zh", [10]), ("首个", "zh", [1]), ("百强", "zh", [100]), ("两家", "zh", [2]),
    ("三千八百条", "zh", [3800]), ("six", "en", [6]), ("tenth", "en", [10]), ("top eight", "en", [8]),
    ("Top 100", "en", [100]), ("first batch", "en", [1]), ("twenty-one", "en", [21]), ("a dozen", "en", [12]),
])
def test_numbers_are_read_by_the_libraries(text, lang, expected):
    assert numbers_in(text, lang) == [Decimal(n) for n in expected]


# --- written forms -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("old, new, needle", [
    ("written: {zh: 六项, en: six}", "written: {zh: 六项, en: seven}", "seven"),
    ("written: {zh: 六项, en: six}", "written: {zh: 七项, en: six}", "七项"),
    ("written: {zh: 六项, en: six}", "written: {zh: 六项, en: 7}", "7}"),
    ("written: {zh: 六项, en: six}", "written: {zh: 六项, en: several}", "several"),
])
def test_written_form_must_state_the_value_in_each_language(copy, old, new, needle):
    line = edit(copy, TWO, old, new)
    extra = ("source-form", "source-text") if "七项" in new else ()  # the Chinese form is also checked against the article
    assert_one(copy, TWO, line, needle, "written", "value is 6", extra=extra)


# --- names -------------------------------------------------------------------------------------------------------

def test_translated_name_with_other_digits_is_a_finding(copy):
    line = edit(copy, REPORT, '  y2025: "2025"', '  y2025: {zh: "2025", en: "2026", translation: "a test"}')
    assert_one(copy, REPORT, line, '"2026"', "names", "2026 in English")


def test_translated_name_with_the_same_number_in_words_passes(copy):
    edit(copy, REPORT, '  m631: "631"', '  m631: {zh: "六三一", en: "631", translation: "a test"}')
    result = [f for f in found(copy) if f.check == "names"]
    assert len(result) == 1 and "6, 3, 1" not in result[0].message or result == [] or True  # see next assertion
    # 六三一 is read by cn2an as 631 (digit by digit): the same number as the English
    assert numbers_in("六三一", "zh") == [Decimal(631)]
    assert result == []


def test_name_that_differs_per_language_needs_a_declared_translation(copy):
    line = edit(copy, REPORT, '  y2025: "2025"', '  y2025: {zh: "2025", en: "2026"}')
    result = found(copy)
    assert [(f.path, f.line, f.check) for f in result] == [(REPORT, line, "load")]
    assert "translation" in result[0].message


# --- counters, labels, titles, prose: digits and number words ----------------------------------------------------

@pytest.mark.parametrize("old, new, needle, check", [
    ("counter: {zh: 件, en: [complaint, complaints]}", "counter: {zh: 件, en: [complaint, 3 complaints]}", "3 c",
     "bare-number"),
    ("counter: {zh: 件, en: [complaint, complaints]}", "counter: {zh: 件, en: [complaint, two complaints]}", "two",
     "number-words"),
    ("counter: {zh: 件, en: [complaint, complaints]}", "counter: {zh: 三件, en: [complaint, complaints]}", "三",
     "number-words"),
    ("label: {zh: 市县两级直接受理欠薪举报投诉数, en: Wage complaints accepted",
     "label: {zh: 市县两级直接受理欠薪举报投诉数, en: Twelve wage complaints accepted", "Twelve", "number-words"),
    ("label: {zh: 市县两级直接受理欠薪举报投诉数,", "label: {zh: 市县两级直接受理欠薪举报投诉数十六,", "十六", "number-words"),
    ("  en: Tackling Wage Arrears", "  en: Tackling Wage Arrears for five thousand workers", "five", "number-words"),
    ("  zh: 治理欠薪\n", "  zh: 治理欠薪三千八百\n", "三千八百", "number-words"),
    ("and resolved\n      {wage_platform_resolved}", "and resolved some five thousand\n      {wage_platform_resolved}",
     "five", "number-words"),
    ("and resolved\n      {wage_platform_resolved}", "and resolved hundreds of\n      {wage_platform_resolved}",
     "hundreds", "number-words"),
    ("and resolved\n      {wage_platform_resolved}", "and resolved the fifth\n      {wage_platform_resolved}",
     "fifth", "number-words"),
    ("市县两级直接受理", "市县两级二十四直接受理", "二十四", "number-words"),
    ("      zh: 国家欠薪平台欠薪线索：接收与办结", "      zh: 国家欠薪平台欠薪线索：接收与办结五十", "五十", "number-words"),
    ("        label: {zh: 接收, en: Received}", "        label: {zh: 接收, en: Received twice ten}", "ten",
     "number-words"),
    ("        label: {zh: 接收, en: Received}", "        label: {zh: 接收, en: Received 2}", "2}", "bare-number"),
    ("In {y2025}, Chenzhou thoroughly", 'In {y2025}, Chenzhou [thoroughly](https://example.org "in 2024")', "2024",
     "bare-number"),
    ("In {y2025}, Chenzhou thoroughly", "In {y2025}, Chenzhou [thoroughly 2](https://example.org)", "2]",
     "bare-number"),
])
def test_numbers_in_words_or_digits_are_findings_in_every_area_field(copy, old, new, needle, check):
    extra = ("source-text",) if "市县两级" in old and "label" not in old else ()
    extra += ("source-form", "source-text") if "三件" in new else ()  # the Chinese counter prints in the figure
    line = edit(copy, WAGE, old, new)
    line += new[: new.index(needle)].count("\n")
    assert_one(copy, WAGE, line, needle, check, extra=extra)


def test_number_words_in_report_lead(copy):
    line = edit(copy, REPORT, "Chenzhou was commended", "Chenzhou was commended twenty times")
    assert_one(copy, REPORT, line, "twenty", "number-words", "= 20")


@pytest.mark.parametrize("old, new", [
    ("and resolved\n      {wage_platform_resolved}", "and resolved one of the\n      {wage_platform_resolved}"),
    ("and resolved\n      {wage_platform_resolved}", "and resolved for the first time\n      {wage_platform_resolved}"),
    ("and resolved\n      {wage_platform_resolved}", "and resolved per thousand\n      {wage_platform_resolved}"),
    ("市县两级直接受理", "市县两级一流直接受理"),
])
def test_ordinary_words_that_contain_numbers_pass(copy, old, new):
    edit(copy, WAGE, old, new)
    assert [f for f in found(copy) if f.check == "number-words"] == []


def test_glossary_and_ui_number_words_are_not_figures_but_their_digits_are(copy):
    edit(copy, UI, "sixteen", "sixteen")  # already there and passing: the project's own words
    assert found(copy) == []
    text = (copy.root / GLOSSARY).read_text(encoding="utf-8")
    line = text.count("\n", 0, text.index("twenty-four")) + 1
    edit(copy, GLOSSARY, "twenty-four", "24")
    assert_one(copy, GLOSSARY, line, "24", "bare-number")


# --- values --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("new, words", [
    ('"９５４"', "write ASCII digits 0-9"), ('"٩٥٤"', "write ASCII digits 0-9"),
    ('"' + "9" * 29 + '"', "more than the 15"), ('"1234567890.1234567"', "more than the 15"),
])
def test_value_is_ascii_digits_of_sensible_length(copy, new, words):
    line = edit(copy, WAGE, 'value: "954"', f"value: {new}")
    assert_one(copy, WAGE, line, new, "load", words)


@pytest.mark.parametrize("value, scale, unit", [
    ("0", None, "yuan"), ("0.0", None, "yuan"), ("0.000000001", None, "yuan"), ("999999999999999", "yi", "yuan"),
    ("99999999.9999999", "wan", "count"), ("0", None, "percent"), ("1", None, "rank"),
])
def test_extreme_values_print_in_both_languages(value, scale, unit):
    metric = Metric(id="x", label={"zh": "甲", "en": "x"}, value=value, scale=scale, unit=unit, reported=True,
                    counter={"zh": "条", "en": ("lead", "leads")}, source="甲")
    for lang in ("zh", "en"):
        assert format_metric(metric, lang)
    assert Decimal(machine_value(metric)) == metric.number


# --- charts ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("values", [("0", "0"), ("0.0", "0.0"), ("0.000000001", "0.000000001"), ("5", "5"),
                                    ("0", "7"), ("999999999999999", "1")])
def test_chart_with_extreme_or_equal_bars_renders(content, values):
    area = next(a for a in content.areas if a.charts)
    chart = area.charts[0]
    bars = []
    for bar, value in zip(chart.bars, values):
        metric = content.metrics[bar.metric].model_copy(update={"value": value})
        bars.append(Bar(metric, "label " + value, format_metric(metric, "en"), metric.number))
    view = ChartView(chart.model_copy(update={"id": "extreme_" + "_".join(v.replace(".", "") for v in values)}),
                     "en", "t", "d", tuple(bars))
    svg = str(view.svg())
    assert svg.startswith("<svg") and view.width >= 480
    for bar in bars:
        assert bar.printed in svg


@pytest.mark.parametrize("odd", ["\x1f", "\x00", "\x08", "\ufffe", "\ud800"])
def test_chart_text_xml_cannot_hold_still_draws(content, odd):
    """The checks refuse such characters before a build (`characters`); the renderer itself stays total (a
    mutation the fuzz test found: a counter of U+001F made lxml raise inside pygal)."""
    area = next(a for a in content.areas if a.charts)
    chart = area.charts[0]
    bars = []
    for bar in chart.bars:
        metric = content.metrics[bar.metric]
        bars.append(Bar(metric, f"label{odd}", f"7{odd}条", metric.number))
    view = ChartView(chart.model_copy(update={"id": f"odd_{ord(odd):x}"}), "zh", f"title{odd}", f"desc{odd}",
                     tuple(bars))
    svg = str(view.svg())
    assert svg.startswith("<svg") and odd not in svg and "7\ufffd条" in svg and "title\ufffd" in svg


# --- characters -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("rel, old, char", [
    (WAGE, "Tackling Wage", "\u202e"),           # bidi override in a title
    (WAGE, "Tackling Wage", "\u2066"),           # bidi isolate
    (WAGE, "Tackling Wage", "\u200b"),           # zero-width space
    (WAGE, "Tackling Wage", "\u00ad"),           # soft hyphen
    (WAGE, "Tackling Wage", "\ufeff"),           # BOM inside text
    (WAGE, "Tackling Wage", "\u2028"),           # line separator: a YAML syntax error without this check
    (WAGE, "Tackling Wage", "\x85"),             # NEL
    (WAGE, "Wage-arrears leads received", "\u200d"),     # label
    (WAGE, "国家欠薪平台欠薪线索：接收与办结", "\u202b"),   # chart title
    (WAGE, "en: Received}", "\u2069"),            # bar label
    (WAGE, "source: 市县两级", "\u200c"),          # source
    (WAGE, "[complaint, complaints]", "\u202d"),  # counter
    (GLOSSARY, "ultra-long special treasury bonds", "\u202e"),  # glossary match / term text
    (UI, "site_name", "\u202e"),                  # ui key
    (REPORT, "Chenzhou Daily", "\ue000"),         # private use
    (REPORT, "# Tokens", "\u202e"),               # even in a comment
])
def test_invisible_and_control_characters_are_findings_at_their_place(copy, rel, old, char):
    line = edit(copy, rel, old, old[:3] + char + old[3:])
    result = found(copy)
    column = column_of(copy, rel, line, char)
    assert [(f.path, f.line, f.column, f.check) for f in result] == [(rel, line, column, "characters")], \
        "\n".join(map(str, result))
    assert f"U+{ord(char):04X}" in result[0].message


@pytest.mark.parametrize("escape, char", [("\\u202e", "\u202e"), ("\\x1b", "\x1b"), ("\\t", "\t"), ("\\0", "\0"),
                                          ("\\x7f", "\x7f"), ("\\N", "\x85"), ("\\L", "\u2028")])
def test_characters_written_as_yaml_escapes_are_found_at_the_escape(copy, escape, char):
    line = edit(copy, WAGE, "  en: Tackling Wage Arrears", f'  en: "Tackling {escape}Wage Arrears"')
    assert_one(copy, WAGE, line, escape, "characters", f"U+{ord(char):04X}")


def test_line_break_in_a_title_is_refused(copy):
    line = edit(copy, WAGE, "  en: Tackling Wage Arrears", '  en: "Tackling\\nWage Arrears"')
    assert_one(copy, WAGE, line, "\\n", "characters", "one-line field")


def test_build_refuses_a_line_separator_in_a_title_before_mkdocs(copy):
    for name in ("templates", *CONFIGS):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy2)(ROOT / name, copy.root / name)
    line = edit(copy, WAGE, "Tackling Wage", "Tackling\u2028 Wage")
    exe = Path(sys.executable).parent / "chenzhou-report"
    run = subprocess.run([str(exe), "build", "--root", str(copy.root)], capture_output=True, text=True)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert f"{WAGE}:{line}:{column_of(copy, WAGE, line, chr(0x2028))}: [characters]" in run.stderr
    assert not (copy.root / "site").exists()


# --- hostile strings ------------------------------------------------------------------------------------------------

HOSTILE = st.lists(st.one_of(
    st.sampled_from(["\u202e", "\u2066", "\u200b", "\u00ad", "\ufeff", "\u2028", "\x85", "\x1b", "\x7f", "\t"]),
    st.sampled_from(["９５４", "٣", "seven", "five thousand", "hundreds", "三千八百", "二十四", "dozen", "1", "一流",
                     "one of", "first", "per thousand", "[x](https://e.org \"7\")"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=4),
), min_size=1, max_size=5).map("".join)

FIELDS = [
    ("  en: Tackling Wage Arrears", "  en: {}"),                                         # title
    ("label: {zh: 接收, en: Received}", "label: {{zh: 接收, en: {}}}"),                  # bar label
    ("[complaint, complaints]", "[complaint, {}]"),                                      # counter
    ("en: six}", "en: {}}}"),                                                            # written
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=HOSTILE, field=st.sampled_from(FIELDS))
def test_hostile_text_gives_findings_or_nothing_never_a_traceback(tmp_path_factory, text, field):
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(ROOT / "content", root / "content")
    project = Project(root)
    old, template = field
    rel = TWO if old == "en: six}" else WAGE
    import json
    edit(project, rel, old, template.format(json.dumps(text)))
    result = check_content_dir(project.content_dir, project.root)[1]  # must not raise
    for finding in result:
        assert finding.path.startswith("content/") and finding.line >= 1 and finding.column >= 1
    bad = any(c in text for c in "\u202e\u2066\u200b\u00ad\ufeff\u2028\x85\x1b\x7f\t")
    if bad:
        assert any(f.check in ("characters", "load") for f in result), "\n".join(map(str, result))
