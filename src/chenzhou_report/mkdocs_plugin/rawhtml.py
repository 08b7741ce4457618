"""A Markdown preprocessor that sets our pages' HTML blocks aside without feeding them through `html.parser`.

Our pages are a few Markdown headings around large blocks of HTML the templates already made (prose, tables, SVG
charts). Python-Markdown's `html_block` preprocessor runs every page through `html.parser` only to find those blocks
and stash them untouched. This preprocessor runs just before it and stashes the same blocks the same way, found with
a regular expression over the tags, so `html_block` is left with the headings and placeholders.

It follows `markdown.htmlparser.HTMLExtractor` for the blocks it takes: a raw block starts with a block-level start
tag at the start of a line and ends where its tag stack empties; it is stashed as its exact source text plus the
newline the extractor keeps when a blank line follows, and it is replaced by the same placeholder text. It takes a
block only in the plain case — the end tag followed by a blank line, and inside only tags, text and well-formed
character references (no comment, declaration, processing instruction, backtick, stray `<` or `&`). At the first
thing outside that plain case it stops, and `html_block` handles the rest of the page exactly as before.
The HTML that comes out is the same, byte for byte (tests/test_bench.py compares both on every page of the report and on edge cases).
"""

from __future__ import annotations

import re

from markdown import Extension
from markdown.preprocessors import Preprocessor

#: a start tag (group 1: name, group 2: "/" when self-closing) or an end tag (group 3: name)
_TAG = (r"""<(?:([a-zA-Z][^\t\n\r\f />\x00`]*)(?:[^>"'`<]|"[^"<`]*"|'[^'<`]*')*?(/?)>"""
        r"""|/([a-zA-Z][^\t\n\r\f />\x00`]*)\s*>)""")
#: what needs html.parser's own handling: `<` that is not a plain tag, a backtick, an `&` that is not a reference
_ODD = r"[<`]|&(?![a-zA-Z][a-zA-Z0-9]*;|#[0-9]+;|#[xX][0-9a-fA-F]+;)"
TAG = re.compile(_TAG)
MARKUP = re.compile(_ODD)
#: the next tag, or (group 4) the next thing this preprocessor does not follow
TOKEN = re.compile(f"{_TAG}|({_ODD})")
#: html.parser reads the content of these as text up to their end tag
CDATA = ("script", "style")
#: what html.parser's extractor requires after a block's end tag to end the block there
BLANK_AFTER = re.compile(r"[ ]*\n[ ]*\n")
LINE_START = re.compile(r"^ {0,3}<", re.M)


class PreStashedHtml(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        source = "\n".join(lines)
        out: list[str] = []
        pos = 0  # start of the text not yet copied to `out`
        while True:
            start = LINE_START.search(source, pos)
            if start is None:
                break
            tag_at = start.end() - 1
            if MARKUP.search(source, pos, tag_at):  # markup outside a block: leave the rest to html_block
                break
            end = self._block_end(source, tag_at)
            if end is None:
                break
            out.append(source[pos:tag_at])
            out.append("\n" + self.md.htmlStash.store(source[tag_at:end] + "\n") + "\n\n")
            pos = end
        out.append(source[pos:])
        return "".join(out).split("\n")

    def _block_end(self, source: str, start: int) -> int | None:
        """Just after the end tag of the raw block starting at `start`, or None when not the plain case."""
        first = TAG.match(source, start)
        if (not first or not first.group(1) or first.group(2) or first.group(1).lower() == "hr"
                or not self.md.is_block_level(first.group(1).lower())):
            return None
        stack: list[str] = []
        tokens = TOKEN.finditer(source, start)
        while (match := next(tokens, None)) is not None:
            name, self_closing, end_name, odd = match.groups()
            if odd:
                return None
            if name:
                name = name.lower()
                if self_closing or name == "hr":  # the extractor's empty tags: no end tag expected
                    continue
                stack.append(name)
                if name not in CDATA:
                    continue
                close = re.compile(rf"</{name}\s*>", re.I).search(source, match.end())
                if close is None or "<" in source[match.end():close.start()]:
                    return None
                tokens = TOKEN.finditer(source, close.end())  # go on after the end tag
                end_name, at = name, close.end()
            else:
                end_name, at = end_name.lower(), match.end()
            if end_name in stack:
                while stack.pop() != end_name:
                    pass
            if not stack:
                return at if BLANK_AFTER.match(source, at) else None
        return None


class PreStashedHtmlExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API
        # after whitespace normalisation (30), before html_block (20)
        md.preprocessors.register(PreStashedHtml(md), "chenzhou_prestash_html", 25)
