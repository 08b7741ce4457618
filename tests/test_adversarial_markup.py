"""Adversarial corpus for the markup sinks: every kind of text field × every markup injection.

Each case ends in one of two ways, and the test says which:
- a precise finding before any build (file, line, column, check id): links and images in prose (`unsafe-link`,
  `broken-link`), so `make site` refuses them;
- a built site with no trace of it: ONE doctored copy of the real content carries every injection in every field
  (a build costs ~2 s), is built by the real pipeline (`build_site`, without the content checks that would refuse
  some of it first: the output must be harmless even then), and then the allowlist and CSP checks pass on it and
  every field DISPLAYS exactly what was typed — escaped once, never twice (an `&` or `"` in a title reads as `&`
  or `"`), Jinja syntax printed, not evaluated — in the page text, the nav, the <title>, the attributes the theme
  writes (`title`, `aria-label`, meta description), the charts, the CSV and the JSON.

A Hypothesis test then throws generated hostile strings at a group of fields and asserts the allowlist check
passes on whatever builds (or the build fails with a clean ContentError naming path:line:column).
"""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from pathlib import Path

import lxml.html
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from chenzhou_report.build import BuildFailed, Project, build_site
from chenzhou_report.checks.allowlist import check_allowlist
from chenzhou_report.checks.content import check_content_dir
from chenzhou_report.checks.links import site_anchors
from chenzhou_report.errors import ContentError
from chenzhou_report.escape import csv_cell, heading

from hostile import INJECTION, NEWLINE_TITLE, WAGE, doctor, flat, payload
from hostile import copy_project as _copy
from hostile import edit_yaml as _edit_yaml

@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    project = _copy(root)
    doctor(root)
    site = root / "site"
    build_site(project, site)
    return root, site


def _page(site: Path, rel: str):
    return lxml.html.document_fromstring((site / rel).read_bytes())


def _texts(doc, xpath: str) -> list[str]:
    return [flat(el.text_content()) for el in doc.xpath(xpath)]


AREA = "en/areas/14-wage-arrears/index.html"


# --- built harmlessly -----------------------------------------------------------------------------------------

@pytest.mark.site
def test_the_hostile_site_passes_the_allowlist_and_csp_checks(hostile_site):
    root, site = hostile_site
    assert check_allowlist(site, root) == []


@pytest.mark.site
def test_nothing_was_evaluated_or_parsed(hostile_site):
    """No element, attribute, script or Jinja evaluation came out of any field, on any page."""
    _root, site = hostile_site
    for path in site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert "<img src=x" not in html and "<svg onload" not in html, path
        assert "JINJA" not in html or "{% if true %}" in html.replace("\\", ""), path  # printed, not run
        assert 'id="evil"' not in html and 'class="evil"' not in html, path
        doc = lxml.html.document_fromstring(html.encode())
        urls = doc.xpath("//@href|//@src|//@action|//@formaction|//@srcset|//@poster|//@data")
        assert not [u for u in urls if "tracker.example" in u or "javascript:" in u.lower()], path
        for doc_el in doc.iter():
            if isinstance(doc_el.tag, str):
                assert not any(a.lower().startswith("on") for a in doc_el.attrib), (path, doc_el.tag)


@pytest.mark.site
@pytest.mark.parametrize("rel,xpath,tag", [
    (AREA, "//article//h1", "AREA-TITLE"),
    (AREA, "//nav//a[contains(@class,'md-nav__link')]", "AREA-TITLE"),
    (AREA, "//title", "AREA-TITLE"),
    ("en/report/index.html", "//article//h2", "AREA-TITLE"),
    ("en/report/index.html", "//nav[contains(@class,'md-nav--secondary')]//a", "AREA-TITLE"),  # the toc
    ("en/index.html", "//span[@class='area-card__title']", "AREA-TITLE"),
    ("zh/areas/14-wage-arrears/index.html", "//article//h1", "领域标题"),
    # the Traditional edition: the same text converted (領域標題), escaped exactly once like any other
    ("zh-hant/areas/14-wage-arrears/index.html", "//article//h1", "領域標題"),
    ("zh-hant/areas/14-wage-arrears/index.html", "//nav//a[contains(@class,'md-nav__link')]", "領域標題"),
    (AREA, "//th[@class='figure-label']", "METRIC-LABEL"),
    (AREA, "//figcaption", "CHART-TITLE"),
    (AREA, "//*[local-name()='svg']/*[local-name()='title']", "CHART-TITLE"),
    (AREA, "//details//th[@scope='row']", "BAR-LABEL"),
    (AREA, "//*[local-name()='svg']//*[local-name()='text']", "BAR-LABEL"),
    ("en/glossary/index.html", "//dt", "TERM"),
    ("en/index.html", "//article//h1", "REPORT-TITLE"),
    ("en/index.html", "//title", "REPORT-TITLE"),
    ("en/index.html", "//p[@class='byline']", "BYLINE"),
    ("en/index.html", "//p[@class='subtitle']", "SUBTITLE"),
    ("index.html", "//title", "REPORT-TITLE"),
    (AREA, "//header//span[contains(@class,'md-ellipsis')]", "SITE-NAME"),
    (AREA, "//nav//a[contains(@class,'md-nav__link')]", "HOME"),
    (AREA, "//nav//a[contains(@class,'md-nav__link')]", "GLOSSARY"),
    ("en/glossary/index.html", "//article//h1", "GLOSSARY"),
    (AREA, "//article//h2[@id='narrative']", "NARRATIVE"),
    ("index.html", "//h1", "CHOOSE"),  # the root page, in every edition's words: the Traditional one converted
])
def test_each_text_field_displays_exactly_what_was_typed(hostile_site, rel, xpath, tag):
    """Escaped once: the text a reader sees is the text the editor typed, tags and entities included."""
    _root, site = hostile_site
    texts = _texts(_page(site, rel), xpath)
    assert any(flat(payload(tag)) in text for text in texts), (rel, xpath, texts[:5])


@pytest.mark.site
@pytest.mark.parametrize("rel,xpath,attribute,tag", [
    (AREA, "//a[contains(@class,'md-logo')]", "title", "SITE-NAME"),       # Material writes it with `| e`
    (AREA, "//a[contains(@class,'md-logo')]", "aria-label", "SITE-NAME"),  # … and without
    ("en/404.html", "//meta[@name='description']", "content", "SITE-DESCRIPTION"),
    (AREA, "//meta[@property='og:title']", "content", "AREA-TITLE"),
    (AREA, "//a[@class='figure-permalink']", "aria-label", "METRIC-LABEL"),
])
def test_each_attribute_holds_exactly_what_was_typed(hostile_site, rel, xpath, attribute, tag):
    """A `"` cannot leave an attribute, and no `&amp;amp;` shows: the parsed value is the typed text."""
    _root, site = hostile_site
    values = [flat(el.get(attribute) or "") for el in _page(site, rel).xpath(xpath)]
    assert any(flat(payload(tag)) in value for value in values), (rel, xpath, values[:5])


@pytest.mark.site
@pytest.mark.parametrize("rel,xpath,tag", [
    (AREA, "//div[@class='narrative']", "PARAGRAPH"),
    ("en/index.html", "//div[@class='lead']", "LEAD"),
    ("en/glossary/index.html", "//dd", "DEFINITION"),
])
def test_prose_shows_raw_html_as_text_and_drops_unsafe_links(hostile_site, rel, xpath, tag):
    """Prose is Markdown: emphasis works, raw HTML is shown as text, unsafe links and images keep only their
    words (the content check refuses them before a real build: see the tests below)."""
    _root, site = hostile_site
    doc = _page(site, rel)
    [text] = [t for t in _texts(doc, xpath) if tag in t][:1]
    assert '<img src=x onerror=alert(document.domain)> "><svg onload=alert(document.domain)>' in text
    assert "</script><script>alert(document.domain)</script>" in text
    assert "{{ config.site_name }}" in text and "{% if true %}JINJA{% endif %}" in text
    assert "javascript:" not in text and "tracker.example" not in text
    block = doc.xpath(xpath)[0]
    assert not block.xpath(".//a[starts-with(@href,'javascript')]") and not block.xpath(".//img")


@pytest.mark.site
def test_a_title_with_line_breaks_stays_one_heading(hostile_site):
    """Block syntax on lines of its own inside a title: no second heading, no paragraph, no attribute."""
    _root, site = hostile_site
    doc = _page(site, "en/areas/01-domestic-demand/index.html")
    article = doc.xpath("//article")[0]
    assert _texts(article, ".//h1") == [flat(NEWLINE_TITLE)]
    assert not [h for h in _texts(article, ".//h1|.//h2|.//h3") if h == "Injected heading"]
    assert not article.xpath(".//li[normalize-space()='item']")
    titles = _texts(doc, "//title")
    assert titles and titles[0].startswith(flat(NEWLINE_TITLE))


@pytest.mark.site
def test_csv_neutralises_formulas_and_json_stays_exact(hostile_site):
    _root, site = hostile_site
    for lang in ("zh", "en"):
        rows = list(csv.DictReader(io.StringIO((site / lang / "data" / "metrics.csv").read_text(encoding="utf-8"))))
        data = json.loads((site / lang / "data" / "metrics.json").read_text(encoding="utf-8"))["metrics"]
        by_id = {r["id"]: r for r in rows}
        exact = {r["id"]: r for r in data}
        assert by_id["wage_recovered"]["source_zh"].startswith("'@SUM(A1:A2) ")
        assert exact["wage_recovered"]["source_zh"].startswith("@SUM(A1:A2) ")
        if lang == "zh":
            assert by_id["wage_recovered"]["label"] == "'=HYPERLINK(\"https://evil.example\",\"x\")"
            assert exact["wage_recovered"]["label"] == "=HYPERLINK(\"https://evil.example\",\"x\")"
        else:
            assert by_id["wage_workers"]["label"] == "'-2+3 =cmd|' /C calc'!A0"
            assert exact["wage_workers"]["label"] == "-2+3 =cmd|' /C calc'!A0"
            assert by_id["wage_recovered"]["label"] == payload("METRIC-LABEL")  # '<' is no formula: untouched
        # numbers are not text: a value stays a value
        assert by_id["wage_recovered"]["value"] == exact["wage_recovered"]["value"]


@pytest.mark.parametrize("cell,written", [
    ("=1+2", "'=1+2"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("a=1", "a=1"), ("治理欠薪", "治理欠薪"), ("", ""), (3884, 3884),
])
def test_csv_cell(cell, written):
    assert csv_cell(cell) == written


@pytest.mark.parametrize("text", [INJECTION, NEWLINE_TITLE, "a & b \"c\" 'd'", "# x ##", "[a]: https://x.org",
                                  "\\{#id}", "Q&amp;A"])
def test_heading_escape_makes_markdown_read_plain_text(text):
    """The heading filter alone: Markdown (with attr_list and toc, as mkdocs.yml) renders exactly the text."""
    import markdown

    html = markdown.markdown(f"## {heading(text)} {{ #fixed }}", extensions=["attr_list", "toc"])
    doc = lxml.html.fragment_fromstring(html)
    assert doc.tag == "h2" and doc.get("id") == "fixed" and len(doc) == 0 and set(doc.attrib) == {"id"}
    assert doc.text_content() == flat(text)


@pytest.mark.site
def test_declared_anchors_exist_on_the_built_site(built_site, content):
    """checks/links.py resolves prose links against `site_anchors`; every page and anchor it declares is real."""
    for lang in ("zh", "en"):
        for page, anchors in site_anchors(content).items():
            path = built_site / lang / page / "index.html"
            assert path.is_file(), path
            ids = set(_page(built_site, path.relative_to(built_site).as_posix()).xpath("//@id"))
            assert anchors <= ids, (path, sorted(anchors - ids))


# --- refused before any build: path:line:column and the check ------------------------------------------------

LINKS = [
    # (what is written in the English paragraph, check id, words of the message)
    ("[x](javascript:alert(document.domain))", "unsafe-link", "javascript: links are not allowed"),
    ("[x]( JaVaScRiPt:alert(document.domain))", "unsafe-link", "javascript: links are not allowed"),
    ("[x](data:text/html;base64,PHNjcmlwdD4=)", "unsafe-link", "data: links are not allowed"),
    ("[x](vbscript:msgbox)", "unsafe-link", "vbscript: links are not allowed"),
    ("[x](//evil.example/)", "unsafe-link", "goes to another host"),
    ("[x](/\\evil.example/)", "unsafe-link", "backslash"),
    ("[x](/glossary/)", "unsafe-link", "leaves the language folder"),
    ("[x](../../zh/)", "unsafe-link", "may leave the language folder"),
    ("[x](http://example.org/)", "unsafe-link", "write the https:// address"),
    ("<http://example.org/>", "unsafe-link", "http: links are not allowed"),
    ("[x][r]\n\n      [r]: javascript:alert(document.domain)", "unsafe-link", "javascript: links"),
    ("![t](https://tracker.example/p.png)", "unsafe-link", "images are not allowed in prose"),
    ("![t](about/logo.png)", "unsafe-link", "images are not allowed in prose"),
    ("[x](glossary.md)", "broken-link", "e.g. glossary/"),
    ("[x](areas/14-wage-arrears.md)", "broken-link", "e.g. areas/14-wage-arrears/"),
    ("[x](areas/99-missing/)", "broken-link", "is not a page of this site"),
    ("[x](glossary)", "broken-link", "e.g. glossary/"),
    ("[x](glossary/#no-such-term)", "broken-link", "has no anchor #no-such-term"),
    ("[x](areas/14-wage-arrears/#wage_recoverd)", "broken-link", "did you mean #wage_recovered?"),
    ("[x](#wage_recovered)", "broken-link", "e.g. areas/14-wage-arrears/#wage_recovered"),
]
GOOD_LINKS = ["[x](https://www.gov.cn/)", "[x](mailto:editor@example.org)", "[x](glossary/#two-majors)",
              "[x](areas/14-wage-arrears/#wage_recovered)", "[x](about/#method)", "[x](report/#area-14)",
              "[x](areas/14-wage-arrears/#chart-wage-platform-leads)", "[x](./)"]
ANCHOR = "In {y2025}, Chenzhou thoroughly implemented"


def _insert_links(project: Project, snippets: list[str]) -> list[tuple[int, int]]:
    """Put each snippet on its own line before the first English paragraph's text; their (line, column)."""
    path = project.root / WAGE
    text = path.read_text(encoding="utf-8")
    at = text.index(ANCHOR)
    column = at - text.rfind("\n", 0, at)
    lines_before = text.count("\n", 0, at) + 1
    block, places, line = "", [], lines_before
    for snippet in snippets:
        places.append((line, column))
        block += snippet + "\n" + " " * (column - 1) + "\n" + " " * (column - 1)
        line += snippet.count("\n") + 2
    path.write_text(text[:at] + block + text[at:], encoding="utf-8")
    return places


def test_every_unsafe_or_broken_link_is_a_finding_at_its_place(project_copy):
    places = _insert_links(project_copy, [s for s, _c, _w in LINKS] + GOOD_LINKS)
    _content, findings = check_content_dir(project_copy.content_dir, project_copy.root)
    mine = [f for f in findings if f.check in ("unsafe-link", "broken-link")]
    assert all(f.path == WAGE for f in mine)
    for (snippet, check, words), (line, column) in zip(LINKS, places):
        target = re.search(r"\]\(\s*([^)]*)\)|<(http[^>]*)>|\]: (\S+)", snippet)
        written = next(g for g in target.groups() if g)
        expected_line = line + snippet[: snippet.index(written)].count("\n")
        at = [f for f in mine if f.line == expected_line and words in f.message]
        assert at, (snippet, expected_line, [str(f) for f in mine if f.line == expected_line])
        assert {f.check for f in at} == {check}, snippet
        # the column points at the target as written
        raw = (project_copy.root / WAGE).read_text(encoding="utf-8").split("\n")[expected_line - 1]
        assert raw[at[0].column - 1:].startswith(written.strip()[:5]), (snippet, at[0].column, raw)
    good_lines = {line for line, _col in places[len(LINKS):]}
    assert not [f for f in mine if f.line in good_lines], [str(f) for f in mine if f.line in good_lines]
    assert len(mine) == len(LINKS), [str(f) for f in mine]


def test_make_site_refuses_a_broken_internal_link(project_copy, capsys):
    """`chenzhou-report build` (what `make site` runs) stops at the content checks: no site is written."""
    from chenzhou_report.cli import main

    [(line, column)] = _insert_links(project_copy, ["[the figure](areas/14-wage-arrears/#no-such-figure)"])
    site = project_copy.root / "site"
    assert main(["--root", str(project_copy.root), "build", "--site-dir", str(site)]) == 1
    err = capsys.readouterr().err
    assert f"{WAGE}:{line}:{column + len('[the figure](')}: [broken-link]" in err, err
    assert not site.exists()


def test_links_in_glossary_and_report_are_checked_too(project_copy):
    def glossary(d):
        d["terms"][0]["definition"]["en"] += " [x](javascript:alert(document.domain))"

    def report(d):
        d["lead"]["en"] += " ![p](https://tracker.example/p.png)"

    _edit_yaml(project_copy.content_dir / "glossary.yaml", glossary)
    _edit_yaml(project_copy.content_dir / "report.yaml", report)
    _content, findings = check_content_dir(project_copy.content_dir, project_copy.root)
    found = {(f.path, f.check) for f in findings if f.check in ("unsafe-link", "broken-link")}
    assert found == {("content/glossary.yaml", "unsafe-link"), ("content/report.yaml", "unsafe-link")}


def test_site_links_in_prose_work_from_every_page(project_copy, tmp_path):
    """A site path in prose is written from the home page; on the area page and on the whole-report page (other
    depths) it leads to the same place, and the built site's link check finds nothing broken."""
    _insert_links(project_copy, ["[terms](glossary/#two-majors)"])
    _content, findings = check_content_dir(project_copy.content_dir, project_copy.root)
    assert not [f for f in findings if f.check in ("unsafe-link", "broken-link")]
    site = tmp_path / "out"
    build_site(project_copy, site)
    area = (site / "en/areas/14-wage-arrears/index.html").read_text(encoding="utf-8")
    whole = (site / "en/report/index.html").read_text(encoding="utf-8")
    assert '<a href="../../glossary/#two-majors">terms</a>' in area
    assert '<a href="../glossary/#two-majors">terms</a>' in whole


# --- generated hostile strings -------------------------------------------------------------------------------

FRAGMENTS = ["<", ">", "\"", "'", "&", "&amp;", "&#x3c;", "{", "}", "{:", "#", "[", "]", "(", ")", "!", "*", "_",
             "`", "\\", "\n", "\n\n", "  ", "{{", "}}", "{%", "%}", "<script>", "</script>", "</textarea>",
             "</title>", "<img src=x onerror=alert(document.domain)>", " onload=", "javascript:", "data:",
             "//evil.example", "](javascript:alert(document.domain))", "![a](//t.example/p.png)", "=", "+", "-",
             "@", "\t", "|", "\u202e", "\u200b", "汉字", "—", "ǅ", "\U0001f600", "x"]
hostile = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=12).map("".join).filter(lambda s: s.strip())


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=hostile, label=hostile, chart=hostile, bar=hostile, term=hostile, definition=hostile,
       site_name=hostile, switch=hostile, paragraph=hostile)
def test_generated_hostile_strings_build_harmlessly_or_fail_cleanly(title, label, chart, bar, term, definition,
                                                                     site_name, switch, paragraph):
    with tempfile.TemporaryDirectory(prefix="chenzhou-hostile-") as tmp:
        root = Path(tmp)
        project = _copy(root)

        def area(d):
            d["title"]["en"] = title
            d["metrics"][0]["label"]["en"] = label
            d["charts"][0]["title"]["en"] = chart
            d["charts"][0]["bars"][0]["label"]["en"] = bar
            d["paragraphs"][0]["en"] += " " + paragraph

        def glossary(d):
            d["terms"][0]["term"]["en"] = term
            d["terms"][0]["definition"]["en"] = definition

        def ui(d):
            d["strings"]["site_name"]["en"] = site_name
            d["strings"]["skip_language"]["en"] = switch

        _edit_yaml(root / WAGE, area)
        _edit_yaml(root / "content/glossary.yaml", glossary)
        _edit_yaml(root / "content/ui.yaml", ui)
        try:
            build_site(project, root / "site")
        except ContentError as exc:
            assert exc.problems and all(re.match(r"^content/\S+:\d+:\d+: ", str(p)) for p in exc.problems), exc
            event("refused with path:line:column")
            return
        except BuildFailed as exc:  # pragma: no cover - would be a finding in itself
            pytest.fail(f"MkDocs refused generated content: {exc}")
        event("built")
        assert check_allowlist(root / "site", root) == []
        shown = _texts(_page(root / "site", "en/areas/14-wage-arrears/index.html"), "//article//h1")
        assert shown == [flat(title)], (title, shown)


def test_an_image_inside_an_unsafe_link_is_a_finding_too(project_copy):
    [(line, column)] = _insert_links(project_copy, ["[x ![a](//t.example/p.png)](javascript:alert(document.domain))"])
    _content, findings = check_content_dir(project_copy.content_dir, project_copy.root)
    mine = sorted((f.line, f.column, f.message) for f in findings if f.check == "unsafe-link")
    assert [(at_line, at_column) for at_line, at_column, _ in mine] == [(line, column + len("[x ![a](")),
                                                                        (line, column + len("[x ![a](//t.example/p.png)]("))]
    assert "images are not allowed in prose" in mine[0][2] and "javascript: links are not allowed" in mine[1][2]
