"""Corrections and revisions: a published figure never changes silently.

A copy of the project *with* the record of published figures (content/published.json): changing a figure fails the
check `revisions` at the line and column of its value; with a revision entry naming the published value it passes,
and the area page, the corrections page and the downloads show the change; `release` writes the record anew and
refuses to while a check fails; a damaged record and bad revision entries are named at their place.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from chenzhou_report.build import Project, build_site
from chenzhou_report.checks.content import check_content_dir
from chenzhou_report.checks.site import check_site
from chenzhou_report.cli import main
from chenzhou_report.errors import ContentError
from chenzhou_report.model import load_content
from chenzhou_report.revisions import RECORD, Published, read_record, record_text
from drafts import copy_project

ROOT = Path(__file__).resolve().parent.parent
WAGE = "content/areas/14-wage-arrears.yaml"
#: the figure the tests change: 6665万元 recovered for migrant workers (value once, quoted in two sources)
VALUE = 'value: "6665"'
REVISION = """    revisions:
      - date: 2026-12-01
        kind: correction
        previous: "6665"
        reason:
          zh: 录入时少计了一笔追发的工资。
          en: A recovered payment was left out when the figure was entered.
"""


@pytest.fixture
def published(tmp_path) -> Project:
    """A copy of the project as published: content with its record, templates, the MkDocs files."""
    copy_project(tmp_path)
    assert (tmp_path / "content" / RECORD).is_file()
    return Project(tmp_path)


def change_figure(project: Project, revision: str = "") -> None:
    """wage_recovered becomes 6666 (value and the quoted clauses, so every other check stays green)."""
    path = project.root / WAGE
    text = path.read_text(encoding="utf-8")
    assert text.count(VALUE) == 1 and text.count("等待遇6665万元") == 2
    text = text.replace(VALUE, 'value: "6666"').replace("等待遇6665万元", "等待遇6666万元")
    if revision:  # the entry goes under the metric, after its last field (source)
        anchor = "  - id: wage_recovered\n"
        start = text.index(anchor)
        end = text.index("\n", text.index("    source:", start)) + 1
        text = text[:end] + revision + text[end:]
    path.write_text(text, encoding="utf-8")


def position(project: Project, needle: str) -> tuple[int, int]:
    text = (project.root / WAGE).read_text(encoding="utf-8")
    index = text.index(needle)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def test_the_real_record_knows_every_figure(content):
    # the check is armed on the real content: every figure is in the committed record, with its value
    record = read_record(ROOT / "content" / RECORD)
    assert record.figures == {m.id: Published(m.value, m.unit, m.scale) for m in content.metrics.values()}
    assert record.withdrawn == {}


def test_changed_figure_without_revision_fails_at_its_value(published, capsys):
    change_figure(published)
    _, findings = check_content_dir(published.content_dir, published.root)
    assert [f.check for f in findings] == ["revisions"], "\n".join(map(str, findings))
    [finding] = findings
    line, column = position(published, 'value: "6666"')
    assert (finding.path, finding.line, finding.column) == (WAGE, line, column + len("value: "))
    assert "published as 6665 wan yuan" in finding.message and 'previous: "6665"' in finding.message
    assert main(["--root", str(published.root), "check"]) == 1
    out = capsys.readouterr().out
    assert f"{WAGE}:{line}:{column + len('value: ')}: [revisions]" in out
    # and the build refuses to publish it
    assert main(["--root", str(published.root), "build", "--site-dir", str(published.root / "site")]) == 1
    assert not (published.root / "site").exists()


def test_a_revision_naming_another_value_does_not_count(published):
    change_figure(published, REVISION.replace('previous: "6665"', 'previous: "6600"'))
    _, findings = check_content_dir(published.content_dir, published.root)
    [finding] = findings
    assert finding.check == "revisions" and "'6600', not '6665'" in finding.message


def test_with_a_revision_entry_the_page_and_downloads_show_it(published, tmp_path):
    change_figure(published, REVISION)
    content, findings = check_content_dir(published.content_dir, published.root)
    assert findings == []
    site = tmp_path / "site"
    build_site(published, site)
    zh = (site / "zh/areas/14-wage-arrears/index.html").read_text(encoding="utf-8")
    en = (site / "en/areas/14-wage-arrears/index.html").read_text(encoding="utf-8")
    assert "2026年12月1日更正，原为6665万元：录入时少计了一笔追发的工资。" in zh
    assert "Corrected on December 1, 2026, previously 66.65 million yuan: A recovered payment was left out" in en
    hant = (site / "zh-hant/areas/14-wage-arrears/index.html").read_text(encoding="utf-8")
    assert "2026年12月1日更正，原為6665萬元：錄入時少計了一筆追發的工資。" in hant
    for lang, page in (("zh", zh), ("en", en), ("zh-hant", hant)):
        listing = (site / lang / "revisions/index.html").read_text(encoding="utf-8")
        assert 'href="../areas/14-wage-arrears/#wage_recovered"' in listing and "no-revisions" not in listing
        assert 'href="../../revisions/"' in page
        rows = {row["id"]: row for row in csv.DictReader(io.StringIO(
            (site / lang / "data/metrics.csv").read_text(encoding="utf-8")))}
        assert (rows["wage_recovered"]["revised"], rows["wage_recovered"]["revision_kind"],
                rows["wage_recovered"]["previous_value"]) == ("2026-12-01", "correction", "66650000")
        assert rows["wage_workers"]["revised"] == rows["wage_workers"]["previous_value"] == ""
        data = json.loads((site / lang / "data/metrics.json").read_text(encoding="utf-8"))
        [entry] = next(m for m in data["metrics"] if m["id"] == "wage_recovered")["revisions"]
        assert (entry["date"], entry["previous"], entry["kind"]) == ("2026-12-01", "6665", "correction")
    assert "<td>更正</td>\n<td>6665万元</td>" in (site / "zh/revisions/index.html").read_text(encoding="utf-8")
    # the new markup passes every site check (allowlist, CSP, HTML validator, links, numbers, language switch)
    report = check_site(site, content, ROOT)  # ROOT: where the checkers (vnu, lychee) are
    assert report.findings == [], "\n".join(map(str, report.findings))
    # and the data package still validates, the revision typed (a date, a number)
    from frictionless import validate

    assert validate(str(site / "en/data/datapackage.json")).valid


def test_release_writes_the_record_and_refuses_while_a_check_fails(published, capsys):
    record = published.content_dir / RECORD
    before = record.read_bytes()
    change_figure(published)  # no revision entry: release must not record the silent change
    assert main(["--root", str(published.root), "release"]) == 1
    assert record.read_bytes() == before
    assert "[revisions]" in capsys.readouterr().err
    # with the entry, release records the new figure; from then on the figure is checked against 6666
    (published.root / WAGE).write_text((ROOT / WAGE).read_text(encoding="utf-8"), encoding="utf-8")
    change_figure(published, REVISION)
    assert main(["--root", str(published.root), "release"]) == 0
    assert "1 changed since the last release" in capsys.readouterr().out
    assert read_record(record).figures["wage_recovered"] == Published("6666", "yuan", "wan")
    assert record.read_text(encoding="utf-8") == record_text(load_content(published.content_dir, published.root))
    assert check_content_dir(published.content_dir, published.root)[1] == []
    text = (published.root / WAGE).read_text(encoding="utf-8")
    (published.root / WAGE).write_text(text.replace('value: "6666"', 'value: "6667"').replace(
        "等待遇6666万元", "等待遇6667万元"), encoding="utf-8")
    [finding] = check_content_dir(published.content_dir, published.root)[1]
    assert finding.check == "revisions" and "published as 6666 wan yuan" in finding.message


def test_make_release_runs_the_release_command():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\nrelease: site\n\t$(BIN)/chenzhou-report release\n" in makefile


def test_a_damaged_record_is_named_at_its_place(published):
    record = published.content_dir / RECORD
    record.write_text('{\n "figures": {\n  "wage_recovered": {"value": "6665", "unit": "yuan"},,\n }\n}\n',
                      encoding="utf-8")
    [finding] = check_content_dir(published.content_dir, published.root)[1]
    assert (finding.path, finding.line, finding.check) == (f"content/{RECORD}", 3, "revisions")
    record.write_text('{"figures": ["6665"]}\n', encoding="utf-8")
    [finding] = check_content_dir(published.content_dir, published.root)[1]
    assert finding.check == "revisions" and "damaged" in finding.message
    # a figure recorded without its unit (the record of 2026-12 kept values only) is damaged at its own line
    record.write_text('{\n "figures": {\n  "wage_recovered": "6665"\n }\n}\n', encoding="utf-8")
    [finding] = check_content_dir(published.content_dir, published.root)[1]
    assert (finding.line, finding.check) == (3, "revisions") and "'wage_recovered'" in finding.message


@pytest.mark.parametrize("entry, where, words", [
    (REVISION.replace("2026-12-01", "2026-13-01"), "2026-13-01", "year-month-day"),
    (REVISION.replace("2026-12-01", "first of December"), "first of December", "year-month-day"),
    (REVISION.replace("kind: correction", "kind: erratum"), "erratum", "expected one of: correction, revision"),
    (REVISION.replace('previous: "6665"', 'previous: "6,665"'), '"6,665"', "not a number as printed"),
    (REVISION.replace('previous: "6665"', 'previous: "6666"'), 'previous: "6666"', "current value"),
    (REVISION.replace("          en: A recovered payment was left out when the figure was entered.\n", ""),
     "reason:", "missing field 'en'"),
])
def test_bad_revision_entries_are_explained_at_their_place(published, entry, where, words):
    change_figure(published, entry)
    with pytest.raises(ContentError) as caught:
        load_content(published.content_dir, published.root)
    [problem] = caught.value.problems
    line, column = position(published, where)
    assert (problem.path, problem.line) == (WAGE, line), str(problem)
    assert words in problem.message, str(problem)


def test_without_revisions_the_corrections_page_says_so(built_site):
    for lang, words in (("zh", "没有更正或修订任何数字"), ("en", "No figure has been corrected or revised")):
        page = (built_site / lang / "revisions/index.html").read_text(encoding="utf-8")
        assert words in page and "<table" not in page.split('class="md-content"')[1]
        about = (built_site / lang / "about/index.html").read_text(encoding="utf-8")
        assert 'id="revisions"' in about and 'href="../revisions/"' in about


def _edit(project: Project, old: str, new: str) -> None:
    path = project.root / WAGE
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_same_figure_in_another_scale_has_not_changed(published):
    # 6665万元 written as 0.6665亿元: the printed figure is the same amount, nothing to revise
    # (the source-text checks then say the page no longer prints the article's 6665万元: not this check's business)
    _edit(published, 'value: "6665"\n    scale: wan', 'value: "0.6665"\n    scale: yi')
    content, findings = check_content_dir(published.content_dir, published.root)
    assert content is not None and findings and [f for f in findings if f.check == "revisions"] == []


def test_a_changed_scale_is_a_changed_figure_and_its_revision_names_the_figure_in_the_new_scale(published):
    # 6665 wan -> 6665 yi: the digits are the same, the figure is ten thousand times larger
    _edit(published, 'value: "6665"\n    scale: wan', 'value: "6665"\n    scale: yi')
    [finding] = [f for f in check_content_dir(published.content_dir, published.root)[1] if f.check == "revisions"]
    line, column = position(published, 'value: "6665"')
    assert (finding.path, finding.line, finding.column, finding.check) == (WAGE, line, column + 7, "revisions")
    assert "published as 6665 wan yuan" in finding.message and 'previous: "0.6665"' in finding.message
    change_figure_entry = REVISION.replace('previous: "6665"', 'previous: "0.6665"')
    text = (published.root / WAGE).read_text(encoding="utf-8")
    end = text.index("\n", text.index("    source:", text.index("  - id: wage_recovered\n"))) + 1
    (published.root / WAGE).write_text(text[:end] + change_figure_entry + text[end:], encoding="utf-8")
    content, findings = check_content_dir(published.content_dir, published.root)
    assert content is not None and [f for f in findings if f.check == "revisions"] == []


def test_a_changed_unit_fails_at_the_unit(published):
    # 954 complaints (count) become 954 per thousand: the digits are the same, the figure measures something else
    _edit(published, 'value: "954"\n    unit: count', 'value: "954"\n    unit: per_thousand')
    content, findings = check_content_dir(published.content_dir, published.root)
    assert content is not None
    [finding] = [f for f in findings if f.check == "revisions"]
    line, column = position(published, "unit: per_thousand")
    assert (finding.path, finding.line, finding.column) == (WAGE, line, column + 6)
    assert "published in count" in finding.message and "--withdraw wage_complaints" in finding.message


def test_a_removed_figure_fails_until_it_is_withdrawn(published, capsys):
    # a figure the record says was published and the content no longer has (removing a real one would also trip
    # the checks that every digit of the article is printed: here the record gains one instead)
    record = published.content_dir / RECORD
    data = json.loads(record.read_text(encoding="utf-8"))
    removed = "wage_platform_leads_2024"
    data["figures"][removed] = {"value": "3001", "unit": "count"}
    record.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    content, findings = check_content_dir(published.content_dir, published.root)
    assert content is not None, findings
    [finding] = findings
    line = record.read_text(encoding="utf-8").split("\n").index(f'  "{removed}": {{') + 1
    assert (finding.path, finding.line, finding.check) == (f"content/{RECORD}", line, "revisions"), str(finding)
    assert "no longer in the content" in finding.message and f"--withdraw {removed}" in finding.message
    # release refuses the silent removal, a withdrawal of a figure never published, and one still in the content
    root = ["--root", str(published.root), "release"]
    assert main(root) == 1 and main(root + ["--withdraw", "no_such_figure"]) == 1
    assert main(root + ["--withdraw", removed, "wage_recovered"]) == 1
    assert removed in read_record(record).figures
    capsys.readouterr()
    assert main(root + ["--withdraw", removed]) == 0
    assert "1 withdrawn" in capsys.readouterr().out
    kept = read_record(record)
    assert removed not in kept.figures and kept.withdrawn[removed][0] == Published("3001", "count")
    assert check_content_dir(published.content_dir, published.root)[1] == []
    # the withdrawal stays recorded through the next release
    assert main(root) == 0 and removed in read_record(record).withdrawn
