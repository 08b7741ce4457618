"""What a test of publishing compares: the whole tree of a site folder, and what builds leave beside it."""

from __future__ import annotations

import hashlib
from pathlib import Path


def tree_hash(folder: Path) -> str:
    """Names, kinds and bytes of everything under `folder`."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode() + (b"/" if path.is_dir() else b"\0"))
        if path.is_file():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def differing(a: Path, b: Path) -> list[str]:
    """The files (below either folder) whose bytes differ or that only one of them has."""
    files = {p.relative_to(root).as_posix() for root in (a, b) for p in root.rglob("*") if p.is_file()}
    return sorted(f for f in files if not ((a / f).is_file() and (b / f).is_file()
                                           and (a / f).read_bytes() == (b / f).read_bytes()))


def leftovers(root: Path) -> list[str]:
    """Anything next to site/ that a build made and did not clean up (the lock file is meant to stay)."""
    return sorted(p.name for p in root.iterdir() if p.name.startswith((".site-build-", ".site-old-")))
