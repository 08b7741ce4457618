"""Build both languages with MkDocs into a temporary folder, then swap it in place of site/.

A failed build (bad content, a strict-mode warning) leaves the last good site exactly as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import traceback
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .errors import ContentError, Problem, display_path
from .model import LANGS, Content, load_content
from .render import root_index

CONFIG_FILES = {"zh": "mkdocs.yml", "en": "mkdocs.en.yml"}

#: the content `build_site` validated before its MkDocs builds started, so that the plugin does not load it again
_BUILDING: ContextVar[tuple[Path, Content] | None] = ContextVar("chenzhou_report_building", default=None)


def content_being_built(content_dir: Path) -> Content | None:
    """The content `build_site` is building right now from `content_dir`, if any (else the plugin loads it)."""
    held = _BUILDING.get()
    return held[1] if held is not None and held[0] == Path(content_dir).resolve() else None


@dataclass
class Project:
    """Where things are: the folder holding mkdocs.yml, content/ and templates/."""

    root: Path

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    def config_file(self, lang: str) -> Path:
        return self.root / CONFIG_FILES[lang]

    def load(self) -> Content:
        return load_content(self.content_dir, self.root)


class BuildFailed(Exception):
    """MkDocs refused the build (a strict-mode warning, a theme error); the message says why."""


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def build_site(project: Project, site_dir: Path, *, content: Content | None = None, quiet: bool = True) -> Content:
    """Validate, build zh and en into a fresh folder, and atomically replace `site_dir` with it."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    content = content or project.load()  # raises ContentError before anything is written
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-build-", dir=site_dir.parent))
    collect = _Collect()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(collect)
    previous_level = mkdocs_log.level
    if quiet:
        mkdocs_log.setLevel(logging.WARNING)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    building = _BUILDING.set((project.content_dir.resolve(), content))
    try:
        for lang in LANGS:
            config = load_config(str(project.config_file(lang)), site_dir=str(staging / lang), strict=True)
            try:
                mkdocs_build(config)
            except (Abort, MkDocsException) as exc:
                raise BuildFailed("\n".join([*collect.messages, str(exc)])) from None
            except jinja2.TemplateError as exc:
                raise BuildFailed(_template_error(exc, project)) from None
        (staging / "index.html").write_text(root_index(content, project.templates_dir), encoding="utf-8")
        _swap(staging, site_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        _BUILDING.reset(building)
        mkdocs_log.removeHandler(collect)
        mkdocs_log.setLevel(previous_level)
    return content


def _template_error(exc: jinja2.TemplateError, project: Project) -> str:
    """`templates/pages/area.md.j2:12: message` for a template mistake, found in the traceback if need be."""
    filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if not filename:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.endswith((".j2", ".html")):
                filename, line = frame.filename, frame.lineno
                break
    where = display_path(filename, project.root) if filename else "templates"
    return f"{where}:{line or 1}: template error: {exc.message or exc}"


def _swap(new: Path, target: Path) -> None:
    """Put `new` where `target` is: two renames, so readers never see a half-built site."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        target.rename(old)
    new.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


__all__ = ["Project", "build_site", "BuildFailed", "ContentError", "Problem"]
