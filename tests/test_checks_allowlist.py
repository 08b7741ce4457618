"""The site checks `allowlist` and `csp` (checks/allowlist.py): the real site passes; each injection into a copy
of the built site — the sinks an attacker would use — fails its check at the file and line of the injection."""

from __future__ import annotations

import re
import shutil
from html import unescape
from dataclasses import dataclass
from pathlib import Path

import pytest

from chenzhou_report.checks.allowlist import ELEMENTS, check_allowlist
from chenzhou_report.csp import executable, parse_policy, script_hash

pytestmark = pytest.mark.site

INSERT = "</article>"


@dataclass
class Injection:
    name: str
    page: str       # relative to the site folder
    check: str
    old: str        # a regular expression, replaced once
    new: str
    mark: str       # text on the line the finding must name
    says: str       # words of the message

    def apply(self, site: Path) -> None:
        path = site / self.page
        text, count = re.subn(self.old, self.new, path.read_text(encoding="utf-8"), count=1)
        assert count, f"{self.page}: {self.old!r} not found"
        path.write_text(text, encoding="utf-8")

    def line(self, site: Path) -> int:
        text = (site / self.page).read_text(encoding="utf-8")
        return text.count("\n", 0, text.index(self.mark)) + 1


INJECTIONS = [
    Injection("onerror-attribute", "en/areas/14-wage-arrears/index.html", "allowlist", INSERT,
              '<p class="x" onerror="alert(1)">x</p>\n</article>', 'onerror="alert(1)"', "event handler"),
    Injection("foreign-image", "zh/areas/14-wage-arrears/index.html", "allowlist", INSERT,
              '<p><img src="https://tracker.example/p.png" alt=""></p>\n</article>', "tracker.example",
              "loads from another host"),
    Injection("inline-script", "en/glossary/index.html", "allowlist", INSERT,
              "<script>alert(document.domain)</script>\n</article>", "alert(document.domain)",
              "not one of the templates' own scripts"),
    Injection("meta-refresh", "zh/glossary/index.html", "allowlist", INSERT,
              '<meta http-equiv="refresh" content="0;url=https://evil.example/">\n</article>', 'http-equiv="refresh"',
              "only the Content-Security-Policy"),
    Injection("javascript-href", "en/about/index.html", "allowlist", INSERT,
              '<p><a href=" JaVaScRiPt:alert(1)">x</a></p>\n</article>', "JaVaScRiPt", "javascript: URLs"),
    Injection("data-src-on-svg-use", "zh/about/index.html", "allowlist", INSERT,
              '<svg><use xlink:href="data:image/svg+xml,&lt;svg/&gt;"></use></svg>\n</article>', "<use",
              "data: URLs"),
    Injection("foreign-script", "en/report/index.html", "allowlist", INSERT,
              '<script src="https://cdn.example/x.js"></script>\n</article>', "cdn.example", "assets/ folder"),
    Injection("css-import", "zh/report/index.html", "allowlist", INSERT,
              "<style>@import url(https://fonts.example/a.css);</style>\n</article>", "@import", "@import"),
    Injection("foreign-element", "en/index.html", "allowlist", INSERT,
              '<iframe title="x"></iframe>\n</article>', "<iframe", "<iframe> is not an element"),
    Injection("target-blank", "en/embed/wage_platform_leads.html", "allowlist", r'target="_top"',
              'target="_blank"', 'target="_blank"', "only _top is written"),
    Injection("json-ld-not-json", "zh/index.html", "allowlist", INSERT,
              '<script type="application/ld+json">{"@context": "https://schema.org", alert(1)}</script>\n</article>',
              "alert(1)", "is not JSON"),
    Injection("json-ld-not-schema-org", "en/areas/16-ecology/index.html", "allowlist", INSERT,
              '<script type="application/ld+json">{"@context": "https://evil.example"}</script>\n</article>',
              "evil.example", "not a schema.org object"),
    Injection("csp-missing", "zh/areas/01-domestic-demand/index.html", "csp",
              r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", "<head>", "0 Content-Security-Policy"),
    Injection("csp-unsafe-inline", "en/areas/01-domestic-demand/index.html", "csp",
              r"script-src &#39;self&#39;", "script-src &#39;self&#39; &#39;unsafe-inline&#39;",
              "Content-Security-Policy", "script-src allows 'unsafe-inline'"),
    Injection("csp-foreign-images", "zh/areas/02-culture-tourism/index.html", "csp",
              r"img-src &#39;self&#39; data:", "img-src *", "Content-Security-Policy", "img-src must be limited"),
]


@pytest.fixture(scope="module")
def doctored(built_site, tmp_path_factory, project_root):
    site = tmp_path_factory.mktemp("allowlist") / "site"
    shutil.copytree(built_site, site)
    for injection in INJECTIONS:
        injection.apply(site)
    return site, check_allowlist(site, project_root)


def test_real_site_passes(built_site, project_root):
    assert check_allowlist(built_site, project_root) == []


def test_every_page_carries_a_policy_with_the_hash_of_each_inline_script(built_site):
    """Both languages, the root page, the 404 pages and the charts' embed pages; the hashes are those of the page's
    own scripts (JSON and JSON-LD data blocks are not scripts the browser runs; embed pages have none)."""
    pages = sorted(built_site.rglob("*.html"))
    assert {"index.html", "zh/404.html", "en/404.html"} <= {p.relative_to(built_site).as_posix() for p in pages}
    for page in pages:
        html = page.read_text(encoding="utf-8")
        content = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
        assert len(content) == 1, page
        policy = parse_policy(content[0].replace("&#39;", "'"))
        scripts = [body for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
                   if "src=" not in attrs and executable(attrs)]
        assert scripts or "/embed/" in page.as_posix(), page
        assert sorted(policy["script-src"][1:]) == sorted({script_hash(s) for s in scripts}), page
        assert policy["object-src"] == ["'none'"] and "'unsafe-inline'" not in policy["script-src"]


@pytest.mark.parametrize("injection", INJECTIONS, ids=lambda i: i.name)
def test_each_injection_is_found_at_its_line(doctored, injection):
    site, findings = doctored
    mine = [f for f in findings if f.path == str(site / injection.page)]
    assert mine, f"nothing found in {injection.page}"
    assert {f.check for f in mine} == {injection.check}, mine
    line = injection.line(site)
    assert any(f.line == line and injection.says in f.message for f in mine), (line, [str(f) for f in mine])


def test_nothing_found_elsewhere(doctored):
    site, findings = doctored
    assert {f.path for f in findings} == {str(site / i.page) for i in INJECTIONS}


def test_a_script_that_came_in_through_content_gets_no_hash(project_root):
    """The CSP is computed from the finished page, but only the templates' own inline scripts get a hash: an
    injected one is left for the browser to refuse (and for `allowlist` to report)."""
    from chenzhou_report.csp import template_scripts, with_csp
    from chenzhou_report.checks.allowlist import MATERIAL_TEMPLATES

    known = template_scripts([MATERIAL_TEMPLATES, project_root / "templates"])
    theme = ('<script>var target=document.getElementById(location.hash.slice(1));target&&target.name&&'
             '(target.checked=target.name.startsWith("__tabbed_"))</script>')
    evil = "<script>alert(1)</script>"
    page = unescape(with_csp(f'<html><head><meta charset="utf-8"></head><body>{theme}{evil}</body></html>', known))
    assert script_hash(theme[8:-9]) in page and script_hash("alert(1)") not in page
    # a theme script whose Jinja value was made to break out of its string literal matches no pattern
    base = ('<script>__md_scope=new URL("{}",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),'
            '__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t='
            'localStorage,a=__md_scope)=>{{try{{t.setItem(a.pathname+"."+e,JSON.stringify(_))}}catch(e){{}}}}</script>')
    good, bad = base.format("../.."), base.format('",alert(1),"')
    assert script_hash(good[8:-9]) in unescape(with_csp(f'<meta charset="utf-8">{good}', known))
    assert script_hash(bad[8:-9]) not in unescape(with_csp(f'<meta charset="utf-8">{bad}', known))


def test_every_allowed_element_says_why():
    assert all(why.strip() for why, _attrs in ELEMENTS.values())
