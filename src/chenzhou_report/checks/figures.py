"""Figures written in words, and figures that must be the same in every language.

Numbers are read by maintained libraries, never by a table of our own: Chinese numerals with `cn2an`, English
number words with `text2num` (`alpha2digit`), and the English vocabulary of number words is what `num2words`
writes for the cardinals and ordinals. Three checks:

- `written`: a metric's `written:` form states, in each language, exactly the number of its `value` (with its
  scale): 六项 = 6 = six, 第十个 = 10 = tenth, 百强 = 100 = Top 100. 首 (首个, 首批, 首届: "the first") is the one
  Chinese word for a number that is not a numeral; it reads as 1.
- `names`: a name declared as a translation (`{zh: …, en: …, translation: why}`) states the same numbers in both
  languages.
- `number-words`: a number written in words where a figure belongs — in the prose of the areas and of report.yaml
  (paragraphs, titles, lead, labels, chart titles, bar labels) and in counters. The rule, precisely:
  - English: a run of number words (what num2words writes for 0–19, the tens, hundred, thousand, million, billion,
    trillion, their ordinals, and the plurals tens/hundreds/thousands/…; dozen and dozens, which text2num does not
    read). Not flagged: "one"/"ones" alone (a pronoun or article: "one of the", "new ones"), "first"/"second" alone
    (order: "for the first time", "a second round"), and a multiplier right after "per" ("per thousand", a unit).
  - Chinese: a run of two or more numeral characters (〇零一二两三四五六七八九十百千万亿) containing 十, 百, 千, 万
    or 亿 (十六, 三千八百, 二十四). Single numerals and runs without those characters are ordinary words in Chinese
    (一流, 一批, 两级, 进一步, 一企一策, 每千, 百强) and are not flagged; where the article states a figure that way,
    it is a metric with `written:` (十佳, 百强, 六项).
  - Declared glossary terms (their `match:` words, "Four Hundreds", “四百工程”) and {references} are not prose.
  - Counters hold no number word at all (any numeral character in `counter.zh`, any number word in `counter.en`).
  Glossary definitions and ui strings are the project's own explanations, not the article's figures: their digits
  are `bare-number` findings, their number words are not checked.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter as Tally
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import cn2an
from num2words import num2words
from text_to_num import alpha2digit

from ..errors import Problem
from ..languages import SOURCE, WRITTEN, language
from ..model import Content, Metric, Name
from ..yamlload import Located, _line_column, _line_starts
from .prose import where

CN_NUMERALS = "〇零一二两三四五六七八九十百千万亿"
CN_MULTIPLIERS = "十百千万亿"
CN_RUN = re.compile(f"[{CN_NUMERALS}]+")
#: 首 "the first": the one Chinese word for a number that is not a numeral
CN_FIRST = "首"
#: an escape in a double-quoted YAML string
ESCAPE = re.compile(r"\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)")
#: digits as typed (any script: \d), with decimals
DIGIT_RUN = re.compile(r"\d+(?:\.\d+)?")
#: after text2num: 10th, 1st, 100, 2.5
EN_NUMBER = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?:st|nd|rd|th)?(?![\w])")
#: English words that are ordinary words when they stand alone
EN_ORDINARY = {"one", "ones", "first", "second"}
#: text2num does not read these
EN_EXTRA = {"dozen": 12, "dozens": 12}
#: "per hundred", "per thousand" …: units of a rate
PER_UNITS = {Decimal(10) ** k for k in (2, 3, 6, 9, 12)}


@lru_cache(maxsize=1)
def english_number_words() -> frozenset[str]:
    """Every word num2words uses for a cardinal or an ordinal (0–19, tens, multipliers), with plurals."""
    words: set[str] = set()
    multipliers = [100, 1000, 10**6, 10**9, 10**12]
    for n in [*range(20), *range(20, 100, 10), *multipliers]:
        for form in (num2words(n), num2words(n, to="ordinal")):
            words.update(w for w in re.split(r"[\s,-]+", form) if w and w != "and")
    for n in [10, *multipliers]:
        words.add(num2words(n).split()[-1] + "s")  # tens, hundreds, thousands, millions …
    return frozenset(words | set(EN_EXTRA))


@lru_cache(maxsize=1)
def _english_run() -> re.Pattern:
    word = "|".join(sorted(english_number_words(), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{word})(?:(?:\s+and\s+|\s+|-)(?:{word}))*(?![\w-])", re.IGNORECASE)


def english_runs(text: str):
    """(start, end, words) of every run of English number words in `text`."""
    for match in _english_run().finditer(text):
        yield match.start(), match.end(), match.group(0)


def english_value(words: str) -> Decimal | None:
    """The number a run of English number words states, read by text2num (None if it reads none)."""
    lower = words.lower()
    if lower in EN_EXTRA:
        return Decimal(EN_EXTRA[lower])
    found = [Decimal(m.group(1)) for m in EN_NUMBER.finditer(alpha2digit(lower, "en", threshold=0))]
    return found[0] if len(found) == 1 else None


def chinese_value(run: str) -> Decimal | None:
    """The number a run of Chinese numerals states, read by cn2an (百 alone is 一百); None if it reads none."""
    text = "一" + run if run[0] in "百千万亿" else run
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return Decimal(str(cn2an.cn2an(text, "normal")))
    except (ValueError, KeyError, IndexError, TypeError, InvalidOperation):
        return None


def numbers_in(text: str, lang: str) -> list[Decimal | None]:
    """Every number a short text (a written form, a name) states, in order; None for one no library can read."""
    out: list[tuple[int, Decimal | None]] = []
    for match in DIGIT_RUN.finditer(text):
        try:
            out.append((match.start(), Decimal(match.group(0))))
        except InvalidOperation:  # digits of other scripts Decimal does not take
            out.append((match.start(), None))
    if language(lang).chinese:
        out += [(m.start(), chinese_value(m.group(0))) for m in CN_RUN.finditer(text)]
        out += [(m.start(), Decimal(1)) for m in re.finditer(CN_FIRST, text)]
    else:
        out += [(start, english_value(words)) for start, _end, words in english_runs(text)]
    return [n for _start, n in sorted(out, key=lambda x: x[0])]


def _number_text(number: Decimal | None) -> str:
    return "a number no library can read" if number is None else format(number.normalize(), "f")


# --- positions ---------------------------------------------------------------------------------------------------

def value_offsets(src: Located, loc: tuple, text: str) -> list[int]:
    """For each character of the loaded string at `loc`, its index in the file's raw text.

    The loaded text differs from the raw YAML by quotes, escapes and folded line breaks; each character is matched
    to the next equal raw character nearby (a character written as an escape maps to where the escape is)."""
    line, column = src.position(loc)
    starts = _line_starts(src.text)
    j = starts[min(line, len(starts)) - 1] + column - 1
    raw = src.text
    out = []
    for char in text:
        escape = ESCAPE.match(raw, j) if char != "\\" or raw[j + 1: j + 2] == "\\" else None
        if escape and (char != raw[j] or char == "\\"):  # "\u202e", "\n", "\\" in a double-quoted string
            out.append(j)
            j = escape.end()
            continue
        found = raw.find(char, j, j + 80)
        if found < 0 and char == " ":  # a folded line break
            found = next((k for k in range(j, min(j + 80, len(raw))) if raw[k] in "\r\n"), -1)
        if found < 0:
            out.append(j)
            continue
        out.append(found)
        j = found + 1
    return out


def position(src: Located, raw_index: int) -> tuple[int, int]:
    """Line and column of a character of the raw text, counted as YAML (and every other finding) counts them."""
    return _line_column(_line_starts(src.text), raw_index)


def at(src: Located, loc: tuple, text: str, index: int) -> tuple[int, int]:
    """Line and column of character `index` of the string `text` loaded from `loc`."""
    offsets = value_offsets(src, loc, text)
    return position(src, offsets[min(index, len(offsets) - 1)]) if offsets else src.position(loc)


# --- written forms ---------------------------------------------------------------------------------------------

def check_written(content: Content) -> list[Problem]:
    out = []
    for area in content.areas:
        src = content.area_source(area)
        for i, metric in enumerate(area.metrics):
            if metric.written is not None:
                out += _written(metric, ("metrics", i, "written"), src)
    return out


def _written(metric: Metric, loc: tuple, src: Located) -> list[Problem]:
    out = []
    expected = metric.number
    for lang in WRITTEN:
        text = metric.written[lang]
        stated = numbers_in(text, lang)
        line, column = src.position(loc + (lang,))
        name = language(lang).name
        if not stated:
            out.append(Problem.found(src.path, line, column, "written",
                f"the {name} written form {text!r} of {metric.id} states no number, but value is "
                f"{_number_text(expected)} (write the number in words, e.g. 六项 / six, 第十个 / tenth)",
                "written 的文字中没有数字，应与 value 一致"))
        wrong = [n for n in stated if n != expected]
        if wrong:
            out.append(Problem.found(src.path, line, column, "written",
                f"the {name} written form {text!r} of {metric.id} states {_number_text(wrong[0])}, but value is "
                f"{_number_text(expected)} (make the words and `value` say the same number, in every language)",
                f"written 的文字表示的数字（{_number_text(wrong[0])}）与 value（{_number_text(expected)}）不一致"))
    return out


# --- names -----------------------------------------------------------------------------------------------------

def check_names(content: Content, src: Located) -> list[Problem]:
    out = []
    for name_id, value in content.report.names.items():
        if not isinstance(value, Name):
            continue
        source = numbers_in(getattr(value, SOURCE), SOURCE)
        for lang in WRITTEN[1:]:  # every translation against the source's own wording
            stated = numbers_in(getattr(value, lang), lang)
            if Tally(source) == Tally(stated):
                continue
            line, column = src.position(("names", name_id, lang))
            shown = lambda ns: ", ".join(map(_number_text, ns)) or "no number"  # noqa: E731
            out.append(Problem.found(src.path, line, column, "names",
                f"name {name_id!r} states {shown(source)} in {language(SOURCE).name} ({getattr(value, SOURCE)!r}) "
                f"but {shown(stated)} in {language(lang).name} ({getattr(value, lang)!r}): a translated name keeps "
                "its numbers (correct one of them)", "名称的中英文所含数字不一致"))
    return out


# --- number words in prose and counters -------------------------------------------------------------------------

def term_spans(text: str, needles: list[str]) -> list[tuple[int, int]]:
    spans = []
    for needle in needles:
        start = text.find(needle)
        while start >= 0:
            spans.append((start, start + len(needle)))
            start = text.find(needle, start + 1)
    return spans


def _masked(text: str, spans) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def number_words(text: str, lang: str, terms: list[str], not_prose) -> list[tuple[int, str, Decimal | None]]:
    """(index, words, value) of each number written in words in prose, by the rule of this module's docstring.
    `not_prose(text)` blanks {references} and link targets; `terms` are the glossary's match words."""
    masked = _masked(not_prose(text), term_spans(text, terms))
    found = []
    if language(lang).chinese:
        for match in CN_RUN.finditer(masked):
            run = match.group(0)
            if len(run) >= 2 and any(c in CN_MULTIPLIERS for c in run):
                found.append((match.start(), run, chinese_value(run)))
        return found
    for start, _end, words in english_runs(masked):
        lower = words.lower()
        if lower in EN_ORDINARY:
            continue
        previous = re.search(r"(\w+)\W*$", masked[:start])
        if previous and previous.group(1).lower() == "per" and english_value(lower) in PER_UNITS:
            continue  # per thousand: a rate's unit, not a figure
        found.append((start, words, english_value(words)))
    return found


def check_number_words(content: Content, prose, not_prose) -> list[Problem]:
    """`prose`: (src, loc, lang, text) of every prose text, as content.py walks them."""
    terms = {lang: [w for t in content.glossary.terms for w in getattr(t.match, lang)] for lang in WRITTEN}
    checked = {content.area_source(a).path for a in content.areas}
    checked.add(next(p for p in content.sources if p.endswith("report.yaml")))
    out = []
    for src, loc, lang, text in prose:
        if src.path not in checked:
            continue
        for index, words, value in number_words(text, lang, terms[lang], not_prose):
            line, column = at(src, loc, text, index)
            stated = f" (= {_number_text(value)})" if value is not None else ""
            out.append(Problem.found(src.path, line, column, "number-words",
                f"number written in words {words!r}{stated} in {where(loc)}: a figure is a metric written "
                "{metric_id} (with `written:` for the words the article prints); a name or policy term that "
                "contains a number is declared (under names: in report.yaml, or as a glossary term with match:)",
                "正文中用文字写的数字也是数据：请改为指标 {指标编号}（用 written 保留原文写法），"
                "或在 names / 术语表中声明"))
    for area in content.areas:
        src = content.area_source(area)
        for i, metric in enumerate(area.metrics):
            if metric.counter is not None:
                out += _counter(metric, ("metrics", i, "counter"), src)
    return out


def _counter(metric: Metric, loc: tuple, src: Located) -> list[Problem]:
    counter = metric.counter
    texts = []
    for lang in WRITTEN:  # Chinese: one measure word; English: [singular, plural] or none
        words = getattr(counter, lang)
        if isinstance(words, str):
            texts.append((loc + (lang,), lang, words))
        elif words is not None:
            texts += [(loc + (lang, k), lang, word) for k, word in enumerate(words)]
    out = []
    for place, lang, text in texts:
        if language(lang).chinese:
            hits = [(m.start(), m.group(0)) for m in CN_RUN.finditer(text)]
        else:
            hits = [(start, words) for start, _end, words in english_runs(text)]
        hits += [(m.start(), m.group(0)) for m in DIGIT_RUN.finditer(text)]
        for index, words in sorted(hits)[:1]:
            line, column = at(src, place, text, index)
            check = "bare-number" if DIGIT_RUN.fullmatch(words) else "number-words"
            out.append(Problem.found(src.path, line, column, check,
                f"counter of {metric.id} contains the number {words!r}: a counter is only the measure word "
                "(条, 项 / lead, leads); the number is the metric's value",
                "量词 counter 中不能含数字，数字写在 value"))
    return out


__all__ = ["check_written", "check_names", "check_number_words", "numbers_in", "number_words",
           "english_number_words", "value_offsets", "at", "position"]
