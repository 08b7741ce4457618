"""The reader's pages as built: metadata for sharing and search engines, charts and their tables, the home page,
and every figure the same in prose, tables, charts and downloads."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest

from chenzhou_report.markup import ProseRenderer
from chenzhou_report.languages import language, others
from chenzhou_report.model import LANGS
from chenzhou_report.numbers import format_metric, machine_value
from chenzhou_report.render import SiteRenderer, area_url

ROOT = Path(__file__).resolve().parent.parent
OTHER = {lang: others(lang) for lang in LANGS}


class Page(HTMLParser):
    """What the tests read from a built page: head links and metas, <data> elements, chart texts, titles."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.links: list[dict] = []
        self.metas: list[dict] = []
        self.title = ""
        #: (metric id, value, text, enclosing classes, enclosing tags)
        self.data: list[tuple[str, str, str, tuple, tuple]] = []
        self.svg_values: dict[str, list[str]] = defaultdict(list)  # chart dom id -> printed values in its SVG
        self.ids: set[str] = set()
        self._stack: list[tuple[str, dict]] = []
        self._in_title = False
        self._data: list | None = None
        self._svg_value: str | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "link":
            self.links.append(attrs)
            return
        if tag == "meta":
            self.metas.append(attrs)
            return
        self._stack.append((tag, attrs))
        if tag == "title" and not any(t == "svg" for t, _ in self._stack[:-1]):
            self._in_title = True
        if tag == "data":
            self._data = [attrs.get("data-metric"), attrs.get("value"), "",
                          tuple(a.get("class", "") for _, a in self._stack), tuple(t for t, _ in self._stack)]
        if tag == "text" and "value" in attrs.get("class", "").split():
            figure = next((a["id"] for t, a in reversed(self._stack) if t == "figure"), None)
            self._svg_value = figure

    def handle_endtag(self, tag):
        while self._stack:
            top, _ = self._stack.pop()
            if top == tag:
                break
        if tag == "title":
            self._in_title = False
        if tag == "data" and self._data:
            self.data.append(tuple(self._data))
            self._data = None
        if tag == "text":
            self._svg_value = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._data is not None:
            self._data[2] += data
        if self._svg_value:
            self.svg_values[self._svg_value].append(data)

    def meta(self, **match) -> str | None:
        for meta in self.metas:
            if all(meta.get(k) == v for k, v in match.items()):
                return meta.get("content")
        return None


def page_paths(content, lang) -> list[str]:
    renderer = SiteRenderer(content, lang, ROOT / "templates")
    return ["" if uri == "index.md" else uri[:-3] + "/" for uri in renderer.page_uris()]


@pytest.fixture(scope="module")
def pages(built_site, content) -> dict[tuple[str, str], Page]:
    out = {}
    for lang in LANGS:
        for path in page_paths(content, lang):
            out[lang, path] = Page((built_site / lang / path / "index.html").read_text(encoding="utf-8"))
    return out


def test_page_uris_are_the_pages_made(content):
    for lang in LANGS:
        assert SiteRenderer(content, lang, ROOT / "templates").page_uris() == \
            list(SiteRenderer(content, lang, ROOT / "templates").pages())


def test_every_page_declares_every_edition_a_description_and_a_share_title(pages):
    for (lang, path), page in pages.items():
        alternates = {link["hreflang"]: link["href"] for link in page.links
                      if link.get("rel") == "alternate" and link.get("hreflang")}
        assert set(alternates) == {"zh-Hans", "zh-Hant", "en"}, (lang, path)
        for other in OTHER[lang]:
            counterpart = alternates[language(other).hreflang]
            assert counterpart.endswith(f"../{other}/{path}"), (lang, path, counterpart)
        assert page.meta(name="description"), (lang, path)
        assert page.meta(property="og:title"), (lang, path)
        assert page.meta(property="og:locale") == {"zh": "zh_CN", "en": "en_US", "zh-hant": "zh_HK"}[lang]


def test_titles_and_descriptions_with_quotes_survive_the_theme(pages, content):
    """The theme prints page.meta unescaped; an English title with quotes ("Five Good") must stay whole."""
    area = next(a for a in content.areas if '"' in a.title.en)
    page = pages["en", f"areas/{area.key}/"]
    en = ProseRenderer(content, "en")
    title = en.plain(area.title.en)
    assert page.title.startswith(title + " - ")
    assert page.meta(property="og:title").startswith(title)
    assert page.meta(name="description") == en.plain(area.paragraphs[0].en)[:150]


def test_front_matter_is_escaped_yaml(content):
    """The filter behind it: a title with quotes, a colon and markup comes out as a quoted, HTML-escaped string."""
    renderer = SiteRenderer(content, "en", ROOT / "templates")
    escaped = renderer.env.filters["yaml_str"]('A "quoted": <b>x</b> & y')
    assert str(escaped) == '"A &#34;quoted&#34;: &lt;b&gt;x&lt;/b&gt; &amp; y"'


def test_every_figure_is_the_same_in_prose_tables_charts_and_downloads(pages, built_site, content):
    for lang in LANGS:
        rows = {r["id"]: r for r in csv.DictReader(io.StringIO(
            (built_site / lang / "data" / "metrics.csv").read_text(encoding="utf-8")))}
        records = {r["id"]: r for r in json.loads(
            (built_site / lang / "data" / "metrics.json").read_text(encoding="utf-8"))["metrics"]}
        for area in content.areas:
            page = pages[lang, f"areas/{area.key}/"]
            seen = defaultdict(set)
            for metric_id, value, text, classes, tags in page.data:
                # running text (a paragraph, a definition, the context sentence of a figure) prints one to nine in
                # words in English; tables, cards and lists print the figure
                running = bool({"p", "dd"} & set(tags)) or any("figure-context" in c.split() for c in classes)
                seen[metric_id].add((value, text, running))
            for metric in area.metrics:
                expected = (machine_value(metric), format_metric(metric, lang))
                in_prose = (machine_value(metric), format_metric(metric, lang, running_text=True), True)
                assert (*expected, False) in seen[metric.id], (lang, area.key, metric.id, seen[metric.id])
                assert seen[metric.id] <= {(*expected, False), in_prose}, (lang, area.key, metric.id, seen[metric.id])
                assert (rows[metric.id]["value"], rows[metric.id]["printed"]) == expected
                assert (records[metric.id]["value"], records[metric.id]["printed"]) == expected
            for chart in area.charts:
                dom_id = "chart-" + chart.id.replace("_", "-")
                printed = sorted(format_metric(content.metrics[b.metric], lang) for b in chart.bars)
                assert sorted(page.svg_values[dom_id]) == printed, (lang, chart.id)


def test_each_chart_has_its_table_in_the_page(pages, content):
    for lang in LANGS:
        for area in content.areas:
            page = pages[lang, f"areas/{area.key}/"]
            for chart in area.charts:
                dom_id = "chart-" + chart.id.replace("_", "-")
                assert {dom_id, f"{dom_id}-svg", f"{dom_id}-title", f"{dom_id}-desc"} <= page.ids
                in_table = {m for m, _, _, classes, _ in page.data if any("chart__table" in c for c in classes)}
                assert {b.metric for b in chart.bars} <= in_table, (lang, chart.id)


def test_the_whole_report_carries_the_charts_and_links_to_their_figures(pages, built_site, content):
    for lang in LANGS:
        text = (built_site / lang / "report" / "index.html").read_text(encoding="utf-8")
        for area in content.areas:
            for chart in area.charts:
                assert text.count(f'id="chart-{chart.id.replace("_", "-")}"') == 1
                for bar in chart.bars:
                    assert f'href="../{area_url(area)}#{bar.metric}"' in text
                    assert bar.metric in pages[lang, f"areas/{area.key}/"].ids  # the anchor exists


def test_key_figures_have_a_permalink_and_a_citation(built_site, content):
    for lang in LANGS:
        for area in content.areas:
            text = (built_site / lang / "areas" / area.key / "index.html").read_text(encoding="utf-8")
            for metric in area.metrics:
                row = re.search(rf'<tr id="{metric.id}">(.*?)</tr>', text, re.S)
                assert row, (lang, metric.id)
                assert f'href="#{metric.id}"' in row.group(1)
                cite = re.search(r'<small class="cite">(.*?)</small>', row.group(1), re.S).group(1)
                assert format_metric(metric, lang) in cite and f"#{metric.id}" in cite


def test_english_context_of_a_clause_is_marked_as_cut(content):
    en = SiteRenderer(content, "en", ROOT / "templates")
    area = next(a for a in content.areas if a.key == "14-wage-arrears")
    referred = str(en.context_sentence(area, content.metrics["wage_referred_received"]))
    assert referred.startswith("…it received") and referred.endswith("98.85%</data>.")
    first = str(en.context_sentence(area, content.metrics["wage_platform_received"]))
    assert first.startswith("Over the year") and first.endswith("…")


def test_home_page_at_a_glance(pages, content):
    for lang in LANGS:
        home = pages[lang, ""]
        cards = [m for m, _, _, classes, _ in home.data if any("area-card" in c for c in classes)]
        assert cards == [a.headline for a in content.areas if a.headline]


def test_glance_counts_are_the_content(built_site, content):
    zh = (built_site / "zh" / "index.html").read_text(encoding="utf-8")
    en = (built_site / "en" / "index.html").read_text(encoding="utf-8")
    for text in (zh, en):
        glance = re.search(r'<ul class="glance".*?</ul>', text, re.S).group(0)
        counts = [int(n.replace(",", "")) for n in re.findall(r"<strong>([\d,]+)</strong>", glance)]
        assert counts == [len(content.areas), len(content.metrics), len(content.glossary.terms)]


def test_a_sitemap_beside_every_page_for_the_theme_script(built_site, content):
    """Material fetches sitemap.xml next to each <link rel=alternate> target; none may answer 404."""
    for lang in LANGS:
        for path in page_paths(content, lang):
            assert (built_site / lang / path / "sitemap.xml").is_file(), (lang, path)


def test_print_stylesheet_hides_the_screen_chrome(project_root):
    css = (project_root / "templates" / "static" / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    block = css[css.index("@media print"):]
    for selector in (".md-header", ".md-sidebar", ".md-footer", ".downloads", "details.chart__table", ".lang-switch"):
        assert selector in block
    assert "@page" in block


def test_glossary_marks_official_renderings_with_their_source(content):
    """A term is called official only where the glossary data names a source; every other term says it is the
    site's own rendering."""
    from markupsafe import escape

    official = [t for t in content.glossary.terms if t.official]
    assert official and len(official) < len(content.glossary.terms)
    for lang in LANGS:
        renderer = SiteRenderer(content, lang, ROOT / "templates")
        page = renderer.pages()["glossary.md"]
        for term in renderer.content.glossary.terms:  # as the edition words them
            entry = page.split(f'<dt id="{term.id.replace("_", "-")}">')[1].split("<dt ")[0]
            if term.official:
                assert "glossary-rendering--official" in entry and "glossary-rendering--own" not in entry, term.id
                assert renderer.t("rendering_official") in entry, term.id
                assert str(escape(renderer.prose.plain(term.official.source[lang]))) in entry, term.id
                if term.official.date:
                    assert f'<time datetime="{term.official.date}">{term.official.date}</time>' in entry, term.id
            else:
                assert "glossary-rendering--own" in entry and "glossary-rendering--official" not in entry, term.id
                assert str(escape(renderer.t("rendering_own"))) in entry, term.id


def test_an_edited_template_is_rendered_anew_in_the_same_process(project_copy, content):
    """Templates are compiled once per process (templatecache.PAGES); an edit is compiled again, as the preview needs."""
    before = SiteRenderer(content, "en", project_copy.templates_dir).pages()["about.md"]
    template = project_copy.templates_dir / "pages" / "about.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\nEdited after the first render.\n", encoding="utf-8")
    after = SiteRenderer(content, "en", project_copy.templates_dir).pages()["about.md"]
    assert "Edited after the first render." not in before and "Edited after the first render." in after


def test_compiled_templates_kept_on_disk_are_loaded_by_the_next_process_and_checked(tmp_path):
    """templatecache keeps compiled code in the build's cache; a new process (a new cache object) loads it instead of
    compiling, a changed template is compiled again, and `read=False` (a full build) compiles afresh."""
    import jinja2

    from chenzhou_report.templatecache import CompiledTemplates

    sources = {"t": "{{ x }}!"}
    compiled_calls = []

    class Counting(jinja2.Environment):
        def compile(self, *args, **kwargs):
            compiled_calls.append(args[0])
            return super().compile(*args, **kwargs)

    def render(read: bool = True) -> str:
        cache = CompiledTemplates()  # as in a new process
        cache.keep_on_disk(tmp_path / "jinja", read=read)
        return Counting(loader=jinja2.DictLoader(sources), bytecode_cache=cache).get_template("t").render(x=1)

    assert render() == "1!" and len(compiled_calls) == 1 and len(list((tmp_path / "jinja").iterdir())) == 1
    assert render() == "1!" and len(compiled_calls) == 1  # loaded, not compiled
    sources["t"] = "{{ x }}?"
    assert render() == "1?" and len(compiled_calls) == 2  # the checksum differs: compiled again
    assert render(read=False) == "1?" and len(compiled_calls) == 3
    for kept in (tmp_path / "jinja").iterdir():
        kept.write_bytes(b"not Jinja's")
    assert render() == "1?" and len(compiled_calls) == 4  # a damaged file is compiled again
