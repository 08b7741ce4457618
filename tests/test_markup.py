"""Prose rendering: inline Markdown is allowed, HTML never passes through, figures become <data>."""

from __future__ import annotations

import re

from chenzhou_report.markup import Linker, ProseRenderer


def test_raw_html_is_escaped_not_passed_through(content):
    zh = ProseRenderer(content, "zh")
    out = str(zh.block('前文<script>alert("x")</script><img src=x onerror=alert(1)>后文'))
    assert "<script" not in out and "<img" not in out
    assert "&lt;script&gt;" in out and "&lt;img" in out


def test_html_block_is_escaped_too(content):
    out = str(ProseRenderer(content, "en").block('<div onclick="evil()">hello</div>'))
    assert "<div" not in out and "&lt;div" in out


def test_markdown_emphasis_and_safe_links(content):
    en = ProseRenderer(content, "en")
    out = str(en.block("*a* **b** [site](https://example.org/) [bad](javascript:alert(1))"))
    assert "<em>a</em>" in out and "<strong>b</strong>" in out
    assert 'href="https://example.org/"' in out and 'rel="external noopener"' in out
    assert "javascript:" not in out


def test_references_print_per_language(content):
    assert str(ProseRenderer(content, "zh").inline("办结率{wage_platform_rate}")) == \
        '办结率<data data-metric="wage_platform_rate" value="99.17">99.17%</data>'
    assert ProseRenderer(content, "en").plain("{wage_recovered} in {y2025}") == "66.65 million yuan in 2025"


def test_glossary_terms_are_linked_once_per_page(content):
    zh = ProseRenderer(content, "zh")
    linker = Linker(glossary_url="../../glossary/")
    first = str(zh.block("推进消费品“以旧换新”，再谈“以旧换新”", linker))
    assert first.count('class="glossary-term"') == 1
    assert 'href="../../glossary/#' in first
    again = str(zh.block("又一次“以旧换新”", linker))
    assert 'class="glossary-term"' not in again


def test_several_terms_in_one_sentence_are_all_linked(content):
    en = ProseRenderer(content, "en")
    zh = ProseRenderer(content, "zh")
    text = zh.block("建成粤港澳大湾区“菜篮子”基地，推进“以旧换新”", Linker(glossary_url="g/"))
    assert str(text).count('class="glossary-term"') == 3
    del en


def test_prose_makes_no_heading(content):
    """A paragraph whose last line is `=` or `---`, or a line opening with `#`, stays a paragraph (no <h1>/<h2>)."""
    r = ProseRenderer(content, "en")
    for text in ("Some text onload=\n=", "Some text\n---", "# Injected", "Text\n## Injected"):
        html = str(r.block(text, Linker(glossary_url="glossary/", root="")))
        assert not re.search(r"<h[1-6]", html) and html.startswith("<p>"), (text, html)


def test_an_image_inside_a_dropped_link_is_dropped_too(content):
    """Found by the hostile-strings fuzz test: the image moved up when the javascript: link around it was unwrapped,
    and was neither dropped nor seen by the content checks."""
    en = ProseRenderer(content, "en")
    html = str(en.block("[x ![a](//t.example/p.png) y](javascript:alert(document.domain)) and "
                        "[![b](https://t.example/q.png)](glossary/)", Linker(glossary_url="g/")))
    assert "<img" not in html and "t.example" not in html and "javascript" not in html
    assert "x a y" in html and 'href="glossary/"' in html  # the link that may stay keeps the image's words
    assert en.seen == [("link", "javascript:alert(document.domain)"), ("image", "//t.example/p.png"),
                       ("link", "glossary/"), ("image", "https://t.example/q.png")]  # document order
