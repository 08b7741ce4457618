"""Citations credit the producer first: the provincial circular (its issuer), as reported by Chenzhou Daily, then
this site as the processor, then the figure's permalink and a place for the date accessed; GB/T 7714 in Chinese,
APA-like in English."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from chenzhou_report.model import LANGS
from chenzhou_report.numbers import format_metric
from chenzhou_report.render import SiteRenderer, area_url

ROOT = Path(__file__).resolve().parent.parent
GB_T_7714 = ("[Z]//", "[N].", "[DB/OL].", "[引用日期].")
FORMAT = {"zh": GB_T_7714, "zh-hant": GB_T_7714, "en": ("({year}).", "[Data set].", "Retrieved [date accessed] from")}


def citation_problems(text: str, content, lang: str, renderer: SiteRenderer, permalink: str) -> list[str]:
    """What is wrong with one citation: credits out of order or missing, no permalink, not the edition's format."""
    report = renderer.content.report  # the edition's own wording (converted for the Traditional edition)
    credits = [report.issuer[lang], report.publication[lang], renderer.t("site_name")]
    places = [text.find(c) for c in credits]
    problems = [f"missing {c!r}" for c, at in zip(credits, places) if at < 0]
    if not problems and places != sorted(places):
        problems.append(f"credits out of order: {credits} at {places}")
    if not text.rstrip(".").endswith(permalink):
        problems.append(f"does not end with the permalink {permalink}")
    problems += [f"not {lang} format: {mark!r} missing" for mark in FORMAT[lang]
                 if mark.format(year=report.year) not in text]
    return problems


@pytest.mark.parametrize("lang", LANGS)
def test_every_figure_citation_credits_the_producer_then_the_processor(built_site, content, lang):
    renderer = SiteRenderer(content, lang, ROOT / "templates")
    for area in renderer.content.areas:  # as the edition words them
        page = (built_site / lang / area_url(area) / "index.html").read_text(encoding="utf-8")
        for metric in area.metrics:
            row = re.search(rf'<tr id="{metric.id}">(.*?)</tr>', page, re.S)
            cite = html.unescape(re.search(r'<small class="cite">.*?<cite>(.*?)</cite>', row.group(1), re.S).group(1))
            permalink = f"{area_url(area)}#{metric.id}"
            assert citation_problems(cite, content, lang, renderer, permalink) == [], cite
            assert format_metric(metric, lang) in cite and metric.label[lang] in cite


def test_permalinks_are_absolute_when_the_site_address_is_known(content):
    renderer = SiteRenderer(content, "en", ROOT / "templates", site_url="https://example.org/en")
    metric = content.metrics["wage_recovered"]
    assert renderer.cite_figure(metric).endswith("from https://example.org/en/areas/14-wage-arrears/#wage_recovered")


@pytest.mark.parametrize("lang", LANGS)
def test_the_check_fails_on_a_citation_that_credits_only_the_site(content, lang):
    renderer = SiteRenderer(content, lang, ROOT / "templates")
    metric = renderer.content.metrics["wage_recovered"]  # as the edition words it
    permalink = "areas/14-wage-arrears/#wage_recovered"
    good = renderer.cite_figure(metric)
    assert citation_problems(good, content, lang, renderer, permalink) == []
    # the citation as it was before: the newspaper and the site, no issuer, no date accessed
    old = f"{renderer.content.report.publication[lang]}, {renderer.t('site_name')}, {metric.label[lang]} ({permalink})"
    assert citation_problems(old, content, lang, renderer, permalink)
    # the producer named after the processor
    site, issuer = renderer.t("site_name"), renderer.content.report.issuer[lang]
    swapped = good.replace(issuer, "\0").replace(site, issuer).replace("\0", site)
    assert any("out of order" in p for p in citation_problems(swapped, content, lang, renderer, permalink))
