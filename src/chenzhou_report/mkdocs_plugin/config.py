"""Typed options of the `chenzhou-report` MkDocs plugin."""

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class ReportConfig(Config):
    #: the folder of YAML content, relative to mkdocs.yml
    content_dir = c.Type(str, default="content")
    #: the folder of Jinja2 page templates (templates/pages) and theme overrides, relative to mkdocs.yml
    templates_dir = c.Type(str, default="templates")
    #: the language this build renders: zh or en
    lang = c.Choice(("zh", "en"), default="zh")
