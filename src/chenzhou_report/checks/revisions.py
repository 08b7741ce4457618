"""The content check `revisions`: a published figure never changes silently.

`content/published.json` records the figures as last published, each with its digits, scale and unit
(`chenzhou-report release` writes it). A metric whose figure differs from the recorded one fails, at the line and
column of its `value`, unless one of its `revisions:` entries names the recorded figure as `previous` (written in the
metric's scale now: 6665万 published, the figure now in 亿, `previous: "0.6665"`) — the page, the corrections list
and the downloads then say what it was and why it changed. The same figure in another scale (6665万 as 0.6665亿)
has not changed. A figure whose unit changed measures something else: it fails at its `unit`. A recorded figure
no longer in the content fails at its line in the record, unless `release --withdraw ID` listed it as withdrawn. A
metric the record does not know is new (nothing was published); without a record nothing has been published yet
and there is nothing to compare.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from ..errors import Problem
from ..model import Content, display_path_for
from ..revisions import RECORD, Published, RecordError, changed, read_record, record_path

HINT = "已发布的数字被修改，但没有修订记录：请在该指标下添加 revisions 条目（previous 写原发布的数值）"
UNIT_HINT = "已发布数字的单位被修改：请恢复原单位，或为新数字另设 id 并撤回原数字（release --withdraw）"
GONE_HINT = "已发布的数字被删除：请恢复该指标，或用 chenzhou-report release --withdraw 记录撤回"


def check_revisions(content: Content) -> list[Problem]:
    content_dir = content.content_dir
    if content_dir is None or not record_path(content_dir).is_file():
        return []
    shown = str(PurePosixPath(display_path_for(content, "report.yaml")).parent / RECORD)
    try:
        record = read_record(record_path(content_dir))
    except RecordError as exc:
        return [Problem.found(shown, exc.line, exc.column, "revisions",
                        f"the record of published figures is damaged: {exc} (restore it from git; if "
                        "it cannot be restored, delete it and run `chenzhou-report release` to write it anew)", "已发布数字记录文件损坏，请重新生成或从 git 恢复")]
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem.found(shown, 1, 1, "revisions", f"cannot read the record of published figures: {exc}",
                        "无法读取已发布数字记录")]
    findings = []
    for area in content.areas:
        src = content.area_source(area)
        for i, metric in enumerate(area.metrics):
            if not changed(record, metric):
                continue
            published = record.figures[metric.id]
            if published.unit != metric.unit:
                line, column = src.position(("metrics", i, "unit"))
                findings.append(Problem.found(
                    src.path, line, column, "revisions",
                    f"{metric.id!r} was published in {published.unit} ({published.shown()}, {shown}) and is now in "
                    f"{metric.unit}: a figure in another unit measures something else (restore the unit, or give "
                    f"the new figure its own id and withdraw this one: `chenzhou-report release --withdraw "
                    f"{metric.id}`)", UNIT_HINT))
                continue
            previous = published.in_scale(metric.scale)
            if any(Published(r.previous, metric.unit, metric.scale).number == published.number
                   for r in metric.revisions):
                continue
            named = sorted({revision.previous for revision in metric.revisions})
            others = f"; its revisions name {', '.join(map(repr, named))}, not {previous!r}" if named else ""
            line, column = src.position(("metrics", i, "value"))
            findings.append(Problem.found(
                src.path, line, column, "revisions",
                f"{metric.id!r} was published as {published.shown()} ({shown}) and is now "
                f"{Published.of(metric).shown()} without a revision entry{others} (add under the metric "
                f"`revisions: [{{date: YYYY-MM-DD, kind: correction or revision, previous: \"{previous}\", reason: "
                f"{{zh: …, en: …}}}}]`, or restore the value)", HINT))
    for key, published in record.figures.items():
        if key not in content.metrics:
            findings.append(Problem.found(
                shown, record.lines[key], 1, "revisions",
                f"{key!r} was published as {published.shown()} and is no longer in the content: a published figure "
                f"removed silently (put the metric back in its area file, or withdraw it on purpose: "
                f"`chenzhou-report release --withdraw {key}` records the date it was withdrawn)", GONE_HINT,
                subject=key))
    return findings


__all__ = ["check_revisions"]
