"""Every file under content/ is one the project knows, or a clear problem; links out of the project are refused.

Each case changes the files of a copy of the real content (rename, move, add, link) and asserts the exact
`path:1:1` problem and its advice, and that `chenzhou-report build` exits 1 with that line, no traceback, and no
site; a link to a file outside the project is never read (its text appears nowhere, not even in an error).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from chenzhou_report.languages import CONFIGS
from chenzhou_report.contentfiles import KNOWN, TEMPORARY, discover
from chenzhou_report.errors import ContentError
from chenzhou_report.model import load_content

ROOT = Path(__file__).resolve().parent.parent
CLI = Path(sys.executable).with_name("chenzhou-report")
AREA = "areas/14-wage-arrears.yaml"
SECRET = "TOP-SECRET-OUTSIDE-THE-PROJECT"


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, root / name)
    for name in CONFIGS:
        shutil.copy2(ROOT / name, root / name)
    (tmp_path / "outside.yaml").write_text((ROOT / "content" / AREA).read_text(encoding="utf-8").replace(
        "治理欠薪", SECRET, 1), encoding="utf-8")
    return root


def _move(content: Path, old: str, new: str) -> None:
    (content / new).parent.mkdir(parents=True, exist_ok=True)
    (content / old).rename(content / new)


def _link(content: Path, name: str, target: Path) -> None:
    (content / name).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, content / name)


# (id, change to content/, path of the problem under content/, words of the message, words of the Chinese hint)
CASES = [
    ("area_saved_as_yml", lambda c: _move(c, AREA, "areas/14-wage-arrears.yml"), "areas/14-wage-arrears.yml",
     ("file name ends in '.yml' and is not read", "rename it to content/areas/14-wage-arrears.yaml"), "改名为"),
    ("area_with_upper_case_extension", lambda c: _move(c, AREA, "areas/14-wage-arrears.YAML"),
     "areas/14-wage-arrears.YAML", ("ends in '.YAML'", "rename it to content/areas/14-wage-arrears.yaml"), "改名"),
    ("area_saved_as_text", lambda c: _move(c, AREA, "areas/14-wage-arrears.yaml.txt"),
     "areas/14-wage-arrears.yaml.txt", ("ends in '.yaml.txt'", "rename it to content/areas/14-wage-arrears.yaml"),
     "改名"),
    ("area_in_a_subfolder", lambda c: _move(c, AREA, "areas/2025/14-wage-arrears.yaml"),
     "areas/2025/14-wage-arrears.yaml",
     ("area files are read only in content/areas/ itself", "move it to content/areas/14-wage-arrears.yaml"), "请移到"),
    ("area_at_the_top", lambda c: _move(c, AREA, "14-wage-arrears.yaml"), "14-wage-arrears.yaml",
     ("move it to content/areas/14-wage-arrears.yaml",), "请移到"),
    ("second_copy_in_a_folder", lambda c: (c / "areas/old").mkdir() or shutil.copy2(c / AREA, c / "areas/old"),
     "areas/old/14-wage-arrears.yaml",
     ("another file for content/areas/14-wage-arrears.yaml, not read", "delete this file"), "另一份"),
    ("ui_saved_as_yml", lambda c: _move(c, "ui.yaml", "ui.yml"), "ui.yml", ("rename it to content/ui.yaml",),
     "请改名为 ui.yaml"),
    ("unexpected_file", lambda c: (c / "notes.docx").write_bytes(b"PK\x03\x04"), "notes.docx",
     ("unexpected file", "move this file out of content/ or delete it"), "请移出或删除"),
    ("unexpected_file_in_areas", lambda c: (c / "areas/photo.jpg").write_bytes(b"\xff\xd8"), "areas/photo.jpg",
     ("unexpected file",), "请移出或删除"),
    ("hidden_area", lambda c: _move(c, AREA, "areas/.14-wage-arrears.yaml"), "areas/.14-wage-arrears.yaml",
     ("file name starts with '.' and is not read", "rename it to content/areas/14-wage-arrears.yaml"), "改名为"),
    ("unexpected_hidden_file", lambda c: (c / ".notes").write_text("x: 1\n"), ".notes", ("unexpected file",),
     "请移出或删除"),
    ("link_to_a_file_outside", lambda c: _link(c, "areas/17-outside.yaml", c.parent.parent / "outside.yaml"),
     "areas/17-outside.yaml", ("symbolic link to", "outside the project", "copy the file into content/"),
     "符号链接"),
    ("required_file_is_a_link_outside", lambda c: (c / "ui.yaml").unlink() or _link(c, "ui.yaml", Path("/etc/hostname")),
     "ui.yaml", ("symbolic link to /etc/hostname", "files outside the project are never read"), "符号链接"),
    ("link_to_a_folder", lambda c: _link(c, "areas/more", c.parent.parent), "areas/more",
     ("folder is a symbolic link", "put the files themselves into content/"), "文件夹是符号链接"),
]


@pytest.mark.parametrize("change, where, words, hint", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_every_file_is_known_or_a_clear_problem(project: Path, change, where, words, hint):
    change(project / "content")
    with pytest.raises(ContentError) as info:
        load_content(project / "content", project)
    problems = [p for p in info.value.problems if p.path == f"content/{where}"]
    assert len(problems) == 1, "\n".join(map(str, info.value.problems))
    problem = problems[0]
    assert (problem.line, problem.column) == (1, 1)
    for word in words:
        assert word in problem.message, str(problem)
    assert hint in problem.hint_zh, str(problem)
    assert all(SECRET not in str(p) for p in info.value.problems)

    result = subprocess.run([str(CLI), "build", "--root", str(project)], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output and SECRET not in output
    assert str(problem) in result.stderr.splitlines(), output
    assert not (project / "site").exists()


def test_a_link_outside_the_project_is_never_read(project: Path, monkeypatch):
    """The refused link is not opened at all: reading it would already be the leak."""
    content = project / "content"
    _link(content, "areas/17-outside.yaml", project.parent / "outside.yaml")
    opened = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: opened.append(self.name) or real(self))
    with pytest.raises(ContentError):
        load_content(content, project)
    assert "17-outside.yaml" not in opened and "outside.yaml" not in opened
    assert "14-wage-arrears.yaml" in opened  # the watch above does see the files that are read


def test_a_link_inside_the_project_is_read_like_its_file(project: Path):
    content = project / "content"
    (project / "drafts").mkdir()
    _move(content, AREA, "../drafts/14-wage-arrears.yaml")
    _link(content, AREA, project / "drafts" / "14-wage-arrears.yaml")
    loaded = load_content(content, project)
    assert 14 in {area.number for area in loaded.areas}


def test_editor_temporary_files_are_ignored(project: Path):
    """Swap files and backups come and go while the preview watches; nothing reads or publishes them."""
    content = project / "content"
    names = [".14-wage-arrears.yaml.swp", "14-wage-arrears.yaml~", "#14-wage-arrears.yaml#", ".#14-wage-arrears.yaml",
             ".~lock.14-wage-arrears.yaml#", "4913", ".DS_Store", "Thumbs.db", "desktop.ini"]
    for name in names:
        (content / "areas" / name).write_text("{{ broken: [", encoding="utf-8")
    assert len(load_content(content, project).areas) == 16
    assert len(names) == len(TEMPORARY)  # one example of each declared pattern


def test_the_real_content_holds_only_known_files():
    found = discover(ROOT / "content", ROOT)
    assert found.problems == [] and len(found.areas) == 16
    present = {p.relative_to(ROOT / "content").as_posix() for p in (ROOT / "content").rglob("*") if p.is_file()}
    assert set(KNOWN) <= present, set(KNOWN) - present  # the table names no file that is not there



def test_a_second_load_validates_again_only_the_files_that_changed(project: Path):
    """The preview loads after every save: an unchanged file's validated model is the last load's."""
    content = load_content(project / "content", project)
    area = project / "content" / AREA
    original = area.read_text(encoding="utf-8")
    area.write_text(original.replace('value: "3884"', 'value: "3885"', 1), encoding="utf-8")
    again = load_content(project / "content", project)
    changed = {a.number for a, b in zip(content.areas, again.areas) if a is not b}
    assert changed == {14} and again.metrics["wage_platform_received"].value == "3885"
    assert again.glossary is content.glossary
    area.write_text(original + "oops: [\n", encoding="utf-8")  # a broken file is a problem every time
    for _ in range(2):
        with pytest.raises(ContentError, match="14-wage-arrears.yaml:"):
            load_content(project / "content", project)
    area.write_text(original, encoding="utf-8")
    assert load_content(project / "content", project).metrics["wage_platform_received"].value == "3884"
