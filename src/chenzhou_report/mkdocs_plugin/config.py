"""Typed options of the `chenzhou-report` MkDocs plugin."""

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from ..languages import LANGS, SOURCE


class ReportConfig(Config):
    #: the folder of YAML content, relative to mkdocs.yml
    content_dir = c.Type(str, default="content")
    #: the folder of Jinja2 page templates (templates/pages) and theme overrides, relative to mkdocs.yml
    templates_dir = c.Type(str, default="templates")
    #: what builds keep for the next build (jieba's dictionary, the pages of the last build), relative to mkdocs.yml;
    #: outside site/, ignored by git
    cache_dir = c.Type(str, default=".cache")
    #: the edition this build renders: a code of the language table (languages.py)
    lang = c.Choice(LANGS, default=SOURCE)
