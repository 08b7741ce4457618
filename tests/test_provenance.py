"""The about page names the git commit and date of the content it was built from, and the commands that rebuild
it; outside a git checkout (or without git) it says so instead of failing; the same commit renders the same bytes."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from pathlib import Path

import pytest

from chenzhou_report.model import load_content
from chenzhou_report.provenance import content_version
from chenzhou_report.render import SiteRenderer

from drafts import UNPUBLISHED

ROOT = Path(__file__).resolve().parent.parent
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_AUTHOR_DATE": "2026-11-30T12:00:00+08:00",
           "GIT_COMMITTER_DATE": "2026-11-30T12:00:00+08:00"}


def git(folder: Path, *args: str) -> str:
    import os

    done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True,
                          env={**os.environ, **GIT_ENV})
    return done.stdout.strip()


@pytest.fixture
def copy(tmp_path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content", ignore=UNPUBLISHED)
    return tmp_path


def about(root: Path, lang: str) -> str:
    return SiteRenderer(load_content(root / "content", root), lang, ROOT / "templates").pages()["about.md"]


def test_outside_a_checkout_the_about_page_says_so(copy):
    assert content_version(copy / "content") is None
    assert "不在 git 仓库中" in about(copy, "zh")
    page = about(copy, "en")
    assert "was not in a git checkout" in page and "git checkout" not in page.split("was not in a git")[1]
    assert "<code>make site</code>" in page


def test_in_a_checkout_the_about_page_names_commit_and_date(copy):
    git(copy, "init", "-q")
    git(copy, "add", "content")
    git(copy, "commit", "-qm", "content")
    short = git(copy, "rev-parse", "--short", "HEAD")
    version = content_version(copy / "content")
    assert (version.commit, version.date, version.uncommitted) == (short, datetime.date(2026, 11, 30), False)
    zh, en = about(copy, "zh"), about(copy, "en")
    assert f"（git 提交）：<code>{short}</code>（提交日期：2026年11月30日）" in zh
    assert f"built from: <code>{short}</code> (commit date: November 30, 2026)" in en
    assert f"<li><code>git checkout {short}</code></li>\n<li><code>make site</code></li>" in en
    assert "build-uncommitted" not in en
    # the same commit, the same page: builds that are compared byte for byte stay equal
    assert about(copy, "en") == en
    # a change not committed is said, not hidden
    ui = copy / "content" / "ui.yaml"
    ui.write_text(ui.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert content_version(copy / "content").uncommitted
    assert "changes not yet committed" in about(copy, "en")


def test_without_git_the_build_does_not_fail(copy, monkeypatch):
    git(copy, "init", "-q")
    git(copy, "add", "content")
    git(copy, "commit", "-qm", "content")
    monkeypatch.setenv("PATH", str(copy / "no-such-bin"))
    assert content_version(copy / "content") is None
    assert "was not in a git checkout" in about(copy, "en")


def test_a_repository_without_commits_is_not_a_version(copy):
    git(copy, "init", "-q")
    assert content_version(copy / "content") is None


def test_the_real_site_names_this_checkout(built_site):
    # the suite runs in a git checkout (CI: actions/checkout); from an unpacked copy the page must say so instead
    version = content_version(ROOT / "content")
    for lang, unknown in (("zh", "不在 git 仓库中"), ("en", "was not in a git checkout")):
        page = (built_site / lang / "about/index.html").read_text(encoding="utf-8")
        assert 'id="build"' in page
        if version is None:
            assert unknown in page
        else:
            short = git(ROOT, "rev-parse", "--short", "HEAD")
            assert f"<code>{short}</code>" in page and f"git checkout {short}" in page
