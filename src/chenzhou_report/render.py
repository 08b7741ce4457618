"""Content to pages: Jinja2 templates from templates/pages/ produce every page of one language.

`SiteRenderer(content, lang, templates_dir)` gives `pages()` (URI -> Markdown with HTML blocks, for the static site
generator), `files()` (data downloads), and `nav()` (the navigation as plain lists and dicts). `root_index()` gives
the page at the site's root that sends a reader to their language. Nothing here knows MkDocs.
"""

from __future__ import annotations

import csv
import io
import json
import re
from functools import cached_property
from pathlib import Path, PurePosixPath

from babel.dates import format_date
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import escape, figuregroups
from .charts import ChartView
from .citation import cite
from . import jsonld
from .csp import template_scripts, with_csp
from .datapackage import (descriptor_text, licence_text, package_descriptor, package_name, package_readme,
                          package_zip)
from .markup import Linker, ProseRenderer
from .model import LANGS, REF, Area, Content, Metric
from .numbers import format_metric, machine_value
from .provenance import content_version
from . import revisions

LOCALES = {"zh": "zh_CN", "en": "en"}
#: punctuation the templates put between their own words: full-width in Chinese
PUNCTUATION = {
    "zh": {"colon": "：", "comma": "，", "open": "（", "close": "）"},
    "en": {"colon": ": ", "comma": ", ", "open": " (", "close": ")"},
}
EMPTY_SITEMAP = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n</urlset>\n')
#: areas per navigation group; a flat nav of thousands of entries makes every page heavy
NAV_GROUP = 20
SENTENCE_END = {"zh": re.compile(r"(?<=[。！？；])"), "en": re.compile(r"(?<=[.!?;])\s+(?=\S)")}


def other_lang(lang: str) -> str:
    return "en" if lang == "zh" else "zh"


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


def csv_text(fieldnames: list[str], rows: list[dict]) -> str:
    """Every CSV the site writes goes through here (one place for the cell rules of CSV output)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fieldnames, lineterminator="\n")
    writer.writeheader()
    # every cell through the one CSV escape (a leading = + - @ would be read as a formula)
    writer.writerows({key: escape.csv_cell(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue()


class SiteRenderer:
    def __init__(self, content: Content, lang: str, templates_dir: Path | str, site_url: str | None = None):
        if lang not in LANGS:
            raise ValueError(f"unknown language {lang!r}")
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
            other=other_lang(lang),
            content=content,
            report=content.report,
            rounding_name=lambda r: self.t(f"rounding_{r}"),
            charts=self.charts,
            chart_active_title=self.chart_active_title,
            chart_subtitle=self.chart_subtitle,
            chart_files=self.chart_files,
            chart_embed_snippet=self.chart_embed_snippet,
            count=lambda n: format_decimal(n, locale=LOCALES[lang]),
            punct=PUNCTUATION[lang],
            cite_figure=self.cite_figure,
            permalink=self.permalink,
            package=package_name(content, lang),
            revision_notes=lambda m: revisions.entries(m, lang, self.t, PUNCTUATION[lang]),
            long_date=lambda day: format_date(day, format="long", locale=LOCALES[lang]),
            main_points=figuregroups.main_points, in_source_language=figuregroups.in_source_language(lang),
        )
        self._charts: dict[int, list[ChartView]] = {}
        self._siblings: dict[str, SiteRenderer] = {}

    @property
    def punct(self) -> dict:
        return PUNCTUATION[self.lang]

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

    def cite_chart(self, view: ChartView, area: Area) -> str:
        item = f"{self.prose.plain(area.title[self.lang])}{self.punct['colon']}{self.chart_active_title(view)}"
        return cite(self.content, self.lang, self.t, self.prose.plain, item,
                    self.permalink(f"{area_url(area)}#{view.dom_id}"))

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

    def sibling(self, lang: str) -> "SiteRenderer":
        """The renderer of another edition (for files that hold both languages)."""
        if lang == self.lang:
            return self
        if lang not in self._siblings:
            self._siblings[lang] = SiteRenderer(self.content, lang, self.templates_dir)
        return self._siblings[lang]

    def t(self, key: str) -> str:
        """An interface string, references printed."""
        return self.prose.plain(self.content.ui(key, self.lang))

    def figure(self, metric: Metric) -> Markup:
        value = Markup('<data data-metric="{}" value="{}">{}</data>').format(
            metric.id, machine_value(metric), format_metric(metric, self.lang))
        return value

    # -- charts others can reuse: an active title, a statistical subtitle, its CSV, its SVG, an embed page --
    def chart_active_title(self, view: ChartView) -> str:
        return self.prose.plain(view.chart.active_title[self.lang])

    def chart_subtitle(self, view: ChartView) -> str:
        """Unit, period and source of a chart, e.g. 'Unit: leads · Period: 2025 · Source: …'."""
        colon = self.punct["colon"]
        units = []
        for bar in view.bars:
            metric = bar.metric
            if metric.unit == "yuan":
                unit = self.t("unit_yuan")
            elif metric.unit == "percent":
                unit = "%"
            elif metric.counter and self.lang == "zh":
                unit = metric.counter.zh
            elif metric.counter and metric.counter.en:
                unit = metric.counter.en[1]
            else:
                unit = ""
            if unit and unit not in units:
                units.append(unit)
        sep = "、" if self.lang == "zh" else ", "
        year = self.t("chart_period_value")
        parts = [view.title,
                 f"{self.t('chart_unit')}{colon}{sep.join(units)}",
                 f"{self.t('chart_period')}{colon}{year}",
                 f"{self.t('chart_source')}{colon}{self.t('source_credit')}"]
        return " · ".join(parts)

    def chart_files(self, view: ChartView) -> dict[str, str]:
        """Paths (below the edition's root) of a chart's CSV, SVG and embed page: stable, named by the chart's id."""
        return {"csv": f"data/charts/{view.chart.id}.csv", "svg": f"data/charts/{view.chart.id}.svg",
                "embed": f"embed/{view.chart.id}.html"}

    def chart_rows(self, view: ChartView) -> list[dict]:
        area = self.content.metric_area[view.bars[0].metric.id]
        return [{"chart": view.chart.id, "item": bar.label, "id": bar.metric.id, "label": bar.metric.label[self.lang],
                 "value": bar.machine, "printed": bar.printed, "unit": bar.metric.unit,
                 "url": f"{area_url(area)}#{bar.metric.id}"} for bar in view.bars]

    CHART_COLUMNS = ["chart", "item", "id", "label", "value", "printed", "unit", "url"]

    def chart_embed_snippet(self, view: ChartView) -> str:
        """The <iframe> a reader copies to show the chart on their own page (text, shown inside <pre><code>)."""
        height = 220 + 46 * len(view.bars)
        # the snippet is text a reader pastes into HTML: its attribute values through the attribute escape
        src = escape.attribute(self.permalink(self.chart_files(view)["embed"]))
        title = escape.attribute(self.chart_active_title(view))
        return (f'<iframe src="{src}" title="{title}" width="{view.width + 40}" height="{height}" '
                f'style="border:0;max-width:100%" loading="lazy"></iframe>')

    def chart_embed_page(self, view: ChartView, area: Area) -> str:
        uri = self.chart_files(view)["embed"]
        page = self.env.get_template("embed.html.j2").render(
            view=view, area=area, root="../", chart_id=view.chart.id, citation=self.cite_chart(view, area),
            active_title=self.chart_active_title(view), subtitle=self.chart_subtitle(view)).lstrip()
        # a page MkDocs does not build: it gets the same Content-Security-Policy as every other page here
        return with_csp(page, self.page_scripts)

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
    def _render(self, template: str, uri: str, **context) -> str:
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

        return self.env.get_template(template).render(
            uri=uri, root=root, text=text, inline=inline, figure_groups=figure_groups, **context).lstrip()

    def pages(self) -> dict[str, str]:
        out = {
            "index.md": self._render("home.md.j2", "index.md", areas=self.content.areas),
            "report.md": self._render("whole.md.j2", "report.md", areas=self.content.areas),
            "glossary.md": self._render("glossary.md.j2", "glossary.md", terms=self.content.glossary.terms),
            "about.md": self._render("about.md.j2", "about.md", derived=self.derived_metrics,
                                     reported=self.reported_metrics, downloads=self.downloads(),
                                     dataset_jsonld=self.dataset_jsonld("about.md"),
                                     dataset_citation=self.dataset_citation(), version=self.version),
            "revisions.md": self._render("revisions.md.j2", "revisions.md", entries=revisions.all_entries(
                self.content, self.lang, self.t, self.punct)),
        }
        total = len(self.content.areas)
        for area in self.content.areas:
            out[area_uri(area)] = self._render("area.md.j2", area_uri(area), area=area, total=total)
        return out

    @cached_property
    def version(self):
        """The git commit the content was built from (None outside a checkout): the about page names it."""
        content_dir = getattr(self.content, "content_dir", None)
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
            pieces = [piece.strip() for piece in SENTENCE_END[self.lang].split(text)]
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
                    **revisions.csv_cells(metric, self.lang, self.t, self.punct, self.prose.plain),
                })
        return rows

    @property
    def columns(self) -> list[str]:
        """The columns of metrics.csv, in order (datapackage.COLUMNS types them)."""
        return ["id", "area", "area_title", "label", "value", "printed", "as_printed_in_source", "unit", "scale",
                "basis", "numerator", "denominator", "rounding", "source_zh", "url", *revisions.CSV_COLUMNS]

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
            for view in self.charts(area):
                paths = self.chart_files(view)
                files[paths["csv"]] = csv_text(self.CHART_COLUMNS, self.chart_rows(view))
                files[paths["svg"]] = '<?xml version="1.0" encoding="UTF-8"?>\n' + str(view.svg()) + "\n"
                files[paths["embed"]] = self.chart_embed_page(view, area)
        # Material's JavaScript fetches sitemap.xml next to the target of every <link rel="alternate"> (it expects
        # them to point at language roots); ours point at each page's counterpart, so each page folder gets one
        # (empty, like MkDocs' own without site_url) — otherwise every page logs a 404 in the console.
        for uri in self.page_uris():
            if uri != "index.md":
                files[f"{page_dir(uri)}/sitemap.xml"] = EMPTY_SITEMAP
        return files

    def page_uris(self) -> list[str]:
        """The page URIs `pages()` makes, without rendering them."""
        return ["index.md", "report.md", "glossary.md", "about.md", "revisions.md", *(area_uri(a) for a in self.content.areas)]

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


def root_index(content: Content, templates_dir: Path | str) -> str:
    """The site root: a short bilingual page that sends a reader to their language."""
    env = Environment(loader=FileSystemLoader(str(Path(templates_dir) / "pages")), autoescape=True,
                      undefined=StrictUndefined)
    titles = {lang: ProseRenderer(content, lang).plain(content.report.title[lang]) for lang in LANGS}
    names = {lang: content.ui("language_name", lang) for lang in LANGS}
    page = env.get_template("root.html.j2").render(titles=titles, names=names,
                                                   choose={l: content.ui("skip_language", l) for l in LANGS})
    return with_csp(page, template_scripts([Path(templates_dir) / "pages"]))


__all__ = ["SiteRenderer", "root_index", "area_uri", "area_url", "to_root", "REF"]
