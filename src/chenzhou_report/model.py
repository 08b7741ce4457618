"""The report as typed objects: the pydantic models of the report, areas, metrics, charts, glossary and interface
strings, and `Content`, everything in content/ validated, with its lookups.

Loading and the rules between files are in `loading.py` (`load_content`), the translation of validation errors
into an editor's words in `explain.py`. This module knows nothing of MkDocs or HTML.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    field_validator,
)

from .errors import ContentError, Problem
from .languages import LANGS, WRITTEN, field_of  # noqa: F401  (LANGS: re-exported for the tests)
from .yamlload import Located

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
        # any edition's code: a converted edition reads the field it is converted from (in converted content,
        # convert.py, that field holds the converted text)
        return getattr(self, field_of(lang))


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
        return getattr(self, field_of(lang))


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

    def __getitem__(self, lang: str) -> list[str]:
        return getattr(self, field_of(lang))


class Official(Strict):
    """Where an official English rendering of a term was found: the source, named in both languages, and the
    date of the source as cited (YYYY, YYYY-MM or YYYY-MM-DD; left out when the source is undated)."""

    source: Text
    date: Annotated[str, StringConstraints(pattern=r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")] | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _date_as_typed(cls, v):
        return v.isoformat() if hasattr(v, "isoformat") else (str(v) if isinstance(v, int) else v)


class Term(Strict):
    id: Id
    term: Text
    definition: Text
    match: Match = Match()
    #: the English is an official rendering found in this source; without it, the English is the project's own
    official: Official | None = None


class Glossary(Strict):
    terms: list[Term] = []


#: what a Traditional form may not contain: markup and digits (a figure is printed, never typed)
OVERRIDE_FORM = r"^[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f0-9]+$"
Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40, pattern=OVERRIDE_FORM)]


class Override(Strict):
    """A phrase of the source's text and the form a converted edition writes for it, with the reviewer's reason."""

    phrase: Phrase
    form: Phrase
    reason: Words


class Overrides(Strict):
    """The reviewed override table of a converted edition (content/hant-overrides.yaml): applied by phrase, before
    the automatic conversion."""

    overrides: list[Override] = []


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
    """Everything in content/, validated, with lookups. Complete when constructed."""

    def __init__(self, report: Report, areas: list[Area], glossary: Glossary, ui: UI, sources: dict[str, Located],
                 files: dict[str, str], area_paths: dict[int, str], content_dir: Path | None = None,
                 overrides: dict[str, Overrides] | None = None, written: "Content | None" = None):
        self.report = report
        self.areas = sorted(areas, key=lambda a: a.number)
        self.glossary = glossary
        self.ui = ui
        self.sources = sources  # display path -> Located, for positions of later checks
        self.files = files  # "report.yaml", "glossary.yaml", "ui.yaml" -> its display path
        self._area_paths = area_paths  # area number -> display path of its file
        self.content_dir = content_dir  # the folder it was loaded from: the record of published figures (revisions.py)
        #: converted edition's code -> its override table (an absent file: no overrides)
        self.overrides = overrides or {}
        #: for converted content (convert.converted), the written content it was converted from; else None
        self.written = written
        ui._source = sources.get(files.get("ui.yaml", ""))  # a missing string is named in ui.yaml

    @cached_property
    def metrics(self) -> dict[str, Metric]:
        return {m.id: m for a in self.areas for m in a.metrics}

    @cached_property
    def metric_area(self) -> dict[str, Area]:
        return {m.id: a for a in self.areas for m in a.metrics}

    def area_source(self, area: Area) -> Located:
        return self.sources[self._area_paths[area.number]]


def display_path_for(content: Content, filename: str) -> str:
    """The display path of report.yaml, glossary.yaml or ui.yaml in this content."""
    return content.files[filename]


def text_fields(obj, loc: tuple = ()):
    """Yield (loc, lang, text) for every Text inside a model."""
    if isinstance(obj, Text):
        for lang in WRITTEN:
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





def __getattr__(name: str):
    """`from chenzhou_report.model import load_content` as before loading.py was split off (PEP 562, lazy: no
    import cycle)."""
    if name == "load_content":
        from .loading import load_content

        return load_content
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
