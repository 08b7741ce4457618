"""A converted edition's text: the written text of the edition it comes from, converted at build time.

`Converter(edition, overrides)` converts one text the way the edition's row of the language table says
(Traditional Chinese as Hong Kong writes it: OpenCC `s2hk`): first the reviewed override table, by phrase (the longest phrase
first, each occurrence replaced by its declared form and kept out of the automatic conversion), then OpenCC on the
text between, then the edition's marks (「」『』 for “”‘’). `figure()` converts a printed figure (107.42亿元 ->
107.42億元) with OpenCC and the marks only: the override table is for words. `converted(content, code)` is the
whole content with every Chinese text converted, read through the edition's code like written content (model.Text
indexes a converted edition by the field it is converted from). Nothing here knows MkDocs or HTML: the converted
text is content like any other and reaches the page through the same escaping.

>>> c = Converter("zh-hant", [Override(phrase="发布", form="發布", reason="HK government usage")])
>>> c.convert("通报发布机关：“湘南”后来‘范围’")
'通報發布機關：「湘南」後來『範圍』'
>>> c.figure("107.42亿元"), c.figure("43万户"), c.figure("3884条"), c.figure("第3位")
('107.42億元', '43萬户', '3884條', '第3位')
>>> c.convert("{wage_recovered}，见[术语](glossary/#two-majors)")
'{wage_recovered}，見[術語](glossary/#two-majors)'
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path

import opencc
from pydantic import BaseModel

from .languages import language
from .model import Content, Match, Metric, Name, Override, Report, Text


@lru_cache(maxsize=None)
def _opencc(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


class Converter:
    """The conversion of one converted edition (its code in the language table), with its override table."""

    def __init__(self, code: str, overrides: list[Override] = ()):
        edition = language(code)
        if edition.text_from is None:
            raise ValueError(f"edition {code!r} is written, not converted")
        self.code = code
        self.opencc = _opencc(edition.opencc)
        self.marks = str.maketrans(edition.marks)
        self.overrides = {o.phrase: o.form for o in overrides}
        phrases = sorted(self.overrides, key=lambda p: (-len(p), p))
        self._phrases = re.compile("|".join(map(re.escape, phrases))) if phrases else None

    def convert(self, text: str) -> str:
        """A text of the source edition as this edition writes it."""
        if self._phrases is None:
            return self._auto(text)
        out, last = [], 0
        for match in self._phrases.finditer(text):
            out.append(self._auto(text[last:match.start()]))
            out.append(self.overrides[match.group(0)])
            last = match.end()
        out.append(self._auto(text[last:]))
        return "".join(out)

    def _auto(self, text: str) -> str:
        return self.opencc.convert(text).translate(self.marks) if text else text

    def figure(self, printed: str) -> str:
        """A figure as the source edition prints it, in this edition's script (OpenCC and marks, no overrides)."""
        return self._auto(printed)


@lru_cache(maxsize=8)
def _converter(code: str, table: tuple[Override, ...]) -> Converter:
    return Converter(code, table)


def converter_for(content: Content, code: str) -> Converter:
    """The converter of edition `code` with the override table of this content (content/hant-overrides.yaml)."""
    table = content.overrides.get(code)
    return _converter(code, tuple(table.overrides) if table is not None else ())


def figure(metric_printed: str, code: str) -> str:
    """A figure printed by the source edition, converted for edition `code` (numbers.format_metric)."""
    return _converter(code, ()).figure(metric_printed)


def _walk(obj, field: str, conv: Converter):
    """The model with every text of the field `field` (the source edition's) converted; ids, slugs and values
    (plain strings) stay as they are."""
    if isinstance(obj, (Text, Name)):
        return obj.model_copy(update={field: conv.convert(getattr(obj, field))})
    if isinstance(obj, Match):
        return obj.model_copy(update={field: [conv.convert(w) for w in getattr(obj, field)]})
    if isinstance(obj, BaseModel):
        update = {name: _walk(getattr(obj, name), field, conv) for name in type(obj).model_fields
                  # parts of a printed figure, converted with the figure (numbers.format_metric)
                  if not (isinstance(obj, Metric) and name in ("written", "counter"))}
        if isinstance(obj, Metric):
            update["source"] = conv.convert(obj.source)  # the article's clause, in the source's language
        if isinstance(obj, Report):  # a name is one value for every language; a translated one is a Name
            update["names"] = {key: conv.convert(value) if isinstance(value, str) else _walk(value, field, conv)
                               for key, value in obj.names.items()}
        return obj.model_copy(update=update)
    if isinstance(obj, list):
        return [_walk(item, field, conv) for item in obj]
    if isinstance(obj, dict):
        return {key: _walk(item, field, conv) for key, item in obj.items()}
    return obj


#: edition -> (its converter, {id(area): (the area, converted)}) of the last conversion in this process: the preview
#: loads an unchanged file's area as the same object (loading.py), and does not convert it again
_CONVERTED: dict[str, tuple[object, dict[int, tuple[object, object]]]] = {}


def _converted_areas(areas: list, code: str, field: str, conv: Converter) -> list:
    last_conv, last = _CONVERTED.get(code, (None, {}))
    if last_conv is not conv:
        last = {}
    done = {}
    for area in areas:
        hit = last.get(id(area))
        done[id(area)] = (area, hit[1] if hit is not None and hit[0] is area else _walk(area, field, conv))
    _CONVERTED[code] = (conv, done)  # only this content's areas are kept
    return [done[id(area)][1] for area in areas]


def converted(content: Content, code: str) -> Content:
    """The content as edition `code` writes it: every text of the field it is converted from, converted."""
    field = language(code).text_from
    conv = converter_for(content, code)
    ui = content.ui.model_copy(update={"strings": {k: _walk(v, field, conv) for k, v in content.ui.strings.items()}})
    return Content(
        _walk(content.report, field, conv), _converted_areas(content.areas, code, field, conv),
        _walk(content.glossary, field, conv), ui, content.sources, content.files, dict(content._area_paths),
        content_dir=content.content_dir, overrides=content.overrides, written=content,
    )


def search_words(content: Content, code: str) -> dict[str, int]:
    """Words for the search segmenter (jieba, whose dictionary is Simplified) of converted edition `code`: every
    word jieba finds in the source edition's text, converted, with jieba's frequency of the Simplified word — so the
    Traditional text is cut where the Simplified one is (農民工, not 農 / 民工). Only words with a character of the
    converted script are listed: none is a word of the source edition's text (jieba is one tokenizer per process;
    the plugin resets it after the converted edition's build, since added words change every word's odds)."""
    import jieba

    from .loading import source_texts

    back = _opencc(language(code).opencc_reverse)
    conv = converter_for(content, code)
    written = content.written or content
    pristine_jieba()  # jieba's own dictionary, whatever this process loaded before
    jieba.initialize()
    found = sorted(set().union(*_cuts(list(source_texts(written)))))
    words: dict[str, int] = {}
    for word, hant in zip(found, conv.convert("\n".join(found)).split("\n")):  # one call to OpenCC
        if hant != word and back.convert(hant) != hant:  # a character of the converted script
            words[hant] = max(words.get(hant, 0), jieba.dt.FREQ.get(word) or 3)
    return words


#: text hash -> the words of more than one character jieba cuts it into (its own dictionary), for this process
_CUTS: dict[str, list[str]] = {}


def _cuts(texts: list[str]) -> list[list[str]]:
    """The Chinese words of each text as jieba's own dictionary cuts it, each text cut once: the cuts of earlier
    builds are kept in the temporary folder (`chenzhou-report-jieba-cuts-<jieba version>.json`, by the text's
    hash), so an edit cuts the edited texts only."""
    import jieba
    from importlib import metadata

    store = Path(tempfile.gettempdir()) / f"chenzhou-report-jieba-cuts-{metadata.version('jieba')}.json"
    if not _CUTS:
        try:
            kept = json.loads(store.read_text(encoding="utf-8"))
            if isinstance(kept, dict):
                _CUTS.update((k, v) for k, v in kept.items() if isinstance(v, list))
        except (OSError, ValueError):
            pass
    keys = [hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest() for text in texts]
    new = False
    for key, text in zip(keys, texts):
        if key not in _CUTS:
            _CUTS[key] = sorted({word for word in jieba.cut(text)
                                 if len(word) > 1 and _CJK.search(word) and "\n" not in word})
            new = True
    if new:
        current = set(keys)
        for key in [k for k in _CUTS if k not in current]:
            del _CUTS[key]  # only the texts of this content are kept
        try:
            partial = store.with_name(f"{store.name}.{os.getpid()}.part")
            partial.write_text(json.dumps(_CUTS, ensure_ascii=False), encoding="utf-8")
            partial.replace(store)
        except OSError:
            pass  # a read-only temporary folder: cut again next time
    return [_CUTS[key] for key in keys]


def pristine_jieba() -> None:
    """jieba is one tokenizer per process, and a user dictionary changes its word frequencies for every text: after a
    converted edition's build (whose words the search plugin added), and before its words are found, jieba starts
    from its own dictionary again, so that no search index and no word list depends on what was built before in the
    process (found when a pointer of `search_dictionary` made in one process named other words than another's)."""
    import jieba

    cache = jieba.dt.tmp_dir  # the project's cache of the dictionary (build.jieba_cache) stays
    jieba.dt.__init__(jieba.dt.dictionary)  # lazy: the dictionary is read again on its next use only
    jieba.dt.tmp_dir = cache


def search_dictionary(content: Content, code: str, *, reuse: bool = True) -> Path:
    """`search_words` as a jieba user dictionary ("word frequency" lines) in the temporary folder, named by its text
    (written once; jieba keeps its own caches there too). Finding the words means segmenting every text, so a small
    pointer file, named by a hash of all they are made from — the source edition's texts, the edition's row of the
    language table and override table, this module's code, the versions of jieba and OpenCC — names the dictionary
    an earlier build made of the same texts: nothing is segmented again (`reuse=False`, a full build: found anew)."""
    from importlib import metadata

    from .loading import source_texts

    inputs = hashlib.sha256()
    for part in (code, repr(language(code)), repr(content.overrides.get(code)), Path(__file__).read_text("utf-8"),
                 metadata.version("jieba"), metadata.version("opencc"),
                 *source_texts(content.written or content)):
        inputs.update(part.encode("utf-8", "surrogatepass") + b"\0")
    folder = Path(tempfile.gettempdir())
    pointer = folder / f"chenzhou-report-jieba-{code}-for-{inputs.hexdigest()[:20]}"
    try:
        name = pointer.read_text(encoding="utf-8") if reuse else ""
        if re.fullmatch(r"chenzhou-report-jieba-[\w-]+\.txt", name) and (folder / name).is_file():
            return folder / name
    except OSError:
        pass  # not made yet (or the temporary folder was emptied)
    text = "".join(f"{word} {freq}\n" for word, freq in sorted(search_words(content, code).items()))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    path = folder / f"chenzhou-report-jieba-{code}-{digest}.txt"
    for target, data in ((path, text), (pointer, path.name)):
        if target is pointer or not path.is_file():
            partial = target.with_name(f"{target.name}.{os.getpid()}.part")
            partial.write_text(data, encoding="utf-8")
            partial.replace(target)
    return path


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
