"""Which files `content/` may hold: every file there is one the project knows, or a problem with what to do.

An area saved as `.yml` or moved into a subfolder would otherwise vanish from the site without a word, and a
symbolic link to a file outside the project would be read and published. `discover()` walks `content/` once,
without following links, and returns the area files to load with a `Problem` for every other file:

- known files: `report.yaml`, `glossary.yaml`, `ui.yaml`, `hant-overrides.yaml`, `areas/NN-slug.yaml`,
  `schema/<name>.schema.json`,
  `source/article.txt`, `README.md` (declared in `KNOWN` and `AREA_FILE`);
- a wrong extension (`.yml`, `.YAML`, `.yaml.txt`, `.json` next to the areas) is told the name to rename it to;
- an area file in a subfolder of `areas/` is told where to move it; any other file is "unexpected";
- a symbolic link whose target is outside the project, or a folder that is a link, is refused and not read;
  a file link inside the project is read like the file it points to;
- editors' temporary files (`TEMPORARY`: vim swap files, `name~` backups, emacs `#name#` and `.#name` locks,
  LibreOffice `.~lock.*#`, `.DS_Store`, `Thumbs.db`, `desktop.ini`) are ignored: they appear and vanish
  while the live preview watches, nothing reads or publishes them.

>>> expected_name("areas/14-wage-arrears.yml"), expected_name("areas/old/14-wage-arrears.yaml")
('areas/14-wage-arrears.yaml', 'areas/14-wage-arrears.yaml')
>>> expected_name("14-wage-arrears.yaml")
'areas/14-wage-arrears.yaml'
>>> expected_name("ui.YAML"), expected_name("glossary.yaml.txt"), expected_name("notes.docx")
('ui.yaml', 'glossary.yaml', None)
>>> is_temporary("areas/.14-wage-arrears.yaml.swp"), is_temporary("ui.yaml~"), is_temporary("areas/notes.txt")
(True, True, False)
"""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .errors import Problem, display_path

#: the files content/ holds besides the areas, relative to content/, with what each is
KNOWN = {
    "report.yaml": "the report: title, lead, names, the order of the areas",
    "glossary.yaml": "the glossary of policy terms",
    "ui.yaml": "the words of the site's interface",
    "hant-overrides.yaml": "the reviewed overrides of the Traditional edition's conversion",
    "README.md": "the content format, for editors",
    "source/article.txt": "the source article as published",
    "published.json": "the figures as last published (`chenzhou-report release` writes it; revisions.py)",
    **{f"schema/{name}.schema.json": "JSON Schema for editors' YAML plugins (`make schema` writes it)"
       for name in ("area", "glossary", "report", "ui", "hant-overrides")},
}
#: an area file: directly in content/areas/, ending in .yaml (the loader checks that its name is NN-slug.yaml)
AREA_FILE = re.compile(r"^areas/[^/.][^/]*\.yaml$")
#: file names editors and operating systems leave beside the files they open (fnmatch patterns of the name)
TEMPORARY = (".*.sw[a-p]", "*~", "#*#", ".#*", ".~lock.*#", "4913", ".DS_Store", "Thumbs.db", "desktop.ini")
#: endings that mean "a YAML file saved under another name"
_MISNAMED = re.compile(r"\.ya?ml(?:\.txt|\.bak)?$", re.IGNORECASE)


@dataclass
class Inventory:
    """What `discover()` found: the area files to load, and the problems of every other file."""
    areas: list[Path] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)  # relative names not to be read (links out of the project)
    problems: list[Problem] = field(default_factory=list)


def is_temporary(relative: str) -> bool:
    """An editor's or operating system's temporary file, ignored (see TEMPORARY)."""
    name = PurePosixPath(relative).name
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in TEMPORARY)


def expected_name(relative: str) -> str | None:
    """The known name a misnamed or misplaced content file should have, or None when it is no content YAML."""
    path = PurePosixPath(relative)
    if not _MISNAMED.search(path.name):
        return None
    stem = _MISNAMED.sub("", path.name).lstrip(".")  # a leading dot hides the file
    if path.parts[0] == "areas" or re.match(r"\d{2}-", stem):
        candidate = f"areas/{stem}.yaml"
    else:
        candidate = f"{stem}.yaml" if f"{stem}.yaml" in KNOWN else None
    return candidate if candidate != relative else None


def discover(content_dir: Path, root: Path | None = None) -> Inventory:
    """Walk content/ without following links: the area files to load and a Problem for every file it does not know."""
    content_dir = Path(content_dir)
    project = (Path(root) if root is not None else content_dir.resolve().parent).resolve()
    shown = display_path(content_dir, root)  # content/ as the editor sees it; files below it are not resolved
    found = Inventory()

    def problem(relative: str, message: str, hint: str) -> None:
        found.problems.append(Problem(f"{shown}/{relative}", 1, 1, message, hint))

    for folder, dirs, files in os.walk(content_dir):
        here = Path(folder)
        for name in sorted(dirs):
            path = here / name
            if path.is_symlink():
                relative = path.relative_to(content_dir).as_posix()
                dirs.remove(name)
                found.refused.add(relative)
                problem(relative, f"folder is a symbolic link to {os.readlink(path)} (content/ is read without "
                        "following folder links: put the files themselves into content/)",
                        "文件夹是符号链接，请把文件本身放进 content/")
        dirs.sort()
        for name in sorted(files):
            path = here / name
            relative = path.relative_to(content_dir).as_posix()
            if is_temporary(relative):
                continue
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(project) or not target.is_file():
                    found.refused.add(relative)
                    problem(relative, f"symbolic link to {os.readlink(path)}, outside the project or not a file "
                            "(copy the file into content/ instead; files outside the project are never read)",
                            "符号链接指向项目之外，请把文件复制进 content/")
                    continue
            if relative in KNOWN:
                continue
            if AREA_FILE.match(relative):
                found.areas.append(path)
                continue
            should = expected_name(relative)
            if should and (content_dir / should).exists():
                problem(relative, f"another file for {shown}/{should}, not read (keep one: merge what differs "
                        f"into {shown}/{should} and delete this file)", f"这是 {should} 的另一份文件，不会被读取，请合并后删除")
            elif should and PurePosixPath(relative).parent != PurePosixPath(should).parent:
                problem(relative, f"area files are read only in content/areas/ itself (move it to "
                        f"{shown}/{should})", f"领域文件只能放在 content/areas/ 下，请移到 {shown}/{should}")
            elif should:
                odd = "starts with '.'" if name.startswith(".") else f"ends in {_MISNAMED.search(name).group(0)!r}"
                problem(relative, f"file name {odd} and is not read (rename it to {shown}/{should})",
                        f"文件名不对，请改名为 {should}")
            else:
                problem(relative, "unexpected file: content/ holds only the content YAML, its schemas, the source "
                        "article and README.md (move this file out of content/ or delete it)",
                        "content/ 中不应有此文件，请移出或删除")
    found.areas.sort()
    return found
