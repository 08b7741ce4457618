"""Where a character of a parsed YAML text is in its file, for findings inside a text.

A parsed value is not its raw source: a folded block (`>-`) joins lines with spaces, a quoted string has escapes.
`text_position(src, loc, text, index)` walks the raw source of the value at `loc` beside the parsed `text` and
returns the line and column of `text[index]`.
"""

from __future__ import annotations

from ..yamlload import Located


def text_position(src: Located, loc: tuple, text: str, index: int) -> tuple[int, int]:
    """Line and column of `text[index]`, `text` being the parsed value at `loc`."""
    line, column = src.position(loc)
    raw = src.text
    i = src.offset(line, column)
    quote = ""
    if raw[i:i + 1] in (">", "|"):  # block scalar: the text starts on the next line, after its indentation
        i = raw.find("\n", i)
        if i < 0:
            return line, column
        while i < len(raw) and raw[i] in " \n\r":
            i += 1
    elif raw[i:i + 1] in ("'", '"'):
        quote = raw[i]
        i += 1
    for j in range(min(index, len(text))):
        if i >= len(raw):
            break
        char = text[j]
        if raw[i] == char and not (quote == '"' and char == "\\"):
            i += 1
        elif char in " \n" and raw[i] in " \n\r\t":  # a folded line break
            while i < len(raw) and raw[i] in " \n\r\t":
                i += 1
        elif quote == '"' and raw[i] == "\\":  # an escape: \" \\ \n …
            i += 2
        elif quote == "'" and raw[i:i + 2] == "''":
            i += 2
        else:  # out of step (should not happen): keep going, one character each
            i += 1
    return src.position_at(i)


__all__ = ["text_position"]
