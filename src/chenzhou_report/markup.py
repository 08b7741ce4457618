"""Prose to safe HTML: inline Markdown, figures as `<data>`, glossary terms marked.

A content text is Markdown with `{id}` references. Raw HTML in it is escaped (the HTML preprocessor and inline
pattern are removed), and every `{metric}` becomes `<data value="…" data-metric="id">printed form</data>` in the
page's language, in the running-text form of `numbers.format_metric` (English "six pilot reforms", "ranking
third"); figures in tables, cards and charts are printed by the templates in the figure form. Nothing in content is
executed.

Links go through `escape.classify_url`: `https:` and `mailto:` stay, a path of this site (written from the
language's home: `glossary/#term-id`) is prefixed with the way from the current page to the home. Images are not
allowed in prose (the site shows no picture an editor did not put in a template, and makes no request to another
host). The content checks `unsafe-link` and `broken-link` (checks/links.py) refuse both with path:line:column
before any build; should such a text reach the renderer anyway, the link or image is dropped and its text kept —
never a `href="#"`, never the URL. Every link and image met is recorded in `ProseRenderer.seen` for those checks.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from .escape import classify_url
from .model import REF, Content, Term
from .numbers import format_metric, machine_value


@dataclass
class Linker:
    """Where glossary entries live, seen from the current page, and which terms are already marked on it."""

    glossary_url: str
    #: the way from the current page to the language's home ('../../' on an area page): site links start there
    root: str = ""
    marked: set[str] = field(default_factory=set)


class _RefProcessor(InlineProcessor):
    def __init__(self, renderer: "ProseRenderer"):
        super().__init__(r"\{([a-z][a-z0-9_]*)\}")
        self.renderer = renderer

    def handleMatch(self, m, data):  # noqa: N802 - Markdown's API
        return self.renderer.reference(m.group(1)), m.start(0), m.end(0)


class _SafetyAndTerms(Treeprocessor):
    def __init__(self, md, renderer: "ProseRenderer"):
        super().__init__(md)
        self.renderer = renderer

    def run(self, root):
        elements = list(root.iter())  # document order: how the content checks count a target met twice
        for element in elements:
            if element.tag in ("img", "a"):
                self.renderer.seen.append(("image" if element.tag == "img" else "link",
                                           element.get("src" if element.tag == "img" else "href", "")))
        # innermost first: an image inside a link that is dropped moves up to the link's parent, where it would
        # otherwise be missed (found by the hostile-strings fuzz test: `[<![a](//host/p.png)](javascript:…)`)
        parents = {child: parent for parent in elements for child in parent}
        for element in reversed(elements):
            parent = parents.get(element)
            if parent is None:
                continue
            if element.tag == "img":
                _unwrap(parent, element, element.get("alt", ""))
            elif element.tag == "a":
                self._link(parent, element)
        if self.renderer.linker is not None:
            self.renderer.mark_terms(root)

    def _link(self, parent, element):
        href = element.get("href", "")
        verdict = classify_url(href)
        if not verdict.ok:
            _unwrap(parent, element)
        elif verdict.kind == "external":
            element.set("rel", "external noopener")
        elif verdict.kind == "site":
            root = self.renderer.linker.root if self.renderer.linker is not None else ""
            element.set("href", root + verdict.url.removeprefix("./"))


def _unwrap(parent, element, text=None):
    """Replace `element` by its text (or `text`) and children, keeping what followed it."""
    index = list(parent).index(element)
    children = list(element) if text is None else []
    lead = (element.text or "") if text is None else text
    if index == 0:
        parent.text = (parent.text or "") + lead
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + lead
    parent.remove(element)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    tail = element.tail or ""
    if children:
        children[-1].tail = (children[-1].tail or "") + tail
    elif index == 0:
        parent.text += tail
    else:
        parent[index - 1].tail += tail


class ProseRenderer:
    """Renders content prose for one language."""

    def __init__(self, content: Content, lang: str):
        self.content = content
        self.lang = lang
        self.linker: Linker | None = None
        #: ("link" | "image", target as written) for every link and image rendered, for the content checks
        self.seen: list[tuple[str, str]] = []
        self.md = markdown.Markdown(extensions=[])
        self.md.preprocessors.deregister("html_block")
        self.md.inlinePatterns.deregister("html")
        # prose makes no heading: a paragraph ending in a line of `=` or `-` (setext) or a line opening with `#` would
        # become an <h1>/<h2> beside the page's own (found by the hostile-strings fuzz test); it stays text
        self.md.parser.blockprocessors.deregister("setextheader")
        self.md.parser.blockprocessors.deregister("hashheader")
        self.md.inlinePatterns.register(_RefProcessor(self), "metric_ref", 200)
        self.md.treeprocessors.register(_SafetyAndTerms(self.md, self), "safety_terms", 0)
        self._terms = sorted(
            ((needle, term) for term in content.glossary.terms for needle in term.match[lang]),
            key=lambda pair: -len(pair[0]),
        )

    # -- references --
    def reference(self, ref: str):
        metric = self.content.metrics.get(ref)
        if metric is None:  # a declared name: plain text
            return self.content.report.name(ref, self.lang)
        element = etree.Element("data", {"value": machine_value(metric), "data-metric": metric.id})
        element.text = self.printed(metric)
        return element

    def printed(self, metric) -> str:
        """A figure as running text prints it: "six pilot reforms", "ranking third"."""
        return format_metric(metric, self.lang, running_text=True)

    def plain(self, text: str) -> str:
        """Text with references printed, no markup (for titles, descriptions, CSV)."""
        return REF.sub(lambda m: self._plain_ref(m.group(1)), text)

    def _plain_ref(self, ref: str) -> str:
        metric = self.content.metrics.get(ref)
        return self.printed(metric) if metric else self.content.report.name(ref, self.lang)

    # -- rendering --
    def block(self, text: str, linker: Linker | None = None) -> Markup:
        """A paragraph of prose as `<p>…</p>`."""
        self.linker = linker
        try:
            html = self.md.reset().convert(text)
        finally:
            self.linker = None
        return Markup(html)

    def inline(self, text: str, linker: Linker | None = None) -> Markup:
        """A short text (a title, a label) without the surrounding `<p>`."""
        html = str(self.block(text, linker))
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        return Markup(html)

    # -- glossary --
    def mark_terms(self, root: etree.Element) -> None:
        """Link the first mention of each glossary term on the page to its entry."""
        for parent in list(root.iter()):
            if parent.tag in ("a", "data", "code", "abbr"):
                continue
            self._mark_in(parent, "text", 0)
            for child in list(parent):
                if child.get("class") != "glossary-term":  # their tails were handled when they were made
                    self._mark_in(parent, "tail", list(parent).index(child) + 1, child)

    def _mark_in(self, parent, attr, insert_at, holder=None):
        """Link the earliest unmarked term in one text node, then go on in the text after it."""
        holder = holder if holder is not None else parent
        text = getattr(holder, attr)
        if not text:
            return
        best = None
        for needle, term in self._terms:  # longest first, so the earliest longest match wins
            if term.id in self.linker.marked:
                continue
            position = text.find(needle)
            if position >= 0 and (best is None or position < best[0]):
                best = (position, needle, term)
        if best is None:
            return
        position, needle, term = best
        self.linker.marked.add(term.id)
        setattr(holder, attr, text[:position])
        link = self._term_link(term, needle)
        link.tail = text[position + len(needle):]
        parent.insert(insert_at, link)
        self._mark_in(parent, "tail", insert_at + 1, link)

    def _term_link(self, term: Term, needle: str) -> etree.Element:
        link = etree.Element("a", {
            "class": "glossary-term",
            "href": f"{self.linker.glossary_url}#{term.id.replace('_', '-')}",
            "title": self.plain(term.definition[self.lang]),
        })
        link.text = needle
        return link
