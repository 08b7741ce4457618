"""Charts: the content model's `charts:`, and the SVG pygal draws from it (clean, accessible, true to the figures)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from decimal import Decimal

import pytest

from chenzhou_report.charts import SVG_NS, ChartView
from chenzhou_report.errors import ContentError
from chenzhou_report.markup import ProseRenderer
from chenzhou_report.model import LANGS
from chenzhou_report.numbers import format_metric

NS = {"svg": SVG_NS}


def views(content, lang):
    plain = ProseRenderer(content, lang).plain
    return [ChartView.build(chart, content, lang, plain, "intro: ") for area in content.areas for chart in area.charts]


def all_views(content):
    return [(lang, view) for lang in LANGS for view in views(content, lang)]


def parse(svg: str) -> etree.Element:
    return etree.fromstring(svg)


def test_the_report_has_charts_where_figures_compare(content):
    charted = {area.key: [c.id for c in area.charts] for area in content.areas if area.charts}
    assert "14-wage-arrears" in charted and "04-regional-strategy" in charted
    wage = next(a for a in content.areas if a.key == "14-wage-arrears")
    bars = [[b.metric for b in chart.bars] for chart in wage.charts]
    assert ["wage_platform_received", "wage_platform_resolved"] in bars


def test_svg_asks_nothing_of_another_host_and_runs_nothing(content):
    for lang, view in all_views(content):
        svg = str(view.svg())
        assert "<script" not in svg and "xlink:href" not in svg and "href=" not in svg, view.chart.id
        assert re.findall(r"https?://[^\s\"'<>]+", svg) == [SVG_NS], view.chart.id  # only the namespace name
        assert "<!--" not in svg and "\n" not in svg  # no dated comment; one line for the Markdown page


def test_svg_is_the_same_on_every_build(content):
    first = [str(view.svg()) for _, view in all_views(content)]
    second = [str(view.svg()) for _, view in all_views(content)]
    assert first == second
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-", "".join(first)), "pygal's random id is left"


def test_svg_is_an_image_named_by_its_title_and_described_by_its_figures(content):
    for lang, view in all_views(content):
        root = parse(str(view.svg()))
        assert root.get("role") == "img"
        title_id, desc_id = root.get("aria-labelledby").split()
        title = root.find(f"svg:title[@id='{title_id}']", NS)
        desc = root.find(f"svg:desc[@id='{desc_id}']", NS)
        assert title is not None and title.text == view.title
        assert desc is not None and desc.text.startswith("intro: ")
        for bar in view.bars:
            assert f"{bar.label}" in desc.text and bar.printed in desc.text
        assert root.get("id") == f"{view.dom_id}-svg"
        assert view.dom_id in root.find("svg:defs/svg:style", NS).text  # pygal's CSS is scoped to our id


def _bars(root):
    """(y, width) of each bar's rectangle, and the printed values, as drawn."""
    rects = [(float(r.get("y")), float(r.get("width"))) for r in root.iterfind(".//svg:g[@class='bar']/svg:rect", NS)]
    values = [t.text for t in root.iterfind(".//svg:text", NS) if "value" in (t.get("class") or "").split()]
    return rects, values


def test_every_bar_prints_the_figure_the_prose_prints_and_reads_top_down(content):
    for lang, view in all_views(content):
        root = parse(str(view.svg()))
        rects, values = _bars(root)
        assert len(rects) == len(view.bars)
        assert sorted(values) == sorted(format_metric(b.metric, lang) for b in view.bars)
        # pygal draws the first value at the bottom; the chart reverses them so the first declared bar is on top
        top_down = [w for _, w in sorted(rects)]
        drawn = list(reversed([w for _, w in rects]))
        assert top_down == drawn
        labels = [t.text for t in root.iterfind(".//svg:g[@class='guides']/svg:text", NS)]
        assert list(reversed(labels)) == [b.label for b in view.bars]


def test_bar_lengths_are_proportional_to_the_exact_values(content):
    for lang, view in all_views(content):
        rects, _ = _bars(parse(str(view.svg())))
        widths = list(reversed([w for _, w in rects]))  # back to declaration order
        values = [b.value for b in view.bars]
        biggest = max(values)
        for width, value in zip(widths, values):
            expected = Decimal(str(max(widths))) * value / biggest
            assert abs(Decimal(str(width)) - expected) < Decimal("0.5"), (view.chart.id, width, value)


def test_a_doctored_value_would_be_caught(content):
    """The proportionality test can fail: a bar drawn from a wrong number is off."""
    view = views(content, "en")[0]
    bars = list(view.bars)
    bars[0] = type(bars[0])(bars[0].metric, bars[0].label, bars[0].printed, bars[0].value * 2)
    doctored = type(view)(view.chart, view.lang, view.title, view.description, tuple(bars))
    rects, _ = _bars(parse(str(doctored.svg())))
    widths = list(reversed([w for _, w in rects]))
    ratio = Decimal(str(widths[0])) / Decimal(str(widths[1]))
    assert abs(ratio - view.bars[0].value / view.bars[1].value) > Decimal("0.1")


def test_labels_and_values_fit_inside_the_drawing(content):
    """Chinese labels are a full em per character (pygal guesses 0.6): the margin makes room for them."""
    from chenzhou_report.charts import MIN_BAR, _text_width

    for lang, view in all_views(content):
        root = parse(str(view.svg()))
        plot = root.find(".//svg:g[@class='plot']", NS)
        offset = float(re.match(r"translate\(([\d.]+)", plot.get("transform")).group(1))
        for text in root.iterfind(".//svg:g[@class='guides']/svg:text", NS):
            assert offset + float(text.get("x")) - _text_width(text.text) >= -1, (view.chart.id, text.text)
        for text in root.iterfind(".//svg:text", NS):
            if "value" in (text.get("class") or "").split():
                assert offset + float(text.get("x")) + _text_width(text.text) <= view.width + 1, (view.chart.id, text.text)
        rects, _ = _bars(root)
        assert max(w for _, w in rects) >= MIN_BAR - 1, view.chart.id  # the longest bar is long enough to compare


# --- the content model ---------------------------------------------------------------------------------------

WAGE = "content/areas/14-wage-arrears.yaml"


def _break(project, old: str, new: str) -> list[str]:
    path = project.root / WAGE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        project.load()
    return [str(p) for p in caught.value.problems]


def _line(project, marker: str) -> int:
    text = (project.root / WAGE).read_text(encoding="utf-8")
    return text[: text.index(marker)].count("\n") + 1


def test_a_bar_from_another_area_is_refused_with_its_place(project_copy):
    problems = _break(project_copy, "      - metric: wage_referred_resolved", "      - metric: region_fochen_projects")
    line = _line(project_copy, "region_fochen_projects")
    assert any(p.startswith(f"{WAGE}:{line}:") and "'region_fochen_projects' is not a metric of this area" in p
               and "its own area" in p for p in problems), problems


def test_an_unknown_bar_gets_a_suggestion(project_copy):
    problems = _break(project_copy, "      - metric: wage_referred_resolved", "      - metric: wage_referred_resolvd")
    assert any("did you mean 'wage_referred_resolved'" in p for p in problems), problems


def test_a_rank_cannot_be_a_bar_and_units_cannot_mix(project_copy):
    path = project_copy.root / "content/areas/04-regional-strategy.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("      - metric: region_fochen_visits", "      - metric: region_gba_bases_rank", 1)
                    .replace("      - metric: region_xianggan_projects", "      - metric: region_xianggan_investment", 1),
                    encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        project_copy.load()
    problems = [str(p) for p in caught.value.problems]
    assert any("'region_gba_bases_rank' is a rank" in p for p in problems), problems
    assert any("bars of one chart need one unit" in p and "split them into two charts" in p for p in problems), problems


def test_a_chart_id_may_not_repeat_a_metric_id(project_copy):
    problems = _break(project_copy, "  - id: wage_referred_leads", "  - id: wage_complaints")
    assert any("chart id 'wage_complaints' is already used" in p for p in problems), problems


def test_a_chart_needs_two_bars_and_both_languages(project_copy):
    problems = _break(project_copy, "      - metric: wage_platform_resolved\n        label: {zh: 办结, en: Resolved}\n", "")
    assert any("'bars'" in p or "bars" in p for p in problems), problems


def test_a_chart_is_drawn_once_for_both_pages_that_show_it(content, monkeypatch):
    """The area page and the whole report show the same drawing; the second asks pygal for nothing."""
    from chenzhou_report import charts
    from chenzhou_report.markup import ProseRenderer

    chart = next(c for a in content.areas for c in a.charts)
    plain = ProseRenderer(content, "en").plain
    monkeypatch.setattr(charts, "_DRAWINGS", {})
    first = charts.ChartView.build(chart, content, "en", plain, "Chart: ")
    svg = first.svg()
    calls = []
    original = charts.ChartView._layout
    monkeypatch.setattr(charts.ChartView, "_layout", lambda self: calls.append(self) or original(self))
    second = charts.ChartView.build(chart, content, "en", plain, "Chart: ")
    assert second.svg() == svg and second.width == first.width and calls == []
    changed = charts.ChartView.build(chart, content, "en", plain, "Another description: ")
    assert "Another description: " in changed.svg() and len(calls) == 1  # a different input is drawn anew


def test_a_drawing_kept_on_disk_is_not_drawn_again_by_the_next_build(content, monkeypatch, tmp_path):
    """A build process keeps its drawings in the cache (build.py: .cache/charts); the next process reads them; a full
    build draws again; a damaged file is drawn again."""
    from chenzhou_report import charts
    from chenzhou_report.markup import ProseRenderer

    chart = next(c for a in content.areas for c in a.charts)
    plain = ProseRenderer(content, "en").plain
    monkeypatch.setattr(charts, "_DISK", None)  # restored after the test, with what follows
    monkeypatch.setattr(charts, "_DISK_READ", True)

    def drawn_by_a_new_process() -> str:
        monkeypatch.setattr(charts, "_DRAWINGS", {})
        return charts.ChartView.build(chart, content, "en", plain, "Chart: ").svg()

    charts.keep_drawings(tmp_path)
    svg = drawn_by_a_new_process()
    assert len(list(tmp_path.glob("*.json"))) == 1
    calls = []
    original = charts.ChartView._layout
    monkeypatch.setattr(charts.ChartView, "_layout", lambda self: calls.append(self) or original(self))
    assert drawn_by_a_new_process() == svg and calls == []
    charts.keep_drawings(tmp_path, read=False)
    assert drawn_by_a_new_process() == svg and len(calls) == 1
    for kept in tmp_path.glob("*.json"):
        kept.write_text("[1, ", encoding="utf-8")
    charts.keep_drawings(tmp_path)
    assert drawn_by_a_new_process() == svg and len(calls) == 2
