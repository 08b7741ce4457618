"""Content to pages: Jinja2 templates from templates/pages/ produce every page of one language.

`SiteRenderer(content, lang, templates_dir)` gives `pages()` (URI -> Markdown with HTML blocks, for the static site
generator), `files()` (data downloads), and `nav()` (the navigation as plain lists and dicts); the page at the
site's root is `rootpage.py`'s. Nothing here knows MkDocs.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from functools import cached_property
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import escape, figuregroups, templatecache
from .chartreuse import ChartReuse
from .paths import area_uri, area_url, page_dir, to_root  # noqa: F401  (imported from here by others)
from .charts import ChartView
from .citation import cite
from . import jsonld
from .csp import template_scripts
from .convert import converted
from .languages import LANGS, SOURCE, language, others
from .datapackage import (descriptor_text, licence_text, package_descriptor, package_name, package_readme,
                          package_zip)
from .markup import Linker, ProseRenderer
from .model import REF, Area, Content, Metric
from .numbers import format_metric, machine_value
from .pageinputs import area_page_inputs
from .provenance import content_version
from . import revisions

#: areas per navigation group; a flat nav of thousands of entries makes every page heavy
NAV_GROUP = 20


def content_of(content: Content, lang: str) -> Content:
    """The content as edition `lang` prints it: written content as it is, a converted edition's converted."""
    return converted(content, lang) if language(lang).text_from is not None else content


def source_of(lang: str) -> str:
    """The edition holding the source's own wording, as edition `lang` prints it: the source itself, or `lang`
    when it is converted from the source (the Traditional edition prints the article in Traditional)."""
    return lang if language(lang).text_from == SOURCE else SOURCE


def csv_text(fieldnames: list[str], rows: list[dict]) -> str:
    """Every CSV the site writes goes through here (one place for the cell rules of CSV output)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fieldnames, lineterminator="\n")
    writer.writeheader()
    # every cell through the one CSV escape (a leading = + - @ would be read as a formula)
    writer.writerows({key: escape.csv_cell(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue()


class SiteRenderer(ChartReuse):
    def __init__(self, content: Content, lang: str, templates_dir: Path | str, site_url: str | None = None):
        if lang not in LANGS:
            raise ValueError(f"unknown language {lang!r}")
        self.written = content  # the content as editors wrote it (a converted edition keeps it beside, downloads)
        content = content_of(content, lang)
        self.content = content
        self.lang = lang
        self.templates_dir = Path(templates_dir)
        #: the edition's public address (SITE_URL_ZH / SITE_URL_EN); permalinks are relative to the edition without it
        self.site_url = (site_url.rstrip("/") + "/") if site_url else ""
        self.prose = ProseRenderer(content, lang)
        self.env = Environment(
            loader=FileSystemLoader(str(Path(templates_dir) / "pages")),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=templatecache.PAGES,
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
            other_editions=[language(code) for code in others(lang)],  # the rows the language switches lead to
            # the edition of the source's own wording (the article is Chinese), as this edition prints it
            source=source_of(lang),
            source_tag=language(source_of(lang)).tag,
            content=content,
            report=content.report,
            rounding_name=lambda r: self.t(f"rounding_{r}"),
            charts=self.charts,
            count=lambda n: format_decimal(n, locale=language(lang).locale),
            punct=language(lang).punctuation,
            chart_active_title=self.chart_active_title,
            chart_subtitle=self.chart_subtitle,
            chart_files=self.chart_files,
            chart_embed_snippet=self.chart_embed_snippet,
            cite_figure=self.cite_figure,
            permalink=self.permalink,
            package=package_name(content, lang),
            revision_notes=lambda m: revisions.entries(m, lang, self.t, language(lang).punctuation),
            long_date=lambda day: format_date(day, format="long", locale=language(lang).locale),
            main_points=figuregroups.main_points, in_source_language=figuregroups.in_source_language(lang),
        )
        #: the whole report's sections of the last build (key -> [Markdown, terms marked]), handed in by whoever
        #: keeps them between builds (mkdocs_plugin/plugin.py); those this build made or reused: `sections_made`
        self.sections: dict[str, list] = {}
        self.sections_made: dict[str, list] = {}
        #: the same for each area's chart downloads (key -> {path: text})
        self.area_files: dict[str, dict[str, str]] = {}
        self.area_files_made: dict[str, dict[str, str]] = {}
        self._charts: dict[int, list[ChartView]] = {}
        self._siblings: dict[str, SiteRenderer] = {}

    @property
    def punct(self) -> dict:
        return language(self.lang).punctuation

    def printed(self, metric: Metric) -> str:
        return format_metric(metric, self.lang)

    def rounding_name(self, rounding: str) -> str:
        return self.t(f"rounding_{rounding}")

    def permalink(self, path: str) -> str:
        """A path below the edition's root as readers should cite it: absolute when the site's address is known."""
        return self.site_url + path

    def cite_figure(self, metric: Metric) -> str:
        area = self.content.metric_area[metric.id]
        item = f"{self.prose.plain(area.title[self.lang])}{self.punct['colon']}{metric.label[self.lang]}" \
               f"{self.punct['colon']}{format_metric(metric, self.lang)}"
        return cite(self.content, self.lang, self.t, self.prose.plain, item,
                    self.permalink(f"{area_url(area)}#{metric.id}"))

    def dataset_citation(self) -> str:
        return cite(self.content, self.lang, self.t, self.prose.plain,
                    self.prose.plain(self.content.report.title[self.lang]), self.permalink("about/#data"))

    def downloads(self) -> list[tuple[str, str, str]]:
        """The edition's data files: (path below the edition's root, media type, name), as the pages offer them."""
        return [
            ("data/metrics.csv", "text/csv", self.t("download_csv")),
            ("data/metrics.json", "application/json", self.t("download_json")),
            ("data/datapackage.json", "application/json", self.t("download_package")),
            (f"data/{package_name(self.content, self.lang)}.zip", "application/zip", self.t("download_zip")),
        ]

    def dataset_jsonld(self, uri: str) -> Markup:
        """schema.org Dataset for the page `uri`, serialised so that it cannot end its script element."""
        return Markup(jsonld.script(jsonld.dataset(self, to_root(uri), self.downloads())))

    def release(self) -> None:
        """Let go of what only the pages and files already made needed (the other editions' renderers, the chart
        views): the build goes on to hold every page's HTML, and memory peaks there."""
        self._siblings.clear()
        self._charts.clear()

    def sibling(self, lang: str) -> "SiteRenderer":
        """The renderer of another edition (for files that hold both languages)."""
        if lang == self.lang:
            return self
        if lang not in self._siblings:
            self._siblings[lang] = SiteRenderer(self.written, lang, self.templates_dir)
        return self._siblings[lang]

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

    @cached_property
    def page_scripts(self) -> list:
        """Patterns of the inline scripts our own page templates write (none in the embed page today)."""
        return template_scripts([self.templates_dir / "pages"])

    def charts(self, area: Area) -> list[ChartView]:
        """The area's charts in this language (built once: the area page and the whole report share them)."""
        if area.number not in self._charts:
            intro = self.t("chart_description")
            self._charts[area.number] = [ChartView.build(chart, self.content, self.lang, self.prose.plain, intro)
                                         for chart in area.charts]
        return self._charts[area.number]

    # -- pages --
    def _context(self, uri: str) -> dict:
        """What every page template gets besides the globals: the way to the edition's root and the prose filters
        that link from the page at `uri`."""
        root = to_root(uri)
        linker = Linker(glossary_url=f"{root}glossary/", root=root)

        def text(value: str) -> Markup:
            return self.prose.block(value, linker)

        def inline(value: str) -> Markup:
            return self.prose.inline(value, linker)

        def figure_groups(area: Area) -> list[figuregroups.Group]:
            """The area's figures by clause; on a page in another language, with the sentences that state them."""
            same = figuregroups.in_source_language(self.lang)
            return figuregroups.groups(area, None if same else lambda m: self.context_sentence(area, m, root))

        context = {"uri": uri, "root": root, "text": text, "inline": inline, "figure_groups": figure_groups}
        context["whole_section"] = lambda area: self._whole_section(area, context, linker)
        return context

    def _render(self, template: str, uri: str, **context) -> str:
        return self.env.get_template(template).render(**self._context(uri), **context).lstrip()

    @cached_property
    def inputs(self) -> dict[str, str]:
        """URI -> a hash of what the page is made from, for the pages that can be named without rendering them
        (the area pages, pageinputs.py): equal hashes, equal Markdown."""
        return area_page_inputs(self.written, self.lang, self.templates_dir, self.site_url)

    def _whole_section(self, area: Area, context: dict, linker: Linker) -> Markup:
        """One area of the whole report (whole_area.md.j2), taken from `sections` when it is made from the same
        inputs: what the area's page is made from, and the glossary terms already marked above it on the page (a
        term is marked where it first appears). Every section made is kept in `sections_made`, with the terms it
        marks: key -> [Markdown, terms]."""
        before = sorted(linker.marked)
        key = hashlib.sha256("\0".join([self.inputs[area_uri(area)], context["uri"], *before]).encode()).hexdigest()
        made = self.sections.get(key)
        if made is None:
            text = self.env.get_template("whole_area.md.j2").render(**context, area=area)
            made = [text, sorted(linker.marked - set(before))]
        else:
            linker.marked.update(made[1])
        self.sections_made[key] = made
        return Markup(made[0])

    def pages(self, skip: frozenset[str] | set[str] = frozenset()) -> dict[str, str]:
        """Every page: URI -> Markdown with HTML blocks. `skip`: URIs not to render (a check that needs only some)."""
        singles = {
            "index.md": lambda: self._render("home.md.j2", "index.md", areas=self.content.areas),
            "report.md": lambda: self._render("whole.md.j2", "report.md", areas=self.content.areas),
            "glossary.md": lambda: self._render("glossary.md.j2", "glossary.md", terms=self.content.glossary.terms),
            "about.md": lambda: self._render("about.md.j2", "about.md", derived=self.derived_metrics,
                                             reported=self.reported_metrics, downloads=self.downloads(),
                                             dataset_jsonld=self.dataset_jsonld("about.md"),
                                             dataset_citation=self.dataset_citation(), version=self.version),
            "revisions.md": lambda: self._render("revisions.md.j2", "revisions.md", entries=revisions.all_entries(
                self.content, self.lang, self.t, self.punct)),
        }
        out = {uri: render() for uri, render in singles.items() if uri not in skip}
        total = len(self.content.areas)
        for area in self.content.areas:
            if area_uri(area) not in skip:
                out[area_uri(area)] = self._render("area.md.j2", area_uri(area), area=area, total=total)
        return out

    @cached_property
    def version(self):
        """The git commit the content was built from (None outside a checkout): the about page names it."""
        content_dir = self.content.content_dir
        return content_version(content_dir) if content_dir is not None else None

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
                    **revisions.csv_cells(metric, self.lang, self.t, self.punct, self.prose.plain),
                })
        return rows

    #: the columns a converted edition's metrics.csv adds: the written originals beside the converted texts
    AS_PRINTED = ["label_as_printed", "printed_as_printed", "source_as_printed"]

    def _as_printed(self, metric: Metric) -> dict:
        """A converted edition's row keeps the written originals beside its converted label, figure and source."""
        source = language(self.lang).text_from
        if source is None:
            return {}
        written = self.written.metrics[metric.id]
        return {"label_as_printed": written.label[source], "printed_as_printed": format_metric(written, source),
                "source_as_printed": written.source}

    @property
    def columns(self) -> list[str]:
        """The columns of metrics.csv, in order (datapackage.COLUMNS types them)."""
        converted_columns = self.AS_PRINTED if language(self.lang).text_from is not None else []
        return ["id", "area", "area_title", "label", "value", "printed", "as_printed_in_source", "unit", "scale",
                "basis", "numerator", "denominator", "rounding", "source_zh", "url", *converted_columns,
                *revisions.CSV_COLUMNS]

    def package(self) -> dict:
        """The edition's Frictionless Data Package descriptor (datapackage.json)."""
        return package_descriptor(self.content, self.lang, self.t, self.prose.plain, self.columns)

    def files(self) -> dict[str, str | bytes]:
        rows = self.rows()
        # every cell through the one CSV escape (csv_text: formula injection); the JSON below keeps the exact values
        metrics_csv = csv_text(self.columns, rows)
        descriptor = descriptor_text(self.package())
        renderers = {lang: self.sibling(lang) for lang in LANGS}
        meta = {
            "title": self.prose.plain(self.content.report.title[self.lang]),
            "publication": self.content.report.publication[self.lang],
            "language": self.lang,
            # every revision of a figure, oldest first (the CSV has the latest one)
            "metrics": [{**row, "revisions": revisions.json_entries(self.content.metrics[row["id"]], self.lang,
                                                                    self.t, self.punct, self.prose.plain)}
                        for row in rows],
        }
        name = package_name(self.content, self.lang)
        files: dict[str, str | bytes] = {
            "data/metrics.csv": metrics_csv,
            "data/metrics.json": json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
            "data/datapackage.json": descriptor,
            f"data/{name}.zip": package_zip({
                f"{name}/datapackage.json": descriptor,
                f"{name}/metrics.csv": metrics_csv,
                f"{name}/README.md": package_readme(self.content, renderers),
                f"{name}/LICENSE.txt": licence_text(renderers),
            }),
        }
        for area in self.content.areas:
            files.update(self._chart_files(area))
        return files

    def _chart_files(self, area: Area) -> dict[str, str]:
        """The area's chart downloads (CSV, SVG, embed page), from `area_files` when the area's page is made from
        the same inputs (they are made from what it is made from); every one made is kept in `area_files_made`."""
        key = hashlib.sha256(f"{self.inputs[area_uri(area)]}\0chart files".encode()).hexdigest()
        made = self.area_files.get(key)
        if made is None:
            made = {}
            for view in self.charts(area):
                paths = self.chart_files(view)
                made[paths["csv"]] = csv_text(self.CHART_COLUMNS, self.chart_rows(view))
                made[paths["svg"]] = '<?xml version="1.0" encoding="UTF-8"?>\n' + str(view.svg()) + "\n"
                made[paths["embed"]] = self.chart_embed_page(view, area)
        self.area_files_made[key] = made
        return made

    def without_contents(self) -> set[str]:
        """Pages shown without a table of contents: the home page and the area pages (few headings each)."""
        return {"index.md", *(area_uri(a) for a in self.content.areas)}

    def page_uris(self) -> list[str]:
        """The page URIs `pages()` makes, without rendering them."""
        return ["index.md", "report.md", "glossary.md", "about.md", "revisions.md",
                *(area_uri(a) for a in self.content.areas)]

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
            {escape.theme(self.t("revisions")): "revisions.md"},
        ]


__all__ = ["SiteRenderer", "area_uri", "area_url", "to_root", "REF"]
