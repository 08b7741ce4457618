"""One way from content to markup: one escaping function per output context.

Content is untrusted input. Every content string reaches the site through exactly one of these:

| context | function | what it guarantees |
|---|---|---|
| text inside an HTML element | `text` | `& < > " '` escaped once; Markup (already escaped by this module) is left alone |
| an HTML attribute value (quoted) | `attribute` | the same escaping: a `"` can never end the attribute |
| a Markdown heading line | `heading` | one line, HTML-escaped, every character Markdown or attr_list would read backslash-escaped |
| text handed to the theme (nav titles, site_name, site_description, `extra` strings) | `theme` | pre-escaped Markup: MkDocs' Jinja has no autoescape, Material prints these raw or through `| e`, which leaves Markup alone, so both print it escaped once |
| page title and description in front matter | `front_matter` | a YAML double-quoted scalar of the escaped text (any character survives YAML, the theme prints it as is) |
| a URL written in prose | `classify_url` | only `https:` (with a host), `mailto:` and paths of this site; everything else is refused with the reason |
| text drawn into a chart's SVG (pygal, lxml, ElementTree) | `svg_text` | characters XML 1.0 cannot hold (C0 controls but tab/LF/CR, U+FFFE/U+FFFF, lone surrogates) become U+FFFD, so no content string can make the drawing fail; pygal and ElementTree escape `& < >` themselves |
| a CSV cell | `csv_cell` | a cell a spreadsheet would read as a formula (`= + - @`, tab, CR first) gets a leading `'` (OWASP) |
| block and inline prose (Markdown) | `markup.ProseRenderer.block` / `.inline` | raw HTML escaped, links through `classify_url`, no images |

Why `theme` gives Markup rather than plain text: MkDocs 1.6.1 builds its theme environment without autoescape
(`mkdocs/theme.py`), and Material 9.8 prints `config.site_name`, `nav_item.title`, `page.meta.title` and
`page.meta.description` without escaping (`partials/header.html`, `partials/nav-item.html`, `base.html`), but
`config.site_name | e` and `page.next_page.title | e` with it. Plain text would be raw in the first places; escaped
plain text would be escaped twice in the second. Markup is printed escaped once in both (tests/test_adversarial_markup.py
builds a site whose every theme string carries `<img onerror>`, `"` and `&` and reads the HTML and the browser's DOM).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import yaml
from markupsafe import Markup, escape

#: the characters Python-Markdown reads as syntax and takes literally after a backslash (Markdown.ESCAPED_CHARS:
#: emphasis, code, links, images, attr_list's braces, heading hashes, list marks); `<` `>` `&` are HTML-escaped
MARKDOWN_SPECIAL = frozenset("\\`*_{}[]()#+-.!")
#: line breaks of every kind: a heading is one line
LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
#: characters XML 1.0 does not allow in a document
XML_UNFIT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: a spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV Injection")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text(value: str) -> Markup:
    """Text for the inside of an HTML element."""
    return escape(value)


def attribute(value: str) -> Markup:
    """Text for a quoted HTML attribute value (markupsafe escapes both quotes)."""
    return escape(value)


def svg_text(value: str) -> str:
    r"""Text for an SVG drawing, which is XML: what XML cannot hold is replaced, never passed to the XML library.
    The content check `characters` reports such characters at their place; this keeps the renderer total.

    >>> svg_text("7\x1f条"), svg_text("a\tb")
    ('7\ufffd条', 'a\tb')
    """
    return XML_UNFIT.sub("\ufffd", value)


def theme(value: str) -> Markup:
    """A string handed to MkDocs/Material (nav title, site_name, site_description, config.extra): escaped Markup."""
    return escape(value)


def front_matter(value: str) -> Markup:
    """A front-matter value (page title, description): a YAML double-quoted scalar holding the HTML-escaped text.

    Material prints `page.meta.title` and `page.meta.description` unescaped, so the scalar holds the escaped text;
    PyYAML's emitter escapes every character YAML cannot carry (control characters, U+0085, U+2028), so no
    character ends the front matter or turns into text above the heading.
    """
    dumped = yaml.safe_dump(str(escape(value)), default_style='"', allow_unicode=True, width=1 << 30)
    return Markup(dumped.strip().removesuffix("...").strip())


def heading(value: str) -> Markup:
    """Text for a Markdown ATX heading line (`## {{ title | heading }} { #id }`): read by Markdown as plain text.

    Line breaks become spaces (a heading is one line); every character Markdown or attr_list could read as syntax
    is backslash-escaped; `&` `<` `>` `"` `'` are HTML-escaped first (Markdown keeps the entities), so neither
    tags, links, images, emphasis, nor a trailing `{: attr}` can come out of a title.
    """
    flat = " ".join(LINE_BREAKS.sub(" ", value).split())
    out = []
    for char in flat:
        if char in "&<>\"'":
            out.append(str(escape(char)))
        elif char in MARKDOWN_SPECIAL:
            out.append("\\" + char)
        else:
            out.append(char)
    return Markup("".join(out))


def csv_cell(value) -> str:
    """A CSV cell a spreadsheet shows as text: a leading `= + - @`, tab or CR gets a `'` before it (OWASP).

    Numbers (int, float, Decimal) are written as they are; a machine value like "-3" is never a content string.
    """
    if not isinstance(value, str):
        return value
    return "'" + value if value.startswith(FORMULA_START) else value


# --- URLs ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class UrlVerdict:
    """What a URL written in prose is: `kind` external | mail | site, or `kind` unsafe with the reason and advice."""

    kind: str
    url: str
    reason: str = ""
    advice: str = ""

    @property
    def ok(self) -> bool:
        return self.kind != "unsafe"


#: anything a browser might read as a scheme, after it strips what it strips (tabs, newlines, leading spaces)
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_STRIPPED = re.compile(r"[\x00-\x20\x7f]")


def classify_url(url: str) -> UrlVerdict:
    """Whether a link target written in prose may be published, and as what.

    Allowed: `https://host/...`, `mailto:address`, and paths of this site written from the language's home
    (`areas/14-wage-arrears/#wage_recovered`, `glossary/#term-id`, `about/`); the renderer prefixes them per page.
    Refused (content check `unsafe-link`): every other scheme (javascript:, data:, vbscript:, file:, http: — the
    site is served over https and promises no insecure request), protocol-relative `//host` and `/\\host`, root
    paths `/…` (they leave the language folder), backslashes, control characters, `..` segments.
    Whether a site path exists is the content check `broken-link`'s business (checks/links.py).
    """
    raw = url
    squeezed = _STRIPPED.sub("", url)
    if squeezed != url.strip():
        return UrlVerdict("unsafe", raw, "the link contains control characters, tabs, line breaks or spaces",
                          "write the address without them")
    url = url.strip()
    if "\\" in url:
        return UrlVerdict("unsafe", raw, "the link contains a backslash, which browsers read as /",
                          "write the address with / or drop the link")
    scheme = _SCHEME.match(url)
    if scheme:
        name = scheme.group(1).lower()
        if name == "https":
            parts = urlsplit(url)
            if not parts.netloc or parts.username or parts.password:
                return UrlVerdict("unsafe", raw, "an https: link needs a host and no user name",
                                  "write https://host/path")
            return UrlVerdict("external", url)
        if name == "mailto":
            return UrlVerdict("mail", url)
        if name == "http":
            return UrlVerdict("unsafe", raw, "http: links are not allowed (the site promises no insecure request)",
                              "write the https:// address")
        return UrlVerdict("unsafe", raw, f"{name}: links are not allowed",
                          "link only to https:// addresses, mailto: or pages of this site such as glossary/")
    if url.startswith("//"):
        return UrlVerdict("unsafe", raw, "a link starting with // goes to another host",
                          "write https://host/path for an external page")
    if url.startswith("/"):
        return UrlVerdict("unsafe", raw, "a link starting with / leaves the language folder of the site",
                          "write the page's path from the home page without the leading /, e.g. glossary/")
    if any(segment == ".." for segment in urlsplit(url).path.split("/")):
        return UrlVerdict("unsafe", raw, "a link with .. may leave the language folder",
                          "write the page's path from the home page, e.g. areas/14-wage-arrears/")
    return UrlVerdict("site", url)


__all__ = ["text", "attribute", "theme", "front_matter", "heading", "csv_cell", "classify_url", "UrlVerdict"]
