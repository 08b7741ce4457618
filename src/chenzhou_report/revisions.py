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
from pathlib import Path

from babel.dates import format_date

from .languages import language
from .model import Content, Metric, Revision
from .numbers import LOCALES, format_metric, machine_value

#: the record's file name, under content/ (contentfiles.KNOWN lists it)
RECORD = "published.json"
RECORD_ABOUT = ("The figures as last published, one value per metric id, written like `value` in the area files. "
                "Written by `chenzhou-report release` (make release); do not edit it by hand. A figure that differs "
                "from this record needs a `revisions:` entry whose `previous` is the value recorded here.")

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


def record_path(content_dir: Path | str) -> Path:
    return Path(content_dir) / RECORD


def read_record(path: Path) -> dict[str, str]:
    """The published figures, metric id -> value; raises RecordError (with a position) if the file is not valid."""
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordError(exc.lineno, exc.colno, f"not valid JSON: {exc.msg}") from None
    figures = data.get("figures") if isinstance(data, dict) else None
    if not isinstance(figures, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                for k, v in figures.items()):
        raise RecordError(1, 1, "expected {\"figures\": {\"metric_id\": \"value\", …}}")
    return figures


def record_text(content: Content) -> str:
    """The record of `content`'s figures, in the order of the report (stable: the same content, the same bytes)."""
    figures = {m.id: m.value for area in content.areas for m in area.metrics}
    return json.dumps({"about": RECORD_ABOUT, "figures": figures}, ensure_ascii=False, indent=1) + "\n"


def write_record(content: Content, content_dir: Path | str) -> tuple[Path, int]:
    """Write the record of the figures as they are now; returns (path, how many figures differ from the old one)."""
    path = record_path(content_dir)
    old: dict[str, str] = {}
    if path.is_file():
        try:
            old = read_record(path)
        except (RecordError, OSError, UnicodeDecodeError):
            old = {}
    changed = sum(1 for m in content.metrics.values() if m.id in old and old[m.id] != m.value)
    temporary = path.with_name(f"{RECORD}~")  # an editor-backup name: contentfiles ignores a leftover
    temporary.write_text(record_text(content), encoding="utf-8")
    temporary.replace(path)  # the record is never half written
    return path, changed


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


__all__ = ["RECORD", "RecordError", "read_record", "record_text", "write_record", "Entry", "entries",
           "all_entries", "CSV_COLUMNS", "csv_cells", "json_entries"]
