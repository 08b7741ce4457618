"""Charts drawn at build time: an area's `charts:` as static SVG made by pygal, with the same numbers as a table.

`ChartView.build(chart, content, lang, prose)` gathers what one chart shows in one language: its title, one bar per
metric (the label, the printed figure from `numbers.format_metric`, the exact value), and a description for screen
readers. `ChartView.svg()` renders it with pygal and cleans the result for inlining in the page: no script, no
external reference (pygal links a script on another host unless `js=[]`), no comment with a date, a stable id
instead of pygal's random one, and `role="img"` with `<title>`/`<desc>` named by `aria-labelledby`.

Nothing here knows MkDocs; the templates place the SVG and its table.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path

import pygal
from markupsafe import Markup
from pygal.style import Style

from . import escape
from .languages import language
from .model import Chart, Content, Metric
from .numbers import format_metric, machine_value

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

#: the drawing's own size (the page scales it down on a phone, never up beyond this)
WIDTH = 480
BAR_HEIGHT = 46
MIN_BAR = 140
MARGIN = 8
FONT_SIZE = 16

#: finished drawings by what they depend on (ChartView._key); bounded, cleared when full
_DRAWINGS: dict[tuple, tuple[int, str]] = {}
_DRAWINGS_MAX = 20_000
#: where finished drawings are kept between build processes (`keep_drawings`); None: in this process only
_DISK: Path | None = None
_DISK_READ = True


def keep_drawings(folder: Path | None, *, read: bool = True) -> None:
    """Keep finished drawings in `folder` too (a build's cache: outside site/, ignored by git), so that the next build
    draws only the charts whose inputs changed; `read=False`: every chart drawn again and kept (a full build). A
    drawing is a file named by a hash of its key (`ChartView._key`), of this module's and escape.py's code and of
    pygal's version, so a change to any of them draws anew."""
    global _DISK, _DISK_READ
    _DISK, _DISK_READ = (Path(folder) if folder is not None else None), read


def forget_drawings() -> None:
    """Empty the drawings kept in memory (a build process that ends after this build needs them no more)."""
    _DRAWINGS.clear()


def _code() -> str:
    digest = hashlib.sha256(pygal.__version__.encode())
    for module in (__file__, escape.__file__):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()


_CODE: str | None = None


def _disk_path(key: tuple) -> Path | None:
    global _CODE
    if _DISK is None:
        return None
    if _CODE is None:
        _CODE = _code()
    return _DISK / f"{hashlib.sha256(f'{_CODE}{key!r}'.encode('utf-8', 'surrogatepass')).hexdigest()}.json"


def _read_drawing(path: Path | None) -> tuple[int, str] | None:
    if path is None or not _DISK_READ:
        return None
    try:
        width, svg = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        return None  # not there yet, or unreadable: drawn again
    return (width, svg) if isinstance(width, int) and isinstance(svg, str) else None


def _write_drawing(path: Path | None, drawing: tuple[int, str]) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_text(json.dumps(list(drawing), ensure_ascii=False), encoding="utf-8")
        partial.replace(path)
    except OSError:
        pass  # a read-only cache: the drawing is simply made again next time

#: site colours (templates/static/stylesheets/extra.css): text, bars
INK = "#1a1a1a"
BAR = "#8c1d18"


@dataclass(frozen=True)
class Bar:
    metric: Metric
    label: str           # the short label shown on the chart (the metric's label if the chart gives none)
    printed: str         # the figure as the prose prints it in this language
    value: Decimal       # the exact amount (scale applied): the bar's length

    @property
    def machine(self) -> str:
        return machine_value(self.metric)


@dataclass(frozen=True)
class ChartView:
    chart: Chart
    lang: str
    title: str
    description: str
    bars: tuple[Bar, ...]

    @classmethod
    def build(cls, chart: Chart, content: Content, lang: str, plain, intro: str) -> "ChartView":
        """`plain` prints references in a text (ProseRenderer.plain); `intro` opens the description."""
        bars = []
        for bar in chart.bars:
            metric = content.metrics[bar.metric]
            label = plain(bar.label[lang]) if bar.label else plain(metric.label[lang])
            bars.append(Bar(metric, label, format_metric(metric, lang), metric.number))
        punct = language(lang).punctuation
        sep, colon, end = punct["semicolon"], punct["colon"], punct["stop"]
        listing = sep.join(f"{b.label}{colon}{b.printed}" for b in bars)
        opening = intro + " " if intro[-1:].isascii() else intro  # "…its figure. Received: …" / "…成正比。接收：…"
        return cls(chart, lang, plain(chart.title[lang]), f"{opening}{listing}{end}", tuple(bars))

    @property
    def dom_id(self) -> str:
        return "chart-" + self.chart.id.replace("_", "-")

    def svg(self) -> Markup:
        return Markup(self._drawing[1])

    @property
    def width(self) -> int:
        """The drawing's width: WIDTH, or wider when long labels and figures leave the longest bar too short."""
        return self._drawing[0]

    # -- drawing --
    @property
    def _key(self) -> tuple:
        """Everything the drawing depends on: the same chart drawn for the area page and for the whole report, or
        again by the live preview when nothing in it changed, is drawn once."""
        return (self.lang, self.chart.id, self.title, self.description,
                tuple((b.label, b.printed, b.value) for b in self.bars))

    @cached_property
    def _drawing(self) -> tuple[int, str]:
        key = self._key
        found = _DRAWINGS.get(key)
        if found is None:
            if len(_DRAWINGS) >= _DRAWINGS_MAX:
                _DRAWINGS.clear()
            path = _disk_path(key)
            found = _read_drawing(path)
            if found is None:
                width, raw = self._layout()
                found = (width, _clean(raw, self, width))
                _write_drawing(path, found)
            _DRAWINGS[key] = found
        return found

    def _layout(self) -> tuple[int, str]:
        """Draw, measure what pygal drew, adjust: the longest bar gets at least MIN_BAR units, and every printed
        figure ends inside the drawing. A bar's length is proportional to its value, so two or three rounds
        settle it."""
        width = WIDTH
        top = float(max(b.value for b in self.bars))
        span = top if top > 0 else 1.0  # all bars zero: pygal draws no bar; give the axis a length anyway
        for _ in range(8):
            raw = self._pygal(width, span).render(is_unicode=True)
            longest, ends = _measure(raw)
            overflow = max(ends, default=0.0) - (width - MARGIN)
            short = MIN_BAR - longest if top > 0 else 0.0  # zero bars stay zero: nothing to lengthen
            if overflow <= 0.5 and short <= 0.5:
                break
            wanted = max(longest - max(overflow, 0.0), MIN_BAR)
            if wanted > longest - overflow:  # not enough room: widen the drawing by what is missing
                width += int(wanted - (longest - overflow)) + 1
            if top > 0 and longest > 0:
                span = span * longest / wanted
        return width, raw

    def _pygal(self, width: int, span: float) -> pygal.HorizontalBar:
        # pygal guesses a label's width as 0.6 em a character; a Chinese character is a full em: widen the margin
        labels = [b.label for b in self.bars]
        pygal_guess = max(len(label) for label in labels) * 0.6 * FONT_SIZE
        margin_left = MARGIN + max(0.0, max(_text_width(label) for label in labels) - pygal_guess)
        style = Style(
            font_family="inherit",
            background="transparent",
            plot_background="transparent",
            foreground=INK,
            foreground_strong=INK,
            foreground_subtle=INK,
            opacity="1",
            opacity_hover="1",
            transition="0s",
            colors=(BAR,),
            label_font_size=FONT_SIZE,
            major_label_font_size=FONT_SIZE,
            value_font_size=FONT_SIZE,
            value_label_font_size=FONT_SIZE,
            title_font_size=FONT_SIZE,
            tooltip_font_size=FONT_SIZE,
        )
        chart = pygal.HorizontalBar(
            js=[],                        # pygal's default loads a script from another host
            css=["file://style.css", "file://graph.css"],
            disable_xml_declaration=True,
            no_prefix=False,
            style=style,
            width=width,
            height=2 * MARGIN + BAR_HEIGHT * len(self.bars) + MARGIN,
            margin=MARGIN,
            margin_left=margin_left,
            spacing=MARGIN,
            show_legend=False,
            show_x_labels=False,          # (pygal swaps axes for horizontal bars) no value axis: each bar prints its figure
            show_x_guides=False,
            show_y_guides=False,
            truncate_label=-1,
            print_values=True,
            print_values_position="top",      # with horizontal bars: just past the end of the bar
            range=(0, span),
            tooltip_border_radius=0,
        )
        # pygal draws the first value at the bottom: reverse, so the chart reads top-down like the table
        ordered = list(reversed(self.bars))
        chart.x_labels = [escape.svg_text(b.label) for b in ordered]
        chart.add("", [{"value": float(b.value), "formatter": (lambda _v, p=escape.svg_text(b.printed): p)}
                       for b in ordered])
        return chart


def _text_width(text: str) -> float:
    """A rough width in SVG units at FONT_SIZE: wide (CJK) characters count as one em, others as about half."""
    width = 0.0
    for char in text:
        width += 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.56
    return width * FONT_SIZE


def _measure(svg: str) -> tuple[float, list[float]]:
    """In pygal's drawing: the longest bar's length, and where each printed figure ends (estimated from its text)."""
    root = etree.fromstring(svg)
    plot = root.find(f".//{{{SVG_NS}}}g[@class='plot']")
    origin = float(re.match(r"translate\(([-\d.]+)", plot.get("transform")).group(1))
    widths = [float(r.get("width") or 0) for r in root.iterfind(f".//{{{SVG_NS}}}g[@class='bar']/{{{SVG_NS}}}rect")]
    longest = max(widths, default=0.0)
    ends = [origin + float(t.get("x")) + _text_width(t.text or "")
            for t in root.iterfind(f".//{{{SVG_NS}}}text") if "value" in (t.get("class") or "").split()]
    return longest, ends


def _clean(svg: str, view: ChartView, width: int) -> str:
    """pygal's SVG made fit to inline: stable id, no script or comment or tooltip, accessible name and description."""
    root = etree.fromstring(svg)  # comments are dropped by the parser
    old_id = root.get("id", "")
    new_id = view.dom_id + "-svg"
    for parent in list(root.iter()):
        for child in list(parent):
            tag = child.tag.split("}")[-1]
            klass = child.get("class", "")
            if tag == "script" or (tag == "desc" and parent is not root) or "tooltip-overlay" in klass \
                    or tag == "title" and parent is not root:
                parent.remove(child)
    for element in root.iter():
        for attr in list(element.attrib):
            if attr.startswith(f"{{{XLINK_NS}}}") or attr.startswith("on"):
                del element.attrib[attr]
        klass = element.get("class")
        if klass and "tooltip-trigger" in klass:
            element.set("class", " ".join(k for k in klass.split() if k != "tooltip-trigger"))
        if element.tag == f"{{{SVG_NS}}}style" and element.text:
            element.text = element.text.replace(old_id, new_id)
        if element.tag == f"{{{SVG_NS}}}text" and "value" in (element.get("class") or "").split():
            element.set("text-anchor", "start")  # a value reads from the end of its bar
    root.set("id", new_id)
    root.set("role", "img")
    root.set("aria-labelledby", f"{view.dom_id}-title {view.dom_id}-desc")
    root.set("width", str(width))
    root.set("height", root.get("viewBox", "0 0 0 0").split()[3])
    title = etree.Element(f"{{{SVG_NS}}}title", {"id": f"{view.dom_id}-title"})
    title.text = escape.svg_text(view.title)
    desc = etree.Element(f"{{{SVG_NS}}}desc", {"id": f"{view.dom_id}-desc"})
    desc.text = escape.svg_text(view.description)
    root.insert(0, desc)
    root.insert(0, title)
    etree.register_namespace("", SVG_NS)  # serialise as <svg xmlns=…><g>…, not <ns0:svg>
    text = etree.tostring(root, encoding="unicode")
    text = re.sub(r"\s*\n\s*", " ", text)  # one line: the page's Markdown sees a single HTML block
    # a URL in an attribute or a style would be loaded; words in a title or label are only text
    loaded = [v for e in root.iter() for v in e.attrib.values()] + [e.text or "" for e in root.iter(f"{{{SVG_NS}}}style")]
    if any(("http://" in v.replace(SVG_NS, "") or "https://" in v) for v in loaded):
        raise ValueError(f"chart {view.chart.id}: the SVG still names another host")
    return text


__all__ = ["Bar", "ChartView"]
