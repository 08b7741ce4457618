"""Material's search worker as the site ships it: both fixes of searchworker.py applied to the installed
Material's worker, in every edition; a worker the fixes were not written for stops the build by name."""

from __future__ import annotations

from pathlib import Path

import pytest

import material
from chenzhou_report.mkdocs_plugin import searchworker

THEME = Path(material.__file__).parent / "templates"


def installed_worker() -> Path:
    [worker] = [p for p in THEME.glob("assets/javascripts/workers/search.*.min.js")
                if searchworker.WORKER.fullmatch(p.relative_to(THEME).as_posix())]
    return worker


def test_the_site_ships_the_corrected_worker(built_site):
    original = installed_worker().read_text(encoding="utf-8")
    for lang in ("zh", "en", "zh-hant"):
        shipped = (built_site / lang / installed_worker().relative_to(THEME)).read_text(encoding="utf-8")
        assert shipped == searchworker.patch(original) != original
        assert "o<t.length;o++)t.slice(s,o)in e" not in shipped  # the Chinese query is looked up whole
        for before, after, _why in searchworker.FIXES:
            assert shipped.count(after) == 1


@pytest.mark.parametrize("fix", range(len(searchworker.FIXES)))
def test_a_worker_without_the_faulty_code_is_refused(fix):
    before, _after, why = searchworker.FIXES[fix]
    changed = installed_worker().read_text(encoding="utf-8").replace(before, "")
    with pytest.raises(searchworker.WorkerChanged) as caught:
        searchworker.patch(changed)
    assert why in str(caught.value) and "searchworker.py" in str(caught.value)


def test_a_changed_worker_fails_the_build_by_name(tmp_path, monkeypatch):
    from chenzhou_report.build import BuildFailed, Project, build_site
    from drafts import copy_project

    monkeypatch.setattr(searchworker, "FIXES", [("no such code in the worker", "x", "a test's fix")])
    project = Project(copy_project(tmp_path, published=False))
    with pytest.raises(BuildFailed) as caught:
        build_site(project, tmp_path / "site")
    assert "searchworker.py" in str(caught.value) and not (tmp_path / "site").exists()
