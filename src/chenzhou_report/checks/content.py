"""Content checks: run on the loaded YAML, no build needed (well under a second on the real report).

`check_content(content)` returns every finding, each at the line and column of the YAML value it is about.
`check_content_dir(content_dir, root)` also turns load errors (schema, unknown references, duplicates …) into
findings of the check `load`, so that one list carries everything an editor has to fix.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from decimal import Decimal, DivisionByZero, InvalidOperation
from pathlib import Path

from ..errors import ContentError, Problem
from ..languages import SOURCE, WRITTEN, language
from ..loading import load_content
from ..markup import ProseRenderer
from ..model import REF, Area, Content, Metric, display_path_for
from ..numbers import format_metric, matching_roundings, recompute
from ..yamlload import Located
from .characters import check_characters, scan_dir
from .figures import check_names, check_number_words, check_written
from .links import check_links
from .prose import prose as prose_texts
from .prose import where
from .revisions import check_revisions
from .style import check_style
from .terms import check_term_parity

#: a run of digits, with the separators a typed number has: 3884, 3,884, 99.17, ２０２５ (any Unicode digit)
DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
#: spans of prose that are not read as prose: {references}, Markdown link targets (the URL only: a link's text and
#: its "title" are read like any prose), autolinks
NOT_PROSE = re.compile(r"\{[a-z][a-z0-9_]*\}|(?<=\]\()[^)\s]*|<(?:https?|mailto):[^>\s]*>")
MARKDOWN_MARKS = re.compile(r"\*{1,3}|(?<!\w)_{1,3}|_{1,3}(?!\w)|\[([^\]]*)\]\([^)]*\)")


def check_content(content: Content, templates_dir: Path | None = None) -> list[Problem]:
    """Every content check on loaded content. An empty list means the content is fine. `templates_dir` is the
    templates the pages are rendered with (for duplicate-sentence; the project's own by default)."""
    findings: list[Problem] = []
    prose = list(prose_texts(content))
    findings += _bare_numbers(prose)
    findings += _parity(prose, content)
    findings += check_term_parity(content, prose)
    findings += check_style(content, prose, templates_dir)
    findings += _unreferenced(prose, content)
    findings += check_links(content)  # unsafe-link, broken-link (checks/links.py)
    findings += check_characters(content)
    findings += check_written(content)
    findings += check_names(content, content.sources[display_path_for(content, "report.yaml")])
    findings += check_number_words(content, prose, _mask)
    findings += check_revisions(content)  # a published figure changed without a revision entry
    original = ProseRenderer(content, SOURCE)
    for area in content.areas:
        src = content.area_source(area)
        findings += _sanity_area(area, src)
        chinese = "\n".join(_unmark(original.plain(p[SOURCE])) for p in area.paragraphs) if area.metrics else ""
        for i, metric in enumerate(area.metrics):
            loc = ("metrics", i)
            findings += _derived(metric, loc, src, content)
            findings += _sanity_metric(metric, loc, src, content)
            findings += _source(metric, loc, src, chinese)
    return sorted(set(findings))


def check_content_dir(content_dir: Path, root: Path | None = None) -> tuple[Content | None, list[Problem]]:
    """Load content/ and check it: (content or None, findings). Load errors become `load` findings."""
    try:
        content = load_content(content_dir, root)
    except ContentError as exc:
        # a character that keeps YAML from loading is named by `characters` at its own place; the load errors of
        # that file (often a misleading syntax error) come back once it is gone
        characters = scan_dir(Path(content_dir), root)
        spoilt = {f.path for f in characters}
        return None, sorted(set(characters + [replace(p, check="load") for p in exc.problems if p.path not in spoilt]))
    return content, check_content(content, Path(content_dir).parent / "templates")


def _mask(text: str) -> str:
    """The text with its non-prose spans blanked out, same length, so offsets still match."""
    return NOT_PROSE.sub(lambda m: " " * len(m.group(0)), text)


def _unmark(text: str) -> str:
    """Plain words of inline Markdown: *a* -> a, [a](b) -> a."""
    return MARKDOWN_MARKS.sub(lambda m: m.group(1) or "", text)


# --- no bare number in prose -----------------------------------------------------------------------------------

def _bare_numbers(prose) -> list[Problem]:
    out = []
    for src, loc, lang, text in prose:
        seen: Counter = Counter()
        for match in DIGITS.finditer(_mask(text)):
            number = match.group(0)
            seen[number] += 1
            line, column = _locate_nth(src, loc, number, seen[number])
            out.append(Problem.found(src.path, line, column, "bare-number",
                f"bare number {number!r} in {where(loc)}: write the figure as a metric and reference it as "
                "{metric_id}, or declare a name that contains digits under names: in report.yaml and write {name}",
                "正文不能直接写数字：请改为 {指标编号} 引用；年份、G4 等名称请在 report.yaml 的 names: 中声明后引用"))
    return out


def _locate_nth(src: Located, loc: tuple, needle: str, nth: int, literal: bool = False) -> tuple[int, int]:
    """Line and column of the nth occurrence of `needle` in the raw text of the value at `loc`: a bare number
    (outside references and link targets), or with `literal` any text."""
    line, column = src.position(loc)
    start = src.offset(line, column)
    raw = src.text[start:] if literal else _mask(src.text[start:])
    count = 0
    for match in re.finditer(re.escape(needle), raw) if literal else DIGITS.finditer(raw):
        if match.group(0) == needle:
            count += 1
            if count == nth:
                return src.position_at(start + match.start())
    return line, column


# --- parity between the languages ------------------------------------------------------------------------------

def _parity(prose, content: Content) -> list[Problem]:
    texts: dict[tuple, dict] = {}
    for src, loc, lang, text in prose:
        texts.setdefault((src.path, loc[:-1]), {"src": src})[lang] = text
    out = []
    for (path, loc), entry in texts.items():
        if any(lang not in entry for lang in WRITTEN):
            continue
        src = entry["src"]
        source = Counter(r for r in REF.findall(entry[SOURCE]) if r in content.metrics)
        for lang in WRITTEN[1:]:  # every translation against the source's own wording
            name = language(lang).name
            counts = Counter(r for r in REF.findall(entry[lang]) if r in content.metrics)
            for ref in sorted(set(source) | set(counts)):
                if source[ref] == counts[ref]:
                    continue
                lang_loc = loc + (lang,)
                if counts[ref] < source[ref]:  # the translation dropped it: point at the translated text
                    line, column = src.position(lang_loc)
                    verb = "drops"
                else:  # the translation added it: point at its first reference beyond the source's count
                    line, column = _locate_nth(src, lang_loc, "{" + ref + "}", source[ref] + 1, literal=True)
                    verb = "adds"
                out.append(Problem.found(path, line, column, "parity",
                    f"the {name} of {where(loc)} {verb} figure {{{ref}}}: the {language(SOURCE).name} references "
                    f"it {source[ref]}×, the {name} {counts[ref]}× (a translation may neither drop nor add a figure)",
                    f"{language(SOURCE).name_zh}与{language(lang).name_zh}引用的数据不一致："
                    f"{language(lang).name_zh}译文不能遗漏或增加数据"))
    return out


def _unreferenced(prose, content: Content) -> list[Problem]:
    used = {ref for _src, _loc, _lang, text in prose for ref in REF.findall(text)}
    out = []
    for area in content.areas:
        src = content.area_source(area)
        for i, metric in enumerate(area.metrics):
            if metric.id not in used:
                line, column = src.position(("metrics", i, "id"))
                out.append(Problem.found(src.path, line, column, "unreferenced",
                    f"metric {metric.id!r} is referenced by no text: write {{{metric.id}}} where the article "
                    "states it, or delete the metric", "该指标未在正文中引用"))
    return out


# --- derived figures -------------------------------------------------------------------------------------------

def _derived(metric: Metric, loc: tuple, src: Located, content: Content) -> list[Problem]:
    derived = metric.derived
    if derived is None or derived.numerator not in content.metrics or derived.denominator not in content.metrics:
        return []
    numerator = content.metrics[derived.numerator]
    denominator = content.metrics[derived.denominator]
    line, column = src.position(loc + ("value",))
    if denominator.number == 0:
        return [Problem.found(src.path, line, column, "derived",
                        f"{metric.id} is derived from a denominator of zero ({derived.denominator})",
                        "派生指标的分母为零")]
    try:
        computed = recompute(metric, content.metrics)
    except (InvalidOperation, DivisionByZero) as exc:  # pragma: no cover - inputs are validated numbers
        return [Problem.found(src.path, line, column, "derived", f"{metric.id} cannot be recomputed: {exc}", "无法重新计算")]
    printed = Decimal(metric.value)
    if computed == printed:
        return []
    exact = numerator.number / denominator.number * 100
    others = matching_roundings(metric, content.metrics)
    if others:
        advice = (f"rounding {' or '.join(others)} would give the printed value "
                  f"(declare it: derived: {{rounding: {others[0]}}})")
    else:
        advice = "no rounding mode gives the printed value: check the value and both inputs"
    return [Problem.found(src.path, line, column, "derived",
        f"{metric.id} prints {metric.value}% but {derived.numerator} / {derived.denominator} × 100 = "
        f"{numerator.number} / {denominator.number} × 100 = {_short(exact)}…, which rounds "
        f"({derived.rounding}) to {computed}; {advice}",
        "派生数值与其分子、分母按声明的取舍方式计算的结果不一致")]


def _short(number: Decimal) -> str:
    return format(number.quantize(Decimal("0.000001")), "f")


# --- sanity ----------------------------------------------------------------------------------------------------

def _sanity_area(area: Area, src: Located) -> list[Problem]:
    if area.metrics or area.no_metrics_reason:
        return []
    line, column = src.position(("metrics",) if "metrics" in (src.data or {}) else ("number",))
    return [Problem.found(src.path, line, column, "sanity-area",
                    f"area {area.key} has no metrics (add them, or say why with no_metrics_reason: {{zh: …, en: …}})",
                    "本领域没有指标，请补充指标或填写 no_metrics_reason")]


def _sanity_metric(metric: Metric, loc: tuple, src: Located, content: Content) -> list[Problem]:
    out = []
    line, column = src.position(loc + ("value",))
    value = Decimal(metric.value)
    if metric.unit == "percent" and not metric.may_exceed_100 and not (0 <= value <= 100):
        out.append(Problem.found(src.path, line, column, "sanity-percent",
            f"{metric.id} is {metric.value}%, outside 0–100 (if the article really reports more than 100%, "
            "declare may_exceed_100: true)", "百分比超出 0–100；如原文确实超过 100%，请声明 may_exceed_100: true"))
    if metric.unit in ("count", "rank") and metric.number != metric.number.to_integral_value():
        out.append(Problem.found(src.path, line, column, "sanity-count",
            f"{metric.id} is a {metric.unit} of {format(metric.number.normalize(), 'f')}, not a whole number "
            "(a rate per thousand uses unit: per_thousand)", "计数应为整数"))
    whole = content.metrics.get(metric.part_of) if metric.part_of else None
    if whole is not None:
        if whole.unit != metric.unit:
            out.append(Problem.found(src.path, *src.position(loc + ("part_of",)), "sanity-part",
                f"{metric.id} ({metric.unit}) is declared part_of {whole.id} ({whole.unit}): a part and its whole "
                "have the same unit", "部分与整体的单位应相同"))
        elif metric.number > whole.number:
            out.append(Problem.found(src.path, line, column, "sanity-part",
                f"{metric.id} = {format(metric.number.normalize(), 'f')} is larger than its whole {whole.id} = "
                f"{format(whole.number.normalize(), 'f')} (part_of)", "部分不能大于整体"))
    derived = metric.derived
    if derived and not metric.may_exceed_100:
        numerator = content.metrics.get(derived.numerator)
        denominator = content.metrics.get(derived.denominator)
        if numerator is not None and denominator is not None and numerator.number > denominator.number:
            out.append(Problem.found(src.path, *src.position(loc + ("derived",)), "sanity-part",
                f"{metric.id}: numerator {numerator.id} = {format(numerator.number.normalize(), 'f')} is larger "
                f"than denominator {denominator.id} = {format(denominator.number.normalize(), 'f')} (declare "
                "may_exceed_100: true if the rate really passes 100%)", "分子不能大于分母"))
    return out


# --- no digit lost between the article, the data and the prose -------------------------------------------------

def _source(metric: Metric, loc: tuple, src: Located, chinese: str) -> list[Problem]:
    out = []
    line, column = src.position(loc + ("source",))
    printed = format_metric(metric, SOURCE)
    if printed not in metric.source:
        out.append(Problem.found(src.path, line, column, "source-form",
            f"{metric.id} prints {printed!r} in Chinese, which is not in its source {metric.source!r}: value, "
            "scale, unit or counter differ from what the article prints",
            f"指标的中文显示“{printed}”与原文出处不一致"))
    if metric.source not in chinese:
        out.append(Problem.found(src.path, line, column, "source-text",
            f"the source of {metric.id} ({metric.source!r}) is not in the area's Chinese text as printed "
            "(with every {reference} replaced by its figure): the prose and the data disagree",
            "原文出处与本领域中文正文（数据代入后）不一致"))
    return out


__all__ = ["check_content", "check_content_dir", "DIGITS"]
