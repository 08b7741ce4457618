"""Where prose lives: every text field an editor writes, with the file it came from, for the content checks."""

from __future__ import annotations

from ..model import Content, display_path_for, text_fields


def sources(content: Content):
    """(model, located source) for report.yaml, glossary.yaml, ui.yaml and every area file."""
    for name, model in (("report.yaml", content.report), ("glossary.yaml", content.glossary),
                        ("ui.yaml", content.ui)):
        yield model, content.sources[display_path_for(content, name)]
    for area in content.areas:
        yield area, content.area_source(area)


def prose(content: Content):
    """(located, loc, lang, text) for every prose text. `names` and `written` are data, not prose;
    `source`, `value` and `counter` are not text fields at all."""
    for model, src in sources(content):
        for loc, lang, text in text_fields(model):
            if loc[0] == "names" or (len(loc) >= 2 and loc[-2] == "written"):
                continue
            yield src, loc, lang, text


def where(loc: tuple) -> str:
    """('paragraphs', 1, 'en') -> 'paragraphs[1].en'"""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
