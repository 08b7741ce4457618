"""Loading content/: every file read once, validated, and checked against the others.

`load_content(content_dir)` returns a complete `Content` or raises `ContentError` listing every problem as
`path:line:column: what is wrong (what is expected)`: the files under content/ (contentfiles.py), each YAML file
(yamlload.py), its schema (model.py, errors in an editor's words by explain.py), then the rules between files
(references, headlines, charts, derived figures). This module knows nothing of MkDocs or HTML.

A process that loads again (the preview, after every save) parses and validates again only the files whose bytes
changed: the others' validated models are the ones of the last load (`_PARSED`; the models are immutable). The
rules between files are checked on every load.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from pydantic import ValidationError

from .contentfiles import discover
from .languages import LANGUAGES, SOURCE
from .errors import ContentError, Problem, display_path
from .explain import explain, near, near_zh
from .model import (
    CHART_UNITS,
    REF,
    UI,
    Area,
    Chart,
    Content,
    Glossary,
    Metric,
    Overrides,
    Report,
    Strict,
    display_path_for,
    text_fields,
)
from .yamlload import Located, YamlProblem, load_file

FILES = {"report": "report.yaml", "glossary": "glossary.yaml", "ui": "ui.yaml"}
#: the override table of each converted edition (languages.py): optional, an absent file is an empty table
OVERRIDE_FILES = {lang.code: lang.overrides_file for lang in LANGUAGES if lang.overrides_file}


#: (file, its display path, model) -> (its bytes, the validated model, its Located), as this process last loaded it
_PARSED: dict[tuple[str, str, str], tuple[bytes, Strict, Located]] = {}


def load_content(content_dir: Path | str, root: Path | None = None) -> Content:
    content_dir = Path(content_dir)
    problems: list[Problem] = []
    sources: dict[str, Located] = {}

    def parse(path: Path, model: type[Strict]):
        display = display_path(path, root)
        key = (str(path.resolve()), display, model.__name__)
        try:
            raw = path.read_bytes()
        except OSError:
            raw = None  # load_file says why
        last = _PARSED.get(key)
        if last is not None and raw is not None and last[0] == raw:
            sources[display] = last[2]
            return last[1], last[2]
        _PARSED.pop(key, None)
        try:
            located = load_file(path, display, raw)
        except YamlProblem as exc:
            problems.append(exc.problem)
            return None, None
        except OSError as exc:
            problems.append(Problem(display, 1, 1, f"cannot read file: {exc.strerror}", "无法读取文件"))
            return None, None
        sources[display] = located
        if not isinstance(located.data, dict):
            problems.append(located.problem((), "expected a mapping of fields at the top of the file",
                                            "文件顶层应为字段映射"))
            return None, located
        try:
            value = model.model_validate(located.data)
        except ValidationError as exc:
            problems.extend(explain(exc, located, model))
            return None, located
        if raw is not None:
            _PARSED[key] = (raw, value, located)
        return value, located

    inventory = discover(content_dir, root)  # every file under content/ known, or a problem (contentfiles.py)
    problems += inventory.problems
    missing = [name for name in FILES.values() if name in inventory.refused or not (content_dir / name).is_file()]
    for name in missing:
        if name in inventory.refused:
            continue
        problems.append(Problem(display_path(content_dir / name, root), 1, 1, "required file is missing",
                                "缺少必需的文件"))
    report, _ = parse(content_dir / FILES["report"], Report) if "report.yaml" not in missing else (None, None)
    glossary, _ = parse(content_dir / FILES["glossary"], Glossary) if "glossary.yaml" not in missing else (None, None)
    ui, _ = parse(content_dir / FILES["ui"], UI) if "ui.yaml" not in missing else (None, None)
    overrides: dict[str, Overrides] = {}
    for code, name in OVERRIDE_FILES.items():
        if name not in inventory.refused and (content_dir / name).is_file():
            table, _ = parse(content_dir / name, Overrides)
            if table is not None:
                overrides[code] = table

    areas: list[Area] = []
    area_paths: dict[int, str] = {}
    area_dir = content_dir / "areas"
    for path in inventory.areas:
        area, located = parse(path, Area)
        if area is None:
            continue
        expected = f"{area.number:02d}-{area.slug}.yaml"
        if path.name != expected:
            problems.append(located.problem(("number",),
                f"file name {path.name!r} does not match number and slug (expected {expected!r})",
                f"文件名应为 {expected}"))
        if area.number in area_paths:
            problems.append(located.problem(("number",),
                f"area number {area.number} is used by {area_paths[area.number]} too (each area needs its own number)",
                "领域编号重复"))
            continue
        area_paths[area.number] = located.path
        areas.append(area)
    if not areas and not problems:
        problems.append(Problem(display_path(area_dir, root), 1, 1, "no area files found (content/areas/NN-slug.yaml)",
                                "没有找到领域文件"))

    if problems:
        raise ContentError(problems)
    files = {name: display_path(content_dir / name, root)
             for name in [*FILES.values(), *(OVERRIDE_FILES[code] for code in overrides)]}
    content = Content(report, areas, glossary, ui, sources, files, area_paths, content_dir=content_dir,
                      overrides=overrides)
    problems = cross_check(content)
    if problems:
        raise ContentError(problems)
    return content


def cross_check(content: Content) -> list[Problem]:
    problems: list[Problem] = []
    names = set(content.report.names)
    seen: dict[str, str] = {}
    for area in content.areas:
        src = content.area_source(area)
        for i, metric in enumerate(area.metrics):
            loc = ("metrics", i, "id")
            if metric.id in seen:
                problems.append(src.problem(loc, f"metric id {metric.id!r} is already used at {seen[metric.id]} "
                                            "(ids must be unique across the report: rename one of them, and the "
                                            "{references} to it)", f"指标编号“{metric.id}”重复，请改名"))
            elif metric.id in names:
                problems.append(src.problem(loc, f"metric id {metric.id!r} is also a name in report.yaml "
                                            "(choose another id)", "指标编号与 report.yaml 中的名称冲突，请改名"))
            seen.setdefault(metric.id, "{}:{}".format(src.path, src.position(loc)[0]))
    all_ids = set(content.metrics) | names
    for area in content.areas:
        src = content.area_source(area)
        own = {m.id for m in area.metrics}
        if area.headline and area.headline not in own:
            problems.append(src.problem(("headline",), f"headline {area.headline!r} is not a metric of this area"
                                        f"{near(area.headline, own)}", "headline 应为本领域的指标编号"))
        if not area.metrics and not area.no_metrics_reason:
            problems.append(src.problem(("metrics",), "area has no metrics (add metrics, or say why with "
                                        "`no_metrics_reason: {zh: …, en: …}`)", "本领域没有指标"))
        if area.metrics and not area.headline:
            problems.append(src.problem(("number",), "missing field 'headline' (name the metric shown on the "
                                        "home page card)", "缺少 headline 字段"))
        for i, metric in enumerate(area.metrics):
            problems.extend(_metric_rules(metric, ("metrics", i), src, content))
        for i, chart in enumerate(area.charts):
            problems.extend(_chart_rules(chart, ("charts", i), src, area, content, seen))
        for loc, lang, text in text_fields(area):
            if loc and loc[0] == "metrics" and loc[-2] in ("written",):
                continue
            problems.extend(_refs(text, loc, src, all_ids))
    for name, src_model in (("report.yaml", content.report), ("glossary.yaml", content.glossary),
                            ("ui.yaml", content.ui)):
        src = content.sources[display_path_for(content, name)]
        for loc, lang, text in text_fields(src_model):
            problems.extend(_refs(text, loc, src, all_ids))
    for code, table in content.overrides.items():
        problems.extend(_override_rules(table, content.sources[display_path_for(content, OVERRIDE_FILES[code])],
                                        content))
    ids: dict[str, int] = {}
    gsrc = content.sources[display_path_for(content, "glossary.yaml")]
    for i, term in enumerate(content.glossary.terms):
        if term.id in ids:
            first = gsrc.position(("terms", ids[term.id], "id"))[0]
            problems.append(gsrc.problem(("terms", i, "id"), f"term id {term.id!r} is already used at line {first} "
                                         "(each term needs its own id)", f"术语编号“{term.id}”重复"))
        ids.setdefault(term.id, i)
    return problems


def _override_rules(table: Overrides, src: Located, content: Content) -> list[Problem]:
    """Each phrase once, and found in a Chinese text of the content (else it overrides nothing)."""
    out = []
    texts = list(source_texts(content))
    first: dict[str, int] = {}
    for i, entry in enumerate(table.overrides):
        if entry.phrase in first:
            line = src.position(("overrides", first[entry.phrase], "phrase"))[0]
            out.append(src.problem(("overrides", i, "phrase"), f"phrase {entry.phrase!r} is already overridden at "
                                   f"line {line} (keep one entry per phrase)", f"词语“{entry.phrase}”重复"))
            continue
        first[entry.phrase] = i
        if not any(entry.phrase in text for text in texts):
            out.append(src.problem(("overrides", i, "phrase"), f"phrase {entry.phrase!r} is in no Chinese text of "
                                   "the content, so it overrides nothing (copy the phrase exactly as the Simplified "
                                   "text writes it, or delete the entry)", f"原文中没有“{entry.phrase}”，请按原文"
                                   "照录或删除此条"))
    return out


def source_texts(content: Content):
    """Every text of the source's language: what a converted edition converts."""
    for model in (content.report, content.glossary, content.ui, *content.areas):
        for _loc, lang, text in text_fields(model):
            if lang == SOURCE:
                yield text
    for area in content.areas:
        for metric in area.metrics:
            yield metric.source
    for value in content.report.names.values():
        yield value if isinstance(value, str) else value[SOURCE]
    for term in content.glossary.terms:
        yield from term.match[SOURCE]


def _chart_rules(chart: Chart, loc: tuple, src: Located, area: Area, content: Content,
                 seen: dict[str, str]) -> list[Problem]:
    """A chart draws figures of its own area that share a unit; its id is unique among metrics and charts."""
    out = []
    if chart.id in seen:
        out.append(src.problem(loc + ("id",), f"chart id {chart.id!r} is already used in {seen[chart.id]} "
                               "(ids of metrics and charts must be unique)", "图表编号重复"))
    seen.setdefault(chart.id, src.path)
    own = {m.id: m for m in area.metrics}
    units = {}
    for j, bar in enumerate(chart.bars):
        metric = own.get(bar.metric)
        if metric is None:
            elsewhere = " (a chart draws figures of its own area)" if bar.metric in content.metrics else ""
            out.append(src.problem(loc + ("bars", j, "metric"), f"chart bar {bar.metric!r} is not a metric of this "
                                   f"area{elsewhere}{near(bar.metric, own)}", "图表引用的指标不在本领域"))
            continue
        if metric.unit not in CHART_UNITS:
            out.append(src.problem(loc + ("bars", j, "metric"), f"{metric.id!r} is a {metric.unit}; a bar's length "
                                   f"needs an amount (expected one of: {', '.join(CHART_UNITS)})",
                                   "排名等不能画成条形图"))
        units.setdefault(metric.unit, bar.metric)
    if len(units) > 1:
        first, *others = units.items()
        out.append(src.problem(loc + ("bars",), f"bars of one chart need one unit: {first[1]!r} is {first[0]} but "
                               + ", ".join(f"{m!r} is {u}" for u, m in others) + " (split them into two charts)",
                               "同一图表中的指标单位须一致"))
    return out


def _refs(text: str, loc: tuple, src: Located, known: set[str]) -> list[Problem]:
    out = []
    for match in REF.finditer(text):
        ref = match.group(1)
        if ref not in known:
            line, column = src.find(loc, match.group(0))
            out.append(Problem(src.path, line, column,
                               f"unknown metric or name {{{ref}}}{near(ref, known)} (a {{reference}} names the id "
                               "of a metric under `metrics:` or of a name under `names:` in report.yaml)",
                               f"引用的指标或名称“{ref}”不存在{near_zh(ref, known)}"))
    return out


def _metric_rules(metric: Metric, loc: tuple, src: Located, content: Content) -> list[Problem]:
    out = []
    metrics = content.metrics
    for field in ("part_of",):
        ref = getattr(metric, field)
        if ref and ref not in metrics:
            out.append(src.problem(loc + (field,), f"{field} {ref!r} is not a metric{near(ref, metrics)}",
                                   "引用的指标不存在"))
    if metric.derived:
        for field in ("numerator", "denominator"):
            ref = getattr(metric.derived, field)
            if ref not in metrics:
                out.append(src.problem(loc + ("derived", field), f"{field} {ref!r} is not a metric"
                                       f"{near(ref, metrics)}", "引用的指标不存在"))
        if metric.unit != "percent":
            out.append(src.problem(loc + ("derived",), "derived figures are percentages (set unit: percent)",
                                   "派生指标应为百分比"))
    if metric.unit == "count" and (metric.counter is None or metric.counter.en is None or not metric.counter.zh) \
            and metric.written is None:
        out.append(src.problem(loc + ("unit",), "a count needs `counter: {zh: 条, en: [lead, leads]}` "
                               "(the measure word and the English noun)", "计数指标需要量词 counter"))
    if metric.unit == "per_thousand" and (metric.counter is None or metric.counter.en is None):
        out.append(src.problem(loc + ("unit",), "a per_thousand figure needs `counter: {zh: 个, en: [place, places]}`",
                               "需要量词 counter"))
    if metric.unit == "percent" and not (metric.derived or metric.reported):
        out.append(src.problem(loc + ("unit",), "a percentage must say where it comes from: `derived: {numerator: …, "
                               "denominator: …, rounding: down}` or `reported: true`",
                               "百分比需说明来源：derived 或 reported"))
    if metric.scale and metric.unit not in ("yuan", "count"):
        out.append(src.problem(loc + ("scale",), f"scale is only for yuan and count (not {metric.unit})",
                               "只有金额和计数可以使用 scale"))
    for j, revision in enumerate(metric.revisions):
        if revision.previous == metric.value:
            out.append(src.problem(loc + ("revisions", j, "previous"), f"previous {revision.previous!r} is the "
                                   "figure's current value (write the value it had before this change)",
                                   "previous 应为修改前的数值，而不是现在的数值"))
    if metric.written is None:
        try:
            Decimal(metric.value)
        except InvalidOperation:  # pragma: no cover - the pattern already ensures this
            out.append(src.problem(loc + ("value",), "value is not a number", "数值无效"))
    return out
