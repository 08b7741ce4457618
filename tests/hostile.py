"""The hostile content shared by tests/test_adversarial_markup.py and tests/browser/test_csp.py: one copy of the
real project with every markup injection in every kind of text field."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from chenzhou_report.languages import CONFIGS
from chenzhou_report.build import Project

ROOT = Path(__file__).resolve().parent.parent
WAGE = "content/areas/14-wage-arrears.yaml"

#: every markup injection at once: tags, event attributes, quote breakouts, attr_list, Markdown links and images
#: with unsafe URLs, entity tricks, end tags of raw-text elements, template syntax (no digit: {{ }} must not be 49)
INJECTION = ('<img src=x onerror=alert(document.domain)> "><svg onload=alert(document.domain)> '
             "' onmouseover='alert(document.domain)' x=\" {onclick=alert(document.domain)} {: #evil .evil } "
             "[x](javascript:alert(document.domain)) ![t](https://tracker.example/p.png) [d](data:text/html,hi) "
             "&lt;b&gt; &amp;amp; Q&A </script><script>alert(document.domain)</script> "
             "</textarea><script>alert(document.domain)</script> </title><script>alert(document.domain)</script> "
             "{{ config.site_name }} {{ seven*seven }} {% if true %}JINJA{% endif %} *em* _u_ `code` # hash \\ end")


def payload(tag: str) -> str:
    """The injection, marked with the field it was put in."""
    return f"{tag}: {INJECTION}"


def flat(text: str) -> str:
    return " ".join(text.split())


def edit_yaml(path: Path, change) -> None:
    text = path.read_text(encoding="utf-8")
    first = text.split("\n", 1)[0]
    data = yaml.safe_load(text)
    change(data)
    dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1 << 20)
    path.write_text((first + "\n" if first.startswith("#") else "") + dumped, encoding="utf-8")


def copy_project(dst: Path) -> Project:
    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, dst / name)
    for name in CONFIGS:
        shutil.copy2(ROOT / name, dst / name)
    return Project(dst)


#: the multi-line title: block syntax (headings, paragraphs, HTML blocks, attr_list) on lines of its own
NEWLINE_TITLE = ("Domestic demand\n# Injected heading\n\n<p onclick=alert(document.domain)>para</p>\n"
                 "{: onclick=alert(document.domain) }\n- item")


def doctor(root: Path) -> None:
    content = root / "content"

    def area14(d):
        d["title"]["en"] = payload("AREA-TITLE")
        d["title"]["zh"] = payload("领域标题")
        d["paragraphs"][0]["en"] = payload("PARAGRAPH") + " " + d["paragraphs"][0]["en"]
        metric = next(m for m in d["metrics"] if m["id"] == "wage_recovered")
        metric["label"]["en"] = payload("METRIC-LABEL")
        metric["label"]["zh"] = "=HYPERLINK(\"https://evil.example\",\"x\")"
        metric["source"] = "@SUM(A1:A2) " + metric["source"]
        chart = d["charts"][0]
        chart["title"]["en"] = payload("CHART-TITLE")
        chart["bars"][0]["label"]["en"] = payload("BAR-LABEL")
        other = next(m for m in d["metrics"] if m["id"] == "wage_workers")
        other["label"]["en"] = "-2+3 =cmd|' /C calc'!A0"

    def area01(d):
        d["title"]["en"] = NEWLINE_TITLE

    def glossary(d):
        term = d["terms"][0]
        term["term"]["en"] = payload("TERM")
        term["definition"]["en"] = payload("DEFINITION")

    def report(d):
        d["title"]["en"] = payload("REPORT-TITLE")
        d["byline"]["en"] = payload("BYLINE")
        d["subtitle"]["en"] = payload("SUBTITLE")
        d["lead"]["en"] = payload("LEAD")

    def ui(d):
        s = d["strings"]
        s["site_name"]["en"] = payload("SITE-NAME")
        s["site_description"]["en"] = payload("SITE-DESCRIPTION")
        s["skip_language"]["zh"] = payload("CHOOSE")
        s["home"]["en"] = payload("HOME")
        s["glossary"]["en"] = payload("GLOSSARY")
        s["narrative"]["en"] = payload("NARRATIVE")

    edit_yaml(content / "areas" / "14-wage-arrears.yaml", area14)
    edit_yaml(content / "areas" / "01-domestic-demand.yaml", area01)
    edit_yaml(content / "glossary.yaml", glossary)
    edit_yaml(content / "report.yaml", report)
    edit_yaml(content / "ui.yaml", ui)


