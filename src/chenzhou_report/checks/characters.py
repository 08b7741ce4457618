"""The check `characters`: characters that do not belong in the text of a content file, at their own position.

Decided by Unicode category (`unicodedata`), not by a list of our own:

- Cc, control characters: C0 (NUL, ESC, tab …), DEL, C1 (U+0080–U+009F, NEL U+0085 included). A line break (LF,
  and CR directly before LF) is the only one allowed, and only between lines of the file or inside prose (paragraphs,
  lead, definitions, no_metrics_reason); a line break loaded into a one-line field (a title, a label, a name, a
  counter, a ui string …) is refused: it breaks MkDocs' front matter and the page heading;
- Cf, invisible format characters: bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069, the
  marks U+200E/U+200F/U+061C), zero-width space/joiners, the soft hyphen, U+FEFF inside text, …;
- Zl, Zp: U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR (YAML reads them as line breaks);
- Co, Cn, Cs: private-use, unassigned and surrogate code points.

Chinese text needs none of them: full-width punctuation and the ideographic space U+3000 are ordinary characters
(categories P* and Zs) and pass. Both the raw text of each file (comments and keys included) and every loaded string
are read, so a character typed directly and one written as a YAML escape ("\\u202e") are both found: the first at
its own line and column, the second at its escape.

`scan_dir(content_dir)` reads the files without YAML, so `make site` and `check` name the character even where it
keeps the YAML from loading (a U+2028 inside a plain title is a syntax error to YAML).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from yaml.reader import Reader

from ..errors import display_path
from ..model import Content
from ..yamlload import Located, _line_column, _line_starts
from . import Finding
from .figures import value_offsets

#: what the YAML reader itself refuses in a file (it names them, at their place, while loading)
YAML_REFUSES = Reader.NON_PRINTABLE
BAD_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Co", "Cn", "Cs"}
BIDI = {"LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI", "LRM", "RLM", "ALM"}
#: fields whose text is prose: Markdown reads a line break there as a space
MULTILINE = {"paragraphs", "lead", "definition", "no_metrics_reason"}


def is_bad(char: str) -> bool:
    return unicodedata.category(char) in BAD_CATEGORIES and char != "\n"


def describe(char: str) -> str:
    """U+202E RIGHT-TO-LEFT OVERRIDE, a bidirectional control (…)"""
    code = ord(char)
    name = unicodedata.name(char, "")
    category = unicodedata.category(char)
    label = f"U+{code:04X}" + (f" {name}" if name else "")
    if category == "Cc":
        what = "a control character" + (" (a tab: indent and separate with spaces)" if char == "\t" else "")
    elif unicodedata.bidirectional(char) in BIDI:
        what = "a bidirectional control: it reorders the text on screen, a figure included"
    elif category == "Cf":
        what = "an invisible format character"
    elif category in ("Zl", "Zp"):
        what = "a line or paragraph separator, which YAML reads as a line break"
    else:
        what = "a private-use or unassigned code point"
    return f"{label}, {what}"


def _finding(path: str, line: int, column: int, char: str, escaped: bool = False) -> Finding:
    how = " (written as an escape)" if escaped else ""
    return Finding(path, line, column, "characters",
                   f"character {describe(char)}{how}, does not belong in the text (delete it; it is often pasted "
                   "invisibly from a web page or a word processor: retype the words around it if unsure)",
                   f"文本中有不可见或控制字符 U+{ord(char):04X}，请删除（常随复制粘贴混入）")


def scan_text(path: str, text: str) -> list[Finding]:
    """Every bad character typed in a file's raw text that YAML accepts, at its line and column.

    The others (NUL, ESC, DEL, C1 but NEL …) never load: the YAML reader refuses them at the same place (`load`).
    A tab or a CR is YAML's business in the raw text (indentation, line ends); in a loaded string it is found by
    `scan_values`."""
    out = []
    starts = None
    for index, char in enumerate(text):
        if not is_bad(char) or char in "\t\r" or YAML_REFUSES.match(char):
            continue
        starts = starts or _line_starts(text)
        out.append(_finding(path, *_line_column(starts, index), char))
    return out


def _strings(data, loc: tuple = ()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, loc + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, loc + (i,))
    elif isinstance(data, str):
        yield loc, data


def scan_values(src: Located) -> list[Finding]:
    """Bad characters that only the loaded strings hold (YAML escapes), and line breaks in one-line fields."""
    out = []
    for loc, text in _strings(src.data):
        multiline = any(part in MULTILINE for part in loc if isinstance(part, str))
        for index, char in enumerate(text):
            if char == "\n" and not multiline:
                offsets = value_offsets(src, loc, text)
                line, column = _line_column(_line_starts(src.text), offsets[index])
                out.append(Finding(src.path, line, column, "characters",
                    f"line break inside {loc[-1]!r}, a one-line field (write it on one line: a title, label, "
                    "name or interface string is a single line of text)", "此字段只能写一行，请删除换行"))
            elif is_bad(char) and (char in "\t\r" or YAML_REFUSES.match(char) or char not in src.text):
                offsets = value_offsets(src, loc, text)
                line, column = _line_column(_line_starts(src.text), offsets[index])
                out.append(_finding(src.path, line, column, char, escaped=char not in src.text))
    return out


def check_characters(content: Content) -> list[Finding]:
    out = []
    for src in content.sources.values():
        out += scan_text(src.path, src.text)
        out += scan_values(src)
    return out


def content_files(content_dir: Path) -> list[Path]:
    """The YAML files the model reads (report, glossary, ui, areas/*.yaml)."""
    files = [content_dir / name for name in ("report.yaml", "glossary.yaml", "ui.yaml")]
    area_dir = content_dir / "areas"
    files += sorted(area_dir.glob("*.yaml")) if area_dir.is_dir() else []
    return [f for f in files if f.is_file()]


def scan_dir(content_dir: Path, root: Path | None = None) -> list[Finding]:
    """Bad characters typed in any content file, read without YAML (files that are not UTF-8 are left to `load`)."""
    out = []
    for path in content_files(Path(content_dir)):
        try:
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        out += scan_text(display_path(path, root), text.removeprefix("\ufeff"))
    return out


__all__ = ["check_characters", "scan_dir", "scan_text", "is_bad", "describe", "BAD_CATEGORIES"]
