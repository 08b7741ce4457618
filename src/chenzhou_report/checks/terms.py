"""`term-parity`: a glossary term is rendered the same declared way wherever it occurs.

For every text with both languages (paragraphs, titles, labels, chart titles, the lead, glossary terms and
definitions, interface strings): when the Chinese contains one of a term's `match.zh` forms, the English must
contain one of its `match.en` forms; and when the English contains a `match.en` form, the Chinese must contain a
`match.zh` form. A form is matched without the quotation marks around it (they mark a term on its first mention,
the glossary's own entry writes it bare: “两重” / 两重); English forms match without regard to case ("Tackling
Wage Arrears" in a title, "tackling wage arrears" in a sentence) and only as whole words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..errors import Problem
from ..languages import ENGLISH, SOURCE
from ..model import Content, Term
from .characters import is_bad
from .positions import text_position
from .prose import where as _where


QUOTES = "“”\"‘’'「」"


def _bare(form: str) -> str:
    return form.strip(QUOTES) or form


@lru_cache(maxsize=None)
def _english_form(form: str) -> re.Pattern:
    form = _bare(form)
    start = r"(?<![A-Za-z0-9])" if form[:1].isalnum() else ""
    end = r"(?![A-Za-z0-9])" if form[-1:].isalnum() else ""
    return re.compile(start + re.escape(form) + end, re.IGNORECASE)


def _first_english(term: Term, text: str) -> re.Match | None:
    hits = [m for form in term.match.en if (m := _english_form(form).search(text))]
    return min(hits, key=lambda m: m.start()) if hits else None


def _has_chinese(term: Term, text: str) -> str | None:
    return next((form for form in term.match.zh if _bare(form) in text), None)


def readable(text: str) -> tuple[str, list[int]]:
    """The text as a reader sees it, for matching: without the characters the check `characters` refuses
    (invisible, bidi, control), every run of white space one space (a line break loaded into a one-line field
    included); and for each character of it, its index in `text`. A stray character is `characters`' finding, so
    it does not also break a term here."""
    out, index = [], []
    for i, char in enumerate(text):
        if char.isspace():
            if out and out[-1] == " ":
                continue
            char = " "
        elif is_bad(char):
            continue
        out.append(char)
        index.append(i)
    return "".join(out), index


def check_term_parity(content: Content, prose) -> list[Problem]:
    """`prose`: (located, loc, lang, text) for every prose text, as `checks.prose.prose` yields them."""
    pairs: dict[tuple, dict] = {}
    for src, loc, lang, text in prose:
        pairs.setdefault((src.path, loc[:-1]), {"src": src})[lang] = text
    terms = [t for t in content.glossary.terms if t.match.zh and t.match.en]
    out = []
    for (path, loc), entry in pairs.items():
        if SOURCE not in entry or ENGLISH not in entry:
            continue
        src, (zh, _), (en, en_index) = entry["src"], readable(entry[SOURCE]), readable(entry[ENGLISH])
        where = _where(loc)
        for term in terms:
            chinese = _has_chinese(term, zh)
            english = _first_english(term, en)
            forms = ", ".join(f"“{f}”" for f in term.match.en)
            if chinese and english is None:
                line, column = src.position(loc + (ENGLISH,))
                out.append(Problem.found(path, line, column, "term-parity",
                    f"the Chinese of {where} has the glossary term “{_bare(chinese)}” ({term.id}) but the English has "
                    f"none of its declared renderings ({forms}): use one of them, or, if this rendering is right, "
                    f"add it to match.en of {term.id} in glossary.yaml",
                    f"中文含术语“{chinese}”，英文未使用其规定译法"))
            elif english is not None and not chinese:
                line, column = text_position(src, loc + (ENGLISH,), entry[ENGLISH], en_index[english.start()])
                out.append(Problem.found(path, line, column, "term-parity",
                    f"the English of {where} uses “{english.group(0)}”, the rendering of glossary term "
                    f"“{term.term.zh}” ({term.id}), but the Chinese has none of its forms "
                    f"({', '.join(term.match.zh)}): reword the English, or declare the Chinese form under "
                    f"match.zh of {term.id}", f"英文使用了术语“{term.term.zh}”的译法，但中文没有该术语"))
    return out


__all__ = ["check_term_parity"]
