"""Every check, declared once: its id, whether it reads the content or the built site, what it catches and how to
satisfy it legitimately. The CLI's list of checks run (`chenzhou-report check`), `check --list` (README's checks
table) and `--format json` come from here; tests/test_check_registry.py fails when a check is found in the code
but not declared, declared but never reported, or README's table differs from `markdown_table()`.

>>> [c.id for c in REGISTRY if c.kind == "site"][:3]
['site-missing', 'links', 'allowlist']
>>> ran(loaded=False)
['load', 'characters']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Check:
    id: str  #: printed as [id] before each finding (Problem.check)
    kind: Literal["content", "site"]  #: content checks need no build; site checks read site/
    catches: str  #: what it catches
    fix: str  #: how to satisfy it legitimately
    #: a content check that still runs when the content does not load (it reads the files, not the model)
    on_unloaded: bool = False


REGISTRY: tuple[Check, ...] = (
    Check('load', 'content',
          'YAML syntax, schema, a missing language, duplicate ids, unknown `{refs}`, aliases and tags; a `value` that is not ASCII digits 0-9 (９５４) or has more than 15 digits; a file that is not UTF-8 (the encoding it looks like, by charset-normalizer: GB18030, UTF-16…); a file under `content/` the project does not know (`.yml`, an area in a subfolder, a stray file) or a symbolic link out of the project',
          'fix the field named; the message says what is expected; save as UTF-8; rename, move or delete the file as the message says (`content/README.md`, "Files")', on_unloaded=True),
    Check('bare-number', 'content',
          'a digit typed in prose outside a `{reference}` (paragraphs, titles, labels, lead, glossary, ui, a link\'s text and "title") or in a counter',
          'make it a metric and write `{metric_id}`; a name with digits (a year, G4, the "631" mechanism) goes under `names:` in report.yaml and is written `{name}`'),
    Check('characters', 'content',
          'a control character (C0, DEL, C1 such as U+0085), U+2028/U+2029, a bidi override or isolate (U+202A–U+202E, U+2066–U+2069), an invisible format character (zero-width space or joiner, soft hyphen, U+FEFF inside text) or a private-use code point, anywhere in a content file — typed (at its own line and column, even where it keeps the YAML from loading) or as a YAML escape (at the escape); a line break inside a one-line field',
          'delete it (it comes with copy and paste); Chinese text needs none of them (full-width punctuation and U+3000 are fine)', on_unloaded=True),
    Check('written', 'content',
          'a `written:` form that does not state `value` in a language (六项 / seven for 6), read by cn2an and text2num; 首 reads as 1',
          "make both languages' words and `value` state the same number (第十个 = 10 = tenth)"),
    Check('names', 'content',
          'a name declared as a translation (`{zh: …, en: …, translation: why}`) whose languages state different numbers; a name written differently per language without `translation` is a `load` error',
          'one value for all languages (`y2025: "2025"`), or a translation that keeps the numbers'),
    Check('number-words', 'content',
          'a number in words in the prose of areas and report.yaml — English runs of number words (as num2words writes them: two, fifth, five thousand, hundreds, dozen), Chinese runs of two or more numerals containing 十百千万亿 (十六, 三千八百) — and any number in a counter. Not flagged: one/ones/first/second alone, per thousand, single Chinese numerals (一流, 两级, 百强), glossary `match:` words, glossary definitions and ui strings',
          "make the figure a metric (`written:` keeps the article's words) and write `{id}`; a policy term is a glossary term with `match:`; a name goes under `names:`"),
    Check('revisions', 'content',
          'a figure that differs from the record of published figures (`content/published.json`: digits, scale, unit) without a `revisions:` entry naming the recorded figure as `previous`: a published figure changed silently; a figure in another unit; a published figure removed without `release --withdraw`; a damaged record',
          'add a revision entry (date, kind: correction or revision, previous: the published value, reason in both languages) or restore the value; a removed figure: restore it or `chenzhou-report release --withdraw ID`; `chenzhou-report release` (`make release`) then records the new figures'),
    Check('parity', 'content',
          'the zh and en of one text reference different metrics (a figure dropped or invented)',
          'reference each metric as often in the English as in the Chinese'),
    Check('derived', 'content',
          'a derived % that its inputs do not give under the declared rounding; names the modes that would',
          "fix value or inputs, or declare the article's rounding: `derived: {rounding: down}`"),
    Check('sanity-percent', 'content',
          'a percentage outside 0–100',
          'correct it, or declare `may_exceed_100: true` (114.27% of plan)'),
    Check('sanity-part', 'content',
          'a part above its whole (`part_of`), a numerator above its denominator',
          'correct the figures or the link'),
    Check('sanity-count', 'content',
          'a count or rank that is not whole',
          'correct it; rates per thousand use `unit: per_thousand`'),
    Check('sanity-area', 'content',
          'an area without metrics',
          'add metrics, or `no_metrics_reason: {zh: …, en: …}` (areas 01 and 06 print no figure)'),
    Check('source-form', 'content',
          "a metric's printed Chinese (e.g. 6665万元) is not in its own `source`",
          'make value/scale/unit/counter print what the article prints'),
    Check('source-text', 'content',
          "a `source` clause is not verbatim in the area's Chinese text with figures printed",
          'quote the clause exactly as the paragraph prints it'),
    Check('unreferenced', 'content',
          'a metric no text references',
          'reference it where the article states it, or delete it'),
    Check('unsafe-link', 'content',
          'a link in prose to `javascript:`, `data:`, `vbscript:`, `http:`, `//host`, `/\\host`, `/…`, `..`, with control characters; any image in prose',
          'link to `https://…`, `mailto:…` or a page of this site written from the home page (`glossary/#term-id`); describe a picture in words or link to it'),
    Check('broken-link', 'content',
          'a prose link to a page of this site that does not exist, an `#anchor` its page lacks, a `.md` file, a bare `#anchor` (the text shows on several pages)',
          'write the page path with its trailing slash and an anchor it has: `areas/14-wage-arrears/#wage_recovered`, `glossary/#two-majors`, `about/#method`, `report/#area-14`'),
    Check('term-parity', 'content',
          'a glossary term whose Chinese form (`match.zh`) is in the Chinese of a text while none of its English forms (`match.en`) is in the English of the same text, or the reverse (`checks/terms.py`)',
          "render the term as the glossary declares it; if another wording is right (a plural, a short form), add it to the term's `match.en`"),
    Check('spelling', 'content',
          'a British spelling in any English text, measure words included (PyPI `breame`: ~1,700 British/American pairs, offline data; American is what Xinhua, China Daily and the State Council write)',
          'write the American spelling the message names'),
    Check('dashes', 'content',
          'an en dash (or figure dash, Unicode hyphen, minus) between two words of a compound name: Foshan–Chenzhou',
          'join compound names with a hyphen, as official names do; an en dash between figures is a range and stays (`{y2024}–{y2035}`)'),
    Check('hyphen-space', 'content',
          '"Hunan- Jiangxi": a hyphen at the end of a line of folded YAML, which the fold turns into a space',
          'keep the hyphenated word on one line; suspended hyphens ("first- and second-tier") are fine'),
    Check('duplicate-sentence', 'content',
          "a sentence printed twice on one page of one language, as the site's own renderer and templates produce it (quotations, references (`<cite>`: the citation under every figure), the key-figures table's context sentences and charts left out; the whole report is checked as its area pages, since two areas of the article saying the same thing is the article's wording); names the text that prints it the second time and where it was printed first",
          'say it once: delete or reword one of the texts (or fix the template that repeats it)'),
    Check('site-missing', 'site',
          'no built site to check',
          'run `make site` first'),
    Check('links', 'site',
          'a broken internal link, image or `#anchor`, both languages (lychee `--offline --include-fragments`)',
          'link to pages and anchors that exist'),
    Check('allowlist', 'site',
          "on a built page, an element or attribute our templates and the theme do not make (`checks/allowlist.py` `ELEMENTS`, each with its reason), an `on*` attribute, a `javascript:`/`data:`/`vbscript:` URL, anything loaded from another host, a `<meta http-equiv>` other than the CSP, a script not under `assets/`, an inline script that is not one of the templates' own or whose hash the CSP lacks, a link `target` other than `_top`, an `application/ld+json` block that is not schema.org JSON",
          'never edit the built HTML; fix the template or sink that let it through; an element a template really needs is added to `ELEMENTS` with its reason'),
    Check('csp', 'site',
          "a page without exactly one CSP `<meta>` before its first script, or a policy looser than `script-src 'self'` + hashes, `img-src`/`font-src`/`connect-src` `'self'` (`data:` for images), `object-src 'none'`, `base-uri 'self'`",
          'build with the plugin, which writes it (`csp.py`)'),
    Check('lang-switch', 'site',
          "a page without a language switch to each other edition (`a[data-lang-switch]`), or one that does not lead to the same page there",
          'keep the same page paths in every edition; the switch comes from `templates/overrides/partials/alternate.html`'),
    Check('numbers', 'site',
          'a `<data>` value or text differing from the YAML metric formatted for the page\'s language — in running text (`<p>`, `<dd>`, the figure\'s context sentence) the running-text form ("six pilot reforms", "third"), elsewhere the figure ("6 pilot reforms", "3rd"); a metric missing from its area page',
          'print figures only via `{metric_id}`'),
    Check('hant-script', 'site',
          "a Simplified character left on a page of `site/zh-hant/`: every text a reader sees (text, `title`, `aria-label`, `alt`, descriptions; not inside an element marked as another language) converted back (OpenCC `hk2s`) and forth (`s2hk`) changes; the override table's forms are left out",
          'never type Chinese into a template (`ui.yaml`); if OpenCC is right, declare the phrase in `hant-overrides.yaml` with its reason'),
    Check('hant-terms', 'site',
          "a glossary term (or match word), a name of `report.yaml` or an override phrase that the Traditional page does not print in its declared form (the override's, else the term's own conversion, as the Traditional glossary prints it) as often as the Simplified page has the term",
          'declare the longer phrase it sits in, with its form and reason, in `hant-overrides.yaml`'),
    Check('hant-figures', 'site',
          "a page of the Traditional edition whose `<data>` figures are not its Simplified counterpart's, in the same order, each converted (107.42亿元 → 107.42億元), with the same value",
          'print figures only via `{metric_id}`'),
    Check('html', 'site',
          "Nu HTML checker (vnu-jar, Java 17) errors and warnings; three messages about Material's own markup are filtered, each matched by message and by the theme's class on the line (`checks/site.py`, `NOT_OURS`)",
          'fix the template or the text'),
    Check('external', 'site',
          'with `--external` (needs internet) an external link that fails; without it, external links are only listed',
          'fix or remove the link'),
)
assert len({check.id for check in REGISTRY}) == len(REGISTRY), "a check id declared twice"


def ran(loaded: bool) -> list[str]:
    """The content checks `chenzhou-report check` runs: all of them, or only those that read the files when the
    content does not load."""
    return [c.id for c in REGISTRY if c.kind == "content" and (loaded or c.on_unloaded)]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table() -> str:
    """README's checks table: one row per check, in the order they run."""
    rows = ["| check | runs on | catches | how to satisfy it |", "|---|---|---|---|"]
    rows += [f"| `{c.id}` | {c.kind} | {_cell(c.catches)} | {_cell(c.fix)} |" for c in REGISTRY]
    return "\n".join(rows) + "\n"


__all__ = ["Check", "REGISTRY", "ran", "markdown_table"]
