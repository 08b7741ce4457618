"""Checks of a converted edition's built pages (site/zh-hant), each page against its counterpart in the edition it
is converted from (site/zh):

- `hant-script`: no character of the source's script left. Every text a reader sees (text, `title`, `aria-label`,
  `alt`, `placeholder`, meta descriptions; not inside an element whose `lang` is another edition's, such as the
  language switch) is converted back (OpenCC `hk2s`) and forward again (`s2hk`): a character that does not come back
  as itself is one the conversion never touched — typed into a template, or a text that bypassed it. The forms of
  the override table are reviewed and kept out of the round trip.
- `hant-terms`: every glossary term (and its match words), every override phrase and every name of report.yaml
  appears on the page in its declared Traditional form — the form the override table gives, else the term's own
  conversion, as the Traditional glossary prints it — as often as the Simplified page has the term: OpenCC converts
  by longest phrase, so a term inside a longer phrase can come out otherwise.
- `hant-figures`: the page shows the same figures as its Simplified counterpart, in the same order, each the
  Simplified figure converted (107.42亿元 -> 107.42億元) with the same machine value.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import opencc

from ..convert import converter_for
from ..convert import figure as converted_figure
from ..errors import Problem
from ..languages import LANGUAGES, language
from ..model import Content

#: attributes whose text a reader meets (hover, screen readers, search engines)
TEXT_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")
#: CJK characters: the only ones a Chinese conversion changes
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


@lru_cache(maxsize=None)
def _opencc(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


class _Texts(HTMLParser):
    """(text, line, column) of every text a reader sees on a page in its own language."""

    SKIP = {"script", "style", "template"}

    def __init__(self, page_lang: str):
        super().__init__(convert_charrefs=True)
        self.page_lang = page_lang.lower()
        self.stack: list[tuple[str, bool]] = []  # (tag, inside another language or skipped)
        self.texts: list[tuple[str, int, int]] = []
        self.figures: list[tuple[str, str, str, int, int]] = []  # (metric id, value, text, line, column)
        self._figure: list | None = None
        self.h1 = (1, 1)  # where a finding about the whole page points

    def _foreign(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        line, offset = self.getpos()
        lang = (attrs.get("lang") or "").lower()
        foreign = self._foreign() or tag in self.SKIP or (bool(lang) and tag != "html" and lang != self.page_lang)
        if tag == "html" and lang:
            self.page_lang = lang
        if tag == "h1" and self.h1 == (1, 1):
            self.h1 = (line, offset + 1)
        if not foreign:
            for name in TEXT_ATTRIBUTES:
                if attrs.get(name):
                    self.texts.append((attrs[name], line, offset + 1))
            if tag == "meta" and (attrs.get("name") == "description" or attrs.get("property") in (
                    "og:title", "og:description")) and attrs.get("content"):
                self.texts.append((attrs["content"], line, offset + 1))
        if tag == "data" and "data-metric" in attrs:
            self._figure = [attrs["data-metric"] or "", attrs.get("value") or "", [], line, offset + 1]
        if tag not in ("meta", "link", "br", "img", "input", "hr", "source", "wbr", "area", "base", "col"):
            self.stack.append((tag, foreign))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break
        if tag == "data" and self._figure is not None:
            ident, value, parts, line, column = self._figure
            self.figures.append((ident, value, "".join(parts), line, column))
            self._figure = None

    def handle_data(self, data):
        if self._figure is not None:
            self._figure[2].append(data)
        if not self._foreign() and _CJK.search(data):
            line, offset = self.getpos()
            self.texts.append((data, line, offset + 1))


def page_texts(path: Path, page_lang: str) -> _Texts:
    parser = _Texts(page_lang)
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser


def _at(text: str, index: int, line: int, column: int) -> tuple[int, int]:
    """The line and column of text[index], the text starting at (line, column)."""
    before = text[:index]
    breaks = before.count("\n")
    return (line + breaks, index - before.rfind("\n")) if breaks else (line, column + index)


def script_left(text: str, back: opencc.OpenCC, forth: opencc.OpenCC, kept: re.Pattern | None) -> list[int]:
    """Offsets of the characters of `text` that do not survive the round trip back to the source's script and
    forth again (the reviewed forms matched by `kept` are left out)."""
    out, last = [], 0
    pieces = []
    for match in (kept.finditer(text) if kept is not None else ()):
        pieces.append((last, text[last:match.start()]))
        last = match.end()
    pieces.append((last, text[last:]))
    for start, piece in pieces:
        if not _CJK.search(piece):
            continue
        again = forth.convert(back.convert(piece))
        if len(again) != len(piece):
            out.append(start)
            continue
        out.extend(start + i for i, (a, b) in enumerate(zip(piece, again)) if a != b)
    return out


def _declared(content: Content, code: str) -> dict[str, str]:
    """Simplified word -> the Traditional form the edition declares for it."""
    source = language(code).text_from
    conv = converter_for(content, code)
    words = set()
    for term in content.glossary.terms:
        words.add(term.term[source])
        words.update(term.match[source])
    for value in content.report.names.values():
        words.add(value if isinstance(value, str) else value[source])
    table = content.overrides.get(code)
    words.update(o.phrase for o in (table.overrides if table else ()))
    return {word: conv.convert(word) for word in words if _CJK.search(word)}


def check_converted(site_dir: Path, content: Content, show) -> list[Problem]:
    """The three checks on every page of every converted edition; `show(path)` is how a path is printed."""
    out: list[Problem] = []
    for edition in LANGUAGES:
        if edition.text_from is None or not (site_dir / edition.code).is_dir():
            continue
        source = language(edition.text_from)
        table = content.overrides.get(edition.code)
        forms = sorted({o.form for o in (table.overrides if table else ())}, key=lambda f: (-len(f), f))
        kept = re.compile("|".join(map(re.escape, forms))) if forms else None
        back, forth = _opencc(edition.opencc_reverse), _opencc(edition.opencc)
        declared = _declared(content, edition.code)
        for path in sorted((site_dir / edition.code).rglob("*.html")):
            inner = path.relative_to(site_dir / edition.code)
            here = page_texts(path, edition.tag)
            where = show(path)
            for text, line, column in here.texts:
                for index in script_left(text, back, forth, kept):
                    ln, col = _at(text, index, line, column)
                    out.append(Problem.found(
                        where, ln, col, "hant-script",
                        f"{text[index]!r} in {text[max(0, index - 6):index + 6].strip()!r} is a character of the "
                        f"{source.name} script that the conversion to {edition.name} never touched (a word typed "
                        "into a template, or a text that bypassed convert.py; if OpenCC is right to keep it, "
                        f"declare the phrase in content/{edition.overrides_file})",
                        "页面上留有未转换的简体字"))
            counterpart = site_dir / source.code / inner
            if not counterpart.is_file():
                continue
            there = page_texts(counterpart, source.tag)
            out += _terms(where, here, there, declared, edition)
            out += _figures(where, here, there, edition)
    return out


def _terms(where: str, here: _Texts, there: _Texts, declared: dict[str, str], edition) -> list[Problem]:
    out = []
    page = "".join(t for t, _l, _c in here.texts)
    simplified = "".join(t for t, _l, _c in there.texts)
    line, column = here.h1
    for word, form in sorted(declared.items()):
        wanted, found = simplified.count(word), page.count(form)
        if found < wanted:
            out.append(Problem.found(
                where, line, column, "hant-terms",
                f"{word!r} is on the Simplified page {wanted} time(s) but its declared form {form!r} only "
                f"{found} time(s) here: the conversion wrote it otherwise in context (declare the longer phrase it "
                f"sits in, with its form, in content/{edition.overrides_file})",
                f"术语“{word}”未按规定写成“{form}”"))
    return out


def _figures(where: str, here: _Texts, there: _Texts, edition) -> list[Problem]:
    out = []
    for i, (ident, value, text, line, column) in enumerate(here.figures):
        if i >= len(there.figures):
            out.append(Problem.found(where, line, column, "hant-figures", f"figure {ident} ({text!r}) is not on "
                                     "the Simplified page (it shows fewer figures)", "简体页面没有这个数字"))
            continue
        s_ident, s_value, s_text, _l, _c = there.figures[i]
        expected = converted_figure(s_text, edition.code)
        if (ident, value) != (s_ident, s_value) or text != expected:
            out.append(Problem.found(where, line, column, "hant-figures",
                                     f"figure {i + 1} is {ident}={value} printed {text!r}; the Simplified page "
                                     f"has {s_ident}={s_value} printed {s_text!r}, i.e. {expected!r} here",
                                     "数字与简体页面不一致"))
    if len(there.figures) > len(here.figures):
        ident, value, text, _line, _column = there.figures[len(here.figures)]
        line, column = here.h1
        out.append(Problem.found(where, line, column, "hant-figures",
                                 f"the Simplified page shows {len(there.figures)} figures, this page "
                                 f"{len(here.figures)}: {ident} ({text!r}) and any after it are missing",
                                 "缺少简体页面上的数字"))
    return out
