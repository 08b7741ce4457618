"""A page a reader can scan: each clause of the article once, above its figures; the citation and the Chinese
original folded; main points first — and nothing removed (every figure keeps its row, value, citation, clause)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from chenzhou_report.figuregroups import groups, in_source_language, main_points
from chenzhou_report.model import LANGS
from chenzhou_report.numbers import format_metric
from chenzhou_report.render import SiteRenderer, area_url

ROOT = Path(__file__).resolve().parent.parent


def wage(content):
    return next(a for a in content.areas if a.key == "14-wage-arrears")


def test_figures_are_grouped_by_clause_in_the_areas_order(content):
    found = groups(wage(content))
    assert [[m.id for m in g.metrics] for g in found] == [
        ["wage_platform_received", "wage_platform_resolved", "wage_platform_rate"],
        ["wage_referred_received", "wage_referred_resolved", "wage_referred_rate"],
        ["wage_complaints"], ["wage_workers", "wage_recovered"]]
    for area in content.areas:  # every figure in exactly one group, the area's order kept
        assert [m.id for g in groups(area) for m in g.metrics] == [m.id for m in area.metrics]


def test_clauses_one_translated_sentence_states_together_are_one_group(content):
    en = SiteRenderer(content, "en", ROOT / "templates")
    area = wage(content)
    found = groups(area, lambda m: str(en.context_sentence(area, m)))
    # 954 complaints and 6707 workers / 66.65 million yuan are one English sentence: shown once, two clauses
    assert [len(g.sources) for g in found] == [1, 1, 2]
    assert [len(g.sentences) for g in found] == [1, 1, 1]


def test_main_points_lead_with_the_headline_then_each_clauses_result(content):
    assert [m.id for m in main_points(wage(content))] == [
        "wage_platform_rate", "wage_referred_rate", "wage_complaints", "wage_recovered"]
    assert all(main_points(a) == [] for a in content.areas if not a.metrics)


@pytest.mark.parametrize("lang", LANGS)
def test_each_clause_is_shown_once_and_nothing_is_removed(built_site, content, lang):
    renderer = SiteRenderer(content, lang, ROOT / "templates")
    for area in renderer.content.areas:  # as the edition words them
        page = (built_site / lang / area_url(area) / "index.html").read_text(encoding="utf-8")
        text = html.unescape(page)
        for source in {m.source for m in area.metrics}:
            quoted = f'<q class="figure-context">{source}</q>' if in_source_language(lang) else f'<q lang="zh">{source}</q>'
            assert text.count(quoted) == 1, (lang, area.key, source)
        for metric in area.metrics:
            row = re.search(rf'<tr id="{metric.id}">(.*?)</tr>', page, re.S).group(1)
            assert format_metric(metric, lang) in html.unescape(row)
            # the citation is there, folded: inside a <details> of the row
            fold = re.search(r'<details class="cite-fold">(.*?)</details>', row, re.S).group(1)
            assert html.unescape(re.search(r"<cite>(.*?)</cite>", fold, re.S).group(1)) == renderer.cite_figure(metric)
            if not in_source_language(lang):  # the sentence stating it, in English, above the figures of its clause
                sentence = re.sub(r"<[^>]+>", "", str(renderer.context_sentence(area, metric, "../../")))
                assert html.unescape(sentence) in re.sub(r"<[^>]+>", "", text)
        if area.metrics:
            points = page.split('id="main-points"')[1].split('id="narrative"')[0]
            assert all(f'href="#{m.id}"' in points for m in main_points(area))
            assert page.index('id="main-points"') < page.index('id="narrative"')


def test_the_original_chinese_is_folded_on_the_english_page(built_site):
    page = (built_site / "en/areas/14-wage-arrears/index.html").read_text(encoding="utf-8")
    folds = re.findall(r'<details class="figure-original"><summary>Original Chinese</summary>(.*?)</details>', page,
                       re.S)
    assert len(folds) == 3 and sum(f.count('<q lang="zh">') for f in folds) == 4
