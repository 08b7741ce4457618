"""Copies of content/ that tests break on purpose are drafts, never published.

They leave out `content/published.json`, the record of the published figures: a test that changes a figure to
trip one check (derived, source-form, sanity…) would otherwise also trip `revisions`, which is right for a
published site but not what that test is about. `tests/test_revisions.py` checks copies with the record.
"""

import shutil
from pathlib import Path

from chenzhou_report.languages import CONFIGS

ROOT = Path(__file__).resolve().parent.parent

#: `shutil.copytree(..., ignore=UNPUBLISHED)`
UNPUBLISHED = shutil.ignore_patterns("published.json")


def copy_project(dst: Path, *, published: bool = True) -> Path:
    """The project's content, templates and every edition's MkDocs file copied into `dst`; `published=False`: a
    draft, without the record of published figures (drafts.py says why)."""
    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, dst / name, ignore=None if published else UNPUBLISHED)
    for name in CONFIGS:
        shutil.copy2(ROOT / name, dst / name)
    return dst
