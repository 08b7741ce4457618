"""The embed pages in a real browser: no JavaScript anywhere, nothing from another host, zero axe violations,
the chart drawn from its own SVG file."""

from __future__ import annotations

import pytest

from kit import ROOT, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.site]


def embed_paths() -> list[str]:
    from chenzhou_report.model import LANGS, load_content
    from chenzhou_report.render import SiteRenderer

    content = load_content(ROOT / "content", ROOT)
    out = []
    for lang in LANGS:
        renderer = SiteRenderer(content, lang, ROOT / "templates")
        out += [f"{lang}/{renderer.chart_files(view)['embed']}" for area in content.areas
                for view in renderer.charts(area)]
    return out


@pytest.mark.parametrize("path", embed_paths())
def test_embed_page_stands_alone(open_page, path):
    opened = open_page(path, width=600)
    page = opened.page
    assert page.locator("script").count() == 0
    assert axe_violations(page) == [], path
    page.wait_for_load_state("networkidle")
    assert opened.watch.foreign == [] and opened.watch.errors == [], opened.watch
    image = page.locator("figure img")
    assert image.evaluate("img => img.complete && img.naturalWidth > 200"), "the SVG did not load"
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
