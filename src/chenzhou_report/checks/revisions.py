"""The content check `revisions`: a published figure never changes silently.

`content/published.json` records the figures as last published (`chenzhou-report release` writes it). A metric
whose `value` differs from its recorded value fails, at the line and column of that `value`, unless one of its
`revisions:` entries names the recorded value as `previous` — the page, the corrections list and the downloads then
say what it was and why it changed. A metric the record does not know is new (nothing was published); without a
record nothing has been published yet and there is nothing to compare.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from ..errors import Problem
from ..model import Content, display_path_for
from ..revisions import RECORD, RecordError, read_record, record_path

HINT = "已发布的数字被修改，但没有修订记录：请在该指标下添加 revisions 条目（previous 写原发布的数值）"


def check_revisions(content: Content) -> list[Problem]:
    content_dir = content.content_dir
    if content_dir is None or not record_path(content_dir).is_file():
        return []
    shown = str(PurePosixPath(display_path_for(content, "report.yaml")).parent / RECORD)
    try:
        record = read_record(record_path(content_dir))
    except RecordError as exc:
        return [Problem.found(shown, exc.line, exc.column, "revisions",
                        f"the record of published figures is damaged: {exc} (write it anew with "
                        "`chenzhou-report release`, or restore it from git)", "已发布数字记录文件损坏，请重新生成或从 git 恢复")]
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem.found(shown, 1, 1, "revisions", f"cannot read the record of published figures: {exc}",
                        "无法读取已发布数字记录")]
    findings = []
    for area in content.areas:
        src = content.area_source(area)
        for i, metric in enumerate(area.metrics):
            published = record.get(metric.id)
            if published is None or published == metric.value:
                continue
            if any(revision.previous == published for revision in metric.revisions):
                continue
            named = sorted({revision.previous for revision in metric.revisions})
            others = f"; its revisions name {', '.join(map(repr, named))}, not {published!r}" if named else ""
            line, column = src.position(("metrics", i, "value"))
            findings.append(Problem.found(
                src.path, line, column, "revisions",
                f"{metric.id!r} was published as {published!r} ({shown}) and is now {metric.value!r} without a "
                f"revision entry{others} (add under the metric `revisions: [{{date: YYYY-MM-DD, kind: correction "
                f"or revision, previous: \"{published}\", reason: {{zh: …, en: …}}}}]`, or restore the value)",
                HINT))
    return findings


__all__ = ["check_revisions"]
