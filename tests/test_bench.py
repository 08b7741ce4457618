"""The benchmark's parts at a tiny scale: synthetic content, the plain-MkDocs baseline, the preview edit, the report.

Nothing here is timed: speed is measured by `make bench`, never by a test.
"""

from __future__ import annotations

import json
import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tools import bench
from tools.bench_content import copies, generate_project, write_baseline
from chenzhou_report.checks.content import check_content
from chenzhou_report.model import LANGS, load_content, text_fields
from chenzhou_report.numbers import format_metric, matching_roundings
from chenzhou_report.languages import language
from chenzhou_report.render import SiteRenderer

CSP_META = re.compile(r'\n<meta http-equiv="Content-Security-Policy" content="[^"]*">')
SCALE = 3  # 48 areas: past one navigation group of 20, and quick to load


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory, project_root) -> Path:
    out = tmp_path_factory.mktemp("synthetic") / "project"
    generate_project(project_root, out, SCALE)
    return out


@pytest.fixture(scope="module")
def synthetic_content(synthetic):
    return load_content(synthetic / "content", synthetic)


def test_copies_are_distinct_places_and_years_starting_with_the_real_report():
    plan = copies(100)
    assert plan[0] == (("郴州", "Chenzhou", "cz"), 2025)
    assert len(set(plan)) == 100
    assert len({place for place, _ in plan}) == 14


def test_generated_content_is_valid_and_passes_the_content_checks(synthetic_content, content):
    real_areas = len(content.areas)
    assert len(synthetic_content.areas) == SCALE * real_areas
    assert len(synthetic_content.metrics) == SCALE * len(content.metrics)
    assert [a.number for a in synthetic_content.areas] == list(range(1, SCALE * real_areas + 1))
    assert check_content(synthetic_content) == []


def test_copy_zero_is_the_real_report_byte_for_byte(synthetic, project_root):
    for path in sorted((project_root / "content" / "areas").glob("*.yaml")):
        assert (synthetic / "content" / "areas" / path.name).read_bytes() == path.read_bytes()


def test_copies_change_figures_consistently(synthetic_content, content):
    metrics = synthetic_content.metrics
    changed = 0
    for metric_id, metric in metrics.items():
        real = content.metrics.get(re.sub(r"_[a-z]+\d{4}$", "", metric_id))
        assert real is not None, metric_id
        if metric_id == real.id:
            continue
        changed += metric.value != real.value
        assert metric.unit == real.unit and metric.scale == real.scale
        if metric.derived:
            assert metric.derived.rounding in matching_roundings(metric, metrics), metric_id
        if metric.part_of:
            assert metrics[metric.part_of].number >= metric.number, metric_id
        if metric.unit == "rank" or metric.written:
            assert metric.value == real.value
        assert format_metric(metric, "zh") in metric.source
    assert changed > len(content.metrics)  # most copies print other figures than the real report


def test_copies_name_their_place_and_year_and_keep_prose_free_of_digits(synthetic_content):
    area = synthetic_content.areas[-1]  # the last copy: not Chenzhou, not necessarily 2025
    assert "郴州" not in area.title.zh and "Chenzhou" not in area.title.en
    assert re.search(r"\{y20\d\d\}", area.title.zh)
    for _, _, text in text_fields(area):
        assert not re.search(r"\d", re.sub(r"\{[a-z][a-z0-9_]*\}", "", text)), text


@pytest.fixture(scope="module")
def baseline_site(tmp_path_factory, project_root):
    """The real project's pages built by plain MkDocs + Material, as the benchmark's baseline does."""
    out = tmp_path_factory.mktemp("baseline")
    configs = write_baseline(project_root, out)
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from chenzhou_report.convert import pristine_jieba

    try:
        for lang in LANGS:
            mkdocs_build(load_config(str(configs[lang]), strict=True))
    finally:
        pristine_jieba()  # the Traditional config loaded its user dictionary into this process's jieba
    return out / "site"


def test_baseline_config_is_ours_without_the_plugin(tmp_path, project_root, content):
    configs = write_baseline(project_root, tmp_path, content)
    import yaml

    for lang in LANGS:
        config = yaml.safe_load(configs[lang].read_text(encoding="utf-8"))
        assert "chenzhou-report" not in config["plugins"]
        assert "search" in config["plugins"]
        assert config["theme"]["language"] == language(lang).tag
        assert config["nav"] == SiteRenderer(content, lang, project_root / "templates").nav()
    assert (tmp_path / "docs_zh" / "areas" / "14-wage-arrears.md").is_file()


def test_baseline_builds_the_same_pages_as_our_pipeline(baseline_site, built_site):
    """The baseline is fair: plain MkDocs turns the same Markdown into the same HTML as our plugin does."""
    ours = sorted(p.relative_to(built_site) for p in built_site.rglob("*.html") if p.parent != built_site)
    theirs = sorted(p.relative_to(baseline_site) for p in baseline_site.rglob("*.html"))
    assert ours == theirs
    assert len(ours) > 30
    for rel in ours:
        # the one thing our plugin adds after rendering: the page's Content-Security-Policy (csp.py); the charts'
        # embed pages are files the renderer writes with theirs already, in both builds
        mine = CSP_META.sub("", (built_site / rel).read_text(encoding="utf-8"), count=1)
        assert mine == CSP_META.sub("", (baseline_site / rel).read_text(encoding="utf-8"), count=1), rel
    for lang in LANGS:
        def docs(site):
            index = json.loads((site / lang / "search" / "search_index.json").read_text(encoding="utf-8"))
            return sorted(json.dumps(d, sort_keys=True, ensure_ascii=False) for d in index["docs"])

        assert docs(built_site) == docs(baseline_site)


def test_preview_edit_changes_one_value_and_its_source_only(tmp_path, project_root):
    project = tmp_path / "project"
    generate_project(project_root, project, 1)
    edit = bench.pick_edit(project)
    before = edit.path.read_text(encoding="utf-8").split("\n")
    new_value = str(int(edit.metric.value) + 1)
    bench.apply_edit(edit, new_value)
    after = edit.path.read_text(encoding="utf-8").split("\n")
    changed = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert len(before) == len(after) and len(changed) == 1 + len(edit.sources)
    reloaded = load_content(project / "content", project)
    metric = reloaded.metrics[edit.metric.id]
    assert metric.value == new_value
    assert format_metric(metric, "zh") in metric.source
    assert check_content(reloaded) == []


def test_shows_matches_the_printed_figure_only():
    needle = bench.shows("wage_complaints", "955")
    assert needle.search('<data data-metric="wage_complaints" value="955">955件</data>')
    assert needle.search('<data value="955" data-metric="wage_complaints">955件</data>')
    assert not needle.search('<data data-metric="wage_complaints" value="9551">9551件</data>')
    assert not needle.search('<data data-metric="wage_complaints_x" value="955">955件</data>')


def _run(wall, cpu=1.0, mb=100.0):
    return bench.Run(wall, cpu, mb)


def test_report_ends_with_the_json_line():
    results = []
    for scale, ours, base, pages in ((1, 2.0, 1.8, 40), (10, 8.0, 7.5, 328), (100, 70.0, 66.0, 3208)):
        r = bench.ScaleResult(scale, 16 * scale, pages)
        r.ours = [_run(ours, cpu=ours * 1.5, mb=300), _run(ours + 1, mb=310), _run(ours - 1, cpu=ours * 1.5)]
        r.baseline = [_run(base, cpu=base, mb=200)]
        r.unchanged = [_run(ours / 2)]
        r.one_edit = [_run(ours / 4), _run(ours / 5), _run(ours / 3)]
        results.append(r)
    lines = "\n".join(bench.report_lines([_run(1.5), _run(1.7), _run(1.6)], results, {1: [0.8, 0.9, 0.7],
                                                                                        10: [1.4, 1.2]},
                                         "test machine", 12.0)).split("\n")
    last = json.loads(lines[-1])
    assert list(last) == ["editions", "real_build_s", "build_s", "wall_ratio", "cpu_ratio", "ms_per_page",
                          "rebuild_one_edit_s", "preview_edit_s", "peak_mb"]
    assert last["editions"] == len(LANGS)
    assert last["real_build_s"] == 1.6
    assert last["build_s"] == {"1": 2.0, "10": 8.0, "100": 70.0}
    assert last["wall_ratio"] == {"1": round(2.0 / 1.8, 3), "10": round(8.0 / 7.5, 3), "100": round(70 / 66, 3)}
    assert last["cpu_ratio"] == {"1": round(3.0 / 1.8, 3), "10": round(12.0 / 7.5, 3), "100": round(105 / 66, 3)}
    assert last["ms_per_page"] == {"1": 50.0, "10": round(8000 / 328, 2), "100": round(70000 / 3208, 2)}
    assert last["rebuild_one_edit_s"] == {"1": 0.5, "10": 2.0, "100": 17.5}
    assert last["preview_edit_s"] == {"1": 0.8, "10": 1.3}
    assert last["peak_mb"] == {"ours": 310, "baseline": 200}
    assert any(line.startswith("| 100× | 1,600 | 3,208 |") for line in lines)
    assert all(not line.startswith("{") for line in lines[:-1])


def test_runs_one_after_another_add_up_and_keep_the_largest_peak():
    total = bench.Run.one_after_another([_run(1.0, 2.0, 100), _run(0.5, 0.25, 150)])
    assert (total.wall_s, total.cpu_s, total.maxrss_mb) == (1.5, 2.25, 150)


def test_the_baseline_is_one_plain_mkdocs_build_per_edition(tmp_path, project_root, content):
    configs = write_baseline(project_root, tmp_path, content)
    commands = bench.baseline_cmds(configs)
    assert len(commands) == len(LANGS)
    for lang, command in zip(LANGS, commands):
        assert command[1:5] == ["-m", "mkdocs", "build", "--strict"] and command[-1] == str(configs[lang])


def test_our_cpu_time_counts_the_build_processes_children(tmp_path):
    """wait4 adds the children a process waited for: a parent that only waits shows the CPU its child spent."""
    code = ("import os, time\npid = os.fork()\nif pid == 0:\n    end = time.process_time() + 0.3\n"
            "    while time.process_time() < end: pass\n    os._exit(0)\nos.waitpid(pid, 0)\n")
    run = bench._popen_wait4([sys.executable, "-c", code])
    assert run.cpu_s >= 0.3


def test_scaled_figures_keep_their_decimals():
    from tools.bench_content import _scaled

    assert _scaled("107.42", Decimal("1.1")) == "118.16"
    assert _scaled("3884", Decimal("0.6")) == "2330"
    assert _scaled("1", Decimal("0.6")) == "1"
    assert _scaled("0.5", Decimal("0.6")) == "0.3"
