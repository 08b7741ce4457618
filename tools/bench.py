"""`make bench`: what a build costs as the report grows, against plain MkDocs, and how fast the preview follows an edit.

    python -m tools.bench [--scales 1,10,100] [--runs N] [--preview-scales 1,10] [--no-preview] [--keep DIR]

1. Synthetic content at each scale (bench_content.py): 16, 160, 1,600 areas per language, derived from the real
   report, written into a temporary project folder with the real templates and MkDocs configs.
2. Each scale built by our pipeline (`build.build_site`, every edition, each in a process of its own) and by the
   baseline: the very pages our renderer produces, written out as Markdown files and built the way a user of plain
   MkDocs would, one `mkdocs build --strict --quiet -f mkdocs.<lang>.yml` per edition, one after the other, with
   the same mkdocs.yml minus our plugin (same theme settings, same nav grouping, search with jieba for zh). Every
   build runs in its own Python process (imports included, as `make site` pays them); ours and the baseline
   alternate; the table shows the median wall time, the CPU time of every process involved (user + system of the
   build process and of its children, `os.wait4`, which counts the children a process waited for) and the peak
   resident memory of one process. These builds are full (`build --full`: no page reused from the build before).
   Then, on our build's output, a rebuild with nothing changed and a rebuild after one edit (one metric value and
   its source clause, as the preview edit below): these reuse the pages that did not change, as `make site` does.
3. Preview latency: `chenzhou-report serve` on a free port of 127.0.0.1 over a copy of the real project; one metric
   value is changed in its YAML file and the served page is polled until it shows the new figure; median of
   several edits.
4. A table, then as the very last line one JSON object (issue 14):
   {"editions", "real_build_s", "build_s": {scale: …}, "wall_ratio": {scale: ours/baseline wall},
    "cpu_ratio": {scale: ours/baseline CPU}, "ms_per_page": {scale: …}, "rebuild_one_edit_s": {scale: …},
    "preview_edit_s": {scale: …}, "peak_mb": {"ours": …, "baseline": …}} (peaks of one process, at the largest
   scale measured).

This is a measurement script, not a test: nothing here asserts a target.

To profile one build (CPU time, cProfile): keep the generated projects with `--keep DIR`, then
    CHENZHOU_BENCH_PROFILE=ours.prof python -m tools.bench _child ours DIR/x10/project /tmp/site
    CHENZHOU_BENCH_PROFILE=base.prof python -m tools.bench _child baseline - DIR/x10/baseline/mkdocs.zh.yml
and read the files with `python -m pstats`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from chenzhou_report.languages import LANGS
from tools import ROOT, free_port

if TYPE_CHECKING:
    from chenzhou_report.model import Metric


DEFAULT_RUNS = {1: 5, 10: 5, 100: 3}
TARGETS = ("targets (issue 14): wall ratio ≤ 0.70 and CPU ratio ≤ 1.10 at every scale · one-edit rebuild at 100× "
           "≤ 15% of a full build · preview ≤ 1 s at 1×, ≤ 1.5 s at 10× · peak at 100× ≤ 1.2× baseline · "
           "ms/page at 100× ≤ 1.1× 10×")
REBUILD_RUNS = 3  # no-change and one-edit rebuilds per scale (fewer when --runs asks for fewer)


# --- the child processes: one build each -----------------------------------------------------------------------

def _child(argv: list[str]) -> int:
    """`bench _child ours PROJECT SITE`, `bench _child ours-full PROJECT SITE` (no page reused from the last build)
    or `bench _child baseline SITE CONFIG…` (each config names its own site_dir; SITE is only for the log): one
    build, its in-process time printed as JSON."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    kind, *args = argv
    profile_to = os.environ.get("CHENZHOU_BENCH_PROFILE")
    if profile_to:  # CPU-time profile (process_time), so that other load on the machine does not skew it
        import atexit
        import cProfile

        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        atexit.register(lambda: (profiler.disable(), profiler.dump_stats(profile_to)))
    started = time.perf_counter()
    if kind in ("ours", "ours-full"):
        from chenzhou_report.build import Project, build_site

        build_site(Project(Path(args[0])), Path(args[1]), full=kind == "ours-full")
    elif kind == "baseline":
        import logging

        from mkdocs.commands.build import build as mkdocs_build
        from mkdocs.config import load_config

        logging.getLogger("mkdocs").setLevel(logging.WARNING)  # as quiet as build_site
        for config_file in args[1:]:
            mkdocs_build(load_config(config_file, strict=True))
    else:
        raise SystemExit(f"unknown child {kind!r}")
    print(json.dumps({"inproc_s": time.perf_counter() - started}))
    return 0


@dataclass
class Run:
    wall_s: float
    cpu_s: float  # user + system time of the child and the children it waited for: every core it kept busy
    maxrss_mb: float  # the peak of the largest single process

    @staticmethod
    def one_after_another(runs: list["Run"]) -> "Run":
        """Processes run one after the other, as one run: times add up, the peak is the largest process's."""
        return Run(sum(r.wall_s for r in runs), sum(r.cpu_s for r in runs), max(r.maxrss_mb for r in runs))


def _popen_wait4(cmd: list[str], cwd: Path | None = None) -> Run:
    """Run `cmd`; its wall time and peak resident memory (reaped with wait4, so the rusage is this child's own)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err,
                                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            out.seek(0)
            err.seek(0)
            raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n"
                               f"{out.read().decode(errors='replace')}\n{err.read().decode(errors='replace')}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def ours_cmd(project: Path, site: Path, full: bool = False) -> list[str]:
    """Our build; `full`: every page built (a first build), else the unchanged pages reused (a rebuild)."""
    return [sys.executable, "-m", "tools.bench", "_child", "ours-full" if full else "ours", str(project), str(site)]


def baseline_cmds(configs: dict[str, Path]) -> list[list[str]]:
    """What a user of plain MkDocs runs: one `mkdocs build` per edition (each config names its site_dir)."""
    return [[sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--config-file", str(configs[lang])]
            for lang in LANGS]


def run_baseline(configs: dict[str, Path]) -> Run:
    return Run.one_after_another([_popen_wait4(cmd) for cmd in baseline_cmds(configs)])


def real_build_cmd(site: Path) -> list[str]:
    """What `make site` runs (content checks included), into a scratch folder."""
    return [sys.executable, "-m", "chenzhou_report.cli", "--root", str(ROOT), "build", "--full", "--site-dir",
            str(site)]


# --- one scale ---------------------------------------------------------------------------------------------------

@dataclass
class ScaleResult:
    scale: int
    areas: int
    pages: int  # generated pages, both languages
    ours: list[Run] = field(default_factory=list)
    baseline: list[Run] = field(default_factory=list)
    unchanged: list[Run] = field(default_factory=list)  # our rebuild with nothing changed
    one_edit: list[Run] = field(default_factory=list)  # our rebuild after one edit

    @staticmethod
    def _median(runs: list[Run], attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in runs)

    @property
    def ours_s(self) -> float:
        return self._median(self.ours, "wall_s")

    @property
    def baseline_s(self) -> float:
        return self._median(self.baseline, "wall_s")

    @property
    def ratio(self) -> float:
        return self.ours_s / self.baseline_s

    @property
    def cpu_ratio(self) -> float:
        return self._median(self.ours, "cpu_s") / self._median(self.baseline, "cpu_s")

    @property
    def ms_per_page(self) -> float:
        return self.ours_s / self.pages * 1000

    @property
    def baseline_ms_per_page(self) -> float:
        return self.baseline_s / self.pages * 1000


def prepare_scale(work: Path, scale: int) -> tuple[Path, dict[str, Path], int, int]:
    """Generate the project at `scale` and its baseline; returns (project, baseline configs, areas, pages)."""
    from tools.bench_content import generate_project, write_baseline
    from chenzhou_report.loading import load_content

    project = work / f"x{scale}" / "project"
    areas = generate_project(ROOT, project, scale)
    seed = work / "warm-up" / "x1" / "project" / ".cache" / "jieba"  # jieba's dictionary, as after an earlier build
    if seed.is_dir() and not (project / ".cache" / "jieba").exists():
        shutil.copytree(seed, project / ".cache" / "jieba")
    content = load_content(project / "content", project)
    configs = write_baseline(project, work / f"x{scale}" / "baseline", content)
    pages = sum(len(list((config.parent / f"docs_{lang}").rglob("*.md"))) for lang, config in configs.items())
    return project, configs, areas, pages


def bench_scale(work: Path, scale: int, runs: int, log, rebuild_runs: int = REBUILD_RUNS) -> ScaleResult:
    t = time.perf_counter()
    project, configs, areas, pages = prepare_scale(work, scale)
    log(f"x{scale}: {areas} areas per language, {pages} pages, generated in {time.perf_counter() - t:.1f} s")
    result = ScaleResult(scale, areas, pages)
    site = work / f"x{scale}" / "site-ours"
    for i in range(runs):
        ours = lambda: _popen_wait4(ours_cmd(project, site, full=True))  # noqa: E731 - a first build: no page reused
        for name, build, into in (("ours", ours, result.ours),
                                  ("baseline", lambda: run_baseline(configs), result.baseline)):
            run = build()
            into.append(run)
            log(f"  x{scale} run {i + 1}/{runs} {name:8s} {run.wall_s:6.2f} s (CPU {run.cpu_s:6.2f} s) "
                f"{run.maxrss_mb:6.0f} MB")
    edit = pick_edit(project)
    for i in range(min(runs, rebuild_runs)):
        for name, into in (("no change", result.unchanged), ("one edit", result.one_edit)):
            if into is result.one_edit:
                apply_edit(edit, str(int(edit.metric.value) + 1))
            run = _popen_wait4(ours_cmd(project, site))
            into.append(run)
            log(f"  x{scale} rebuild {i + 1} {name:9s} {run.wall_s:6.2f} s (CPU {run.cpu_s:6.2f} s)")
    return result


# --- preview latency -------------------------------------------------------------------------------------------

def _get(url: str, timeout: float = 30) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, ConnectionError, socket.timeout, TimeoutError):
        return 0, ""


@dataclass
class Edit:
    """One metric of one area file whose value can be changed without touching any other figure."""

    path: Path
    metric: "Metric"
    value_pos: tuple[int, int]
    sources: list[tuple[tuple[int, int], str]]  # every source clause of the area that prints the figure
    page: str  # the area page, relative to a language root: areas/14-wage-arrears/


def _printed_in(printed: str) -> re.Pattern:
    return re.compile(rf"(?<![\d.]){re.escape(printed)}")


def pick_edit(project: Path) -> Edit:
    """A count metric with no parts and no percentage built on it, printed once in each source clause quoting it."""
    from chenzhou_report.loading import load_content
    from chenzhou_report.numbers import format_metric
    from chenzhou_report.render import area_url

    content = load_content(project / "content", project)
    used = {m.part_of for m in content.metrics.values()}
    used |= {ref for m in content.metrics.values() if m.derived for ref in (m.derived.numerator, m.derived.denominator)}
    for area in content.areas:
        located = content.area_source(area)
        for i, m in enumerate(area.metrics):
            if m.unit != "count" or m.written or m.scale or m.id in used or "." in m.value:
                continue
            printed = _printed_in(format_metric(m, "zh"))
            quoting = [(located.position(("metrics", j, "source")), other.source)
                       for j, other in enumerate(area.metrics) if printed.search(other.source)]
            if quoting and all(len(printed.findall(text)) == 1 for _, text in quoting):
                return Edit(project / located.path, m, located.position(("metrics", i, "value")), quoting,
                            area_url(area))
    raise RuntimeError("no metric suitable for the preview edit")


def apply_edit(edit: Edit, new_value: str) -> None:
    """Rewrite the metric's value and the figure in the source clauses quoting it, in place, as an editor saves."""
    from chenzhou_report.numbers import format_metric

    printed = _printed_in(format_metric(edit.metric, "zh"))
    new_metric = edit.metric.model_copy(update={"value": new_value})
    new_printed = format_metric(new_metric, "zh")
    sources = [(pos, text, printed.sub(new_printed, text)) for pos, text in edit.sources]
    lines = edit.path.read_text(encoding="utf-8").split("\n")
    for (line, column), old, new in sorted([(edit.value_pos, edit.metric.value, new_value), *sources],
                                           reverse=True):
        text = lines[line - 1]
        at = text.index(old, column - 1)
        lines[line - 1] = text[:at] + new + text[at + len(old):]
    edit.path.write_text("\n".join(lines), encoding="utf-8")
    edit.metric, edit.sources = new_metric, [(pos, new) for pos, _, new in sources]


def serve_cmd(project: Path, port: int) -> list[str]:
    """`chenzhou-report serve` (what `make serve` runs) over `project`."""
    return [sys.executable, "-m", "chenzhou_report.cli", "--root", str(project), "serve", "--port", str(port)]


def shows(metric_id: str, value: str) -> re.Pattern:
    """A `<data … data-metric="id" …>` element whose printed text starts with `value` (and no further digit)."""
    return re.compile(rf'<data\b[^>]*\bdata-metric="{re.escape(metric_id)}"[^>]*>{re.escape(value)}(?![\d.,])')


def bench_preview(work: Path, scale: int, edits: int, log) -> list[float]:
    from tools.bench_content import generate_project

    project = work / f"preview-x{scale}"
    generate_project(ROOT, project, scale)
    edit = pick_edit(project)
    port = free_port()
    cmd, how = serve_cmd(project, port), "chenzhou-report serve"
    base = f"http://127.0.0.1:{port}"
    log_file = work / f"serve-x{scale}.log"
    with open(log_file, "wb") as out:
        server = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=project,
                                  env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        url = None
        deadline = time.monotonic() + 120
        while url is None and time.monotonic() < deadline:
            if server.poll() is not None:
                raise RuntimeError(f"{how} exited:\n{log_file.read_text(errors='replace')[-3000:]}")
            for candidate in (f"{base}/zh/{edit.page}", f"{base}/{edit.page}"):
                status, body = _get(candidate, timeout=5)
                if status == 200 and f'data-metric="{edit.metric.id}"' in body:
                    url = candidate
                    break
            else:
                time.sleep(0.1)
        if url is None:
            raise RuntimeError(f"{how} did not serve {edit.page} within 120 s")
        log(f"preview x{scale}: {how}; editing {edit.metric.id} in {edit.path.name}; polling {url}")
        times = []
        value = int(edit.metric.value)
        for i in range(edits):
            time.sleep(0.6)  # let the previous rebuild settle, as between an editor's saves
            value += 1
            needle = shows(edit.metric.id, str(value))
            started = time.perf_counter()
            apply_edit(edit, str(value))
            while True:
                status, body = _get(url)
                if needle.search(body):
                    break
                if time.perf_counter() - started > 60:
                    raise RuntimeError(f"the edit did not show within 60 s\n"
                                       f"{log_file.read_text(errors='replace')[-3000:]}")
                time.sleep(0.02)
            times.append(time.perf_counter() - started)
            log(f"  edit {i + 1}/{edits}: shown after {times[-1]:.2f} s")
        return times
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --- the report ------------------------------------------------------------------------------------------------

def machine() -> str:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = (f"Python {platform.python_version()}, MkDocs {_version('mkdocs')}, "
                f"Material {_version('mkdocs-material')}")
    return f"{date.today().isoformat()} · {os.cpu_count()} cores ({len(os.sched_getaffinity(0))} usable) · {cpu} · {versions}"


def _version(dist: str) -> str:
    from importlib.metadata import version

    try:
        return version(dist)
    except Exception:  # pragma: no cover
        return "?"


def table(real: list[Run], results: list[ScaleResult], preview: dict[int, list[float]]) -> str:
    rows = [
        "| scale | areas/lang | pages | ours s | baseline s | wall ratio | ours CPU s | baseline CPU s | CPU ratio "
        "| ours ms/page | baseline ms/page | no-change rebuild s | one-edit rebuild s | ours peak MB "
        "| baseline peak MB | runs |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        ours_cpu, base_cpu = r._median(r.ours, "cpu_s"), r._median(r.baseline, "cpu_s")
        unchanged = f"{r._median(r.unchanged, 'wall_s'):.2f}" if r.unchanged else "–"
        one_edit = f"{r._median(r.one_edit, 'wall_s'):.2f}" if r.one_edit else "–"
        rows.append(
            f"| {r.scale}× | {r.areas:,} | {r.pages:,} | {r.ours_s:.2f} | {r.baseline_s:.2f} | {r.ratio:.3f} "
            f"| {ours_cpu:.2f} | {base_cpu:.2f} | {r.cpu_ratio:.3f} | {r.ms_per_page:.1f} "
            f"| {r.baseline_ms_per_page:.1f} | {unchanged} | {one_edit} "
            f"| {max(x.maxrss_mb for x in r.ours):.0f} | {max(x.maxrss_mb for x in r.baseline):.0f} | {len(r.ours)} |")
    lines = rows
    if real:
        lines.append("")
        lines.append(f"real site, `chenzhou-report build` (content checks included), {len(LANGS)} editions: "
                     f"median {statistics.median(r.wall_s for r in real):.2f} s of {len(real)} runs "
                     f"(CPU {statistics.median(r.cpu_s for r in real):.2f} s), "
                     f"peak {max(r.maxrss_mb for r in real):.0f} MB")
    by = {r.scale: r for r in results}
    if 10 in by and 100 in by:
        lines.append(f"ms/page at 100× over 10×: {by[100].ms_per_page / by[10].ms_per_page:.2f} (ours), "
                     f"{by[100].baseline_ms_per_page / by[10].baseline_ms_per_page:.2f} (baseline)")
    for scale, times in preview.items():
        lines.append(f"preview at {scale}×: an edit shows after median {statistics.median(times):.2f} s "
                     f"(min {min(times):.2f}, max {max(times):.2f}, {len(times)} edits)")
    return "\n".join(lines)


def summary(real: list[Run], results: list[ScaleResult], preview: dict[int, list[float]]) -> dict:
    """The JSON line of issue 14; peaks are of one process, at the largest scale measured."""
    largest = max(results, key=lambda r: r.scale) if results else None
    return {
        "editions": len(LANGS),
        "real_build_s": round(statistics.median(r.wall_s for r in real), 3) if real else None,
        "build_s": {str(r.scale): round(r.ours_s, 3) for r in results},
        "wall_ratio": {str(r.scale): round(r.ratio, 3) for r in results},
        "cpu_ratio": {str(r.scale): round(r.cpu_ratio, 3) for r in results},
        "ms_per_page": {str(r.scale): round(r.ms_per_page, 2) for r in results},
        "rebuild_one_edit_s": {str(r.scale): round(r._median(r.one_edit, "wall_s"), 3) for r in results
                               if r.one_edit},
        "preview_edit_s": {str(scale): round(statistics.median(times), 3) for scale, times in preview.items()},
        "peak_mb": {"ours": round(max(x.maxrss_mb for x in largest.ours)) if largest else None,
                    "baseline": round(max(x.maxrss_mb for x in largest.baseline)) if largest else None},
    }


def report_lines(real: list[Run], results: list[ScaleResult], preview: dict[int, list[float]], where: str,
                 took_s: float) -> list[str]:
    """What `make bench` prints: the machine, the targets, the table, and the JSON object as the very last line."""
    return [f"machine: {where}", TARGETS, table(real, results, preview),
            "(times are medians of wall time; CPU = user + system time of the build process and the children it "
            "waited for, less sensitive to other load on the machine)",
            f"(bench took {took_s:.0f} s; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())})",
            json.dumps(summary(real, results, preview))]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_child"]:
        return _child(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--scales", default="1,10,100", help="comma-separated multiples of the real report")
    parser.add_argument("--runs", type=int, default=None, help="runs per build at every scale (default 5, 3 at 100×)")
    parser.add_argument("--real-runs", type=int, default=5)
    parser.add_argument("--rebuild-runs", type=int, default=REBUILD_RUNS,
                        help="no-change and one-edit rebuilds per scale (at most --runs)")
    parser.add_argument("--edits", type=int, default=7, help="edits timed for the preview")
    parser.add_argument("--preview-scales", default="1,10",
                        help="scales at which to time the preview")
    parser.add_argument("--no-preview", action="store_true")
    parser.add_argument("--keep", default=None, help="keep the generated projects and sites in this folder")
    args = parser.parse_args(argv)
    scales = [int(s) for s in args.scales.split(",") if s]

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    work = Path(args.keep).resolve() if args.keep else Path(tempfile.mkdtemp(prefix="chenzhou-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    try:
        where = f"{machine()} · load average at start {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
        log(f"machine: {where}")
        log(f"work folder: {work}")
        # warm-up: byte-compile, jieba's dictionary cache; not timed
        project, configs, _, _ = prepare_scale(work / "warm-up", 1)
        _popen_wait4(ours_cmd(project, work / "warm-ours"))
        run_baseline(configs)
        real = []
        for i in range(args.real_runs):
            real.append(_popen_wait4(real_build_cmd(work / "real-site")))
            log(f"real site run {i + 1}/{args.real_runs}: {real[-1].wall_s:.2f} s (CPU {real[-1].cpu_s:.2f} s) "
                f"{real[-1].maxrss_mb:.0f} MB")
        results = [bench_scale(work, s, args.runs or DEFAULT_RUNS.get(s, 3), log, args.rebuild_runs) for s in scales]
        preview: dict[int, list[float]] = {}
        if not args.no_preview:
            for s in [int(x) for x in args.preview_scales.split(",") if x]:
                preview[s] = bench_preview(work, s, args.edits if s == 1 else max(3, args.edits // 2), log)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    for line in report_lines(real, results, preview, where, time.perf_counter() - started):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
