"""The page at the site's root: a short page in every edition's language that sends a reader to their edition."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .csp import template_scripts, with_csp
from .languages import LANGUAGES
from .markup import ProseRenderer
from .model import Content
from .render import content_of


def root_index(content: Content, templates_dir: Path | str) -> str:
    """The site root: a short page in every edition's language that sends a reader to their edition."""
    env = Environment(loader=FileSystemLoader(str(Path(templates_dir) / "pages")), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True)
    editions = []
    for lang in LANGUAGES:
        own = content_of(content, lang.code)
        editions.append({"code": lang.code, "tag": lang.tag, "hreflang": lang.hreflang,
                         "browsers": " ".join(lang.browsers), "colon": lang.punctuation["colon"], "name": lang.autonym,
                         "title": ProseRenderer(own, lang.code).plain(own.report.title[lang.code]),
                         "choose": own.ui("skip_language", lang.code)})
    page = env.get_template("root.html.j2").render(editions=editions)
    return with_csp(page, template_scripts([Path(templates_dir) / "pages"]))


__all__ = ["root_index"]
