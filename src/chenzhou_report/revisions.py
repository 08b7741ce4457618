"""Corrections and revisions (ONS-style): what changed in a published figure, when, from what, and why.

A metric may carry `revisions:` (model.Revision: date, kind `correction` | `revision`, `previous` value, `reason`
in each language). `content/published.json` is the committed record of the figures as last published; the content
check `revisions` (checks/revisions.py) fails when a figure differs from that record without a revision entry
naming the recorded value as `previous`, and `chenzhou-report release` (`make release`) writes the record anew.

This module reads and writes the record and gives the pages and downloads their words for a revision: the note
beside a figure ("Revised on 1 December 2026, previously 66 million yuan" / "2026年12月1日修订，原为6600万元"), the
list of the corrections page, the cells of metrics.csv and the entries of metrics.json.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import get_args

from babel.dates import format_date

from .languages import language
from .model import SCALE_FACTOR, Content, Metric, Revision, Scale, Unit
from .numbers import LOCALES, format_metric, machine_value

#: the record's file name, under content/ (contentfiles.KNOWN lists it)
RECORD = "published.json"
RECORD_ABOUT = ("The figures as last published, by metric id: the digits written like `value` in the area files, with "
                "their `scale` and `unit`. Written by `chenzhou-report release` (make release); do not edit it by "
                "hand. A figure that differs from this record needs a `revisions:` entry whose `previous` is the value "
                "recorded here; a figure removed from the content is listed under `withdrawn` by "
                "`chenzhou-report release --withdraw ID`.")
UNITS = get_args(Unit)
SCALES = get_args(Scale)

#: how a revision note is put together in each language: the one place where word order differs by language
#: (by the style of the edition, languages.py: Chinese: date, verb, then 原为 and the value; English: verb, date,
#: then "previously" and the value)
NOTE_ORDER = {
    "chinese": "{date}{verb}{comma}{previously}{value}",
    "english": "{verb} {date}{comma}{previously} {value}",
}


class RecordError(ValueError):
    """The record is not what `release` writes: (line, column, message)."""

    def __init__(self, line: int, column: int, message: str):
        super().__init__(message)
        self.line, self.column = line, column


@dataclass(frozen=True)
class Published:
    """A figure as the record keeps it: the digits, the scale and the unit it was published with.

    >>> Published("6665", "yuan", "wan").number
    Decimal('66650000')
    >>> Published("6665", "yuan", "wan").in_scale("yi")
    '0.6665'
    >>> Published("0.66", "yuan", "yi").in_scale("wan")
    '6600'
    """

    value: str
    unit: str
    scale: str | None = None

    @property
    def number(self) -> Decimal:
        """The published figure in its unit, scale applied (6665 wan -> 66650000): what a change is measured by."""
        return Decimal(self.value) * SCALE_FACTOR[self.scale]

    def in_scale(self, scale: str | None) -> str:
        """The published figure's digits in another scale, as a revision's `previous` writes them."""
        return format((self.number / SCALE_FACTOR[scale]).normalize(), "f")

    def shown(self) -> str:
        """'6665 wan yuan', for messages to editors."""
        return " ".join(part for part in (self.value, self.scale, self.unit) if part)

    def as_json(self) -> dict:
        return {"value": self.value, **({"scale": self.scale} if self.scale else {}), "unit": self.unit}

    @classmethod
    def of(cls, metric: Metric) -> "Published":
        return cls(metric.value, metric.unit, metric.scale)


@dataclass(frozen=True)
class Record:
    """The record of published figures: metric id -> Published; `withdrawn`: id -> (the figure, the date it was
    withdrawn); `lines`: where each id is written in the file, for messages."""

    figures: dict[str, Published]
    withdrawn: dict[str, tuple[Published, str]]
    lines: dict[str, int]


def record_path(content_dir: Path | str) -> Path:
    return Path(content_dir) / RECORD


def _line_of(text: str, key: str) -> int:
    index = text.find(json.dumps(key, ensure_ascii=False) + ":")
    return text.count("\n", 0, index) + 1 if index >= 0 else 1


def _published(text: str, key: str, entry) -> Published:
    if (not isinstance(entry, dict) or not isinstance(entry.get("value"), str) or entry.get("unit") not in UNITS
            or entry.get("scale", None) not in (None, *SCALES)
            or not set(entry) <= {"value", "unit", "scale", "withdrawn"}):
        raise RecordError(_line_of(text, key), 1, f"{key!r}: expected {{\"value\": \"6665\", \"scale\": \"wan\", "
                          f"\"unit\": \"yuan\"}} (scale: wan or yi, or left out; unit: one of {', '.join(UNITS)})")
    try:
        Decimal(entry["value"])
    except ArithmeticError:
        raise RecordError(_line_of(text, key), 1, f"{key!r}: value {entry['value']!r} is not a number") from None
    return Published(entry["value"], entry["unit"], entry.get("scale"))


def read_record(path: Path) -> Record:
    """The record in `path`; raises RecordError (with a position) if the file is not what `release` writes."""
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordError(exc.lineno, exc.colno, f"not valid JSON: {exc.msg}") from None
    figures = data.get("figures") if isinstance(data, dict) else None
    withdrawn = data.get("withdrawn", {}) if isinstance(data, dict) else None
    if not isinstance(figures, dict) or not isinstance(withdrawn, dict):
        raise RecordError(1, 1, "expected {\"figures\": {\"metric_id\": {\"value\": …, \"unit\": …}, …}, "
                          "\"withdrawn\": {…}}")
    out = {key: _published(text, key, entry) for key, entry in figures.items()}
    gone = {}
    for key, entry in withdrawn.items():
        date = entry.get("withdrawn") if isinstance(entry, dict) else None
        if not isinstance(date, str):
            raise RecordError(_line_of(text, key), 1, f"{key!r}: a withdrawn figure needs the date it was withdrawn")
        gone[key] = (_published(text, key, entry), date)
    return Record(out, gone, {key: _line_of(text, key) for key in out})


def record_text(content: Content, withdrawn: dict[str, tuple[Published, str]] | None = None) -> str:
    """The record of `content`'s figures, in the order of the report (stable: the same content, the same bytes),
    with the figures withdrawn so far (`withdrawn`: id -> (figure, date))."""
    figures = {m.id: Published.of(m).as_json() for area in content.areas for m in area.metrics}
    gone = {key: {**figure.as_json(), "withdrawn": date} for key, (figure, date) in (withdrawn or {}).items()
            if key not in figures}
    return json.dumps({"about": RECORD_ABOUT, "figures": figures, **({"withdrawn": gone} if gone else {})},
                      ensure_ascii=False, indent=1) + "\n"


def changed(record: Record, metric: Metric) -> bool:
    """Whether `metric` differs from the figure the record says was published (a new figure has not changed; the
    same figure in another scale, 6665万 as 0.6665亿, has not changed either)."""
    published = record.figures.get(metric.id)
    return published is not None and (published.unit != metric.unit or published.number != metric.number)


def write_record(content: Content, content_dir: Path | str, withdraw: dict[str, str] | None = None
                 ) -> tuple[Path, int]:
    """Write the record of the figures as they are now, keeping the withdrawn ones and adding `withdraw` (id ->
    date: figures of the old record no longer in the content); returns (path, how many figures differ from the
    old record)."""
    path = record_path(content_dir)
    old = Record({}, {}, {})
    if path.is_file():
        try:
            old = read_record(path)
        except (RecordError, OSError, UnicodeDecodeError):
            pass
    count = sum(1 for m in content.metrics.values() if changed(old, m))
    gone = dict(old.withdrawn)
    for key, date in (withdraw or {}).items():
        gone[key] = (old.figures[key], date)
    temporary = path.with_name(f"{RECORD}~")  # an editor-backup name: contentfiles ignores a leftover
    temporary.write_text(record_text(content, gone), encoding="utf-8")
    temporary.replace(path)  # the record is never half written
    return path, count


# --- words for readers ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """One revision as the pages and downloads show it, in one language."""

    metric: Metric
    revision: Revision
    date: str          # 2026年12月1日 / December 1, 2026
    iso_date: str      # 2026-12-01
    kind: str          # 更正 / Correction
    previous: str      # the previous figure as the page prints a figure: 6600万元 / 66 million yuan
    previous_value: str  # the previous figure as a machine reads it (the metric's unit, scale applied)
    note: str          # 2026年12月1日更正，原为6600万元


def previous_metric(metric: Metric, revision: Revision) -> Metric:
    """The metric as it was published before `revision` (digits printed, not words)."""
    return metric.model_copy(update={"value": revision.previous, "written": None, "revisions": []})


def entries(metric: Metric, lang: str, t, punct: dict) -> list[Entry]:
    """The metric's revisions, newest first, in `lang`; `t` gives interface words, `punct` the punctuation."""
    out = []
    for revision in sorted(metric.revisions, key=lambda r: r.date, reverse=True):
        before = previous_metric(metric, revision)
        date = format_date(revision.date, format="long", locale=LOCALES[lang])
        previous = format_metric(before, lang)
        note = NOTE_ORDER[language(lang).style].format(date=date, verb=t(f"revision_verb_{revision.kind}"), comma=punct["comma"],
                                       previously=t("revision_previously"), value=previous)
        out.append(Entry(metric, revision, date, revision.date.isoformat(), t(f"revision_kind_{revision.kind}"),
                         previous, machine_value(before), note))
    return out


def all_entries(content: Content, lang: str, t, punct: dict) -> list[Entry]:
    """Every revision of the report, newest first (then in the order of the report)."""
    found = [entry for area in content.areas for metric in area.metrics for entry in entries(metric, lang, t, punct)]
    return sorted(found, key=lambda e: e.iso_date, reverse=True)


#: the columns metrics.csv gives each figure's latest revision (datapackage.COLUMNS types them)
CSV_COLUMNS = ["revised", "revision_kind", "previous_value", "revision_reason"]


def csv_cells(metric: Metric, lang: str, t, punct: dict, plain) -> dict[str, str]:
    """The latest revision of a figure, as the cells of metrics.csv (empty when the figure was never changed)."""
    found = entries(metric, lang, t, punct)
    if not found:
        return dict.fromkeys(CSV_COLUMNS, "")
    latest = found[0]
    return {"revised": latest.iso_date, "revision_kind": latest.revision.kind, "previous_value": latest.previous_value,
            "revision_reason": plain(latest.revision.reason[lang])}


def json_entries(metric: Metric, lang: str, t, punct: dict, plain) -> list[dict]:
    """Every revision of a figure, oldest first, for metrics.json."""
    return [{"date": e.iso_date, "kind": e.revision.kind, "previous": e.revision.previous,
             "previous_value": e.previous_value, "previous_printed": e.previous,
             "reason": plain(e.revision.reason[lang])} for e in reversed(entries(metric, lang, t, punct))]


__all__ = ["RECORD", "RecordError", "Published", "Record", "read_record", "record_text", "changed", "write_record", "Entry", "entries",
           "all_entries", "CSV_COLUMNS", "csv_cells", "json_entries"]
