"""The Traditional (Hong Kong) edition: conversion by OpenCC s2hk after the reviewed override table
(content/hant-overrides.yaml), its validation, and the converted content every page of site/zh-hant is made of."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from chenzhou_report.convert import Converter, converted, converter_for
from chenzhou_report.errors import ContentError
from chenzhou_report.languages import CONVERTED, LANGUAGES, language
from chenzhou_report.loading import load_content
from chenzhou_report.model import Content, Override, Text
from chenzhou_report.numbers import format_metric
from chenzhou_report.render import SiteRenderer
from drafts import copy_project

ROOT = Path(__file__).resolve().parent.parent
HANT = CONVERTED[0]
OVERRIDES = "content/hant-overrides.yaml"


def test_the_edition_is_one_row_converted_from_the_chinese():
    edition = language(HANT)
    assert edition.text_from == "zh" and edition.tag == "zh-Hant-HK" and edition.hreflang == "zh-Hant"
    assert edition.opencc == "s2hk" and edition.overrides_file == "hant-overrides.yaml"
    assert [lang.hreflang for lang in LANGUAGES] == ["zh-Hans", "en", "zh-Hant"]
    assert {"zh-hk", "zh-mo", "zh-tw", "zh-hant"} <= set(edition.browsers)


def test_overrides_apply_by_phrase_before_opencc_longest_first():
    plain = Converter(HANT)
    assert plain.convert("通报发布机关") == "通報發佈機關"  # OpenCC's Hong Kong variant
    table = [Override(phrase="发布", form="發布", reason="r"), Override(phrase="发布机关", form="發布機關甲", reason="r")]
    conv = Converter(HANT, table)
    assert conv.convert("通报发布机关，再发布") == "通報發布機關甲，再發布"  # the longer phrase wins where it fits
    # the override's form is kept out of OpenCC (which would turn 發布 into 發佈 again)
    assert Converter(HANT, [Override(phrase="发布", form="發布", reason="r")]).convert("发布") == "發布"


def test_hong_kong_marks_glyphs_and_figures():
    conv = Converter(HANT)
    assert conv.convert("“两重”建设‘软’") == "「兩重」建設『軟』"
    assert conv.convert("《湖南教育》") == "《湖南教育》"  # titles keep 《》
    assert conv.figure("43万户") == "43萬户"  # the Hong Kong glyph standard (戶 in Taiwan)
    assert conv.figure("107.42亿元") == "107.42億元"


def test_the_real_figures_print_as_the_chinese_edition_converted(content):
    metrics = content.metrics
    assert format_metric(metrics["wage_recovered"], HANT) == "6665萬元"
    assert format_metric(metrics["wage_platform_received"], HANT) == "3884條"
    for metric in metrics.values():
        zh, hant = format_metric(metric, "zh"), format_metric(metric, HANT)
        assert re.sub(r"\D", "", zh) == re.sub(r"\D", "", hant), metric.id  # not a digit changes
        assert Converter(HANT).figure(zh) == hant


def test_converted_content_converts_every_chinese_text_and_nothing_else(content):
    hant = converted(content, HANT)
    assert hant.written is content
    assert hant.report.title[HANT] == converter_for(content, HANT).convert(content.report.title["zh"])
    assert hant.report.title["en"] == content.report.title["en"]
    for area, original in zip(hant.areas, content.areas):
        assert area.key == original.key and [m.id for m in area.metrics] == [m.id for m in original.metrics]
        assert [m.value for m in area.metrics] == [m.value for m in original.metrics]
        assert all("“" not in p[HANT] and "”" not in p[HANT] for p in area.paragraphs)
    assert hant.ui("site_name", HANT) == "郴州高質量發展表揚通報"
    assert hant.glossary.terms[0].match[HANT] == [converter_for(content, HANT).convert(w)
                                                  for w in content.glossary.terms[0].match["zh"]]
    # the reviewed override is applied in the real content: ui.yaml's 通报发布机关
    assert hant.ui("issued_by", HANT) == "通報發布機關"


def test_converted_text_is_escaped_like_any_other(content):
    """Content is untrusted: a form in the override table cannot carry markup (refused when loading), and the
    converted text goes through the same escaping as the written one."""
    page = SiteRenderer(content, HANT, ROOT / "templates").pages()["glossary.md"]
    assert "<script" not in page and "「" in page


def test_downloads_keep_the_simplified_original_beside(content):
    renderer = SiteRenderer(content, HANT, ROOT / "templates")
    files = renderer.files()
    data = json.loads(files["data/metrics.json"])
    assert data["language"] == HANT
    row = next(m for m in data["metrics"] if m["id"] == "wage_recovered")
    assert row["printed"] == "6665萬元" and row["printed_as_printed"] == "6665万元"
    original = content.metrics["wage_recovered"]
    assert row["label_as_printed"] == original.label["zh"] and row["source_as_printed"] == original.source
    assert row["source_zh"] == converter_for(content, HANT).convert(original.source) != original.source
    assert ",label_as_printed,printed_as_printed,source_as_printed," in files["data/metrics.csv"].splitlines()[0]
    # the written editions' downloads are unchanged: no such columns
    zh = json.loads(SiteRenderer(content, "zh", ROOT / "templates").files()["data/metrics.json"])
    assert "label_as_printed" not in zh["metrics"][0]


# --- the override table: validated like every content file -----------------------------------------------------

@pytest.fixture
def copy(tmp_path) -> Path:
    return copy_project(tmp_path)


def _problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_content(root / "content", root)
    return [str(p) for p in info.value.problems]


def _edit(root: Path, old: str, new: str) -> None:
    path = root / OVERRIDES
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(root: Path, needle: str) -> int:
    """The last line holding `needle` (an edit that repeats a phrase is found at the repetition)."""
    return [n for n, line in enumerate((root / OVERRIDES).read_text(encoding="utf-8").splitlines(), 1)
            if needle in line][-1]


@pytest.mark.parametrize("old,new,column,words", [
    ("form: 發布", 'form: "發<b>布"', 11, "form '發<b>布' contains '<': an override is words only"),
    ("form: 發布", "form: 發布2", 11, "contains '2'"),
    ("form: 發布", "forms: 發布", 5, "unknown field 'forms' (expected one of: phrase, form, reason); did you mean 'form'?"),
    ("phrase: 采用", "phrase: 采纳", 13, "phrase '采纳' is in no Chinese text of the content, so it overrides nothing "
                                      "(copy the phrase exactly as the Simplified text writes it, or delete the entry)"),
    ("phrase: 采用", "phrase: 发布", 13, "phrase '发布' is already overridden at line 7 (keep one entry per phrase)"),
])
def test_a_bad_override_is_one_located_line_saying_what_to_write(copy, old, new, column, words):
    _edit(copy, old, new)
    problems = _problems(copy)
    assert all(p.startswith(f"{OVERRIDES}:") for p in problems), problems  # nothing else is blamed
    mine = [p for p in problems if p.startswith(f"{OVERRIDES}:{_line_of(copy, new)}:{column}: ")]
    assert len(mine) == 1 and words in mine[0] and " ｜ " in mine[0], problems


def test_a_missing_reason_is_named(copy):
    text = (copy / OVERRIDES).read_text(encoding="utf-8")
    (copy / OVERRIDES).write_text(re.sub(r"    reason: >-\n(      .*\n)+", "", text, count=1), encoding="utf-8")
    problems = _problems(copy)
    assert len(problems) == 1 and "missing field 'reason'" in problems[0] and problems[0].startswith(f"{OVERRIDES}:")


def test_without_the_file_the_edition_is_opencc_alone(copy):
    (copy / OVERRIDES).unlink()
    content = load_content(copy / "content", copy)
    assert content.overrides == {}
    assert converted(content, HANT).ui("issued_by", HANT) == "通報發佈機關"


def test_the_override_file_is_a_known_content_file():
    from chenzhou_report.contentfiles import KNOWN

    assert "hant-overrides.yaml" in KNOWN and "schema/hant-overrides.schema.json" in KNOWN
    first = (ROOT / OVERRIDES).read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=schema/hant-overrides.schema.json"


def test_the_search_words_are_found_once_for_the_same_texts(content, monkeypatch, tmp_path):
    """The jieba user dictionary of the Traditional build: the same texts find the file of an earlier build through
    a pointer named by all it is made from (nothing segmented again); changed words make another."""
    import tempfile

    from chenzhou_report import convert

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    first = convert.search_dictionary(content, HANT)
    assert "農民工" in first.read_text(encoding="utf-8")
    monkeypatch.setattr(convert, "search_words", lambda *_: pytest.fail("segmented again"))
    assert convert.search_dictionary(content, HANT) == first
    area = content.areas[0]
    changed = Content(content.report, [area.model_copy(update={"title": Text(zh="新的标题", en="A new title")}),
                                       *content.areas[1:]], content.glossary, content.ui, content.sources,
                      content.files, dict(content._area_paths), content_dir=content.content_dir,
                      overrides=content.overrides)
    monkeypatch.setattr(convert, "search_words", lambda *_: {"新的標題": 3})
    assert convert.search_dictionary(changed, HANT) != first
    # other texts with the same words: the same dictionary (the pages' build key names it: nothing rebuilt for it)
    again = Content(content.report, [area.model_copy(update={"title": Text(zh="又一个标题", en="Another title")}),
                                     *content.areas[1:]], content.glossary, content.ui, content.sources,
                    content.files, dict(content._area_paths), content_dir=content.content_dir,
                    overrides=content.overrides)
    assert convert.search_dictionary(again, HANT) == convert.search_dictionary(changed, HANT)


def test_the_search_words_do_not_depend_on_what_jieba_was_given_before(content, tmp_path):
    """A build that loaded a user dictionary into this process's jieba (the Traditional edition's, or plain MkDocs'
    in the benchmark's baseline) and did not reset it: the words found afterwards are still jieba's own."""
    import jieba

    from chenzhou_report.convert import pristine_jieba, search_words

    words = search_words(content, HANT)
    extra = tmp_path / "user.txt"
    extra.write_text("".join(f"{word} 100000\n" for word in ("郴州市", "高质量发展", "农民工工资")), encoding="utf-8")
    try:
        jieba.load_userdict(str(extra))
        assert search_words(content, HANT) == words
    finally:
        pristine_jieba()


def test_an_area_converted_before_is_not_converted_again_and_a_changed_one_is(content, monkeypatch):
    from chenzhou_report import convert

    code = CONVERTED[0]
    first = converted(content, code)
    walked = []
    walk = convert._walk
    monkeypatch.setattr(convert, "_walk", lambda obj, *args: (walked.append(obj), walk(obj, *args))[1])
    again = converted(content, code)
    assert [a is b for a, b in zip(first.areas, again.areas)] == [True] * len(content.areas)
    assert not any(obj in content.areas for obj in walked)
    # an area that is another object (its file changed) is converted: the same text as a first conversion
    edited = content.areas[13].model_copy(update={"slug": content.areas[13].slug})
    other = Content(content.report, [*content.areas[:13], edited, *content.areas[14:]], content.glossary, content.ui,
                    content.sources, content.files, dict(content._area_paths), overrides=content.overrides)
    third = converted(other, code)
    assert third.areas[13] is not first.areas[13] and third.areas[13] == first.areas[13]
    assert edited in walked


def test_the_search_words_cut_each_text_once_across_builds(content, monkeypatch, tmp_path):
    import tempfile

    import jieba

    from chenzhou_report import convert

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # a temporary folder of its own
    monkeypatch.setattr(convert, "_CUTS", {})
    code = CONVERTED[0]
    first = convert.search_words(content, code)  # every text cut, the cuts kept in the temporary folder
    assert list(tmp_path.glob("chenzhou-report-jieba-cuts-*.json"))
    cut = []
    original = jieba.cut
    monkeypatch.setattr(jieba, "cut", lambda text, *args, **kwargs: (cut.append(text), original(text, *args,
                                                                                                **kwargs))[1])
    convert._CUTS.clear()  # a new process: the cuts come from the file
    assert convert.search_words(content, code) == first and cut == []
    assert convert._cuts(["郴州市全力治理欠薪"]) == [["全力", "欠薪", "治理", "郴州市"]] and cut == ["郴州市全力治理欠薪"]
