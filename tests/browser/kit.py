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
