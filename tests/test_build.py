"""The real MkDocs build of the real content, asserted on the HTML of every edition (zh, en, and zh-hant converted
from zh)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from chenzhou_report.languages import CONVERTED, LANGS, language, others
from chenzhou_report.render import area_url, content_of

HANT = CONVERTED[0]


def html(site: Path, lang: str, url: str) -> str:
    return (site / lang / url / "index.html").read_text(encoding="utf-8")


def test_every_edition_and_a_root_page(built_site):
    assert (built_site / "index.html").is_file()
    root = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="zh/"' in root and 'href="en/"' in root and 'href="zh-hant/"' in root
    assert '<link rel="alternate" hreflang="zh-Hant" href="zh-hant/" data-browsers="zh-hant zh-hk zh-mo zh-tw">' in root
    assert '<link rel="alternate" hreflang="zh-Hans" href="zh/" data-browsers="zh">' in root
    for lang in LANGS:
        assert (built_site / lang / "index.html").is_file()
        assert (built_site / lang / "search" / "search_index.json").is_file()


@pytest.mark.parametrize("lang", LANGS)
def test_sixteen_area_pages_in_order(built_site, content, lang):
    home = html(built_site, lang, "")
    positions = [home.index(f'href="{area_url(a)}"') for a in content.areas]
    assert len(positions) == 16 and positions == sorted(positions)
    for area in content_of(content, lang).areas:
        page = html(built_site, lang, area_url(area))
        assert f'<html lang="{language(lang).tag}"' in page
        title = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
        assert area.title[lang].split("{")[0].strip()[:6] in title


def _pages(site: Path, lang: str):
    return sorted(p for p in (site / lang).rglob("index.html") if "assets" not in p.parts)


@pytest.mark.parametrize("lang,other", [(lang, other) for lang in LANGS for other in others(lang)])
def test_language_switch_leads_to_the_same_page(built_site, lang, other):
    pages = _pages(built_site, lang)
    assert len(pages) >= 20
    for page in pages:
        text = page.read_text(encoding="utf-8")
        href = re.search(r'<a [^>]*href="([^"]+)"[^>]*data-lang-switch="%s"' % other, text, re.S)
        assert href, page
        here = "/" + page.relative_to(built_site).as_posix()
        target = urlparse(urljoin(here, href.group(1))).path
        counterpart = built_site / target.lstrip("/") / "index.html" if target.endswith("/") else built_site / target
        expected = built_site / other / page.relative_to(built_site / lang)
        assert counterpart.resolve() == expected.resolve(), (page, href.group(1))
        assert expected.is_file()


@pytest.mark.parametrize("lang", LANGS)
def test_no_request_to_another_host(built_site, lang):
    """No Google Fonts, no CDN: every script, stylesheet, image and font comes from the site itself."""
    for page in _pages(built_site, lang):
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text
        for tag, attr in re.findall(r"<(script|link|img|iframe|source)\b[^>]*?\b(src|href)=\"(?:https?:)?//", text):
            pytest.fail(f"{page}: <{tag} {attr}> points to another host")


def test_metrics_are_data_elements_with_ids(built_site, content):
    page = html(built_site, "en", "areas/14-wage-arrears/")
    assert '<data data-metric="wage_platform_rate" value="99.17">99.17%</data>' in page
    assert '<data data-metric="wage_recovered" value="66650000">66.65 million yuan</data>' in page
    zh = html(built_site, "zh", "areas/14-wage-arrears/")
    assert '<data data-metric="wage_recovered" value="66650000">6665万元</data>' in zh
    fochen = html(built_site, "en", "areas/04-regional-strategy/")
    assert "10.742 billion yuan" in fochen and "12.027 billion yuan" in fochen


def test_search_indexes_are_separate_and_segmented(built_site):
    hant = json.loads((built_site / HANT / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert hant["config"]["lang"] == ["zh"]
    wage_hant = [d for d in hant["docs"] if d["location"].startswith("areas/14-wage-arrears/")]
    assert any("欠薪" in d["text"] and "\u200b" in d["text"] for d in wage_hant)
    assert any("線索" in d["text"] for d in wage_hant) and not any("线索" in d["text"] for d in wage_hant)
    zh = json.loads((built_site / "zh" / "search" / "search_index.json").read_text(encoding="utf-8"))
    en = json.loads((built_site / "en" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert zh["config"]["lang"] == ["zh"] and en["config"]["lang"] == ["en"]
    wage_zh = [d for d in zh["docs"] if d["location"].startswith("areas/14-wage-arrears/")]
    assert wage_zh and any("欠薪" in d["text"] for d in wage_zh)
    # jieba inserts segment boundaries into the Chinese text at build time; English text has none of that
    assert any("\u200b" in d["text"] for d in wage_zh)
    wage_en = [d for d in en["docs"] if d["location"].startswith("areas/14-wage-arrears/")]
    assert any("wage arrears" in d["text"].lower() for d in wage_en)


def test_data_downloads_in_both_languages(built_site, content):
    for lang in LANGS:
        data = json.loads((built_site / lang / "data" / "metrics.json").read_text(encoding="utf-8"))
        assert {m["id"] for m in data["metrics"]} == set(content.metrics)
        csv = (built_site / lang / "data" / "metrics.csv").read_text(encoding="utf-8")
        assert csv.count("\n") == len(content.metrics) + 1


def test_the_traditional_edition_is_the_chinese_converted(built_site, content):
    """Every page of site/zh has its counterpart in site/zh-hant, converted: figures, HK marks, the about page."""
    zh_pages = {p.relative_to(built_site / "zh") for p in _pages(built_site, "zh")}
    assert zh_pages == {p.relative_to(built_site / HANT) for p in _pages(built_site, HANT)} and len(zh_pages) == 21
    wage = html(built_site, HANT, "areas/14-wage-arrears/")
    assert '<html lang="zh-Hant-HK"' in wage
    assert '<data data-metric="wage_recovered" value="66650000">6665萬元</data>' in wage
    assert '<data data-metric="wage_platform_received" value="3884">3884條</data>' in wage
    region = html(built_site, HANT, "areas/04-regional-strategy/")
    assert "107.42億元" in region
    assert "萬户" in html(built_site, HANT, "areas/05-market-entities/")  # the Hong Kong glyph standard
    home = html(built_site, HANT, "")
    assert "「" in home or "「" in html(built_site, HANT, "report/")
    assert "“" not in html(built_site, HANT, "report/") and "”" not in html(built_site, HANT, "report/")
    about = html(built_site, HANT, "about/")
    assert "通報發布機關" in about  # the reviewed override (content/hant-overrides.yaml), not OpenCC's 發佈
    glossary = html(built_site, HANT, "glossary/")
    assert '<span lang="zh-Hant-HK">兩重</span>' in glossary
    data = json.loads((built_site / HANT / "data" / "metrics.json").read_text(encoding="utf-8"))
    assert {m["id"] for m in data["metrics"]} == set(content.metrics)


def test_no_google_fonts_and_system_cjk_font_stack(project_root):
    css = (project_root / "templates" / "static" / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    assert "PingFang SC" in css and "Microsoft YaHei" in css and "Noto Sans CJK SC" in css


def test_a_template_mistake_is_a_clean_error_with_file_and_line(project_copy, capsys):
    from chenzhou_report.cli import main

    template = project_copy.templates_dir / "pages" / "area.md.j2"
    lines = template.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if "{{ t(" in line)
    lines[number] = lines[number].replace("{{ t(", "{{ no_such_thing.x }}{{ t(", 1)
    template.write_text("".join(lines), encoding="utf-8")
    assert main(["build", "--root", str(project_copy.root)]) == 1
    err = capsys.readouterr().err
    assert f"templates/pages/area.md.j2:{number + 1}: template error: 'no_such_thing' is undefined" in err
    assert "Traceback" not in err
    assert not (project_copy.root / "site").exists()
