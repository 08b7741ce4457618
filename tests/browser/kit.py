"""What the browser tests share: where things are, chromium's flags, the list of pages, axe-core."""

from __future__ import annotations

from pathlib import Path

from chenzhou_report.model import LANGS
from chenzhou_report.render import SiteRenderer

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
#: flags that work here (root, no network): ../shared/reference/browser-testing.md
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
AXE = ROOT / "tests" / "node" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
PHONE, DESKTOP = 390, 1280


def site_paths(lang: str) -> list[str]:
    """Every page of one language, as URL paths below the language folder: '', 'areas/14-wage-arrears/', …"""
    from chenzhou_report.model import load_content

    content = load_content(ROOT / "content", ROOT)
    renderer = SiteRenderer(content, lang, ROOT / "templates")
    paths = []
    for uri in renderer.page_uris():
        path = uri[: -len(".md")]
        paths.append("" if path == "index" else path + "/")
    return paths


#: (lang, path) for every page of both languages, known when tests are collected
PAGES = [(lang, path) for lang in LANGS for path in site_paths(lang)]


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A and AA violations on the page, as {id, impact, help, targets}."""
    # evaluated by the test driver, not added as an inline <script>: the site's CSP (rightly) refuses the latter
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "targets": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


def search(page, query: str) -> None:
    """Type `query` into Material's search box as a reader does."""
    page.wait_for_load_state("networkidle")  # the search index and its language support have arrived
    page.click("input.md-search__input")  # the search field in the header, at desktop width
    page.keyboard.type(query)
    # Chinese is typed through an input method, whose commit ends with a key going up; Material searches on
    # keyup, and Playwright types Chinese characters as inserted text without key events
    page.keyboard.press("End")


def listed_pages(page, timeout: int = 15_000) -> list[str]:
    """The pages the search lists, in order (one per result item: its first link, as a plain page URL), once the
    list has settled: Material searches on every key, and the answer to an earlier prefix of the query can be drawn
    first."""
    page.locator(".md-search-result__list li.md-search-result__item").first.wait_for(state="attached",
                                                                                    timeout=timeout)

    def read() -> list[str]:
        hrefs = page.eval_on_selector_all(
            ".md-search-result__list > li.md-search-result__item",
            "items => items.map(li => (li.querySelector('a') || {}).href || '')")
        return [href.split("#", 1)[0].split("?", 1)[0] for href in hrefs]  # no #section, no ?h= (highlight)

    seen, steady = read(), 0
    for _ in range(40):  # unchanged for three looks in a row, 250 ms apart
        page.wait_for_timeout(250)
        now = read()
        steady = steady + 1 if now == seen else 0
        seen = now
        if steady >= 3:
            break
    return seen
