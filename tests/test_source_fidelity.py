"""The Chinese site carries the article word for word; no digit of the source is lost in either language."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from chenzhou_report.markup import ProseRenderer
from chenzhou_report.numbers import format_metric
from chenzhou_report.render import area_url

FULL_WIDTH = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）"})


def normalise(text: str) -> str:
    """The converter's ASCII punctuation made full-width, and all white space (its line breaks) removed."""
    return re.sub(r"\s+", "", text.translate(FULL_WIDTH))


@pytest.fixture(scope="module")
def article(project_root):
    raw = (project_root / "content" / "source" / "article.txt").read_text(encoding="utf-8")
    parts = re.split(r"^(\d{1,2}) (\S.*)$", raw, flags=re.M)
    sections = {int(parts[i]): (parts[i + 1], parts[i + 2]) for i in range(1, len(parts), 3)}
    return parts[0], sections


def test_the_article_has_sixteen_areas_and_so_has_the_content(article, content):
    _, sections = article
    assert sorted(sections) == list(range(1, 17))
    assert [a.number for a in content.areas] == list(range(1, 17))


@pytest.mark.parametrize("number", range(1, 17))
def test_area_text_is_the_article_word_for_word(article, content, number):
    _, sections = article
    title, body = sections[number]
    area = next(a for a in content.areas if a.number == number)
    zh = ProseRenderer(content, "zh")
    assert normalise(zh.plain(area.title.zh)) == normalise(title)
    assert normalise("".join(zh.plain(p.zh) for p in area.paragraphs)) == normalise(body)


def test_headline_lead_and_caption_are_the_article_word_for_word(article, content):
    head, _ = article
    zh = ProseRenderer(content, "zh")
    report = content.report
    mine = [report.title.zh, report.subtitle.zh, report.publication.zh + report.byline.zh, report.lead.zh,
            report.photo_caption.zh]
    assert normalise("".join(zh.plain(t) for t in mine)) == normalise(head)


def test_chinese_prose_uses_full_width_punctuation(content):
    from chenzhou_report.model import text_fields

    offenders = []
    for area in content.areas:
        for loc, lang, text in text_fields(area):
            if lang == "zh" and re.search(r"[\u4e00-\u9fff][,;:()]|[,;:()][\u4e00-\u9fff]", text):
                offenders.append((area.key, loc, text[:40]))
    assert offenders == []


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def page_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return re.sub(r"\s+", "", "".join(parser.parts))


def test_every_number_of_the_article_is_on_the_chinese_site(article, built_site, content):
    """Every digit sequence of each area's text appears, as printed, on that area's Chinese page."""
    _, sections = article
    for area in content.areas:
        _, body = sections[area.number]
        text = page_text(built_site / "zh" / area_url(area) / "index.html")
        for number in re.findall(r"\d+(?:\.\d+)?%?", normalise(body)):
            assert number in text, (area.key, number)


def test_every_metric_is_printed_on_its_area_page_in_both_languages(built_site, content):
    for area in content.areas:
        for lang in ("zh", "en"):
            html = (built_site / lang / area_url(area) / "index.html").read_text(encoding="utf-8")
            for metric in area.metrics:
                printed = format_metric(metric, lang)
                assert f'data-metric="{metric.id}"' in html
                assert printed.replace("&", "&amp;") in html, (lang, metric.id, printed)


def test_a_dropped_character_is_caught(article, project_copy):
    """The comparison above can fail: drop one character of area 14 in a copy and it no longer matches."""
    from chenzhou_report.model import load_content

    path = project_copy.content_dir / "areas" / "14-wage-arrears.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("取得显著成效", "取得成效", 1), encoding="utf-8")
    broken = load_content(project_copy.content_dir, project_copy.root)
    _, sections = article
    area = next(a for a in broken.areas if a.number == 14)
    zh = ProseRenderer(broken, "zh")
    assert normalise("".join(zh.plain(p.zh) for p in area.paragraphs)) != normalise(sections[14][1])
