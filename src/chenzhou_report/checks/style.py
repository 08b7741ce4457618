"""Style checks of the English (and of what every page prints), in the house style of the official English-language
media (Xinhua, China Daily, the State Council's English site):

- `spelling`: one spelling system, American. A word of any English text (paragraphs, titles, labels, chart
  titles and bar labels, measure words, the lead, glossary, interface strings) that PyPI's `breame` lists as a
  British spelling ("programme", "ageing", "organise") is a finding naming the American one. breame is a list of
  some 1,700 British/American pairs, pure data, offline and instant; a spell checker (hunspell dictionaries) would
  need a project word list for every place name and pinyin term and cannot tell the two systems apart by itself.
- `dashes`: compound names take a hyphen, as official names do (Guangdong-Hong Kong-Macao Greater Bay Area,
  Hunan-Jiangxi Border Area …): an en dash or another dash-like character between two letters is a finding.
  Ranges between figures ({y2024}–{y2035}) keep their en dash; an em dash is punctuation, not a joiner.
- `hyphen-space`: a hyphen followed by a space inside a word ("Hunan- Jiangxi"), which a line break in folded YAML
  (`>-`) makes out of a hyphen at a line's end; a suspended hyphen ("first- and second-tier") is allowed.
- `duplicate-sentence`: no sentence printed twice on one page. A *page* is one page of one language as the
  renderer (render.SiteRenderer, the same templates as the site) produces it, except the whole report, which
  prints the area pages one after another (each is checked on its own: `COMPILATIONS`); its *sentences* are the
  visible text of the page body, split after . ! ? (English) or 。！？ (Chinese), of at least three words
  (English) or five characters (Chinese). Quotations (`<q>`, the key-figures table's `.figure-context`, which cites the page's own
  sentence beside its figure) and chart drawings (`<svg>`, their accessible descriptions) are not the page's own
  sentences and are left out. The finding points at the text field that prints the sentence the second time (a
  text is placed on the page by where its whole printed text is, longer texts first), and names where it was
  printed first; a sentence the template itself says twice points at the template line. Pages are rendered only
  from content the loader accepts and templates that render: anything else is reported by `load`, the other
  content checks or the build (file and line), never by a traceback here. Only editions with their own text
  (`languages.WRITTEN`) are checked: a converted edition's page says sentence for sentence what its source's says.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import jinja2
from breame.spelling import british_spelling_exists, get_american_spelling

from ..errors import Problem
from ..languages import ENGLISH, WRITTEN, language
from ..model import Content
from .positions import text_position
from .prose import where as _where

WORD = re.compile(r"[A-Za-z]+")
#: a dash-like character joining two letters: en dash, figure dash, Unicode hyphen and non-breaking hyphen, minus
COMPOUND_DASH = re.compile(r"(?<=[A-Za-z])[\u2013\u2012\u2010\u2011\u2212](?=[A-Za-z])")
HYPHEN_SPACE = re.compile(r"(?<=[A-Za-z])-[ \t\n]+(?!(?:and|or|to|nor)\b)(?=[A-Za-z])")
#: spans that are not words: {references}, Markdown link targets, autolinks
NOT_WORDS = re.compile(r"\{[a-z][a-z0-9_]*\}|\]\([^)\s]*\)|<(?:https?|mailto):[^>\s]*>")
DEFAULT_TEMPLATES = Path(__file__).resolve().parents[3] / "templates"
#: words breame lists as British whose spelling is also the standard American one (Merriam-Webster's first form)
AMERICAN_TOO = {"aesthetic", "aesthetics", "aesthetically"}


def _mask(text: str) -> str:
    return NOT_WORDS.sub(lambda m: " " * len(m.group(0)), text)


def _english_texts(content: Content, prose):
    """(located, loc, text) of every English text: the prose, and the measure words printed after figures."""
    for src, loc, lang, text in prose:
        if lang == ENGLISH:
            yield src, loc, text
    for area in content.areas:
        src = content.area_source(area)
        for i, metric in enumerate(area.metrics):
            if metric.counter is not None and metric.counter.en is not None:
                for k, noun in enumerate(metric.counter.en):
                    yield src, ("metrics", i, "counter", "en", k), noun


# --- spelling ---------------------------------------------------------------------------------------------------

def check_spelling(content: Content, prose) -> list[Problem]:
    out = []
    for src, loc, text in _english_texts(content, prose):
        for match in WORD.finditer(_mask(text)):
            word = match.group(0)
            if word.lower() in AMERICAN_TOO or not british_spelling_exists(word.lower()):
                continue
            american = get_american_spelling(word.lower())
            if word[:1].isupper():
                american = american[:1].upper() + american[1:]
            line, column = text_position(src, loc, text, match.start())
            out.append(Problem.found(src.path, line, column, "spelling",
                f"British spelling {word!r} in {_where(loc)}: the English follows American spelling, as official "
                f"English-language media do (write {american!r})", f"英文统一用美式拼写：{word} → {american}"))
    return out


# --- dashes and hyphens -----------------------------------------------------------------------------------------

def _joined_words(content: Content, prose, pattern: re.Pattern):
    """(src, loc, left word, joining characters, right word, line, column) of each match of `pattern` between two
    words of an English text."""
    for src, loc, text in _english_texts(content, prose):
        for match in pattern.finditer(text):
            left = re.search(r"[A-Za-z]+$", text[:match.start()]).group(0)
            right = re.match(r"[A-Za-z]+", text[match.end():]).group(0)
            yield (src, loc, left, match.group(0), right, *text_position(src, loc, text, match.start()))


def check_dashes(content: Content, prose) -> list[Problem]:
    return [Problem.found(src.path, line, column, "dashes",
                          f"{_dash_name(dash)} in the compound name {left}{dash}{right} in {_where(loc)}: "
                          f"compound names take a hyphen, as official names do (write {left}-{right})",
                          "复合专名统一用连字符（-），不用短破折号（–）")
            for src, loc, left, dash, right, line, column in _joined_words(content, prose, COMPOUND_DASH)]


def _dash_name(char: str) -> str:
    return {"\u2013": "en dash", "\u2012": "figure dash", "\u2010": "Unicode hyphen", "\u2011": "non-breaking hyphen",
            "\u2212": "minus sign"}[char]


def check_hyphen_space(content: Content, prose) -> list[Problem]:
    return [Problem.found(src.path, line, column, "hyphen-space",
                          f"space after the hyphen in {left}- {right} in {_where(loc)} (a hyphen at the end of a "
                          f"line of folded YAML gains a space): write {left}-{right} on one line",
                          "连字符后多了空格（折行造成），请把该词写在同一行")
            for src, loc, left, _, right, line, column in _joined_words(content, prose, HYPHEN_SPACE)]


# --- duplicate sentences on a page -----------------------------------------------------------------------------

#: per style of an edition (languages.py): where a sentence ends (a closing quote or bracket stays with it), and
#: the least size that counts as a sentence (words in English, characters in Chinese)
SENTENCE_END = {"english": re.compile(r"(?<=[.!?])[\"”’)]?\s+"), "chinese": re.compile(r"(?<=[。！？])[”’）]?")}
MIN_SIZE = {"english": 3, "chinese": 5}
BLOCKS = {"p", "li", "dd", "dt", "td", "th", "caption", "figcaption", "summary", "div", "ul", "ol", "dl", "table",
          "tr", "h1", "h2", "h3", "h4", "h5", "h6", "small", "br"}
VOID = {"br", "hr", "img", "input", "link", "meta", "wbr", "source", "col", "area", "base", "embed", "track"}
#: pages that print the other pages one after another: the whole report is the sixteen area pages in a row, each
#: checked as its own page; two areas saying the same thing is the article's wording (its Chinese cannot change),
#: not a page repeating itself
COMPILATIONS = {"report.md"}
TEMPLATES = {"index.md": "home.md.j2", "report.md": "whole.md.j2", "glossary.md": "glossary.md.j2",
             "about.md": "about.md.j2"}


class _PageText(HTMLParser):
    """The visible text of a rendered page body, one line per block, without quotations, references and drawings."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip: list[str] = []  # open elements whose text is not the page's own

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.parts.append("\n")
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        if self._skip:
            self._skip.append(tag)
        # quotations and references are not the page's own sentences: a reference names its source each time it
        # is given (the citation under every figure), as a quotation repeats the article
        elif tag in ("q", "cite", "svg", "script", "style") or "figure-context" in classes:
            self._skip.append(tag)

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.parts.append("\n")
        if self._skip and tag in self._skip:
            while self._skip and self._skip.pop() != tag:
                pass

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _page_text(markdown: str) -> str:
    """A rendered page (front matter, Markdown headings, HTML blocks) as its visible text."""
    body = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S)
    lines = []
    for line in body.split("\n"):
        heading = re.match(r"#{1,6}\s+(.*?)(?:\s*\{[^}]*\})?\s*$", line)
        lines.append("<h2>" + heading.group(1) + "</h2>" if heading else line)
    parser = _PageText()
    parser.feed("\n".join(lines))
    parser.close()
    return re.sub(r"[ \t]*\n\s*", "\n", re.sub(r"[ \t\r\f\v]+", " ", "".join(parser.parts))).strip()


def sentences(text: str, lang: str) -> list[tuple[int, str]]:
    """(start, sentence) of the sentences in a text: spans ending in a sentence mark, long enough to count."""
    out = []
    for block_start, block in _blocks(text):
        start = 0
        style = language(lang).style
        pieces = [*SENTENCE_END[style].finditer(block), None]
        for end_match in pieces:
            end = end_match.start() if end_match else len(block)
            cut = end_match.end() if end_match else len(block)
            piece = block[start:end].strip()
            offset = block_start + start + (len(block[start:end]) - len(block[start:end].lstrip()))
            size = len(piece) if language(lang).chinese else len(piece.split())
            if piece and piece[-1] in ".!?。！？\"”’)）" and re.search(r"[.!?。！？][\"”’)）]?$", piece) \
                    and size >= MIN_SIZE[style]:
                out.append((offset, piece))
            start = cut
    return out


def _blocks(text: str):
    start = 0
    for line in text.split("\n"):
        yield start, line
        start += len(line) + 1


def _plain_words(renderer, text: str) -> str:
    plain = renderer.plain(text)
    plain = re.sub(r"\*{1,3}|(?<!\w)_{1,3}|_{1,3}(?!\w)", "", plain)
    plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", plain)
    return re.sub(r"\s+", " ", plain).strip()


def renderable_pages(content: Content, lang: str, templates_dir: Path) -> dict[str, str] | None:
    """The pages of one language as the site renders them, or None when they cannot be rendered: content the
    loader would refuse (an unknown {reference}, an area without metrics … built into Content some other way —
    those are reported by `load` and the other content checks) or a template mistake (reported with its file and
    line by the build). A check must never end in a traceback on a mistake another check or the build names."""
    from ..loading import cross_check  # the loader's own consistency rules: the renderer relies on them
    from ..render import SiteRenderer

    if cross_check(content):
        return None
    try:
        return SiteRenderer(content, lang, templates_dir).pages(skip=COMPILATIONS)
    except jinja2.TemplateError:
        return None


def check_duplicate_sentences(content: Content, prose, templates_dir: Path | None = None) -> list[Problem]:
    from ..markup import ProseRenderer

    templates_dir = Path(templates_dir) if templates_dir is not None else DEFAULT_TEMPLATES
    area_files = {content.area_source(a).path: a.key for a in content.areas}
    out = []
    for lang in WRITTEN:  # a converted edition says what its source says, so a repetition is reported once there
        pages = renderable_pages(content, lang, templates_dir)
        if pages is None:
            return []
        plain = ProseRenderer(content, lang)
        fields = []  # (src, loc, raw text, plain text) of this language
        for src, loc, text_lang, text in prose:
            if text_lang == lang:
                fields.append((src, loc, text, _plain_words(plain, text)))
        for uri, markdown in pages.items():  # the compilations are not rendered (COMPILATIONS)
            page = _page_text(markdown)
            found = sentences(page, lang)
            counts = Counter(sentence for _, sentence in found)
            page_key = uri[len("areas/"):-len(".md")] if uri.startswith("areas/") else None
            for sentence, times in sorted(counts.items()):
                if times < 2:
                    continue
                out += _duplicate(sentence, times, lang, uri, page, page_key, fields, area_files,
                                  TEMPLATES.get(uri, "area.md.j2"), templates_dir)
    return out


def _duplicate(sentence, times, lang, uri, page, page_key, fields, area_files, template, templates_dir
               ) -> list[Problem]:
    page_name = f"{lang}/{uri[:-3]}/" if uri != "index.md" else f"{lang}/"
    shown = sentence if len(sentence) <= 90 else sentence[:87] + "…"
    texts = []  # (src, loc, raw, plain, [index of the sentence among the field's sentences]) saying it
    for src, loc, raw, text in fields:
        if src.path in area_files and page_key is not None and area_files[src.path] != page_key:
            continue  # an area page prints its own area's texts only
        ks = [k for k, (_, s) in enumerate(sentences(text, lang)) if s == sentence]
        if ks:
            texts.append((src, loc, raw, text, ks))
    places = _places_on_page(page, [plain for _, _, _, plain, _ in texts])
    if any(place is not None for place in places):  # texts not on this page (a glossary entry …) are not it
        texts = [t for t, place in zip(texts, places) if place is not None]
        places = [place for place in places if place is not None]
    else:
        places = [len(page)] * len(texts)
    candidates = sorted(((place, src.path, str(loc), k, src, loc, raw)
                         for place, (src, loc, raw, _, ks) in zip(places, texts) for k in ks),
                        key=lambda c: c[:4])
    message = (f"the sentence “{shown}” is printed {times}× on the page {page_name}: say it once (delete or reword "
               "the repeated text)")
    hint = "同一页面上重复出现同一句话，请删去或改写其中一处"
    if not candidates:  # the template itself says it
        line = _line_in_template(templates_dir / "pages" / template, sentence)
        return [Problem.found(f"templates/pages/{template}", line, 1, "duplicate-sentence", message, hint)]
    if len(candidates) == 1:  # the template prints one text twice, or says the text's sentence itself
        *_, k, src, loc, raw = candidates[0]
        line, column = _sentence_position(src, loc, raw, lang, k)
        return [Problem.found(src.path, line, column, "duplicate-sentence", message, hint)]
    *_, k, src, loc, raw = candidates[0]
    first_line = _sentence_position(src, loc, raw, lang, k)[0]
    out = []
    for *_, k, src_, loc_, raw_ in candidates[1:]:
        line, column = _sentence_position(src_, loc_, raw_, lang, k)
        out.append(Problem.found(src_.path, line, column, "duplicate-sentence",
                           f"{message}; it is also printed from {src.path}:{first_line}", hint))
    return out


def _places_on_page(page: str, texts: list[str]) -> list[int | None]:
    """Where on the page each text is printed (None: not on it). A short text can also be found inside a longer
    one that contains it (a note repeating a paragraph's first sentence): longer texts are placed first, and a
    shorter one takes the first place of it that no longer text covers."""
    places: list[int | None] = [None] * len(texts)
    covered: list[tuple[int, int]] = []
    for i in sorted(range(len(texts)), key=lambda i: -len(texts[i])):
        text, start = texts[i], page.find(texts[i])
        while start >= 0 and any(a <= start < b for a, b in covered):
            start = page.find(text, start + 1)
        if start >= 0:
            places[i] = start
            covered.append((start, start + len(text)))
    return places


def _line_in_template(path: Path, sentence: str) -> int:
    """The line of a template that says `sentence` the second time (or the first), else 1."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return 1
    first = text.find(sentence)
    second = text.find(sentence, first + 1) if first >= 0 else -1
    at = second if second >= 0 else first
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


def _sentence_position(src, loc, raw: str, lang: str, k: int) -> tuple[int, int]:
    """Where the k-th sentence of a raw text starts in its file (references do not split sentences)."""
    found = sentences(raw.replace("\n", " "), lang)
    index = found[k][0] if k < len(found) else 0
    return text_position(src, loc, raw, index)


def check_style(content: Content, prose, templates_dir: Path | None = None) -> list[Problem]:
    """Every style check: spelling, dashes, hyphen-space, duplicate-sentence."""
    return (check_spelling(content, prose) + check_dashes(content, prose) + check_hyphen_space(content, prose)
            + check_duplicate_sentences(content, prose, templates_dir))


__all__ = ["check_style", "check_spelling", "check_dashes", "check_hyphen_space", "check_duplicate_sentences",
           "sentences"]
