"""Content to pages: Jinja2 templates from templates/pages/ produce every page of one language.

`SiteRenderer(content, lang, templates_dir)` gives `pages()` (URI -> Markdown with HTML blocks, for the static site
generator), `files()` (data downloads), and `nav()` (the navigation as plain lists and dicts). `root_index()` gives
the page at the site's root that sends a reader to their language. Nothing here knows MkDocs.
"""

from __future__ import annotations

import csv
import io
import json
from functools import cached_property
from pathlib import Path, PurePosixPath

from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import escape
from .charts import ChartView
from .csp import template_scripts, with_csp
from .convert import converted
from .languages import LANGS, LANGUAGES, SOURCE, language, others
from .markup import Linker, ProseRenderer
from .model import REF, Area, Content, Metric
from .numbers import format_metric, machine_value

EMPTY_SITEMAP = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n</urlset>\n')
#: areas per navigation group; a flat nav of thousands of entries makes every page heavy
NAV_GROUP = 20


def content_of(content: Content, lang: str) -> Content:
    """The content as edition `lang` prints it: written content as it is, a converted edition's converted."""
    return converted(content, lang) if language(lang).text_from is not None else content


def source_of(lang: str) -> str:
    """The edition holding the source's own wording, as edition `lang` prints it: the source itself, or `lang`
    when it is converted from the source (the Traditional edition prints the article in Traditional)."""
    return lang if language(lang).text_from == SOURCE else SOURCE


def page_dir(uri: str) -> PurePosixPath:
    """The folder a page is served from, with directory URLs: areas/x.md -> areas/x, index.md -> ''."""
    path = PurePosixPath(uri)
    if path.name == "index.md":
        return path.parent
    return path.parent / path.stem


def to_root(uri: str) -> str:
    """Relative prefix from a page to the site root: '../../' for areas/x.md."""
    depth = len([p for p in page_dir(uri).parts if p not in ("", ".")])
    return "../" * depth


def area_uri(area: Area) -> str:
    return f"areas/{area.key}.md"


def area_url(area: Area) -> str:
    return f"areas/{area.key}/"


class SiteRenderer:
    def __init__(self, content: Content, lang: str, templates_dir: Path | str):
        if lang not in LANGS:
            raise ValueError(f"unknown language {lang!r}")
        self.written = content  # the content as editors wrote it (a converted edition keeps it beside, downloads)
        content = content_of(content, lang)
        self.content = content
        self.lang = lang
        self.prose = ProseRenderer(content, lang)
        self.env = Environment(
            loader=FileSystemLoader(str(Path(templates_dir) / "pages")),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        # front matter: a YAML string of the HTML-escaped text (the theme prints page.meta without escaping)
        self.env.filters["yaml_str"] = escape.front_matter
        # a Markdown heading line: plain text for Markdown (no tags, links, attr_list braces, line breaks)
        self.env.filters["heading"] = escape.heading
        self.env.globals.update(
            t=self.t,
            figure=self.figure,
            printed=lambda m: format_metric(m, self.lang),
            plain=self.prose.plain,
            area_url=area_url,
            lang=lang,
            edition=language(lang),  # its row of the language table: edition.chinese, edition.tag
            # the edition of the source's own wording (the article is Chinese), as this edition prints it
            source=source_of(lang),
            source_tag=language(source_of(lang)).tag,
            content=content,
            report=content.report,
            rounding_name=lambda r: self.t(f"rounding_{r}"),
            charts=self.charts,
            count=lambda n: format_decimal(n, locale=language(lang).locale),
            punct=language(lang).punctuation,
        )
        self._charts: dict[int, list[ChartView]] = {}

    def theme_language(self) -> dict:
        """What the theme templates (main.html, partials/alternate.html) know of this edition: `config.extra.lang`.
        Strings the theme prints are escaped Markup (escape.theme)."""
        edition = language(self.lang)
        return {"code": self.lang, "tag": edition.tag, "hreflang": edition.hreflang, "og_locale": edition.og_locale,
                # the language switch: one link per other edition, its name in itself, its title in its language
                "others": [{"code": code, "tag": language(code).tag, "hreflang": language(code).hreflang,
                            "name": escape.theme(language(code).autonym),
                            "switch": escape.theme(language(code).switch_to)} for code in others(self.lang)]}

    def t(self, key: str) -> str:
        """An interface string, references printed."""
        return self.prose.plain(self.content.ui(key, self.lang))

    def figure(self, metric: Metric) -> Markup:
        value = Markup('<data data-metric="{}" value="{}">{}</data>').format(
            metric.id, machine_value(metric), format_metric(metric, self.lang))
        return value

    def charts(self, area: Area) -> list[ChartView]:
        """The area's charts in this language (built once: the area page and the whole report share them)."""
        if area.number not in self._charts:
            intro = self.t("chart_description")
            self._charts[area.number] = [ChartView.build(chart, self.content, self.lang, self.prose.plain, intro)
                                         for chart in area.charts]
        return self._charts[area.number]

    # -- pages --
    def _render(self, template: str, uri: str, **context) -> str:
        root = to_root(uri)
        linker = Linker(glossary_url=f"{root}glossary/", root=root)

        def text(value: str) -> Markup:
            return self.prose.block(value, linker)

        def inline(value: str) -> Markup:
            return self.prose.inline(value, linker)

        def context_sentence(area: Area, metric: Metric) -> Markup:
            return self.context_sentence(area, metric, root)

        return self.env.get_template(template).render(
            uri=uri, root=root, text=text, inline=inline, context_sentence=context_sentence,
            **context).lstrip()

    def pages(self) -> dict[str, str]:
        out = {
            "index.md": self._render("home.md.j2", "index.md", areas=self.content.areas),
            "report.md": self._render("whole.md.j2", "report.md", areas=self.content.areas),
            "glossary.md": self._render("glossary.md.j2", "glossary.md", terms=self.content.glossary.terms),
            "about.md": self._render("about.md.j2", "about.md", derived=self.derived_metrics,
                                     reported=self.reported_metrics),
        }
        total = len(self.content.areas)
        for area in self.content.areas:
            out[area_uri(area)] = self._render("area.md.j2", area_uri(area), area=area, total=total)
        return out

    @cached_property
    def derived_metrics(self) -> list[Metric]:
        return [m for a in self.content.areas for m in a.metrics if m.derived]

    @cached_property
    def reported_metrics(self) -> list[Metric]:
        return [m for a in self.content.areas for m in a.metrics if m.reported]

    def context_sentence(self, area: Area, metric: Metric, root: str = "") -> Markup:
        """The sentence of the area's prose (in this language) that mentions the metric."""
        needle = "{" + metric.id + "}"
        for paragraph in area.paragraphs:
            text = paragraph[self.lang]
            if needle not in text:
                continue
            pieces = [piece.strip() for piece in language(self.lang).sentence_end.split(text)]
            for i, sentence in enumerate(pieces):
                if needle in sentence:
                    # a clause cut at a semicolon is marked as part of a longer sentence: "… it received"
                    if i and pieces[i - 1].endswith((";", "；")):
                        sentence = "…" + sentence
                    if sentence.endswith((";", "；")):
                        sentence = sentence[:-1] + "…"
                    # links lead where they lead in the paragraph; no glossary term is marked in a quotation
                    quoted = Linker(glossary_url=f"{root}glossary/", root=root,
                                    marked={term.id for term in self.content.glossary.terms})
                    return self.prose.inline(sentence, quoted)
        return Markup("")

    # -- data downloads --
    def rows(self) -> list[dict]:
        rows = []
        for area in self.content.areas:
            for metric in area.metrics:
                rows.append({
                    "id": metric.id,
                    "area": area.number,
                    "area_title": self.prose.plain(area.title[self.lang]),
                    "label": metric.label[self.lang],
                    "value": machine_value(metric),
                    "printed": format_metric(metric, self.lang),
                    "as_printed_in_source": metric.value,
                    "unit": metric.unit,
                    "scale": metric.scale or "",
                    "basis": "derived" if metric.derived else "reported" if metric.reported else "stated",
                    "numerator": metric.derived.numerator if metric.derived else "",
                    "denominator": metric.derived.denominator if metric.derived else "",
                    "rounding": metric.derived.rounding if metric.derived else "",
                    "source_zh": metric.source,
                    "url": f"{area_url(area)}#{metric.id}",
                    **self._as_printed(metric),
                })
        return rows

    def _as_printed(self, metric: Metric) -> dict:
        """A converted edition's row keeps the written originals beside its converted label, figure and source."""
        source = language(self.lang).text_from
        if source is None:
            return {}
        written = self.written.metrics[metric.id]
        return {"label_as_printed": written.label[source], "printed_as_printed": format_metric(written, source),
                "source_as_printed": written.source}

    def files(self) -> dict[str, str]:
        rows = self.rows()
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["id"], lineterminator="\n")
        writer.writeheader()
        # every cell through the one CSV escape (formula injection); the JSON below keeps the exact values
        writer.writerows({key: escape.csv_cell(value) for key, value in row.items()} for row in rows)
        meta = {
            "title": self.prose.plain(self.content.report.title[self.lang]),
            "publication": self.content.report.publication[self.lang],
            "language": self.lang,
            "metrics": rows,
        }
        files = {
            "data/metrics.csv": buffer.getvalue(),
            "data/metrics.json": json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
        }
        # Material's JavaScript fetches sitemap.xml next to the target of every <link rel="alternate"> (it expects
        # them to point at language roots); ours point at each page's counterpart, so each page folder gets one
        # (empty, like MkDocs' own without site_url) — otherwise every page logs a 404 in the console.
        for uri in self.page_uris():
            if uri != "index.md":
                files[f"{page_dir(uri)}/sitemap.xml"] = EMPTY_SITEMAP
        return files

    def page_uris(self) -> list[str]:
        """The page URIs `pages()` makes, without rendering them."""
        return ["index.md", "report.md", "glossary.md", "about.md", *(area_uri(a) for a in self.content.areas)]

    # -- navigation --
    def nav(self) -> list:
        # titles handed to the theme: escaped Markup (escape.theme says why)
        areas = [{escape.theme(f"{a.number}. {self.prose.plain(a.title[self.lang])}"): area_uri(a)}
                 for a in self.content.areas]
        if len(areas) > NAV_GROUP:
            groups = []
            for start in range(0, len(areas), NAV_GROUP):
                chunk = self.content.areas[start:start + NAV_GROUP]
                groups.append({escape.theme(f"{chunk[0].number}–{chunk[-1].number}"): areas[start:start + NAV_GROUP]})
            areas = groups
        return [
            {escape.theme(self.t("home")): "index.md"},
            {escape.theme(self.t("area_list")): areas},
            {escape.theme(self.t("whole_report")): "report.md"},
            {escape.theme(self.t("glossary")): "glossary.md"},
            {escape.theme(self.t("about")): "about.md"},
        ]


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


__all__ = ["SiteRenderer", "root_index", "area_uri", "area_url", "to_root", "REF"]
