"""Which version of the content a site was built from: the git commit (short hash) and its date, read at build time.

`content_version(content_dir)` asks git about the checkout holding `content_dir`: the commit it is at, that commit's
date, and whether `content/` has changes not committed. Outside a git checkout (a copy, an unpacked archive, the
benchmark's synthetic projects) or without git, it returns None and the about page says so instead of failing.
The same content at the same commit gives the same answer, so two builds of it stay byte-identical.
"""

from __future__ import annotations

import datetime
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Version:
    commit: str                 # short hash, e.g. 415ee89
    date: datetime.date         # the commit's date (committer date, in the committer's time zone)
    uncommitted: bool           # content/ differs from the commit


def _git(content_dir: Path, *args: str) -> str | None:
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}  # never take the index lock of a checkout
    try:
        done = subprocess.run(["git", "-C", str(content_dir), *args], capture_output=True, text=True, timeout=10,
                              env=env, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def content_version(content_dir: Path | str) -> Version | None:
    """The commit the content was built from, or None when `content_dir` is not in a git checkout (or git is absent)."""
    content_dir = Path(content_dir)
    if not content_dir.is_dir():
        return None
    if _git(content_dir, "rev-parse", "--is-inside-work-tree") != "true":
        return None
    head = _git(content_dir, "log", "-1", "--format=%h %cs")
    if not head or " " not in head:  # a repository without a commit yet
        return None
    commit, day = head.split(" ", 1)
    try:
        date = datetime.date.fromisoformat(day)
    except ValueError:
        return None
    status = _git(content_dir, "status", "--porcelain", "--untracked-files=normal", "--", ".")
    return Version(commit, date, bool(status))


__all__ = ["Version", "content_version"]
