"""Unchanged pages are not rebuilt: a page whose inputs are those of the last build is written from the cache,
not rendered again (no Markdown, no theme template, no search-index parsing or jieba segmentation of it).

A page's *key* is a hash of everything its HTML depends on:

- its generated Markdown, front matter included (all that the content and templates/pages put on it);
- the *build key*, shared by every page of the edition: the MkDocs configuration as loaded (nav, theme and its
  features, Markdown extensions and their settings, `extra`, `site_url`, every plugin's options), each file of the
  theme's folders that is not part of an installed package (templates/ overrides: name, size, time), the versions
  of the packages that render (MkDocs, Material, Python-Markdown, pymdown-extensions, jieba, Jinja2), and this
  package's own source files (a change of code is a full rebuild).

The whole report's section of each area is kept too (`fragments.json`), by what the area's page is made from and
the glossary terms marked above it (render.py, `_whole_section`): an edit renders the edited area's section only;
so are each area's chart downloads (CSV, SVG, embed page), by what the area's page is made from.

An area page is not even rendered when the hash of what it is made from (`pageinputs.py`: its area, the figures of
other areas it names, what every page shares) is the one the last build recorded for it (`PageCache.known`); the
other pages are rendered, and reused when their Markdown is the same. The manifest lists the pages `rendered`.

The cache (`.cache/pages/<edition>/`, outside site/, ignored by git) holds the last build's `manifest.json` and
each page's HTML (`html/<key>.html`, hard-linked to the built file when the file system allows, checked by size
and time before reuse: a cached file changed since is not trusted, the page is built). For each page the manifest
keeps what the other pages and the search index need of it: its search-index entries, the anchors it has, the links
to anchors it makes (so that MkDocs' anchor validation sees what a full build sees) and its metadata.

How MkDocs is told: the build runs with `dirty=True` on a fresh, empty folder (build.py), so MkDocs asks each file
`is_modified()`; a generated page answers False when the cache holds its key (`CachedPage`). MkDocs then neither
reads nor builds it; `restore` gives it back its anchors and metadata before any page is built, `finish` writes its
HTML, puts its search entries back in the order a full build adds them (before the search plugin writes the index)
and records the new manifest. The result is byte for byte a full build's (tests/test_incremental.py).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import sys
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

from mkdocs.structure.files import File, Files

#: the layout of manifest.json; a new layout is a full rebuild
LAYOUT = 2
#: the packages whose code turns a page's Markdown into its HTML
RENDERERS = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jieba", "jinja2")
#: what MkDocs logs (a warning, fatal in strict mode) for every dirty build; ours are dirty on an empty folder
DIRTY_WARNING = "A 'dirty' build is being performed"
PACKAGE = Path(__file__).resolve().parent.parent  # src/chenzhou_report

log = logging.getLogger(__name__)


class CachedPage(File):
    """A generated Markdown page; `reused` when the cache holds its key (MkDocs then skips it in a dirty build)."""

    key: str = ""
    #: the hash of what the page is made from (pageinputs.py), when it can be named without rendering it
    inputs: str = ""
    reused: bool = False

    def is_modified(self) -> bool:
        return not self.reused


class QuietDirtyBuild(logging.Filter):
    """Drops MkDocs' warning about dirty builds (it is about stale files in site_dir; ours start empty)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_WARNING)


def _stat_tree(digest, folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            stat = path.stat()
            digest.update(f"{path.relative_to(folder)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())


def _installed(folder: Path) -> bool:
    """A folder inside an installed package (covered by the package's version)."""
    return any(part in ("site-packages", "dist-packages") for part in folder.parts)


def theme_state(folders) -> str:
    """A hash of the names, sizes and times of the files in the theme folders that are not part of an installed
    package (templates/overrides/; an installed theme changes only with its version)."""
    digest = hashlib.sha256()
    for folder in folders:
        if not _installed(Path(folder)):
            _stat_tree(digest, Path(folder))
    return digest.hexdigest()


def _plain(value):
    """A configuration value as JSON can hold it, the same in every process (no object addresses)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(map(str, value))
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return re.sub(r" at 0x[0-9a-f]+", "", f"{type(value).__name__}:{value!r}")


def build_key(config) -> str:
    """What every page of this edition depends on, as one hash."""
    digest = hashlib.sha256(f"{LAYOUT}\0{sys.version}\n".encode())
    for name in RENDERERS:
        try:
            digest.update(f"{name}={metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-\n".encode())
    settings = {key: config[key] for key in config if key not in ("plugins", "theme", "site_dir")}
    settings["theme"] = dict(config.theme)
    settings["theme_dirs"] = list(config.theme.dirs)
    settings["plugins"] = {name: plugin.config for name, plugin in config.plugins.items()}
    digest.update(json.dumps(_plain(settings), sort_keys=True, ensure_ascii=False).encode())
    digest.update(theme_state(config.theme.dirs).encode())
    _stat_tree(digest, PACKAGE)
    return digest.hexdigest()


def page_key(build: str, uri: str, markdown: str) -> str:
    return hashlib.sha256(f"{build}\0{uri}\0{markdown}".encode("utf-8", "surrogatepass")).hexdigest()


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        if target.exists():
            target.unlink()
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


class PageCache:
    """One edition's cache of built pages (module docstring): what the last build made, and what this one makes."""

    def __init__(self, folder: Path, key: str, *, reuse: bool = True):
        self.folder, self.key = Path(folder), key
        self.previous: dict[str, dict] = {}
        if reuse:
            try:
                manifest = json.loads((self.folder / "manifest.json").read_text(encoding="utf-8"))
                if manifest.get("key") == key:
                    self.previous = manifest["pages"]
            except (OSError, ValueError, KeyError, TypeError):
                pass  # no cache yet, or one this build cannot read: every page is built
        #: what the renderer made of each area for the whole report and the chart downloads, by the area's inputs
        self.sections: dict[str, list] = {}
        self.area_files: dict[str, dict] = {}
        if reuse:
            try:
                kept = json.loads((self.folder / "fragments.json").read_text(encoding="utf-8"))
                if kept.get("key") == key and isinstance(kept.get("sections"), dict) \
                        and isinstance(kept.get("files"), dict):
                    self.sections, self.area_files = kept["sections"], kept["files"]
            except (OSError, ValueError, AttributeError):
                pass
        self.pages: dict[str, dict] = {}  # this build's records
        self._search_start: int | None = None
        self.reused: list[str] = []
        self.rendered: list[str] = []  # the pages whose Markdown this build made (the others: known by inputs)

    # -- on_files: which pages are reused
    def known(self, config, uri: str, inputs: str) -> CachedPage | None:
        """The page, reused without rendering its Markdown, when the last build made it from the same `inputs`."""
        record = self.previous.get(uri)
        if record is None or not inputs or record.get("inputs") != inputs or not self._intact(record):
            return None
        file = CachedPage.generated(config, uri, content="")  # never read: MkDocs skips a page not modified
        file.key, file.inputs = record["page"], inputs
        self._reuse(file, record)
        return file

    def page(self, config, uri: str, markdown: str, inputs: str = "") -> CachedPage:
        """The page rendered as `markdown`; reused when the last build made the same Markdown."""
        file = CachedPage.generated(config, uri, content=markdown)
        file.key, file.inputs = page_key(self.key, uri, markdown), inputs
        self.rendered.append(uri)
        record = self.previous.get(uri)
        if record is not None and record.get("page") == file.key and self._intact(record):
            self._reuse(file, {**record, "inputs": inputs})
        return file

    def _reuse(self, file: CachedPage, record: dict) -> None:
        file.reused = True
        self.pages[file.src_uri] = record
        self.reused.append(file.src_uri)

    def _intact(self, record: dict) -> bool:
        try:
            stat = (self.folder / "html" / f"{record['page']}.html").stat()
        except OSError:
            return False
        return [stat.st_size, stat.st_mtime_ns] == record.get("stat")

    # -- on_env: reused pages get back what other pages and MkDocs' validation read of them
    def restore(self, files: Files) -> None:
        for file in files.documentation_pages():
            if isinstance(file, CachedPage) and file.reused and file.page is not None:
                record = self.pages[file.src_uri]
                file.page.meta = record["meta"]
                file.page.present_anchor_ids = set(record["anchors"])
                file.page.links_to_anchors = {
                    target: links for uri, links in record["links"].items()
                    if (target := files.get_file_from_path(uri)) is not None}

    # -- on_page_context, around the search plugin's: the entries it adds for this page
    def before_search(self, search_entries: list) -> None:
        self._search_start = len(search_entries)

    def after_search(self, page, search_entries: list) -> None:
        start = self._search_start if self._search_start is not None else len(search_entries)
        self._search_start = None
        self.pages[page.file.src_uri] = {
            "page": getattr(page.file, "key", ""),
            "inputs": getattr(page.file, "inputs", ""),
            "search": search_entries[start:],
            "anchors": sorted(page.present_anchor_ids or ()),
            "links": {target.src_uri: dict(links) for target, links in (page.links_to_anchors or {}).items()},
            "meta": page.meta,
        }

    # -- on_post_build, before the search plugin's: reused pages written, the index in full-build order, manifest
    def finish(self, files: Files, search_entries: list | None, sections: dict[str, list] | None = None,
               area_files: dict[str, dict] | None = None) -> None:
        entries = []
        for file in files.documentation_pages():
            record = self.pages.get(file.src_uri)
            if record is None:
                continue
            entries += record["search"]
            cached = self.folder / "html" / f"{record['page']}.html"
            if getattr(file, "reused", False):
                _link_or_copy(cached, Path(file.abs_dest_path))
        if search_entries is not None:
            search_entries[:] = entries
        self._save(files)
        sections, area_files = sections or {}, area_files or {}
        if sections.keys() != self.sections.keys() or area_files.keys() != self.area_files.keys():
            # a fragment is made from its key: the same keys, the same file (17 MB per edition at 100×) not rewritten
            partial = self.folder / f"fragments.{os.getpid()}.part"
            partial.write_text(json.dumps({"key": self.key, "sections": sections, "files": area_files},
                                          ensure_ascii=False), encoding="utf-8")
            partial.replace(self.folder / "fragments.json")

    def _save(self, files: Files) -> None:
        html = self.folder / "html"
        html.mkdir(parents=True, exist_ok=True)
        pages = {}
        for file in files.documentation_pages():
            record = self.pages.get(file.src_uri)
            if record is None or not isinstance(file, CachedPage) or not record["page"]:
                continue
            cached = html / f"{record['page']}.html"
            if not file.reused:
                try:
                    json.dumps(record)
                except (TypeError, ValueError):
                    continue  # metadata JSON cannot hold: the page is built every time
                if not os.path.isfile(file.abs_dest_path):
                    continue
                _link_or_copy(Path(file.abs_dest_path), cached)
            stat = cached.stat()
            pages[file.src_uri] = {**record, "stat": [stat.st_size, stat.st_mtime_ns]}
        partial = self.folder / f"manifest.{os.getpid()}.part"
        partial.write_text(json.dumps({"key": self.key, "reused": sorted(self.reused),
                                       "rendered": sorted(self.rendered), "pages": pages},
                                       ensure_ascii=False), encoding="utf-8")
        partial.replace(self.folder / "manifest.json")
        keep = {f"{record['page']}.html" for record in pages.values()}
        for path in html.iterdir():
            if path.name not in keep:
                path.unlink(missing_ok=True)


__all__ = ["CachedPage", "PageCache", "QuietDirtyBuild", "build_key", "page_key", "theme_state", "DIRTY_WARNING"]
