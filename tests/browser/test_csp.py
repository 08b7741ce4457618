"""The Content-Security-Policy in a real browser: no page of either language (nor the root page, nor a 404) breaks
its own policy, search still works under it, and the policy really blocks what it must (an inline script it has no
hash for, an image from another host, a script from another host)."""

from __future__ import annotations

import pytest

from chenzhou_report.languages import LANGS, language, others
from kit import PAGES

pytestmark = [pytest.mark.browser, pytest.mark.site]

#: runs before any script of the page (Playwright's init scripts are not subject to the page's CSP)
LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
    {directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample, line: e.lineNumber}));
"""


def _violations(opened) -> list:
    opened.page.wait_for_load_state("networkidle")
    found = opened.page.evaluate("() => window.__csp")
    refused = [e for e in opened.watch.errors if "Content Security Policy" in e]
    return found + refused


@pytest.fixture
def watched(open_page):
    def _open(path: str):
        return open_page(path, init_script=LISTEN)
    return _open


@pytest.mark.parametrize("lang,path", PAGES + [("", "")] + [(lang, "404.html") for lang in LANGS],
                         ids=[f"{lang or 'root'}:{path or 'home'}" for lang, path in PAGES]
                         + ["root"] + [f"{lang}:404" for lang in LANGS])
def test_no_page_breaks_its_policy(watched, lang, path):
    """Every page: one CSP meta element, no 'unsafe-inline' for scripts, no violation, no console error. (The 404
    pages are written for the site's root — MkDocs makes their links root-relative without site_url — so opened
    here their stylesheets are missing; only the policy is asserted there.)"""
    opened = watched(f"{lang}/{path}" if lang else "/")
    policy = opened.page.locator('meta[http-equiv="Content-Security-Policy"]')
    assert policy.count() == 1, f"{lang}/{path}: no CSP meta element"
    assert "'unsafe-inline'" not in policy.get_attribute("content").split("script-src")[1].split(";")[0]
    assert _violations(opened) == []
    if path != "404.html":
        assert opened.watch.errors == []


@pytest.mark.parametrize("lang,query", [("zh", "欠薪"), ("en", "wage arrears"), ("zh-hant", "欠薪")])
def test_search_works_under_the_policy(watched, lang, query):
    opened = watched(f"{lang}/")
    page = opened.page
    page.wait_for_load_state("networkidle")
    page.click("input.md-search__input")
    page.keyboard.type(query)
    page.keyboard.press("End")
    page.locator(".md-search-result__list a[href*='areas/14-wage-arrears/']").first.wait_for(
        state="attached", timeout=15_000)
    assert _violations(opened) == []


def test_the_policy_blocks_what_it_must(watched):
    """The no-violation test above can fail: an inline script without a hash, a foreign image and a foreign
    script are refused by the browser and reported."""
    opened = watched("en/")
    page = opened.page
    page.wait_for_load_state("networkidle")
    page.evaluate("""() => {
        const s = document.createElement('script'); s.textContent = 'window.__ran = true';
        document.body.appendChild(s);
        const img = document.createElement('img'); img.src = 'https://example.com/pixel.png';
        document.body.appendChild(img);
        const f = document.createElement('script'); f.src = 'https://example.com/x.js';
        document.body.appendChild(f);
    }""")
    page.wait_for_timeout(500)
    directives = {v["directive"] for v in page.evaluate("() => window.__csp")}
    assert page.evaluate("() => window.__ran === undefined")
    assert {"script-src-elem", "img-src"} <= directives, directives


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    """The site built from content with every markup injection in every text field (tests/hostile.py), served."""
    from chenzhou_report.build import build_site
    from conftest import serve_directory
    from hostile import copy_project, doctor

    root = tmp_path_factory.mktemp("hostile-browser")
    project = copy_project(root)
    doctor(root)
    build_site(project, root / "site")
    with serve_directory(root / "site") as base:
        yield base


@pytest.mark.parametrize("path", ["en/areas/14-wage-arrears/", "zh/areas/14-wage-arrears/", "en/", "en/glossary/",
                                  "en/report/", "zh/", "en/areas/01-domestic-demand/", "",
                                  "zh-hant/areas/14-wage-arrears/"])  # the hostile Chinese title, converted
def test_hostile_content_runs_nothing_in_chromium(browser, hostile_url, path):
    """The scripts of the issue (`<img onerror>` in an area title, `"` breakouts in ui strings …) ran in Chromium;
    built now, no dialog opens, no CSP violation is reported, and the header and nav show the typed text."""
    from hostile import flat, payload

    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    context.add_init_script(LISTEN)
    context.route(lambda url: not url.startswith(hostile_url), lambda route: route.abort())
    dialogs = []
    try:
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(f"{hostile_url}/{path}", wait_until="load")
        page.wait_for_load_state("networkidle")
        for selector in ("a[data-lang-switch]", ".md-header__topic", "nav a", "h1"):  # the onmouseover bait
            visible = page.locator(f"{selector} >> visible=true")
            if visible.count():
                visible.first.hover(timeout=5_000)
        page.wait_for_timeout(200)
        assert dialogs == []
        assert page.evaluate("() => window.__csp") == []
        if path.startswith("en/"):
            assert flat(payload("SITE-NAME")) in flat(page.locator(".md-header__topic").first.inner_text())
            # the switch's words come from the language table, never from content
            switches = page.locator("a[data-lang-switch]")
            assert [switches.nth(i).get_attribute("title") for i in range(switches.count())] == \
                [language(code).switch_to for code in others("en")]
    finally:
        context.close()
