"""A page a reader can scan: an area's figures grouped under the sentence they come from, and its main points.

The article states several figures in one clause (3884 leads received, 3852 resolved, a rate of 99.17%); the area
page shows that clause once, above its figures, instead of once per figure. `groups(area)` gives the groups in the
order of the area's metrics (a group per distinct `source`). `main_points(area)` gives the figures the page leads
with, as the "main points" of an ONS bulletin: the headline figure, then the last figure of every other clause —
the article's clauses end on their result (received, resolved, then the rate).
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Area, Metric
from .languages import SOURCE, field_of


def in_source_language(lang: str) -> bool:
    """A page in the article's language quotes the clause itself; a page in another language shows its own
    sentence and folds the Chinese original. An edition converted from the article's (the Traditional) quotes it too.

    >>> in_source_language("zh"), in_source_language("zh-hant"), in_source_language("en")
    (True, True, False)
    """
    return field_of(lang) == SOURCE


@dataclass(frozen=True)
class Group:
    sources: tuple[str, ...]     # the Chinese clauses, as the article prints them
    metrics: tuple[Metric, ...]  # their figures, in the area's order
    sentences: tuple = ()        # the sentences of the page's language that state them, each once (other languages)

    @property
    def id(self) -> str:
        """An anchor for the group: its first figure's id with a prefix (figure ids stay the rows' anchors)."""
        return f"from-{self.metrics[0].id}"


def groups(area: Area, sentence_of=None) -> list[Group]:
    """The area's figures by clause of the article. With `sentence_of(metric)` (a page in another language than the
    article's), each group gets its sentences, and neighbouring clauses that one translated sentence states together
    become one group: the sentence is shown once, above the clauses' figures."""
    order: dict[str, list[Metric]] = {}
    for metric in area.metrics:
        order.setdefault(metric.source, []).append(metric)
    found = [Group((source,), tuple(metrics)) for source, metrics in order.items()]
    if sentence_of is None:
        return found
    merged: list[Group] = []
    for group in found:
        sentences = tuple(dict.fromkeys(sentence_of(m) for m in group.metrics))
        if merged and merged[-1].sentences == sentences:
            last = merged.pop()
            group = Group(last.sources + group.sources, last.metrics + group.metrics, sentences)
        else:
            group = Group(group.sources, group.metrics, sentences)
        merged.append(group)
    return merged


def main_points(area: Area) -> list[Metric]:
    if not area.metrics:
        return []
    by_id = {m.id: m for m in area.metrics}
    points = [by_id[area.headline]] if area.headline in by_id else []
    for group in groups(area):
        if not any(m in points for m in group.metrics):
            points.append(group.metrics[-1])
    return points


__all__ = ["Group", "groups", "main_points", "in_source_language"]
