"""Content checks of the links and images written in prose, before any build.

- `unsafe-link`: a link the site would not publish (javascript:, data:, http:, //host, /\\host, a root path, ..)
  or an image (images are not allowed in prose: the site shows only pictures its templates place, and loads
  nothing from another host; `escape.classify_url` says why each one is refused and what to write instead).
- `broken-link`: a link to a path of this site that is not one of its pages, or to an #anchor that page does not
  have; a `.md` file name, a bare `#anchor` (the same text is shown on several pages) or a page path without its
  trailing slash, each with the link to write instead.

Links are found the way the site renders them: every prose text goes through `markup.ProseRenderer`, which records
every link and image it meets (inline, reference-style, autolinks), so the check cannot miss a form the renderer
publishes. The anchors of each page are declared in `site_anchors`; tests/test_adversarial_markup.py checks every
one of them against the built site, so the declaration cannot drift from the templates.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter

from ..escape import classify_url
from ..markup import ProseRenderer
from ..model import LANGS, REF, Content
from ..render import area_url
from ..yamlload import Located
from . import Finding
from .prose import prose as prose_texts, where

#: the sections of an area page with a fixed id (templates/pages/area.md.j2)
AREA_SECTIONS = ("narrative", "key-figures", "data")
ABOUT_SECTIONS = ("source", "method", "rounding", "reported", "data")
HINT_UNSAFE = "链接不安全或不允许：正文只能链接到 https://、mailto: 或本站页面，不能插入图片"
HINT_BROKEN = "链接指向本站不存在的页面或锚点"


def site_anchors(content: Content) -> dict[str, set[str]]:
    """Every page of one language, as the path a prose link writes (from the language's home), and its #anchors."""
    pages: dict[str, set[str]] = {
        "": {"areas"},
        "report/": {f"area-{area.number}" for area in content.areas},
        "glossary/": {term.id.replace("_", "-") for term in content.glossary.terms},
        "about/": set(ABOUT_SECTIONS),
    }
    for area in content.areas:
        anchors = set(AREA_SECTIONS) | {m.id for m in area.metrics}
        if area.charts:
            charts = {"chart-" + chart.id.replace("_", "-") for chart in area.charts}
            anchors |= {"charts"} | charts
            pages["report/"] |= charts
        pages[area_url(area)] = anchors
    return pages


def check_links(content: Content) -> list[Finding]:
    pages = site_anchors(content)
    renderers = {lang: ProseRenderer(content, lang) for lang in LANGS}
    out: list[Finding] = []
    for src, loc, lang, text in prose_texts(content):
        renderer = renderers[lang]
        renderer.seen = []
        renderer.block(REF.sub("x", text))  # references do not matter here (and may be the load check's business)
        seen: Counter = Counter()
        for kind, target in renderer.seen:
            seen[target] += 1
            line, column = _locate(src, loc, target, seen[target])
            message = _problem(kind, target, pages, src.path, content)
            if message is not None:
                check, words = message
                out.append(Finding(src.path, line, column, check, f"{where(loc)}: {words}",
                                   HINT_UNSAFE if check == "unsafe-link" else HINT_BROKEN))
    return sorted(set(out))


def _problem(kind: str, target: str, pages: dict[str, set[str]], path: str, content: Content):
    """(check id, message) for a link or image that may not be published, else None."""
    if kind == "image":
        return ("unsafe-link", f"image {target!r}: images are not allowed in prose (the site shows only the "
                "pictures its templates place and loads nothing from another host); describe it in words, or "
                "link to it: [words](https://…)")
    verdict = classify_url(target)
    if not verdict.ok:
        return "unsafe-link", f"link {target!r}: {verdict.reason} ({verdict.advice})"
    if verdict.kind != "site":
        return None
    url = verdict.url.removeprefix("./")
    page, _, anchor = url.partition("#")
    example = _area_page_of(path, content)
    if not page:
        if not anchor:
            return None  # the home page
        return ("broken-link", f"link {target!r}: a bare #anchor would lead elsewhere on each page that shows "
                f"this text; write the page too, e.g. {example}#{anchor}")
    if page not in pages:
        guess = _suggest(page, pages)
        return ("broken-link", f"link {target!r}: {page!r} is not a page of this site (write the page's path from "
                f"the home page, e.g. {guess or example or 'glossary/'})")
    if anchor and anchor not in pages[page]:
        near = difflib.get_close_matches(anchor, sorted(pages[page]), n=1)
        hint = f"did you mean #{near[0]}?" if near else f"its anchors: {', '.join(sorted(pages[page])[:8])}"
        return "broken-link", f"link {target!r}: page {page or 'home'} has no anchor #{anchor} ({hint})"
    return None


def _suggest(page: str, pages: dict[str, set[str]]) -> str:
    stem = page.removesuffix(".md").removesuffix(".html").removesuffix("/index").rstrip("/") + "/"
    if stem in pages:
        return stem
    near = difflib.get_close_matches(page, [p for p in pages if p], n=1)
    return near[0] if near else ""


def _area_page_of(path: str, content: Content) -> str:
    for area in content.areas:
        if content.area_source(area).path == path:
            return area_url(area)
    return ""


def _locate(src: Located, loc: tuple, target: str, nth: int) -> tuple[int, int]:
    """Line and column of the nth place `target` is written as a link target — after `(`, `<` or `]:` — in the raw
    text from the value at `loc` on; else of the value itself."""
    line, column = src.position(loc)
    lines = src.text.split("\n")
    start = sum(len(x) + 1 for x in lines[: line - 1]) + column - 1
    if target:
        written = re.compile(r"(?:\(\s*|<|\]:\s*)(" + re.escape(target) + r")(?=[\s)>\"']|$)")
        for count, match in enumerate(written.finditer(src.text, start), 1):
            if count == nth:
                before = src.text[:match.start(1)]
                return before.count("\n") + 1, match.start(1) - (before.rfind("\n") + 1) + 1
    return line, column


__all__ = ["check_links", "site_anchors"]
