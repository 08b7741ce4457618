"""The editions of the site, as one table: every module asks this table, none compares a language code.

A row says everything the code needs to know of an edition: its code (the key of its words in content and its
folder under site/), its BCP 47 tag (`<html lang>`, `hreflang`), its Babel locale, its Open Graph locale, how its
numbers and punctuation are written (`style`), where its sentences end, its MkDocs search settings, and how its text
is obtained (`text_from`: None when editors write it in content, else the code of the edition it is converted from).
Adding an edition is one row here plus its words in content/ (ui.yaml strings and, for a written edition, a
translation of every text field).

>>> [lang.code for lang in LANGUAGES]
['zh', 'en', 'zh-hant']
>>> language("en").style, language("zh").locale, language("zh").tag
('english', 'zh_CN', 'zh')
>>> others("zh")
('en', 'zh-hant')
>>> language("zh-hant").text_from, field_of("zh-hant"), field_of("en")
('zh', 'zh', 'en')
>>> language("fr")
Traceback (most recent call last):
...
KeyError: "unknown edition 'fr' (one of: zh, en, zh-hant)"
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Language:
    code: str  #: key of its words in content (`zh:`, `en:`) and folder under site/
    tag: str  #: BCP 47 language tag for `<html lang>`, `lang=` and `hreflang`
    locale: str  #: Babel (CLDR) locale for numbers
    og_locale: str  #: Open Graph `og:locale`
    name: str  #: its name in English, for messages to editors
    name_zh: str  #: its name in Chinese, for the Chinese hint of messages
    style: Literal["chinese", "english"]  #: how figures and the templates' punctuation are written
    #: punctuation the templates put between their own words (full-width in Chinese)
    punctuation: dict = field(default_factory=dict)
    sentence_end: re.Pattern = re.compile(r"$")  #: where a sentence ends, for splitting prose into sentences
    search: dict = field(default_factory=dict)  #: MkDocs search plugin settings (lang, separator, pipeline)
    config_file: str = "mkdocs.yml"  #: the MkDocs configuration that builds it
    text_from: str | None = None  #: None: written in content; else the code of the edition it is converted from
    citation: Literal["gb-t-7714", "apa"] = "apa"  #: the reference format of its citations (citation.py)
    #: `hreflang` of its pages (zh-Hans, zh-Hant, en: the script, which is what a reader chooses between)
    hreflang: str = ""
    autonym: str = ""  #: its name in itself: the text of the language switch that leads to it
    switch_to: str = ""  #: the title of a link to it, in its own language ("切换到简体中文版")
    #: browser languages (lower case, each also matching its subtags) the site's root page sends to it
    browsers: tuple[str, ...] = ()
    #: a converted edition: the OpenCC configuration, the content file of its reviewed overrides, and the marks
    #: its convention writes instead of the source's (Hong Kong: 「」『』 for “”‘’)
    opencc: str = ""
    opencc_reverse: str = ""  #: the OpenCC configuration back to the source's script (the checks' round trip)
    overrides_file: str = ""
    marks: dict = field(default_factory=dict)

    @property
    def chinese(self) -> bool:
        """Written in Chinese characters: figures as the article prints them (107.42亿元), full-width punctuation."""
        return self.style == "chinese"


LANGUAGES: tuple[Language, ...] = (
    Language(
        code="zh", tag="zh", locale="zh_CN", og_locale="zh_CN", name="Chinese", name_zh="中文", style="chinese",
        punctuation={"colon": "：", "comma": "，", "open": "（", "close": "）", "semicolon": "；", "stop": "。",
                     "enumeration": "、"},
        sentence_end=re.compile(r"(?<=[。！？；])"),
        # \u200b: where jieba split the Chinese words
        search={"lang": "zh", "separator": r"[\s\u200b\-，。；：、（）“”《》]+"}, config_file="mkdocs.yml",
        citation="gb-t-7714",
        hreflang="zh-Hans", autonym="简体中文", switch_to="切换到简体中文版", browsers=("zh",),
    ),
    Language(
        code="en", tag="en", locale="en", og_locale="en_US", name="English", name_zh="英文", style="english",
        punctuation={"colon": ": ", "comma": ", ", "open": " (", "close": ")", "semicolon": "; ", "stop": ".",
                     "enumeration": ", "},
        sentence_end=re.compile(r"(?<=[.!?;])\s+(?=\S)"),
        search={"lang": "en", "separator": r"[\s,;:()“”\"]+", "pipeline": ["stopWordFilter"]}, config_file="mkdocs.en.yml",
        hreflang="en", autonym="English", switch_to="Switch to English", browsers=("en",),
    ),
    # Traditional Chinese as Hong Kong writes it: every text of the Chinese edition converted at build time
    # (convert.py), never stored twice
    Language(
        code="zh-hant", tag="zh-Hant-HK", locale="zh_Hant_HK", og_locale="zh_HK", name="Traditional Chinese",
        name_zh="繁体中文", style="chinese",
        punctuation={"colon": "：", "comma": "，", "open": "（", "close": "）", "semicolon": "；", "stop": "。",
                     "enumeration": "、"},
        sentence_end=re.compile(r"(?<=[。！？；])"),
        search={"lang": "zh", "separator": r"[\s\u200b\-，。；：、（）「」『』《》]+"}, config_file="mkdocs.zh-hant.yml",
        citation="gb-t-7714", text_from="zh", hreflang="zh-Hant", autonym="繁體中文", switch_to="切換到繁體中文版",
        browsers=("zh-hant", "zh-hk", "zh-mo", "zh-tw"),
        opencc="s2hk", opencc_reverse="hk2s", overrides_file="hant-overrides.yaml",
        marks={"“": "「", "”": "」", "‘": "『", "’": "』"},
    ),
)
#: the codes of the editions, in the order the site lists them
LANGS: tuple[str, ...] = tuple(lang.code for lang in LANGUAGES)
_BY_CODE = {lang.code: lang for lang in LANGUAGES}
#: the edition whose text is the source's own wording (the article is Chinese)
SOURCE = LANGUAGES[0].code
#: the editions an editor writes in content (the fields of every text: zh, en)
WRITTEN: tuple[str, ...] = tuple(lang.code for lang in LANGUAGES if lang.text_from is None)
#: the written edition in English: its words for numbers are read by the English number checks
ENGLISH = next(lang.code for lang in LANGUAGES if lang.style == "english" and lang.text_from is None)


def language(code: str) -> Language:
    """The row of an edition; KeyError naming the known codes for any other."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise KeyError(f"unknown edition {code!r} (one of: {', '.join(LANGS)})") from None


def field_of(code: str) -> str:
    """The key of an edition's words in content: its own code, or the code of the edition it is converted from."""
    return language(code).text_from or code


#: the MkDocs configuration files of every edition, in table order (a copy of the project needs them all)
CONFIGS: tuple[str, ...] = tuple(lang.config_file for lang in LANGUAGES)
#: the converted editions (text obtained from a written one)
CONVERTED: tuple[str, ...] = tuple(lang.code for lang in LANGUAGES if lang.text_from is not None)


def site_url_env(code: str) -> str:
    """The environment variable that gives an edition's site URL to its MkDocs configuration (SITE_URL_ZH_HANT)."""
    return "SITE_URL_" + language(code).code.upper().replace("-", "_")


def by_tag(tag: str) -> Language | None:
    """The edition whose `<html lang>` is `tag`, or None."""
    return next((lang for lang in LANGUAGES if lang.tag.lower() == tag.lower()), None)


def others(code: str) -> tuple[str, ...]:
    """The other editions, in table order: where the language switch of a page in `code` leads."""
    language(code)
    return tuple(c for c in LANGS if c != code)

