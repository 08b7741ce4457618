"""Every chart reusable: an active title and a statistical subtitle, its data as CSV and its drawing as SVG at stable
URLs, a standalone embed page (no JavaScript, nothing from another host) and an <iframe> snippet to copy."""

from __future__ import annotations

import csv
import html
import io
import re
import xml.etree.ElementTree as etree
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from chenzhou_report.charts import SVG_NS
from chenzhou_report.model import LANGS
from chenzhou_report.numbers import format_metric, machine_value
from chenzhou_report.render import SiteRenderer

ROOT = Path(__file__).resolve().parent.parent


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of each <pre>, <h1> and <p>."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.texts: dict[str, list[str]] = {"pre": [], "h1": [], "p": []}
        self._open: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in self.texts:
            self.texts[tag].append("")
            self._open.append(tag)

    def handle_endtag(self, tag):
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data):
        for tag in self._open:
            self.texts[tag][-1] += data

    def attrs(self, tag: str) -> list[dict]:
        return [a for t, a in self.tags if t == tag]


def charts(content, lang):
    renderer = SiteRenderer(content, lang, ROOT / "templates")
    return renderer, [(area, view) for area in renderer.content.areas for view in renderer.charts(area)]


def foreign_references(page: str) -> list[str]:
    """Anything an HTML page would fetch or run from elsewhere: scripts, absolute URLs in src/href."""
    tags = Tags(page)
    found = [f"<script {a}>" for a in tags.attrs("script")]
    for tag, attrs in tags.tags:
        for name in ("src", "href", "srcset", "data"):
            value = attrs.get(name) or ""
            if re.match(r"^(https?:)?//", value):
                found.append(f"{tag} {name}={value}")
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_every_chart_has_its_csv_svg_and_embed_page(built_site, content, lang):
    renderer, views = charts(content, lang)
    assert len(views) >= 6
    for area, view in views:
        files = renderer.chart_files(view)
        assert files == {"csv": f"data/charts/{view.chart.id}.csv", "svg": f"data/charts/{view.chart.id}.svg",
                         "embed": f"embed/{view.chart.id}.html"}
        rows = list(csv.DictReader(io.StringIO((built_site / lang / files["csv"]).read_text(encoding="utf-8"))))
        assert [r["id"] for r in rows] == [b.metric.id for b in view.bars]
        for row, bar in zip(rows, view.bars):
            assert row["value"] == machine_value(bar.metric) and row["printed"] == format_metric(bar.metric, lang)
            assert row["item"] == bar.label and row["chart"] == view.chart.id
        svg = etree.fromstring((built_site / lang / files["svg"]).read_bytes())
        assert svg.tag == f"{{{SVG_NS}}}svg" and svg.get("role") == "img"
        assert svg.find(f"{{{SVG_NS}}}title").text == view.title

        page = (built_site / lang / files["embed"]).read_text(encoding="utf-8")
        assert foreign_references(page) == [], view.chart.id
        tags = Tags(page)
        assert tags.texts["h1"] == [renderer.chart_active_title(view)]
        [img] = tags.attrs("img")
        assert img["alt"] == view.description
        assert (built_site / lang / urlparse(urljoin(files["embed"], img["src"])).path).resolve() == \
            (built_site / lang / files["svg"]).resolve()
        assert renderer.chart_subtitle(view) in tags.texts["p"]


@pytest.mark.parametrize("lang", LANGS)
def test_area_page_offers_the_downloads_and_an_iframe_snippet_to_copy(built_site, content, lang):
    renderer, views = charts(content, lang)
    for area, view in views:
        page_rel = f"areas/{area.key}/"
        page = (built_site / lang / page_rel / "index.html").read_text(encoding="utf-8")
        tags = Tags(page)
        files = renderer.chart_files(view)
        hrefs = {urlparse(urljoin(page_rel, a.get("href", ""))).path for a in tags.attrs("a")}
        for path in files.values():
            assert path in hrefs, (page_rel, path)
        assert not [a for a in tags.attrs("iframe")], "the snippet is text, not a live iframe"
        [snippet] = [t for t in tags.texts["pre"] if files["embed"] in t]
        [iframe] = Tags(snippet).attrs("iframe")
        assert iframe["src"] == files["embed"] and iframe["title"] == html.unescape(renderer.chart_active_title(view))
        assert (built_site / lang / iframe["src"]).is_file()
        assert renderer.chart_active_title(view) in page
        subtitle = renderer.chart_subtitle(view)
        assert subtitle in html.unescape(page)
        for part in (renderer.t("chart_unit"), renderer.t("chart_period"), renderer.t("chart_source")):
            assert part in subtitle


def test_the_foreign_reference_test_can_fail(built_site, content):
    renderer, views = charts(content, "en")
    page = (built_site / "en" / renderer.chart_files(views[0][1])["embed"]).read_text(encoding="utf-8")
    doctored = page.replace("</body>", '<script src="https://cdn.example.com/x.js"></script></body>')
    doctored = doctored.replace('<img src="../', '<img src="//cdn.example.com/')
    assert len(foreign_references(doctored)) == 3


def test_active_titles_state_what_the_chart_shows_in_both_languages(content):
    for lang in LANGS:
        renderer, views = charts(content, lang)
        for _, view in views:
            active = renderer.chart_active_title(view)
            assert active and active != view.title
            # an active title is a sentence: its figures print as running text does (one to nine in English words)
            assert any(format_metric(m, lang, running_text=True) in active for m in content.metrics.values()), active
