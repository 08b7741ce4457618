"""Build every edition with MkDocs into a temporary folder, each in its own process, then exchange the folder with
site/ in one step.

A failed build (bad content, a strict-mode warning, a full disk) leaves the last good site exactly as it was; how
the folders are exchanged, locked and cleaned up is in `publish.py`.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

import jinja2

from . import charts, parallel, templatecache
from .errors import ContentError, Problem, display_path
from .languages import LANGS, LANGUAGES, language
from .loading import load_content
from .model import Content
from .publish import (
    SiteWriteError,
    check_target,
    clean_leftovers,
    describe,
    exclusive,
    staging_prefix,
    swap_in,
)
from .rootpage import root_index

#: the MkDocs configuration of each edition (languages.py)
CONFIG_FILES = {lang.code: lang.config_file for lang in LANGUAGES}

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

    @property
    def cache_dir(self) -> Path:
        """What builds keep for the next build (jieba's dictionary): outside site/, ignored by git."""
        return self.root / ".cache"

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


def build_site(project: Project, site_dir: Path, *, content: Content | None = None, quiet: bool = True,
               say=None, in_process: bool = False, full: bool = False) -> Content:
    """Validate, build every edition into a fresh folder (in parallel, parallel.py), and atomically exchange it
    with `site_dir`. An edition that fails stops the others; `site_dir` is then left as it was.

    One build at a time per `site_dir` (a second waits, saying so through `say`); leftovers of killed builds are
    removed first. A disk that refuses to be written raises `SiteWriteError`, one line; `site_dir` stays as it was.
    `in_process`: the editions one after the other in this process, which then keeps jieba's dictionary and the
    compiled templates for the builds it forks later (the preview's first build).
    `full`: every page built again, none reused from the last build (mkdocs_plugin/incremental.py).
    """
    content = content or project.load()  # raises ContentError before anything is written
    site_dir = Path(site_dir).resolve()  # a site/ that is a symlink: the folder it points to is replaced
    check_target(site_dir, project.root)
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        with exclusive(site_dir, say=say):
            for problem in clean_leftovers(site_dir):
                (say or _warn)(f"{problem}: could not remove this leftover of an earlier build (remove it by hand) "
                               "｜ 无法删除上次构建的残留文件夹")
            _build_and_swap(project, site_dir, content, quiet, in_process, full)
    except OSError as exc:
        raise SiteWriteError(describe(exc, site_dir, project.root)) from None
    return content


def _warn(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _build_and_swap(project: Project, site_dir: Path, content: Content, quiet: bool, in_process: bool,
                    full: bool) -> None:
    staging = site_dir.with_name(f"{staging_prefix(site_dir)}{secrets.token_hex(6)}")
    staging.mkdir()  # mode 0777 less the umask, as site/ itself would be (mkdtemp would make it 0700)
    old = None
    try:
        _run_editions(project, {lang: staging / lang for lang in LANGS}, content, quiet, in_process, full)
        (staging / "index.html").write_text(root_index(content, project.templates_dir), encoding="utf-8")
        old = swap_in(staging, site_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)  # if this is cut short, the next build removes the rest


def _run_editions(project: Project, folders: dict[str, Path], content: Content, quiet: bool, in_process: bool,
                  full: bool, stop=None) -> None:
    """Build edition `lang` into `folders[lang]`, each in its own process, started with the content validated
    by the caller (parallel.py); BuildFailed, an OSError, or parallel.Cancelled when `stop` is set."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    if in_process:  # a converted edition's build resets jieba when it ends: the Simplified one then loads it last
        folders = dict(sorted(folders.items(), key=lambda item: language(item[0]).text_from is None))
    jobs = [(lang, (project, lang, folder, content, quiet, full, in_process)) for lang, folder in folders.items()]
    try:
        parallel.run(jobs, build_edition, expected=(BuildFailed,), in_process=in_process, stop=stop)
    except parallel.JobFailed as exc:
        if exc.oserror is not None:
            raise exc.oserror from None  # build_site makes it the one line of SiteWriteError
        raise BuildFailed(exc.message) from None


def build_editions(project: Project, site_dir: Path, langs: list[str], content: Content, *, quiet: bool = True,
                   in_process: bool = False, stop=None, with_root: bool = False) -> None:
    """Build again editions `langs` of the site already in `site_dir`, each put in place of its own folder
    (`site_dir/<lang>`) by the same exchange as a whole site; the other editions stay as they are. The preview
    builds the edition on screen first, then the others (serve.py). A failed build leaves every folder as it was;
    `stop` (a threading.Event) set: the builds still running are stopped, parallel.Cancelled is raised, and no
    folder is replaced. `with_root`: the site's root page is written again too (when the last editions are built).
    """
    site_dir = Path(site_dir).resolve()
    try:
        with exclusive(site_dir):
            clean_leftovers(site_dir)  # what a cancelled or killed build left (the next full build says it if not)
            staging = {lang: site_dir.with_name(f"{staging_prefix(site_dir)}{lang}-{secrets.token_hex(6)}")
                       for lang in langs}
            try:
                for folder in staging.values():
                    folder.mkdir()
                _run_editions(project, staging, content, quiet, in_process, False, stop)
                if stop is not None and stop.is_set():
                    raise parallel.Cancelled()
                for lang, folder in staging.items():
                    old = swap_in(folder, site_dir / lang)
                    if old is not None:
                        shutil.rmtree(old, ignore_errors=True)
                if with_root:
                    partial = staging_path(site_dir, "index.html")
                    partial.write_text(root_index(content, project.templates_dir), encoding="utf-8")
                    partial.replace(site_dir / "index.html")
            finally:
                for folder in staging.values():
                    shutil.rmtree(folder, ignore_errors=True)
    except OSError as exc:
        raise SiteWriteError(describe(exc, site_dir, project.root)) from None


def staging_path(site_dir: Path, name: str) -> Path:
    """A file beside `site_dir`'s own, to be renamed over it when complete."""
    return site_dir / f".{name}.{secrets.token_hex(6)}.part"


def build_edition(project: Project, lang: str, site_dir: Path, content: Content, quiet: bool = True,
                  full: bool = False, warm: bool = False) -> None:
    """One edition's MkDocs build into `site_dir`, with `content` already validated; BuildFailed says why not.

    A dirty build (MkDocs asks each page whether it changed) into an empty `site_dir`: the pages whose inputs are
    those of the last build are written from the cache instead of being built (mkdocs_plugin/incremental.py); with
    `full`, every page is built. Runs in a process of its own (parallel.py): the logging it sets up is that
    process's. `warm`: this process builds again later (the preview's), so it keeps what it drew in memory.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    from .mkdocs_plugin.incremental import QuietDirtyBuild

    collect = _Collect()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(collect)
    dirty_note = QuietDirtyBuild()
    logging.getLogger("mkdocs.commands.build").addFilter(dirty_note)
    previous_level = mkdocs_log.level
    if quiet:
        mkdocs_log.setLevel(logging.WARNING)
    try:
        config = load_config(str(project.config_file(lang)), site_dir=str(site_dir), strict=True)
        plugin = _report_plugin(config, project)
        plugin.content = content  # validated once by the parent: not loaded again
        plugin.reuse_pages = not full
        plugin.keep_warm = warm  # a process that builds again (in_process) keeps its chart drawings
        logging.getLogger("jieba").setLevel(logging.WARNING)  # imported (at DEBUG) by the search plugin
        jieba_cache(project.cache_dir / "jieba")
        charts.keep_drawings(project.cache_dir / "charts", read=not full)  # the charts drawn by the last build
        for name, compiled in (("pages", templatecache.PAGES), ("theme", templatecache.THEME)):
            compiled.keep_on_disk(project.cache_dir / "jinja" / name, read=not full)
        try:
            mkdocs_build(config, dirty=True)  # on an empty folder: only our unchanged pages are skipped
        except (Abort, MkDocsException) as exc:
            raise BuildFailed("\n".join([*collect.messages, str(exc)])) from None
        except jinja2.TemplateError as exc:
            raise BuildFailed(_template_error(exc, project)) from None
    finally:
        mkdocs_log.removeHandler(collect)
        mkdocs_log.setLevel(previous_level)
        logging.getLogger("mkdocs.commands.build").removeFilter(dirty_note)
        charts.keep_drawings(None)  # an in-process build leaves the process as it found it
        templatecache.PAGES.keep_on_disk(None)
        templatecache.THEME.keep_on_disk(None)


def jieba_cache(folder: Path) -> None:
    """Keep jieba's prefix dictionary cache in `folder` (outside site/, ignored by git), when it can be made there;
    jieba then loads the dictionary from it once per process instead of building it (about 1 s) again."""
    try:
        import jieba
    except ImportError:  # the search plugin segments Chinese only with jieba installed
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # a read-only project: jieba's own default (the system's temporary folder)
    if os.access(folder, os.W_OK):
        jieba.dt.tmp_dir = str(folder)


def _report_plugin(config, project: Project):
    """Our plugin's instance in a loaded configuration (BuildFailed when the configuration leaves it out)."""
    from .mkdocs_plugin.plugin import ReportPlugin

    found = [plugin for plugin in config.plugins.values() if isinstance(plugin, ReportPlugin)]
    if not found:
        raise BuildFailed(f"{config.config_file_path}: the chenzhou-report plugin is not in `plugins:` (add it back; "
                          "it renders every page)")
    return found[0]


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


__all__ = ["Project", "build_site", "build_editions", "BuildFailed", "SiteWriteError", "ContentError", "Problem"]
