"""The plugin's HTML-block preprocessor (mkdocs_plugin/rawhtml.py), a speed-up that must not change a byte: the
pages it converts are the pages Python-Markdown converts without it, on the real content and on edge cases."""

from __future__ import annotations

import markdown
import pytest

from chenzhou_report.languages import LANGS
from chenzhou_report.render import SiteRenderer

def _convert(text: str, prestash: bool) -> tuple[str, markdown.Markdown]:
    from chenzhou_report.mkdocs_plugin.rawhtml import PreStashedHtmlExtension

    extensions = ["attr_list", "toc"] + ([PreStashedHtmlExtension()] if prestash else [])
    md = markdown.Markdown(extensions=extensions)
    return md.convert(text), md


def _prestash(text: str) -> tuple[list[str], int]:
    """The lines html_block gets after whitespace normalisation and our preprocessor, and how many blocks it took."""
    from chenzhou_report.mkdocs_plugin.rawhtml import PreStashedHtml

    md = _convert("", True)[1]
    lines = md.preprocessors["normalize_whitespace"].run(text.split("\n"))
    return PreStashedHtml(md).run(lines), md.htmlStash.html_counter


def test_prestashed_html_gives_the_same_html_on_every_page(content, project_root):
    taken = 0
    for lang in LANGS:
        for uri, text in SiteRenderer(content, lang, project_root / "templates").pages().items():
            assert _convert(text, True)[0] == _convert(text, False)[0], (lang, uri)
            left, count = _prestash(text)
            taken += count
            assert not any("<" in line for line in left), (lang, uri)  # every block taken: html_block has none left
    assert taken > 100


EDGE_CASES = {
    "plain": "# Title\n\n<div class=\"a\">\n<p>one</p>\n</div>\n\n## Next { #next }\n\n<p>two</p>\n",
    "blank lines inside": "<div>\n<p>a</p>\n\n<p>b</p>\n\n</div>\n\ntext after\n",
    "nested same tag": "<div><div>x</div>\n<div>y</div></div>\n\n<div>z</div>\n",
    "unclosed void and p": "<div><p>a<br>b<p>c</div>\n\n*em*\n",
    "end tag not open": "<div>a</span>b</div>\n\nc\n",
    "tail after end tag": "<div>a</div> tail *em*\n\nnext\n",
    "no blank after": "<div>a</div>\nparagraph\n\n<p>b</p>\n",
    "text then block": "para\n<div>\n\n<p>inside</p>\n\n</div>\n\n<p>after</p>\n",
    "comment": "<div>a<!-- c --></div>\n\n<p>b</p>\n",
    "comment outside": "<!-- c -->\n\n<p>b</p>\n",
    "style": "<div><style>a>b{c:d}</style><p>x</p></div>\n\n<p>y</p>\n",
    "bare ampersand": "<p>AT&T and &amp; &#39; &#x27;</p>\n\n<p>b</p>\n",
    "backtick": "<p>`code`</p>\n\n<p>b</p>\n",
    "indented": "   <div>three spaces</div>\n\n    <div>four: code</div>\n",
    "hr": "<hr>\n\n<p>a</p>\n",
    "self closing": "<div/>\n\n<p>a</p>\n",
    "upper case": "<DIV>a</DIV>\n\n<P>b</P>\n",
    "inline first": "<span>a</span>\n\n<p>b</p>\n",
    "unclosed at end": "<p>a</p>\n\n<div>never closed\n",
    "quoted >": "<p title=\"a > b\">x</p>\n\n<p>y</p>\n",
    "trailing spaces": "<div>a</div>   \n\n<p>b</p>   \n",
    "svg": "<figure><svg viewBox=\"0 0 1 1\"><g><rect x=\"0\"/></g></svg></figure>\n\n## h\n",
    "stray lt": "<p>a < b</p>\n\n<p>c</p>\n",
    "lists around": "- one\n- two\n\n<ul><li>x</li></ul>\n\n1. three\n",
}


@pytest.mark.parametrize("name", sorted(EDGE_CASES))
def test_prestashed_html_matches_markdown_on_edge_cases(name):
    text = EDGE_CASES[name]
    assert _convert(text, True)[0] == _convert(text, False)[0]


def test_prestashed_html_takes_plain_blocks_and_leaves_the_rest():
    def left(text):
        lines, taken = _prestash(text)
        return "\n".join(lines), taken

    out, taken = left(EDGE_CASES["plain"])
    assert taken == 2 and "<" not in out
    assert left(EDGE_CASES["unclosed void and p"])[1] == 1  # an end tag closes what is left open inside it
    assert left(EDGE_CASES["nested same tag"])[1] == 2
    assert left(EDGE_CASES["style"])[1] == 2
    out, taken = left(EDGE_CASES["comment"])  # stops at the first block it does not follow
    assert taken == 0 and out.startswith("<div>")
    out, taken = left(EDGE_CASES["no blank after"])
    assert taken == 0
