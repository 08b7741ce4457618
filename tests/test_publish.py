"""Publishing a build: atomic (site/ is never missing), exclusive (one build at a time), clean (leftovers of killed
builds removed), and plain when the disk refuses (one line, no traceback, the previous site intact).

What each test proves, honestly:
- the swap and the lock are exercised for real: real renameat2 calls, real processes racing for a real flock,
  a real SIGKILL in the middle of a real build;
- "permission denied" is real: the build runs without the capabilities that let root ignore file modes
  (`setpriv --bounding-set=-dac_override,...`, as root; a plain chmod otherwise), so the kernel refuses the write;
- "disk full", "read-only file system" and "operation not permitted" are simulated: MkDocs' own file writer is
  replaced by one that raises OSError with that errno part-way through the build. They prove how such an error is
  reported and cleaned up, not that a real disk produces it.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from chenzhou_report.languages import CONFIGS
from chenzhou_report import cli, publish
from chenzhou_report.build import Project, build_site
from chenzhou_report.languages import LANGS
from chenzhou_report.publish import SiteWriteError, lock_path, swap_in
from sitetree import leftovers, tree_hash

ROOT = Path(__file__).resolve().parent.parent
CLI = Path(sys.executable).with_name("chenzhou-report")
HANG_GUARD = 120  # seconds; a build takes about two


def copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, dest / name)
    for name in CONFIGS:
        shutil.copy2(ROOT / name, dest / name)
    return dest


def start_build(root: Path, *prefix: str) -> subprocess.Popen:
    return subprocess.Popen([*prefix, str(CLI), "build", "--root", str(root)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def finish(process: subprocess.Popen) -> tuple[int, str]:
    out, err = process.communicate(timeout=HANG_GUARD)
    return process.returncode, out + err


def site_is_whole(site: Path) -> bool:
    return all((site / lang / "index.html").is_file() for lang in ("zh", "en")) and (site / "index.html").is_file()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("publish") / "project")
    code, output = finish(start_build(root))
    assert code == 0, output
    assert site_is_whole(root / "site")
    return root


class Poller:
    """Reads site/index.html and site/zh/index.html as fast as it can until stopped; counts what was missing."""

    def __init__(self, site: Path):
        self.site, self.reads, self.missing, self._stop = site, 0, [], threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            for name in ("index.html", "zh/index.html"):
                try:
                    data = (self.site / name).read_bytes()
                except FileNotFoundError:
                    self.missing.append(name)
                    continue
                self.reads += 1
                if not data:
                    self.missing.append(f"{name} (empty)")

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self.thread.join(timeout=10)


def test_a_reader_never_finds_the_site_missing_during_repeated_swaps(tmp_path):
    """The swap itself, 300 times in a row, against a reader polling without pause."""
    site = tmp_path / "site"
    for folder in (site, site / "zh"):
        folder.mkdir()
        (folder / "index.html").write_text("0")
    assert publish._RENAMEAT2 is not None, "renameat2 is missing: this machine uses the fallback"
    with Poller(site) as poller:
        for i in range(1, 301):
            staging = tmp_path / f".site-build-{i}"
            (staging / "zh").mkdir(parents=True)
            (staging / "index.html").write_text(str(i))
            (staging / "zh" / "index.html").write_text(str(i))
            old = swap_in(staging, site)
            assert old == staging and (old / "index.html").read_text() == str(i - 1)
            shutil.rmtree(old)
    assert poller.reads > 300 and poller.missing == [], poller.missing[:5]
    assert (site / "index.html").read_text() == "300" and leftovers(tmp_path) == []


def test_the_poller_does_see_a_gap_when_there_is_one(tmp_path, monkeypatch):
    """The test above can fail: with the two-rename fallback, the same poller finds site/ missing between renames."""
    monkeypatch.setattr(publish, "_RENAMEAT2", None)
    site = tmp_path / "site"
    for folder in (site, site / "zh"):
        folder.mkdir()
        (folder / "index.html").write_text("0")
    with Poller(site) as poller:
        for i in range(1, 3001):  # bounded; the first gap is usually seen within a few swaps
            staging = tmp_path / f".site-build-{i}"
            (staging / "zh").mkdir(parents=True)
            (staging / "index.html").write_text(str(i))
            (staging / "zh" / "index.html").write_text(str(i))
            shutil.rmtree(swap_in(staging, site))
            if poller.missing:
                break
    assert poller.missing, "the poller never saw the gap of the two-rename fallback"


def test_two_builds_at_once_one_waits_both_succeed_and_the_site_is_never_missing(built):
    site = built / "site"
    with Poller(site) as poller:
        first, second = start_build(built), start_build(built)
        (code1, out1), (code2, out2) = finish(first), finish(second)
    assert (code1, code2) == (0, 0), out1 + out2
    output = out1 + out2
    assert "Traceback" not in output
    assert "another build (process " in output and "waiting for it to finish" in output, output
    assert poller.missing == [] and poller.reads > 0
    assert site_is_whole(site) and leftovers(built) == []


def test_a_build_waits_for_the_lock_and_cleans_leftovers_only_once_it_holds_it(built):
    """While another process holds the lock, a staging folder may be that process's work: it is left alone."""
    site = built / "site"
    foreign = built / ".site-build-held"
    (foreign / "zh").mkdir(parents=True)
    (foreign / "zh" / "index.html").write_text("another build's work")
    fd = os.open(lock_path(site), os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        process = start_build(built)
        deadline = time.monotonic() + HANG_GUARD
        err = b""
        while b"waiting for it to finish" not in err and time.monotonic() < deadline and process.poll() is None:
            err += os.read(process.stderr.fileno(), 4096)  # blocks until it says something
        assert f"another build (process {os.getpid()})".encode() in err, err
        time.sleep(0.5)
        assert process.poll() is None, "the build did not wait for the lock"
        assert (foreign / "zh" / "index.html").is_file(), "a folder of a build holding the lock was removed"
    finally:
        os.close(fd)  # releases the lock
    code, output = finish(process)
    assert code == 0, output
    assert not foreign.exists() and leftovers(built) == [] and site_is_whole(site)


def test_leftovers_of_a_killed_build_are_removed_by_the_next_build(built):
    site = built / "site"
    for attempt in range(3):  # the kill must land while the build writes; a build that finished first is retried
        before = tree_hash(site)
        process = start_build(built)
        deadline = time.monotonic() + HANG_GUARD
        while time.monotonic() < deadline and process.poll() is None:
            if any((built / name / "zh").is_dir() for name in leftovers(built)):
                break
            time.sleep(0.005)
        process.kill()
        process.communicate(timeout=HANG_GUARD)
        if leftovers(built):
            break
    assert leftovers(built), "could not kill a build while it was writing"
    assert tree_hash(site) == before, "a killed build changed site/"
    old_style = built / ".site-old-4242"  # what a build killed in the fallback's two renames leaves
    (old_style / "zh").mkdir(parents=True)
    code, output = finish(start_build(built))
    assert code == 0, output
    assert leftovers(built) == [] and site_is_whole(site)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EPERM, errno.EDQUOT])
def test_a_disk_that_refuses_a_write_gives_one_line_and_keeps_the_site(built, monkeypatch, capsys, code):
    """Simulated: MkDocs' file writer raises OSError(code) on its 20th file, half-way through the first edition's
    build; that build runs in a process of its own, so the files it wrote are counted in a file."""
    import mkdocs.utils

    site = built / "site"
    before, inode = tree_hash(site), site.stat().st_ino
    real_write, calls = mkdocs.utils.write_file, built.parent / f"writes-{code}.txt"
    calls.write_text("", encoding="utf-8")
    first = f"{os.sep}{LANGS[0]}{os.sep}"

    def write_file(content, output_path):
        if first in output_path[len(str(built)):]:
            with open(calls, "a", encoding="utf-8") as out:
                out.write(output_path + "\n")
            if len(calls.read_text(encoding="utf-8").splitlines()) == 20:
                raise OSError(code, os.strerror(code), output_path)
        real_write(content, output_path)

    monkeypatch.setattr(mkdocs.utils, "write_file", write_file)
    status = cli.main(["build", "--full", "--root", str(built)])  # every page written (none reused from the cache)
    err = capsys.readouterr().err
    assert status == 1
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    line = lines[0]
    written = calls.read_text(encoding="utf-8").splitlines()
    assert len(written) == 20, written
    failed = os.path.relpath(written[-1], built)
    if code in (errno.EROFS, errno.EPERM):  # the file was never created: the folder that refused it is named
        failed = os.path.dirname(failed)
    assert line.startswith(f"{failed}: "), line
    expected = {errno.ENOSPC: ("no space left on the disk", "free some space"),
                errno.EROFS: ("read-only", "--site-dir"), errno.EPERM: ("not permitted", "--site-dir"),
                errno.EDQUOT: ("quota", "free some space")}[code]
    assert all(words in line for words in expected) and "the site was not changed" in line, line
    assert tree_hash(site) == before and site.stat().st_ino == inode
    assert leftovers(built) == []


def test_a_failed_exchange_leaves_the_site_and_no_staging(built, monkeypatch, capsys):
    site = built / "site"
    before = tree_hash(site)

    def refuse(a, b):
        raise OSError(errno.EACCES, os.strerror(errno.EACCES), str(b))

    monkeypatch.setattr(publish, "exchange", refuse)
    assert cli.main(["build", "--root", str(built)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("site: permission denied (") and "\n" not in err, err
    assert tree_hash(site) == before and leftovers(built) == []


def test_where_the_exchange_is_unsupported_the_two_rename_fallback_still_publishes(built, monkeypatch):
    site = built / "site"
    monkeypatch.setattr(publish, "_RENAMEAT2", None)
    area = built / "content/areas/14-wage-arrears.yaml"
    text = area.read_text(encoding="utf-8")
    area.write_text(text.replace("  en: Tackling Wage Arrears\n", "  en: Tackling Wage Arrears Now\n", 1),
                    encoding="utf-8")
    try:
        build_site(Project(built), site)
    finally:
        area.write_text(text, encoding="utf-8")
    assert "Tackling Wage Arrears Now" in (site / "en/areas/14-wage-arrears/index.html").read_text(encoding="utf-8")
    assert leftovers(built) == []


def _without_root_powers() -> tuple[str, ...]:
    """As root, drop the capabilities that bypass file modes, so that a read-only folder is read-only for real."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    assert setpriv, "running as root needs setpriv (util-linux) to test permissions for real"
    return (setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner")


def test_a_read_only_project_folder_gives_one_line(tmp_path):
    """Real: the project folder is mode 555 and the build runs without powers over file modes."""
    root = copy_project(tmp_path / "project")
    root.chmod(0o555)
    try:
        code, output = finish(start_build(root, *_without_root_powers()))
    finally:
        root.chmod(0o755)
    assert code == 1
    assert output.strip() == (f"{root}: permission denied (make the folder writable for this user, or build "
                              "elsewhere with --site-dir; the site was not changed) ｜ 没有写入权限，请修改文件夹权限或"
                              "用 --site-dir 换个位置，网站未更新"), output
    assert not (root / "site").exists()


def test_a_site_folder_that_cannot_be_written_into_keeps_the_old_site(built):
    """Real: the project folder is read-only after a good build; the next build says so and the site stays."""
    site = built / "site"
    before = tree_hash(site)
    built.chmod(0o555)
    try:
        code, output = finish(start_build(built, *_without_root_powers()))
    finally:
        built.chmod(0o755)
    assert code == 1 and "Traceback" not in output
    assert output.strip().startswith(f"{built}: permission denied") and len(output.strip().splitlines()) == 1
    assert tree_hash(site) == before


@pytest.mark.parametrize("where", ["site", "parent"])
def test_a_file_where_the_site_folder_should_be_gives_one_line(tmp_path, capsys, where):
    root = copy_project(tmp_path / "project")
    if where == "site":
        (root / "site").write_text("not a folder")
        target, expected = root / "site", "site: is a file, not a folder (move it away"
    else:
        (root / "out").write_text("not a folder")
        target, expected = root / "out" / "site", "out: is a file, but the site goes inside it"
    status = cli.main(["build", "--root", str(root), "--site-dir", str(target)])
    err = capsys.readouterr().err.strip()
    assert status == 1 and "\n" not in err and err.startswith(expected), err
    assert "Traceback" not in err


def test_a_site_that_is_a_symlink_replaces_the_folder_it_points_to(tmp_path):
    root = copy_project(tmp_path / "project")
    real = tmp_path / "www" / "site"
    real.mkdir(parents=True)
    (root / "site").symlink_to(real)
    build_site(Project(root), root / "site")
    assert (root / "site").is_symlink() and site_is_whole(real)


def test_errors_name_paths_for_editors():
    line = publish.describe(OSError(errno.ENOSPC, "No space left on device", "/nowhere/x/index.html"),
                            Path("/nowhere"))
    assert line.startswith("/nowhere/x/index.html: no space left on the disk (free some space, then build again; "
                           "the site was not changed) ｜ ")


def test_the_lock_file_is_outside_the_site(tmp_path):
    site = tmp_path / "site"
    assert lock_path(site).parent == tmp_path and lock_path(site).name == ".site.lock"
    with pytest.raises(SiteWriteError, match="is a file, not a folder"):
        site.write_text("x")
        publish.check_target(site)
