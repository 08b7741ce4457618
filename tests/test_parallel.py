"""Editions built in parallel (parallel.py, build.py): a process each, the content handed over once, the first
failure stopping the others and crossing the process boundary as clean words; jieba's dictionary cached on disk.

Nothing here is timed: the jobs write down what they did, and the tests read it.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import subprocess
import threading
import time
from pathlib import Path

import pytest

from chenzhou_report import build, parallel
from chenzhou_report.build import BuildFailed, build_site
from chenzhou_report.languages import LANGS
from sitetree import leftovers, tree_hash


# --- the runner, with small jobs --------------------------------------------------------------------------------

def _note(log: Path, text: str) -> None:
    with open(log, "a", encoding="utf-8") as out:
        out.write(text + "\n")


def _slow(log: Path, name: str, seconds: float = 0.3) -> None:
    _note(log, f"start {name} {os.getpid()}")
    time.sleep(seconds)
    _note(log, f"end {name}")


def _fails(message: str) -> None:
    raise BuildFailed(message)


def test_every_job_runs_in_a_process_of_its_own(tmp_path):
    log = tmp_path / "log"
    parallel.run([(name, (log, name, 0)) for name in ("a", "b", "c")], _slow)
    lines = log.read_text(encoding="utf-8").splitlines()
    pids = {int(line.split()[2]) for line in lines if line.startswith("start")}
    assert len(pids) == 3 and os.getpid() not in pids
    assert sorted(line for line in lines if line.startswith("end")) == ["end a", "end b", "end c"]
    assert multiprocessing.active_children() == []


def test_a_stop_event_stops_the_running_jobs_and_starts_no_more(tmp_path):
    """The preview's background editions: the next save sets the event; the jobs end unfinished, none is left."""
    log = tmp_path / "log"
    stop = threading.Event()
    timer = threading.Timer(0.5, stop.set)
    timer.start()
    with pytest.raises(parallel.Cancelled):
        parallel.run([(name, (log, name, 30)) for name in ("a", "b", "c")], _slow, max_workers=2, stop=stop)
    lines = log.read_text(encoding="utf-8").splitlines()
    assert sorted(line.split()[1] for line in lines) == ["a", "b"]  # started, never ended; c never started
    for pid in (int(line.split()[2]) for line in lines):
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # stopped and reaped
    assert multiprocessing.active_children() == []


def test_no_more_jobs_at_once_than_allowed(tmp_path):
    log = tmp_path / "log"
    parallel.run([(name, (log, name, 0.2)) for name in ("a", "b", "c")], _slow, max_workers=1)
    steps = [" ".join(line.split()[:2]) for line in log.read_text(encoding="utf-8").splitlines()]
    assert steps == ["start a", "end a", "start b", "end b", "start c", "end c"]


def test_two_workers_do_run_at_once(tmp_path):
    """The test above can fail: with two workers, the second job starts before the first ends."""
    log = tmp_path / "log"
    parallel.run([(name, (log, name, 1.0)) for name in ("a", "b")], _slow, max_workers=2)
    steps = [" ".join(line.split()[:2]) for line in log.read_text(encoding="utf-8").splitlines()]
    assert steps[:2] in (["start a", "start b"], ["start b", "start a"])


def test_as_many_workers_as_usable_cores():
    assert parallel.workers() == len(os.sched_getaffinity(0)) >= 1


def test_the_first_failure_stops_the_others_and_keeps_its_message(tmp_path):
    log = tmp_path / "log"
    message = "templates/pages/about.md.j2:3: template error: 'no_such_function' is undefined\nsecond line"
    jobs = [("slow", (log, "slow", 30)), ("bad", (message,))]

    def target(*args):
        if len(args) > 1:
            return _slow(*args)
        for _ in range(200):  # fail once the slow one is under way
            if log.exists():
                break
            time.sleep(0.05)
        return _fails(*args)

    with pytest.raises(parallel.JobFailed) as failed:
        parallel.run(jobs, target, expected=(BuildFailed,), max_workers=2)
    assert failed.value.name == "bad" and failed.value.kind == "failed"
    assert failed.value.message == message
    assert multiprocessing.active_children() == []  # the slow one was stopped and reaped, not waited for
    assert "end slow" not in log.read_text(encoding="utf-8")


def _disk_full(path: str) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)


def test_an_os_error_keeps_its_errno_and_file():
    with pytest.raises(parallel.JobFailed) as failed:
        parallel.run([("zh", ("/tmp/site/zh/index.html",))], _disk_full)
    error = failed.value.oserror
    assert (error.errno, error.filename) == (errno.ENOSPC, "/tmp/site/zh/index.html")


def _bug() -> None:
    {}["missing"]


def _dies() -> None:
    os._exit(3)


def test_an_unexpected_error_is_one_line_naming_it_without_a_traceback():
    with pytest.raises(parallel.JobFailed) as failed:
        parallel.run([("zh", ())], _bug)
    assert failed.value.kind == "crashed"
    assert failed.value.message == "KeyError: 'missing'"


def test_a_process_that_dies_silently_is_a_failure():
    with pytest.raises(parallel.JobFailed, match=r"the build stopped \(exit code 3\)"):
        parallel.run([("zh", ())], _dies)


# --- the build ---------------------------------------------------------------------------------------------------

def test_each_edition_is_built_in_its_own_process_with_the_parents_content(project_copy, content, monkeypatch,
                                                                           tmp_path):
    """The children do not load the content again: loading it in a child would fail here."""
    from chenzhou_report.mkdocs_plugin import plugin as plugin_module

    def no_loading(*args, **kwargs):
        raise AssertionError("a child loaded the content again")

    log, real = tmp_path / "pids", build.build_edition

    def recording(project, lang, *args):
        _note(log, f"{lang} {os.getpid()}")
        real(project, lang, *args)

    monkeypatch.setattr(plugin_module, "load_content", no_loading)
    monkeypatch.setattr(build, "build_edition", recording)
    site = project_copy.root / "site"
    build_site(project_copy, site, content=content)
    pids = dict(line.split() for line in log.read_text(encoding="utf-8").splitlines())
    assert sorted(pids) == sorted(LANGS)
    assert len(set(pids.values())) == len(LANGS) and str(os.getpid()) not in pids.values()
    assert all((site / lang / "index.html").is_file() for lang in LANGS)


def test_an_edition_that_fails_stops_the_build_and_leaves_the_site(project_copy, monkeypatch, tmp_path):
    site = project_copy.root / "site"
    build_site(project_copy, site)
    before = tree_hash(site)
    log, real = tmp_path / "log", build.build_edition
    first, last = LANGS[0], LANGS[-1]

    def one_fails(project, lang, *args):
        if lang == last:
            raise BuildFailed("mkdocs.en.yml: refused")
        _note(log, f"start {lang}")
        if lang == first:
            time.sleep(30)
        real(project, lang, *args)
        _note(log, f"end {lang}")

    monkeypatch.setattr(build, "build_edition", one_fails)
    monkeypatch.setattr(parallel, "workers", lambda: len(LANGS))  # all at once, even on a machine with one core
    with pytest.raises(BuildFailed) as failed:
        build_site(project_copy, site)
    assert str(failed.value) == "mkdocs.en.yml: refused"
    assert f"end {first}" not in (log.read_text(encoding="utf-8") if log.exists() else "")
    assert multiprocessing.active_children() == []
    assert tree_hash(site) == before and leftovers(project_copy.root) == []


def test_a_template_error_in_one_edition_is_its_file_and_line(project_copy):
    template = project_copy.templates_dir / "pages" / "about.md.j2"
    lines = template.read_text(encoding="utf-8").count("\n")
    template.write_text(template.read_text(encoding="utf-8") + "{{ no_such_function() }}\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build_site(project_copy, project_copy.root / "site")
    assert str(failed.value) == (f"templates/pages/about.md.j2:{lines + 1}: template error: "
                                 "'no_such_function' is undefined")
    assert not (project_copy.root / "site").exists()


def test_jieba_keeps_its_dictionary_in_the_projects_cache(project_copy, monkeypatch):
    import jieba

    # the editions are forked from this process: if an earlier test loaded jieba here, they would inherit it
    monkeypatch.setattr(jieba.dt, "initialized", False)
    cache = project_copy.cache_dir / "jieba" / "jieba.cache"
    assert not cache.exists()
    build_site(project_copy, project_copy.root / "site")
    assert cache.is_file() and cache.stat().st_size > 1_000_000
    stamp = cache.stat().st_mtime_ns
    build_site(project_copy, project_copy.root / "site")
    assert cache.stat().st_mtime_ns == stamp  # read, not written again
    assert not any(p.name == ".cache" for p in (project_copy.root / "site").rglob("*"))


def test_jieba_cache_folder_is_set_only_where_it_can_be_written(tmp_path, monkeypatch):
    import jieba

    monkeypatch.setattr(jieba.dt, "tmp_dir", None)
    build.jieba_cache(tmp_path / "cache" / "jieba")
    assert jieba.dt.tmp_dir == str(tmp_path / "cache" / "jieba")
    monkeypatch.setattr(jieba.dt, "tmp_dir", None)
    (tmp_path / "file").write_text("", encoding="utf-8")
    build.jieba_cache(tmp_path / "file" / "jieba")  # cannot be a folder: jieba's default stays
    assert jieba.dt.tmp_dir is None


def test_the_cache_is_ignored_by_git(project_root):
    result = subprocess.run(["git", "check-ignore", "-q", ".cache/jieba/jieba.cache"], cwd=project_root)
    assert result.returncode == 0


def _record_pid(log: Path) -> None:
    _note(log, str(os.getpid()))


def test_in_process_runs_here_one_after_the_other_with_the_same_errors(tmp_path):
    log = tmp_path / "log"
    parallel.run([("a", (log,)), ("b", (log,))], _record_pid, in_process=True)
    assert log.read_text(encoding="utf-8").split() == [str(os.getpid())] * 2
    with pytest.raises(parallel.JobFailed) as failed:
        parallel.run([("zh", ("templates/x.j2:1: bad",))], _fails, expected=(BuildFailed,), in_process=True)
    assert (failed.value.kind, failed.value.message) == ("failed", "templates/x.j2:1: bad")
    with pytest.raises(parallel.JobFailed) as failed:
        parallel.run([("zh", ("/tmp/x",))], _disk_full, in_process=True)
    assert failed.value.oserror.errno == errno.ENOSPC


def test_the_preview_builds_in_process_until_its_first_good_build_then_forks_the_editions_not_on_screen(
        project_copy, monkeypatch, tmp_path):
    from chenzhou_report import serve

    calls = []

    def fake_build_site(project, site_dir, *, in_process=False, **kwargs):
        calls.append(("every edition", in_process))
        if len(calls) == 1:
            raise BuildFailed("templates/pages/about.md.j2:1: template error: broken")
        return None

    def fake_build_editions(project, site_dir, langs, content, *, in_process=False, **kwargs):
        calls.append((tuple(langs), in_process))

    monkeypatch.setattr(serve, "build_site", fake_build_site)
    monkeypatch.setattr(serve, "build_editions", fake_build_editions)
    monkeypatch.setattr(serve, "_print_checks", lambda content: None)
    preview = serve.Preview(project_copy, tmp_path / "site")
    for _ in range(2):
        preview()
    preview.viewers.saw("/en/about/")
    preview()
    preview.settle()
    # the edition on screen in this process (warm caches kept), then the others forked from it
    assert calls == [("every edition", True), ("every edition", True), (("en",), True), (("zh", "zh-hant"), False)]


def test_a_stopped_job_ends_at_once_whatever_handler_the_parent_has(tmp_path):
    """The preview's SIGTERM handler unwinds a build before it ends; a job stopped by `run` must not run it."""
    import signal

    log = tmp_path / "log"

    def parents_handler(signum, frame):
        _note(log, f"handler {os.getpid()}")
        raise SystemExit(1)

    previous = signal.signal(signal.SIGTERM, parents_handler)
    try:
        stop = threading.Event()
        threading.Timer(0.5, stop.set).start()
        with pytest.raises(parallel.Cancelled):
            parallel.run([("a", (log, "a", 30))], _slow, stop=stop)
    finally:
        signal.signal(signal.SIGTERM, previous)
    lines = log.read_text(encoding="utf-8").splitlines()
    assert [line.split()[:2] for line in lines] == [["start", "a"]]  # stopped by SIGTERM itself, no handler ran


def test_a_build_process_that_ends_lets_its_drawings_go_and_the_preview_keeps_them(project_copy, tmp_path):
    """Memory: a forked edition's build empties its chart drawings once its pages and files are made, before MkDocs
    holds every page's HTML; the preview's process (warm) keeps them for its next build."""
    from chenzhou_report import charts

    content = project_copy.load()
    build.build_edition(project_copy, "en", tmp_path / "warm", content, warm=True)
    assert charts._DRAWINGS
    build.build_edition(project_copy, "en", tmp_path / "cold", content, warm=False)
    assert not charts._DRAWINGS
    assert tree_hash(tmp_path / "warm") == tree_hash(tmp_path / "cold")
