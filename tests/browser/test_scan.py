"""The wage-arrears page on a phone (390 px): at most two thirds of its height before the figures were grouped by
clause, with nothing removed — every figure, citation, clause and Chinese original still in the page (folded ones
inside <details>) — and no axe violation with every fold open. Heights, not times: nothing here is timed."""

from __future__ import annotations

import pytest

from chenzhou_report.model import load_content
from chenzhou_report.render import SiteRenderer

from kit import PHONE, ROOT, axe_violations

#: the page's height at 390 px before the figures were grouped (branch i13-data at 60b618f, 2026-12-03: one source
#: sentence, Chinese original and citation under each of nine figures), measured with this test's browser
BEFORE = {"zh": 4441, "en": 7035}
PATH = "areas/14-wage-arrears/"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_wage_arrears_page_is_two_thirds_of_its_former_height(open_page, lang):
    page = open_page(f"{lang}/{PATH}", width=PHONE, height=844).page
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height <= BEFORE[lang] * 2 / 3, f"{lang}: {height} px, more than 2/3 of {BEFORE[lang]} px"
    # nothing removed: each figure's printed value, label and citation, and each clause, are in the page
    content = load_content(ROOT / "content", ROOT)
    renderer = SiteRenderer(content, lang, ROOT / "templates")
    area = next(a for a in content.areas if a.key == "14-wage-arrears")
    text = page.evaluate("() => document.querySelector('article').textContent")
    for metric in area.metrics:
        assert renderer.printed(metric) in text and metric.label[lang] in text
        assert renderer.cite_figure(metric) in text
        assert metric.source in text
    # folded, not hidden for good: opening every <details> shows its text, and the page stays accessible
    folded = page.locator("details.cite-fold, details.figure-original")
    assert folded.count() >= len(area.metrics)
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    first = page.locator("details.cite-fold cite").first
    assert first.is_visible() and first.bounding_box()["height"] > 0
    assert axe_violations(page) == []


def test_folds_open_without_javascript(open_page):
    page = open_page(f"en/{PATH}", width=PHONE, javascript=False).page
    summary = page.locator("details.cite-fold > summary").first
    cite = page.locator("details.cite-fold cite").first
    assert not cite.is_visible()
    summary.click()
    assert cite.is_visible()


def test_nothing_is_folded_on_paper(open_page):
    """Printed, the area page shows every citation and Chinese original, without the toggles."""
    page = open_page(f"en/{PATH}", width=PHONE).page
    page.emulate_media(media="print")
    cites = page.locator("details.cite-fold cite")
    assert cites.count() == 9 and all(cites.nth(i).is_visible() for i in range(cites.count()))
    assert page.locator("details.figure-original q").first.is_visible()
    assert not page.locator("details.cite-fold > summary").first.is_visible()
