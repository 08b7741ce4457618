"""MkDocs event hooks: load the content, add the generated pages and files, set the nav, watch for edits."""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from ..build import content_being_built
from ..errors import ContentError
from ..model import load_content
from ..render import SiteRenderer, other_lang
from .config import ReportConfig
from .rawhtml import PreStashedHtmlExtension


class ReportPlugin(BasePlugin[ReportConfig]):
    def on_config(self, config):
        root = Path(config.config_file_path).parent
        self.content_dir = root / self.config.content_dir
        self.templates_dir = root / self.config.templates_dir
        try:  # within build_site the content is already loaded and validated: both languages reuse it
            content = content_being_built(self.content_dir) or load_content(self.content_dir, root)
        except ContentError as exc:
            raise PluginError(f"content has problems:\n{exc}") from None
        lang = self.config.lang
        self.renderer = SiteRenderer(content, lang, self.templates_dir, config.site_url)
        config.site_name = self.renderer.t("site_name")
        config.site_description = self.renderer.t("site_description")
        config.nav = self.renderer.nav()
        # our pages' HTML blocks are set aside without html.parser (same output, see rawhtml.py)
        config.markdown_extensions.append(PreStashedHtmlExtension())
        config.extra["lang"] = {"code": lang, "other": other_lang(lang),
                                "other_name": content.ui("language_name", other_lang(lang)),
                                "switch": content.ui("switch_language", lang)}
        return config

    def on_files(self, files: Files, *, config) -> Files:
        generated = {**self.renderer.pages(), **self.renderer.files()}
        for uri, text in generated.items():
            files.append(File.generated(config, uri, content=text))
        return files

    def on_serve(self, server, *, config, builder):
        server.watch(str(self.content_dir))
        server.watch(str(self.templates_dir))
        return server
