"""The report as typed objects: load content/ (YAML) and validate it.

`load_content(content_dir)` returns a `Content` or raises `ContentError` listing every problem as
`path:line:column: what is wrong (what is expected)`. This module knows nothing of MkDocs or HTML.
"""

from __future__ import annotations

import datetime
import difflib
import re
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, ValidationError, field_validator

from .contentfiles import discover
from .errors import ContentError, Problem, display_path
from .yamlload import Located, YamlProblem, load_file

LANGS = ("zh", "en")
MAX_TEXT = 20_000

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
Words = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]
Unit = Literal["yuan", "count", "percent", "rank", "per_thousand"]
Scale = Literal["wan", "yi"]
Rounding = Literal["down", "half_up", "half_even", "up"]
#: the most digits a `value` may have (integer and fraction together): more than any printed report needs, and few
#: enough that every value, with its scale, stays exact in Decimal's default 28-digit context (Babel, charts)
MAX_VALUE_DIGITS = 15
#: a value as the article prints it: ASCII digits 0-9 only (Python's \d would also take ９５４ or ٩٥٤)
VALUE = r"^[0-9]+(\.[0-9]+)?$"

#: `{metric_id}` in prose: a metric or a declared name.
REF = re.compile(r"\{([a-z][a-z0-9_]*)\}")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in both languages. Inline Markdown; prose references figures as {id}."""

    zh: Words
    en: Words

    def __getitem__(self, lang: str) -> str:
        return getattr(self, lang)


class Counter(Strict):
    """The measure word: 条 / [lead, leads]."""

    zh: Annotated[str, StringConstraints(max_length=20)] = ""
    en: tuple[Words, Words] | None = None


class Derived(Strict):
    numerator: Id
    denominator: Id
    rounding: Rounding


Value = Annotated[str, StringConstraints(pattern=VALUE, max_length=MAX_VALUE_DIGITS + 1)]


class Revision(Strict):
    """A published figure changed (ONS: a correction fixes an error, a revision brings new information).

    `previous` is the figure as it was published, written like `value` (digits, same unit and scale)."""

    date: datetime.date
    kind: Literal["correction", "revision"]
    previous: Value
    reason: Text

    @field_validator("previous", mode="before")
    @classmethod
    def _previous_as_typed(cls, v):
        return v if not isinstance(v, (int, float)) or isinstance(v, bool) else str(v)


class Metric(Strict):
    id: Id
    label: Text
    value: Value
    unit: Unit
    scale: Scale | None = None
    counter: Counter | None = None
    written: Text | None = None
    part_of: Id | None = None
    derived: Derived | None = None
    reported: bool = False
    may_exceed_100: bool = False
    source: Words
    #: every change since the figure was first published, oldest first (revisions.py, the check `revisions`)
    revisions: list[Revision] = []

    @field_validator("value", mode="before")
    @classmethod
    def _value_as_typed(cls, v):
        return v if not isinstance(v, (int, float)) else str(v)

    @field_validator("value")
    @classmethod
    def _value_digits(cls, v: str) -> str:
        if sum(c.isdigit() for c in v) > MAX_VALUE_DIGITS:
            raise ValueError("too many digits")
        return v

    @property
    def number(self) -> Decimal:
        """The value in the metric's unit, scale applied: 107.42亿 -> 10742000000."""
        return Decimal(self.value) * SCALE_FACTOR[self.scale]

    @property
    def decimals(self) -> int:
        return len(self.value.split(".")[1]) if "." in self.value else 0


SCALE_FACTOR = {None: Decimal(1), "wan": Decimal(10_000), "yi": Decimal(100_000_000)}


class ChartBar(Strict):
    """One bar of a chart: a metric of the area, with an optional short label (the metric's label otherwise)."""

    metric: Id
    label: Text | None = None


class Chart(Strict):
    """Figures of one area that compare, drawn as a bar chart (with a table of the same numbers)."""

    id: Id
    title: Text
    #: what the chart shows, as a statement (the UK Analysis Function's "active title"); `title` says what it measures
    active_title: Text
    bars: Annotated[list[ChartBar], Field(min_length=2, max_length=12)]


#: units a bar's length can stand for (a rank is an order, not an amount)
CHART_UNITS = ("yuan", "count", "percent", "per_thousand")


class Area(Strict):
    number: Annotated[int, Field(ge=1, le=9999)]
    slug: Slug
    title: Text
    headline: Id | None = None
    no_metrics_reason: Text | None = None
    paragraphs: Annotated[list[Text], Field(min_length=1)]
    metrics: list[Metric] = []
    charts: list[Chart] = []

    @property
    def key(self) -> str:
        """The page name: 14-wage-arrears."""
        return f"{self.number:02d}-{self.slug}"


NameValue = Annotated[str, StringConstraints(min_length=1, max_length=40)]


class Name(Strict):
    """A name written differently per language: allowed only as a declared translation, with the reason.

    A name is one value for every language (`y2025: "2025"`); a name whose languages differ says why
    (`translation: the plan's official English name`), and the check `names` still refuses one whose languages
    state different numbers."""

    zh: NameValue
    en: NameValue
    translation: Words

    def __getitem__(self, lang: str) -> str:
        return getattr(self, lang)


class Report(Strict):
    title: Text
    subtitle: Text
    issuer: Text
    publication: Text
    byline: Text
    year: Annotated[int, Field(ge=1949, le=2100)]
    lead: Text
    photo_caption: Text
    names: dict[Id, NameValue | Name] = {}

    def name(self, name_id: str, lang: str) -> str:
        value = self.names[name_id]
        return value if isinstance(value, str) else value[lang]


class Match(Strict):
    zh: list[Words] = []
    en: list[Words] = []


class Term(Strict):
    id: Id
    term: Text
    definition: Text
    match: Match = Match()


class Glossary(Strict):
    terms: list[Term] = []


class UI(Strict):
    """Words of the site's own interface (headings, labels), per language."""

    strings: dict[Id, Text]
    _source: Located | None = PrivateAttr(default=None)  # ui.yaml, to point at it when a string is missing

    def __call__(self, key: str, lang: str) -> str:
        text = self.strings.get(key)
        if text is None:  # only the pages know which strings they need: they ask, and an absent one is named
            message = (f"missing interface string {key!r}: the site's pages use it "
                       f"(add `{key}: {{zh: …, en: …}}` under `strings:`)")
            hint = f"缺少界面文字“{key}”，请在 strings 下补上中英文"
            if self._source is not None:
                raise ContentError([self._source.problem(("strings",), message, hint, key=True)])
            raise ContentError([Problem("content/ui.yaml", 1, 1, message, hint)])
        return text[lang]


class Content:
    """Everything in content/, validated, with lookups."""

    def __init__(self, report: Report, areas: list[Area], glossary: Glossary, ui: UI, sources: dict[str, Located]):
        self.report = report
        self.areas = sorted(areas, key=lambda a: a.number)
        self.glossary = glossary
        self.ui = ui
        self.sources = sources  # display path -> Located, for positions of later checks

    @cached_property
    def metrics(self) -> dict[str, Metric]:
        return {m.id: m for a in self.areas for m in a.metrics}

    @cached_property
    def metric_area(self) -> dict[str, Area]:
        return {m.id: a for a in self.areas for m in a.metrics}

    def area_source(self, area: Area) -> Located:
        return self.sources[self._area_paths[area.number]]

    _area_paths: dict[int, str]


# --- loading -------------------------------------------------------------------------------------------------

FILES = {"report": "report.yaml", "glossary": "glossary.yaml", "ui": "ui.yaml"}


def load_content(content_dir: Path | str, root: Path | None = None) -> Content:
    content_dir = Path(content_dir)
    problems: list[Problem] = []
    sources: dict[str, Located] = {}

    def parse(path: Path, model: type[Strict]):
        display = display_path(path, root)
        try:
            located = load_file(path, display)
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
            return model.model_validate(located.data), located
        except ValidationError as exc:
            problems.extend(_explain(exc, located, model))
            return None, located

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
    content = Content(report, areas, glossary, ui, sources)
    content._area_paths = area_paths
    content.content_dir = content_dir  # where the record of published figures is (revisions.py)
    ui._source = sources.get(display_path_for(content, "ui.yaml"))
    problems = _cross_check(content)
    if problems:
        raise ContentError(problems)
    return content


def _near(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _data_loc(raw_loc: tuple, data, kind: str) -> tuple:
    """Pydantic's error location, reduced to the keys and indexes that exist in the editor's file.

    Pydantic adds the names of union branches and validators ('str', 'Text', 'function-after[...]'); a part is kept
    only when it leads into the data, except the last part of a 'missing' error (the absent field's name).
    """
    out: list = []
    current = data
    for i, part in enumerate(raw_loc):
        if isinstance(current, dict) and part in current:
            out.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            out.append(part)
            current = current[part]
        elif i == len(raw_loc) - 1 and kind == "missing" and isinstance(part, str):
            out.append(part)
    return tuple(out)


def _what(loc: tuple) -> str:
    """How an editor names the place: 'unit', or 'item 2 of paragraphs'."""
    if not loc:
        return "the file"
    if isinstance(loc[-1], int):
        parent = next((p for p in reversed(loc[:-1]) if isinstance(p, str)), "the list")
        return f"item {loc[-1] + 1} of {parent!r}"
    return repr(str(loc[-1]))


_LANG_NAME = {"zh": ("Chinese", "中文"), "en": ("English", "英文")}


def _explain(exc: ValidationError, located: Located, model: type[Strict]) -> list[Problem]:
    """Turn pydantic's errors into lines an editor can act on: what is wrong, and what to write instead."""
    out = []
    for err in exc.errors():
        kind = err["type"]
        loc = _data_loc(err["loc"], located.data, kind)
        field = str(loc[-1]) if loc else "(file)"
        what = _what(loc)
        ctx = err.get("ctx", {})
        value = err.get("input")
        text_field = _is_text(model, loc[:-1]) and field in _LANG_NAME
        name_given = model is Report and len(loc) >= 2 and loc[0] == "names"
        if name_given and isinstance(located.data["names"].get(loc[1]), dict) and kind == "string_type" \
                and len(loc) == 2:
            continue  # a mapping: the errors of the Name branch say what is wrong with it
        if name_given and kind == "missing" and field == "translation":
            out.append(located.problem(loc[:-1], f"name {loc[1]!r} is written differently per language, which "
                                       "needs a reason (one value for all languages, `" + loc[1] + ": \"2025\"`, "
                                       "or declare the translation: add `translation: why the languages differ`)",
                                       "名称应各语言一致；确需翻译时请加 translation 说明原因", key=True))
            continue
        if kind == "missing":
            if text_field:
                english, chinese = _LANG_NAME[field]
                parent = _what(loc[:-1])
                out.append(located.problem(loc[:-1], f"missing field {field!r}: the {english} text of {parent} "
                                           f"(add `{field}: …` beside the other language)",
                                           f"缺少{chinese}（{field}）" + ("，请补上英文译文" if field == "en" else ""),
                                           key=True))
            else:
                out.append(located.problem(loc[:-1], f"missing field {field!r} in {_what(loc[:-1])} "
                                           f"(add `{field}: …`){_field_help(model, loc)}", f"缺少字段“{field}”",
                                           key=True))
        elif kind == "extra_forbidden":
            allowed = _allowed_fields(model, loc[:-1])
            near = _near(field, allowed)
            out.append(located.problem(loc, f"unknown field {field!r} (expected one of: {', '.join(allowed)})"
                                       f"{near}", f"未知字段“{field}”" + (f"，是否应为“{near.split(chr(39))[1]}”？"
                                                                          if near else ""), key=True))
        elif kind.startswith("date_"):
            out.append(located.problem(loc, f"{what} should be a date written year-month-day, like 2026-12-01, "
                                       f"got {value!r}", "日期应写成 年-月-日，如 2026-12-01"))
        elif kind == "literal_error":
            options = re.findall(r"'([^']+)'", ctx.get("expected", ""))
            near = _near(str(value), options)
            out.append(located.problem(loc, f"{value!r} is not allowed for {what} (expected one of: "
                                       f"{', '.join(options)}){near}",
                                       f"“{field}”只能是：{'、'.join(options)}"))
        elif field in ("value", "previous") and isinstance(value, str) and (
                kind == "string_too_long" or (kind == "value_error" and "too many digits" in err["msg"])):
            digits = sum(c.isdigit() for c in value)
            out.append(located.problem(loc, f"value has {digits} digits, more than the {MAX_VALUE_DIGITS} a figure "
                                       "may have (write the digits the article prints and put 万/亿 in `scale:`: "
                                       "\"107.42\" with `scale: yi`, not 10742000000)",
                                       f"数值最多 {MAX_VALUE_DIGITS} 位数字；万/亿请写在 scale"))
        elif field in ("value", "previous") and kind == "string_pattern_mismatch" and isinstance(value, str) and any(
                c.isdigit() and not c.isascii() for c in value):
            odd = next(c for c in value if c.isdigit() and not c.isascii())
            out.append(located.problem(loc, f"value {value!r} contains {odd!r} (U+{ord(odd):04X}), a digit that is "
                                       "not ASCII (write ASCII digits 0-9, e.g. \"954\"; full-width and other "
                                       "scripts' digits are not read by machines that download the data)",
                                       "数值请用半角数字 0-9，不要用全角或其他文字的数字"))
        elif field in ("value", "previous") and kind in ("string_pattern_mismatch", "string_type"):
            if kind == "string_type":
                problem = f"value should be a number as printed, got {_kind(value)}"
            else:
                problem = f"value {value!r} is not a number as printed"
            out.append(located.problem(loc, f"{problem} (expected ASCII digits 0-9 as the article prints them, "
                                       "with an optional decimal point and no separators or units, in quotes: "
                                       "\"107.42\"; the unit goes in `unit:` and 万/亿 in `scale:`)",
                                       "数值应只含数字和小数点，如 \"107.42\"；单位写在 unit，万/亿写在 scale"))
        elif kind == "string_pattern_mismatch" and field == "slug":
            out.append(located.problem(loc, f"{value!r} is not a valid slug (expected lowercase letters a-z and "
                                       f"digits, words joined by single '-'{_near_id(str(value), '-')})",
                                       "只能用小写字母和数字，单词之间用一个“-”连接"))
        elif kind == "string_pattern_mismatch":
            out.append(located.problem(loc, f"{value!r} is not a valid {field} (expected lowercase letters a-z, "
                                       f"digits and '_', starting with a letter{_near_id(str(value), '_')})",
                                       "只能用小写字母、数字和“_”，并以字母开头"))
        elif kind == "string_too_short":
            if field in _LANG_NAME:
                english, chinese = _LANG_NAME[field]
                out.append(located.problem(loc, f"{field!r} is empty (write the {english} text"
                                           f"{', the translation of the Chinese' if field == 'en' else ''})",
                                           f"{chinese}内容不能为空" + ("，请补上英文译文" if field == "en" else "")))
            else:
                out.append(located.problem(loc, f"{what} is empty (write the text)", "内容不能为空"))
        elif kind == "string_too_long":
            limit = ctx.get("max_length")
            if loc and loc[0] == "paragraphs":
                advice, hint = "shorten it or split it into paragraphs", "文字过长，请删减或拆分段落"
            else:
                advice, hint = f"shorten it to at most {limit:,} characters", f"文字过长，最多 {limit:,} 个字符"
            out.append(located.problem(loc, f"{what} has {len(str(value)):,} characters, more than the "
                                       f"{limit:,} allowed ({advice})", hint))
        elif kind in ("model_type", "dict_type", "model_attributes_type"):
            hint = " (write it as `zh: …` and `en: …` on two indented lines)" if _is_text(model, loc) else ""
            out.append(located.problem(loc, f"{what} should be a mapping of fields, got {_kind(value)}{hint}",
                                       "此处应为字段映射" + ("（zh: 中文，en: 英文）" if hint else "")))
        elif kind in ("list_type", "tuple_type"):
            out.append(located.problem(loc, f"{what} should be a list (items start with '- '), "
                                       f"got {_kind(value)}", "此处应为列表（每项以“- ”开头）"))
        elif kind == "string_type":
            out.append(located.problem(loc, f"{what} should be text, got {_kind(value)}"
                                       + (" (put it in quotes)" if isinstance(value, (bool, int, float)) else ""),
                                       "此处应为文字"))
        elif kind in ("int_parsing", "int_type", "int_from_float"):
            out.append(located.problem(loc, f"{what} should be a whole number like 14, got {value!r}",
                                       "此处应为整数，如 14"))
        elif kind in ("bool_parsing", "bool_type"):
            out.append(located.problem(loc, f"{what} should be true or false, got {value!r}",
                                       "此处应为 true 或 false"))
        elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            limits = {"greater_than_equal": "at least", "less_than_equal": "at most",
                      "greater_than": "more than", "less_than": "less than"}
            limit = next(iter(ctx.values()), "")
            out.append(located.problem(loc, f"{what} is {value!r}, expected {limits[kind]} {limit}",
                                       "数值超出允许范围"))
        elif kind in ("too_short", "too_long"):
            count = "at least" if kind == "too_short" else "at most"
            size = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
            out.append(located.problem(loc, f"{what} has {ctx.get('actual_length')} item(s), expected {count} "
                                       f"{size}", "条目数量不符合要求"))
        else:
            out.append(located.problem(loc, f"{what}: {err['msg']}", "内容不符合要求"))
    return out


def _field_help(model: type[Strict], loc: tuple) -> str:
    """For a missing field whose values are a fixed list, say which values exist."""
    target = _annotation_at(model, loc[:-1])
    if not (isinstance(target, type) and issubclass(target, BaseModel)) or loc[-1] not in target.model_fields:
        return ""
    import typing

    ann = target.model_fields[loc[-1]].annotation
    options = typing.get_args(ann) if typing.get_origin(ann) is Literal else ()
    return f"; one of: {', '.join(options)}" if options else ""


def _near_id(word: str, sep: str) -> str:
    """For a misspelt id ('_') or slug ('-'): a valid form of the same words, offered only when it is valid.

    >>> _near_id("Wage Arrears", "-"), _near_id("wage_arrears", "-"), _near_id("Wage-Arrears", "_")
    ("; for example 'wage-arrears'", "; for example 'wage-arrears'", "; for example 'wage_arrears'")
    >>> _near_id("2025_total", "_"), _near_id("欠薪", "-")
    ('', '')
    """
    fixed = re.sub(r"[^a-z0-9]+", sep, word.strip().lower()).strip(sep)
    valid = SLUG_PATTERN if sep == "-" else ID_PATTERN
    return f"; for example {fixed!r}" if fixed != word and re.fullmatch(valid, fixed) else ""


def _kind(value) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", type(None): "nothing"}.get(
        type(value), type(value).__name__)


def _annotation_at(model: type[Strict], loc: tuple):
    """The model class reached by following `loc` through nested models and lists."""
    import typing

    current = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return None
        ann = current.model_fields[part].annotation
        for _ in range(4):  # unwrap Optional[...] / list[...] / Annotated[...]
            args = [a for a in typing.get_args(ann) if a is not type(None)]
            if isinstance(ann, type) and issubclass(ann, BaseModel):
                break
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            if models:
                ann = models[0]
                break
            ann = args[0] if args else ann
        current = ann
    return current


def _is_text(model: type[Strict], loc: tuple) -> bool:
    return _annotation_at(model, loc) is Text


def _allowed_fields(model: type[Strict], loc: tuple) -> list[str]:
    target = _annotation_at(model, loc)
    if isinstance(target, type) and issubclass(target, BaseModel):
        return list(target.model_fields)
    return []


# --- references between files --------------------------------------------------------------------------------

def text_fields(obj, loc: tuple = ()):
    """Yield (loc, lang, text) for every Text inside a model."""
    if isinstance(obj, Text):
        for lang in LANGS:
            yield loc + (lang,), lang, obj[lang]
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from text_fields(getattr(obj, name), loc + (name,))
    elif isinstance(obj, (list, tuple)):
        for i, item in enumerate(obj):
            yield from text_fields(item, loc + (i,))
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from text_fields(item, loc + (key,))


def _cross_check(content: Content) -> list[Problem]:
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
                                        f"{_near(area.headline, own)}", "headline 应为本领域的指标编号"))
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
    ids: dict[str, int] = {}
    gsrc = content.sources[display_path_for(content, "glossary.yaml")]
    for i, term in enumerate(content.glossary.terms):
        if term.id in ids:
            first = gsrc.position(("terms", ids[term.id], "id"))[0]
            problems.append(gsrc.problem(("terms", i, "id"), f"term id {term.id!r} is already used at line {first} "
                                         "(each term needs its own id)", f"术语编号“{term.id}”重复"))
        ids.setdefault(term.id, i)
    return problems


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
                                   f"area{elsewhere}{_near(bar.metric, own)}", "图表引用的指标不在本领域"))
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


def display_path_for(content: Content, filename: str) -> str:
    for path in content.sources:
        if Path(path).name == filename and Path(path).parent.name != "areas":
            return path
    raise KeyError(filename)


def _refs(text: str, loc: tuple, src: Located, known: set[str]) -> list[Problem]:
    out = []
    for match in REF.finditer(text):
        ref = match.group(1)
        if ref not in known:
            line, column = src.find(loc, match.group(0))
            near = _near(ref, known)
            out.append(Problem(src.path, line, column,
                               f"unknown metric or name {{{ref}}}{near} (a {{reference}} names the id of a metric "
                               "under `metrics:` or of a name under `names:` in report.yaml)",
                               f"引用的指标或名称“{ref}”不存在" + (f"，是否应为“{near.split(chr(39))[1]}”？" if near else "")))
    return out


def _metric_rules(metric: Metric, loc: tuple, src: Located, content: Content) -> list[Problem]:
    out = []
    metrics = content.metrics
    for field in ("part_of",):
        ref = getattr(metric, field)
        if ref and ref not in metrics:
            out.append(src.problem(loc + (field,), f"{field} {ref!r} is not a metric{_near(ref, metrics)}",
                                   "引用的指标不存在"))
    if metric.derived:
        for field in ("numerator", "denominator"):
            ref = getattr(metric.derived, field)
            if ref not in metrics:
                out.append(src.problem(loc + ("derived", field), f"{field} {ref!r} is not a metric"
                                       f"{_near(ref, metrics)}", "引用的指标不存在"))
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
