"""The site checks: the real site passes; each smallest bad change to a copy of the built site fails exactly its
own check at the file and line of the change.

lychee and the Nu checker take seconds, so every defect below goes into ONE copy of the built site, in a file of
its own, and the checks run once over it (through `chenzhou-report check --site-dir … --format json`); each test
then looks at the findings of its own file.
"""

from __future__ import annotations

import http.server
import json
import re
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from chenzhou_report.checks.site import NOT_OURS, ExternalLink, _not_ours, check_external, check_site
from chenzhou_report.cli import main

pytestmark = pytest.mark.site


@dataclass
class Defect:
    name: str
    page: str          # relative to the site folder
    check: str | None  # the one check that must fail; None: nothing may fail
    old: str           # a regular expression, replaced once
    new: str
    mark: str          # text on the line the finding must point at (in the doctored file)
    says: str          # words the message must contain

    def apply(self, site: Path) -> None:
        path = site / self.page
        text = path.read_text(encoding="utf-8")
        changed, count = re.subn(self.old, self.new, text, count=0 if self.name == "metric-missing" else 1)
        assert count, f"{self.page}: {self.old!r} not found (did the template change?)"
        path.write_text(changed, encoding="utf-8")

    def line(self, site: Path) -> int:
        text = (site / self.page).read_text(encoding="utf-8")
        return text.count("\n", 0, text.index(self.mark)) + 1


INSERT = r"</article>"
DEFECTS = [
    Defect("link-to-missing-page", "en/glossary/index.html", "links", INSERT,
           '<p><a href="../areas/99-missing/">gone</a></p></article>', "99-missing", "areas/99-missing"),
    Defect("wrong-anchor", "zh/areas/14-wage-arrears/index.html", "links", r"glossary/#tackling-wage-arrears\"",
           'glossary/#tackling-wage-arears"', "#tackling-wage-arears", "Cannot find fragment"),
    Defect("missing-stylesheet", "en/about/index.html", "links", INSERT,
           '<link rel="stylesheet" href="../missing-style.css"></article>', "missing-style.css", "missing-style.css"),
    Defect("doctored-data-value", "en/areas/14-wage-arrears/index.html", "numbers", r'value="3884"',
           'value="3885"', 'value="3885"', "value='3885' but the YAML gives '3884'"),
    Defect("doctored-data-text", "zh/report/index.html", "numbers", r">3884条</data>", ">3883条</data>",
           ">3883条</data>", "prints '3883条' but the YAML metric prints '3884条'"),
    # house style: running text prints one to nine in words, tables and cards the numeral; each form only in its place
    Defect("running-text-as-numeral", "en/areas/10-business-environment/index.html", "numbers",
           r'(<p>By pressing[^\n]*?value="6">)six pilot reforms</data>', r"\g<1>6 pilot reforms</data>",
           "<p>By pressing", "prints '6 pilot reforms' but the YAML metric prints 'six pilot reforms' in en in "
           "running text"),
    Defect("table-figure-as-word", "en/areas/10-business-environment/index.html", "numbers",
           r'(<td class="figure-value"><span class="figure-value__number"><data data-metric="bizenv_pilot_reforms" '
           r'value="6">)6 pilot reforms', r"\g<1>six pilot reforms", '<td class="figure-value"><span '
           'class="figure-value__number"><data data-metric="bizenv_pilot_reforms"',
           "prints 'six pilot reforms' but the YAML metric prints '6 pilot reforms' in en in a table, card, list or "
           "chart"),
    Defect("metric-missing", "en/areas/05-market-entities/index.html", "numbers",
           r'<data data-metric="market_entities_total"[^>]*>([^<]*)</data>', r"\1", "<h1",
           "market_entities_total does not appear on its area page in en"),
    Defect("switch-to-wrong-page", "zh/glossary/index.html", "lang-switch",
           r'(class="md-header__button lang-switch" href=)"[^"]*"', r'\1"../../en/about/"', "lang-switch",
           "leads to en/about/index.html, not to this page's counterpart en/glossary/index.html"),
    Defect("switch-missing", "zh/about/index.html", "lang-switch", r' data-lang-switch="en"', "", "<h1",
           "page has no language switch"),
    Defect("switch-to-a-third-edition-missing", "zh-hant/index.html", "lang-switch", r' data-lang-switch="zh"', "",
           "<h1", "page has no language switch to 'zh'"),
    # the Traditional edition against its Simplified source (checks/converted.py)
    Defect("simplified-left", "zh-hant/about/index.html", "hant-script", INSERT, "<p>发展</p></article>",
           "<p>发展", "'发' in '发展' is a character of the Chinese script"),
    Defect("term-written-otherwise", "zh-hant/areas/03-two-majors/index.html", "hant-terms", "兩重", "兩種",
           "<h1", "its declared form '兩重' only"),
    Defect("figure-dropped", "zh-hant/report/index.html", "hant-figures",
           r'<data data-metric="wage_platform_received"[^>]*>([^<]*)</data>', r"\1",
           'data-metric="wage_platform_resolved"', "the Simplified page has wage_platform_received=3884"),
    Defect("invalid-html", "en/areas/16-ecology/index.html", "html", INSERT,
           '<p><span id="twice">a</span><span id="twice">b</span></p></article>', 'id="twice">b', "Duplicate ID"),
    Defect("external-link", "en/index.html", None, INSERT,
           '<p><a href="https://example.org/report">elsewhere</a></p></article>', "example.org", ""),
]


@pytest.fixture(scope="module")
def doctored(built_site, tmp_path_factory, project_root):
    """One copy of the built site with every defect, checked once; (site, JSON report, exit status)."""
    site = tmp_path_factory.mktemp("doctored") / "site"
    shutil.copytree(built_site, site)
    for defect in DEFECTS:
        defect.apply(site)
    capture = tmp_path_factory.mktemp("out") / "report.json"
    with capture.open("w", encoding="utf-8") as out:
        from chenzhou_report.build import Project
        from chenzhou_report.checks.runner import run_checks

        status = run_checks(Project(project_root), site=True, site_dir=str(site), fmt="json", external=False, out=out)
    return site, json.loads(capture.read_text(encoding="utf-8")), status


def test_real_site_passes_every_check(built_site, project_root, capsys):
    assert main(["--root", str(project_root), "check", "--site-dir", str(built_site)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-2:] == ["external links: 0 (not checked; --external checks them)", lines[-1]]
    assert lines[-1].startswith("0 findings") and all(c in lines[-1] for c in ("links", "lang-switch", "numbers",
                                                                                  "html", "bare-number", "allowlist",
                                                                                  "csp", "unsafe-link", "broken-link",
                                                                                  "term-parity", "spelling", "dashes",
                                                                                  "hyphen-space", "duplicate-sentence"))


@pytest.mark.parametrize("defect", [d for d in DEFECTS if d.check], ids=lambda d: d.name)
def test_each_defect_fails_exactly_its_check_at_its_line(doctored, defect):
    site, report, status = doctored
    assert status == 1
    path = str(site / defect.page)
    mine = [f for f in report["findings"] if f["path"] == path]
    assert mine, f"no finding for {defect.page}"
    assert {f["check"] for f in mine} == {defect.check}, mine
    line = defect.line(site)
    assert any(f["line"] == line and defect.says in f["message"] for f in mine), (line, mine)


def test_no_finding_outside_the_doctored_files(doctored):
    site, report, _ = doctored
    doctored_files = {str(site / d.page) for d in DEFECTS if d.check}
    assert {f["path"] for f in report["findings"]} == doctored_files
    assert report["checks"][-9:] == ["links", "lang-switch", "allowlist", "csp", "numbers", "hant-script",
                                     "hant-terms", "hant-figures", "html"]


def test_external_links_are_listed_not_checked(doctored):
    site, report, _ = doctored
    defect = next(d for d in DEFECTS if d.name == "external-link")
    assert report["external_checked"] is False
    assert report["external_links"] == [{"path": str(site / defect.page), "line": defect.line(site),
                                         "column": report["external_links"][0]["column"],
                                         "url": "https://example.org/report"}]


def test_missing_site(tmp_path, content):
    report = check_site(tmp_path / "site", content, tmp_path)
    assert [f.check for f in report.findings] == ["site-missing"]
    assert "make site" in report.findings[0].message


# --- external links, only with --external (on this machine's loopback: CI has no internet) ---------------------

@pytest.fixture
def local_server(tmp_path):
    (tmp_path / "here.html").write_text("<!doctype html><title>here</title>", encoding="utf-8")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(tmp_path), **kwargs)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_external_check_reports_a_dead_link_and_passes_a_live_one(local_server):
    dead = f"{local_server}/gone.html"
    links = [ExternalLink("site/en/index.html", 12, 3, f"{local_server}/here.html"),
             ExternalLink("site/en/about/index.html", 40, 7, dead)]
    findings = check_external(links)
    assert [(f.path, f.line, f.check) for f in findings] == [("site/en/about/index.html", 40, "external")]
    assert dead in findings[0].message and "404" in findings[0].message


def test_external_option_checks_the_listed_links(built_site, content, project_root, tmp_path, local_server):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    page = site / "en" / "about" / "index.html"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("</article>", f'<p><a href="{local_server}/gone.html">gone</a></p></article>', 1),
                    encoding="utf-8")
    line = page.read_text(encoding="utf-8").count("\n", 0, page.read_text(encoding="utf-8").index("gone.html")) + 1
    listed = check_site(site, content, project_root, external=False, html=False)
    assert listed.findings == [] and [link.url for link in listed.external] == [f"{local_server}/gone.html"]
    checked = check_site(site, content, project_root, external=True, html=False)
    assert [(f.path, f.line, f.check) for f in checked.findings] == [(str(page), line, "external")]
    assert "external" in checked.checks


# --- the Nu checker's messages that are Material's, not ours ----------------------------------------------------

def test_material_messages_are_dropped_only_on_materials_own_markup():
    message = {"message": "Attribute “autocomplete” is only allowed when the input type is “color”, …",
               "firstLine": 1, "lastLine": 1}
    theirs = '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">'
    ours = '<input type="checkbox" id="mine" autocomplete="off">'
    assert _not_ours(message, lambda n: theirs) == NOT_OURS[0][0]
    assert _not_ours(message, lambda n: ours) is None
    other = {"message": "Duplicate ID “twice”.", "firstLine": 1, "lastLine": 1}
    assert _not_ours(other, lambda n: theirs) is None
