"""MkDocs event hooks: load the content, add the generated pages and files, set the nav, put the CSP on every
page, reuse the pages that did not change (incremental.py), watch for edits."""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files

from .. import charts, escape, templatecache
from ..convert import pristine_jieba, search_dictionary
from ..csp import template_scripts, with_csp
from ..errors import ContentError
from ..languages import language
from ..loading import load_content
from ..model import Content
from ..render import SiteRenderer
from .config import ReportConfig
from . import searchworker, theme
from .incremental import PageCache, build_key
from .rawhtml import PreStashedHtmlExtension


class ReportPlugin(BasePlugin[ReportConfig]):
    #: content already loaded and validated by whoever runs the build (build.build_site hands it over after
    #: load_config, so both editions reuse one load); None: the plugin loads it (a plain `mkdocs build`)
    content: Content | None = None
    #: reuse the unchanged pages of the last build (build.build_edition sets it for its dirty build on an empty
    #: folder, incremental.py); False: every page is built, and the cache is written for the next build
    reuse_pages: bool = False
    #: the pages of the last build (incremental.py), set up by on_files
    cache: PageCache | None = None
    #: keep the chart drawings in memory for the next build of this process (the preview's); else let them go once
    #: the pages and files are made, before MkDocs holds every page's HTML
    keep_warm: bool = True

    @event_priority(100)  # before the search plugin's on_config, which builds its index from these settings
    def _edition(self, config):
        """The edition's row of the language table (languages.py) sets the theme's language and the search."""
        root = Path(config.config_file_path).parent
        self.content_dir = root / self.config.content_dir
        self.templates_dir = root / self.config.templates_dir
        try:  # handed over by the build (every edition reuses one load), else loaded here (a plain `mkdocs build`)
            self.content = self.content or load_content(self.content_dir, root)
        except ContentError as exc:
            raise PluginError(f"content has problems:\n{exc}") from None
        edition = language(self.config.lang)
        config.theme["language"] = edition.tag  # Material's words (partials/languages/<tag>.html) and <html lang>
        search = next((p for name, p in config.plugins.items() if name.split("/")[-1] == "search"), None)
        if search is not None:
            for key, value in edition.search.items():
                search.config[key] = [value] if key == "lang" else value
            if edition.text_from is not None:  # jieba's dictionary is Simplified: the converted words beside it
                search.config["jieba_dict_user"] = str(
                    search_dictionary(self.content, edition.code, reuse=self.reuse_pages))
        return config

    @event_priority(0)
    def _report(self, config):
        lang = self.config.lang
        self.renderer = SiteRenderer(self.content, lang, self.templates_dir, config.site_url)
        # strings the theme prints: escaped Markup, printed escaped once whether or not Material adds `| e`
        config.site_name = escape.theme(self.renderer.t("site_name"))
        config.site_description = escape.theme(self.renderer.t("site_description"))
        config.nav = self.renderer.nav()
        # the inline scripts the theme's templates and ours write: only these get a hash in the CSP
        self.known_scripts = template_scripts(config.theme.dirs)
        # our pages' HTML blocks are set aside without html.parser (same output, see rawhtml.py)
        config.markdown_extensions.append(PreStashedHtmlExtension())
        config.extra["lang"] = self.renderer.theme_language()
        theme.remember_theme_files(config.theme)  # the listing of Material's 14,500 files, once per process
        return config

    on_config = CombinedEvent(_edition, _report)

    def on_env(self, env, *, config, files):
        if env.bytecode_cache is None:  # the theme's templates compiled once per process (templatecache.py)
            env.bytecode_cache = templatecache.THEME
        self.built_files = files
        if self.cache is not None:
            self.cache.restore(files)  # reused pages: their anchors and metadata, before any page is built
        return env

    @event_priority(100)  # before the search plugin adds this page's entries
    def _before_search(self, context, *, page, config, nav):
        self.cache.before_search(_search_entries(config))
        return context

    @event_priority(-100)  # after it
    def _after_search(self, context, *, page, config, nav):
        self.cache.after_search(page, _search_entries(config))
        return context

    on_page_context = CombinedEvent(_before_search, _after_search)

    def on_files(self, files: Files, *, config) -> Files:
        folder = Path(config.config_file_path).parent / self.config.cache_dir / "pages" / self.config.lang
        self.cache = PageCache(folder, build_key(config), reuse=self.reuse_pages)
        # what the last build made of each area for the whole report and the chart downloads
        self.renderer.sections, self.renderer.area_files = self.cache.sections, self.cache.area_files
        inputs = self.renderer.inputs  # recorded by a full build too, for the next build
        known = {uri: file for uri, key in inputs.items() if (file := self.cache.known(config, uri, key))}
        rendered = self.renderer.pages(skip=known.keys())  # the pages made from the last build's inputs: not rendered
        for uri in self.renderer.page_uris():
            files.append(known.get(uri) or self.cache.page(config, uri, rendered[uri], inputs.get(uri, "")))
        for uri, text in {**self.renderer.files(), **theme.extra_files(self.renderer)}.items():
            files.append(File.generated(config, uri, content=text))
        for worker in [f for f in files if searchworker.WORKER.fullmatch(f.src_uri)]:  # searchworker.py
            try:
                fixed = searchworker.patch(Path(worker.abs_src_path).read_text(encoding="utf-8"))
            except searchworker.WorkerChanged as exc:
                raise PluginError(str(exc)) from None
            files.remove(worker)
            files.append(File.generated(config, worker.src_uri, content=fixed))
        self.renderer.release()
        if not self.keep_warm:
            charts.forget_drawings()
        return files

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        page.meta.update(theme.page_meta(self.renderer, page.file.src_uri))
        return markdown

    def on_post_page(self, output: str, *, page, config) -> str:
        return with_csp(output, self.known_scripts)  # allows the page's own theme scripts only (csp.py)

    def on_post_template(self, output_content: str, *, template_name: str, config) -> str:
        if not template_name.endswith(".html"):  # sitemap.xml
            return output_content
        return with_csp(output_content, self.known_scripts)  # 404.html

    @event_priority(100)  # before the search plugin writes its index: the reused pages' entries put back
    def _reused_pages(self, *, config) -> None:
        self.cache.finish(self.built_files, _search_entries(config, missing=None), self.renderer.sections_made,
                          self.renderer.area_files_made)

    def _jieba(self, *, config) -> None:
        if language(self.config.lang).text_from is not None:
            pristine_jieba()

    on_post_build = CombinedEvent(_reused_pages, _jieba)

    def on_serve(self, server, *, config, builder):
        server.watch(str(self.content_dir))
        server.watch(str(self.templates_dir))
        return server


def _search_entries(config, missing=()):
    """The search plugin's list of index entries (a list the cache may rebuild in place); `missing` without one."""
    search = next((p for name, p in config.plugins.items() if name.split("/")[-1] == "search"), None)
    index = getattr(search, "search_index", None)
    return index.entries if index is not None else (list(missing) if missing is not None else None)
