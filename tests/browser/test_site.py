"""The reader's site in a real browser: accessibility, privacy, language switch, search, charts, print, layout."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from chenzhou_report.languages import CONVERTED, LANGS, language, others
from chenzhou_report.render import content_of
from kit import DESKTOP, PAGES, PHONE, axe_violations
from kit import search as _search

pytestmark = [pytest.mark.browser, pytest.mark.site]

HANT = CONVERTED[0]
PAGE_IDS = [f"{lang}:{path or 'home'}" for lang, path in PAGES]


@pytest.mark.parametrize("lang,path", PAGES, ids=PAGE_IDS)
def test_page_is_accessible_private_and_error_free(open_page, lang, path):
    """axe-core WCAG 2.1 A/AA: no violation; no request to any other host; no console error."""
    opened = open_page(f"{lang}/{path}")
    page = opened.page
    assert page.locator("html").get_attribute("lang") == language(lang).tag
    violations = axe_violations(page)
    assert violations == [], f"{lang}/{path}: axe found {violations}"
    page.wait_for_load_state("networkidle")
    assert opened.watch.foreign == [], f"{lang}/{path} asked other hosts: {opened.watch.foreign}"
    assert opened.watch.errors == [], f"{lang}/{path}: {opened.watch.errors}"


def test_the_root_page_too(open_page):
    """The language chooser at the site's root passes the same checks."""
    opened = open_page("")
    assert axe_violations(opened.page) == []
    opened.page.wait_for_load_state("networkidle")
    assert opened.watch.foreign == [] and opened.watch.errors == [], opened.watch


def test_the_checks_can_fail(open_page, site_url):
    """A page made worse on purpose: a request to another host, a console error and an unlabelled image are caught."""
    opened = open_page("en/")
    page = opened.page
    page.evaluate("""() => {
        const img = document.createElement('img');
        img.src = 'https://example.com/pixel.png';
        document.querySelector('article').appendChild(img);
        console.error('broken on purpose');
    }""")
    page.wait_for_load_state("networkidle")
    assert any("example.com" in url for url in opened.watch.foreign)
    assert any("broken on purpose" in error for error in opened.watch.errors)
    assert "image-alt" in {v["id"] for v in axe_violations(page)}


@pytest.mark.parametrize("lang,path", PAGES, ids=PAGE_IDS)
def test_language_switch_keeps_the_page(open_page, site_url, lang, path):
    """Clicking the switch to each other edition opens the same page there; its switch leads back here (a plain
    link: it works without JavaScript, which is off here)."""
    page = open_page(f"{lang}/{path}", javascript=False).page
    assert page.locator("a[data-lang-switch]").count() == len(others(lang))
    for other in others(lang):
        page.click(f"a[data-lang-switch='{other}']")
        page.wait_for_load_state("load")
        assert page.url == f"{site_url}/{other}/{path}"
        assert page.locator("html").get_attribute("lang") == language(other).tag
        page.click(f"a[data-lang-switch='{lang}']")
        page.wait_for_load_state("load")
        assert page.url == f"{site_url}/{lang}/{path}"


@pytest.mark.parametrize("browser_languages,edition", [
    (["zh-HK"], HANT), (["zh-MO"], HANT), (["zh-TW"], HANT), (["zh-Hant"], HANT), (["zh-Hant-TW", "en"], HANT),
    (["zh-CN"], "zh"), (["zh"], "zh"), (["zh-Hans-HK"], "zh"), (["en-GB", "zh-HK"], "en"), (["fr", "zh-HK"], HANT),
])
def test_the_root_page_sends_a_reader_to_their_edition(open_page, site_url, browser_languages, edition):
    """Hong Kong, Macao, Taiwan and any Traditional browser to the Traditional edition; other Chinese to the
    Simplified one; the first language of the reader's list that an edition takes wins."""
    languages = ", ".join(f"'{tag}'" for tag in browser_languages)
    opened = open_page("", init_script=f"Object.defineProperty(navigator, 'languages', {{get: () => [{languages}]}});")
    opened.page.wait_for_url(f"{site_url}/{edition}/", timeout=10_000)
    assert opened.page.locator("html").get_attribute("lang") == language(edition).tag


def test_the_root_page_keeps_a_reader_of_another_language(open_page, site_url):
    """The redirect test above can fail: a reader of none of the editions' languages stays on the chooser."""
    opened = open_page("", init_script="Object.defineProperty(navigator, 'languages', {get: () => ['fr-FR']});")
    opened.page.wait_for_timeout(500)
    assert opened.page.url == f"{site_url}/"
    assert opened.page.locator("a[hreflang='zh-Hant']").count() == 1


@pytest.mark.parametrize("lang,query", [("zh", "欠薪"), ("en", "wage arrears"), (HANT, "欠薪"), (HANT, "農民工")])
def test_search_finds_the_wage_arrears_page(open_page, lang, query):
    """Material's own search box, typed into like a reader does (the Chinese index is segmented with jieba)."""
    opened = open_page(f"{lang}/")
    page = opened.page
    _search(page, query)
    result = page.locator(".md-search-result__list a[href*='areas/14-wage-arrears/']").first
    result.wait_for(state="attached", timeout=15_000)
    assert opened.watch.foreign == [] and opened.watch.errors == []


@pytest.mark.parametrize("lang", LANGS)
def test_a_search_for_nonsense_finds_nothing(open_page, lang):
    """The search test above can fail: a word that is nowhere on the site lists no page."""
    page = open_page(f"{lang}/").page
    _search(page, "zzqxjv")
    meta = page.locator(".md-search-result__meta")
    meta.wait_for(state="visible", timeout=15_000)
    page.wait_for_timeout(300)
    assert page.locator(".md-search-result__list a").count() == 0


@pytest.mark.parametrize("lang", LANGS)
def test_charts_need_no_javascript_and_name_themselves(open_page, content, lang):
    """With JavaScript off, every chart of the wage-arrears page is drawn and is an image named by its title."""
    area = next(a for a in content.areas if a.key == "14-wage-arrears")
    page = open_page(f"{lang}/areas/{area.key}/", javascript=False).page
    charts = page.locator("figure.chart svg[role=img]")
    assert charts.count() == len(area.charts) >= 1
    for i in range(charts.count()):
        svg = charts.nth(i)
        assert svg.is_visible()
        box = svg.bounding_box()
        assert box["width"] > 200 and box["height"] > 60
        title = svg.locator("title").first.text_content()
        assert page.get_by_role("img", name=title).count() == 1
        assert svg.locator("rect").count() >= 2
    # the table view opens on a click and shows the same figures as <data>
    page.locator("details.chart__table summary").first.click()
    table = page.locator("details.chart__table table").first
    assert table.is_visible()
    assert table.locator("data[data-metric]").count() >= 2


def _pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(BytesIO(pdf))
    return len(reader.pages), re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))


@pytest.mark.parametrize("lang", LANGS)
def test_whole_report_prints_to_a_clean_pdf(open_page, artifacts, content, lang):
    """Printed by headless Chromium: a few A4 pages, every area (Chinese characters included), no navigation."""
    page = open_page(f"{lang}/report/").page
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    (artifacts / f"report-{lang}.pdf").write_bytes(pdf)
    pages, text = _pdf_text(pdf)
    assert 3 <= pages <= 24, f"{lang}: {pages} pages"
    expected = {"zh": ["治理欠薪", "欠薪线索", "郴州"], "en": ["TacklingWageArrears", "3,884leads"],
                HANT: ["治理欠薪", "欠薪線索", "3884條", "郴州"]}[lang]
    assert all(words in text for words in expected), lang
    for area in content_of(content, lang).areas:
        title = re.sub(r"\s+", "", area.title[lang].split("{")[0])[:8]
        assert title in text, f"{lang}: area {area.number} is missing from the PDF"
    nav_only = {"zh": "关于数据", "en": "Aboutthedata", HANT: "關於數據"}[lang]
    assert nav_only not in text, "the navigation was printed"


def test_printing_without_the_print_stylesheet_would_show_the_navigation(open_page):
    """The clean-PDF test above can fail: with our stylesheet off and the sidebar shown, the nav is printed."""
    page = open_page("zh/report/").page
    page.evaluate("""() => { for (const sheet of document.styleSheets) {
        if ((sheet.href || '').includes('extra.css')) sheet.disabled = true; } }""")
    page.add_style_tag(content="@media print { .md-sidebar--primary { display: block !important; } }")
    page.emulate_media(media="print")
    _, text = _pdf_text(page.pdf(format="A4"))
    assert "关于数据" in text


SHOTS = [("home", ""), ("area", "areas/14-wage-arrears/")]


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name,path", SHOTS)
def test_screenshots_and_layout(open_page, artifacts, lang, name, path, width):
    """Home and an area page at phone and desktop widths: nothing wider than the screen; saved for README."""
    page = open_page(f"{lang}/{path}", width=width).page
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{lang}/{path} at {width}px scrolls sideways by {overflow}px"
    if name == "area":
        row = page.locator("table.key-figures tbody tr").first
        display = row.evaluate("el => getComputedStyle(el).display")
        assert display == ("flex" if width == PHONE else "table-row")  # cards on a phone, a table on a desktop
        for cell in page.locator("table.key-figures td.figure-value").all():
            assert cell.bounding_box()["width"] >= 120, "the value column is cramped"
    shot = artifacts / "screenshots" / f"{name}-{lang}-{'phone' if width == PHONE else 'desktop'}.png"
    shot.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


@pytest.mark.parametrize("lang", LANGS)
def test_glossary_terms_are_marked_and_lead_to_their_entry(open_page, site_url, lang):
    """A marked term in an area's text is a link to its glossary entry, which exists, in both languages."""
    page = open_page(f"{lang}/areas/14-wage-arrears/").page
    links = page.locator(".narrative a.glossary-term")
    assert links.count() >= 1
    href = links.first.get_attribute("href")
    links.first.click()
    page.wait_for_load_state("load")
    fragment = href.split("#", 1)[1]
    assert page.url.startswith(f"{site_url}/{lang}/glossary/")
    assert page.locator(f"dt#{fragment}").count() == 1
