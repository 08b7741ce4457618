"""A failed build leaves site/ exactly as it was, and leaves no staging folder behind.

One good build of a project copy (the slow part, done once for the module), then several ways to fail: bad
content through the command line, and a failure inside MkDocs after the first language was already written.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from chenzhou_report.languages import CONFIGS
from chenzhou_report.build import Project, build_site
from sitetree import leftovers, tree_hash

ROOT = Path(__file__).resolve().parent.parent
CLI = Path(sys.executable).with_name("chenzhou-report")
AREA = "content/areas/14-wage-arrears.yaml"


@pytest.fixture(scope="module")
def built_copy(tmp_path_factory):
    root = tmp_path_factory.mktemp("atomic") / "project"
    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, root / name)
    for name in CONFIGS:
        shutil.copy2(ROOT / name, root / name)
    result = _cli(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "site" / "zh" / "index.html").is_file() and (root / "site" / "en" / "index.html").is_file()
    return root


@pytest.fixture
def project(built_copy):
    """The built copy; every file a test breaks is restored afterwards."""
    saved = {p: p.read_bytes() for folder in ("content", "templates") for p in (built_copy / folder).rglob("*")
             if p.is_file()}
    saved.update({built_copy / n: (built_copy / n).read_bytes() for n in CONFIGS})
    yield built_copy
    for path, data in saved.items():
        if path.read_bytes() != data:
            path.write_bytes(data)


def _cli(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(CLI), "build", "--root", str(root)], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


BAD_CONTENT = {
    "syntax": ("  en: Tackling Wage Arrears\n", "  en: Tackling Wage Arrears: the city\n"),
    "unknown_unit": ("    unit: count\n", "    unit: counts\n"),
    "unknown_reference": ("{wage_platform_resolved}", "{wage_platform_resolvd}"),
    "alias": ("number: 14\n", "number: &n 14\nslug2: *n\n"),
    "empty": (None, ""),
}


@pytest.mark.parametrize("how", list(BAD_CONTENT))
def test_bad_content_leaves_site_untouched(project: Path, how: str):
    site = project / "site"
    before, inode = tree_hash(site), site.stat().st_ino
    area = project / AREA
    old, new = BAD_CONTENT[how]
    text = area.read_text(encoding="utf-8")
    assert old is None or old in text
    area.write_text(new if old is None else text.replace(old, new, 1), encoding="utf-8")

    result = _cli(project)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert f"{AREA}:" in result.stderr and "the site was not changed" in result.stderr
    assert "Traceback" not in output
    assert tree_hash(site) == before, "site/ changed after a failed build"
    assert site.stat().st_ino == inode, "site/ was replaced after a failed build"
    assert leftovers(project) == []


def test_a_failure_after_one_language_was_written_leaves_site_untouched(project: Path):
    """zh builds completely into the staging folder, then en fails inside MkDocs: nothing reaches site/."""
    site = project / "site"
    before = tree_hash(site)
    template = project / "templates" / "pages" / "about.md.j2"
    template.write_text(template.read_text(encoding="utf-8")
                        + '\n{% if lang == "en" %}{{ no_such_function() }}{% endif %}\n', encoding="utf-8")
    with pytest.raises(Exception, match="no_such_function"):
        build_site(Project(project), site)
    assert tree_hash(site) == before
    assert leftovers(project) == []


def test_a_good_build_replaces_the_site(project: Path):
    """The check above can fail: a good change does reach site/, and the staging folder is gone afterwards."""
    site = project / "site"
    before = tree_hash(site)
    area = project / AREA
    text = area.read_text(encoding="utf-8")
    assert "  en: Tackling Wage Arrears\n" in text
    area.write_text(text.replace("  en: Tackling Wage Arrears\n", "  en: Tackling Wage Arrears Today\n", 1),
                    encoding="utf-8")
    result = _cli(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert tree_hash(site) != before
    assert "Tackling Wage Arrears Today" in (site / "en" / "areas" / "14-wage-arrears" / "index.html").read_text(
        encoding="utf-8")
    assert leftovers(project) == []
