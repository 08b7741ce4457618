"""Unchanged pages are not rebuilt (mkdocs_plugin/incremental.py), and a rebuilt site is byte for byte the site a
full build of the same project gives: a project copy is built, edited, rebuilt, and compared with `build --full`
of the edited copy (every page built, nothing read from the cache)."""

from __future__ import annotations

import json
import shutil

import pytest

from chenzhou_report.build import build_site
from chenzhou_report.languages import LANGS
from chenzhou_report.mkdocs_plugin import incremental
from sitetree import differing, tree_hash

WAGE = "content/areas/14-wage-arrears.yaml"
LABEL = "en: Wage-arrears leads received from the national platform"


@pytest.fixture(autouse=True)
def same_day(monkeypatch):
    """MkDocs dates the sitemap with the build's day: both builds compared get the same one."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")


def manifest(project, lang: str) -> dict:
    return json.loads((project.cache_dir / "pages" / lang / "manifest.json").read_text(encoding="utf-8"))


def built_again(project) -> dict[str, set[str]]:
    """Per edition, the pages the last build rendered (not reused from the cache)."""
    return {lang: set(m["pages"]) - set(m["reused"]) for lang in LANGS for m in [manifest(project, lang)]}


def edit(project, path: str, old: str, new: str) -> None:
    file = project.root / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")


def same_as_full_build(project, site, tmp_path) -> None:
    full = tmp_path / "full"
    build_site(project, full, full=True)
    assert differing(site, full) == []
    assert tree_hash(site) == tree_hash(full)


def test_one_edit_rebuilds_its_pages_only_and_the_site_is_a_full_builds(project_copy, tmp_path):
    site = tmp_path / "site"
    build_site(project_copy, site)
    pages = set(manifest(project_copy, "en")["pages"])
    assert len(pages) == 21 and built_again(project_copy) == {lang: pages for lang in LANGS}  # nothing to reuse
    build_site(project_copy, site)
    assert built_again(project_copy) == {lang: set() for lang in LANGS}  # nothing changed: every page reused
    edit(project_copy, WAGE, LABEL, "en: Wage-arrears leads the national platform received")
    build_site(project_copy, site)
    assert built_again(project_copy) == {"zh": set(), "zh-hant": set(),
                                         "en": {"areas/14-wage-arrears.md", "report.md"}}
    assert "Wage-arrears leads the national platform received" in (
        site / "en/areas/14-wage-arrears/index.html").read_text(encoding="utf-8")
    same_as_full_build(project_copy, site, tmp_path)


def test_a_new_title_is_in_every_pages_navigation_so_every_page_is_built(project_copy, tmp_path):
    site = tmp_path / "site"
    build_site(project_copy, site)
    edit(project_copy, WAGE, "zh: 治理欠薪", "zh: 根治欠薪")
    build_site(project_copy, site)
    again = built_again(project_copy)
    assert len(again["zh"]) == len(again["zh-hant"]) == 21
    same_as_full_build(project_copy, site, tmp_path)


def test_a_theme_template_change_rebuilds_every_page(project_copy, tmp_path):
    site = tmp_path / "site"
    build_site(project_copy, site)
    main = project_copy.templates_dir / "overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8") + "{# a comment: same HTML, another file #}\n", encoding="utf-8")
    build_site(project_copy, site)
    assert {lang: len(pages) for lang, pages in built_again(project_copy).items()} == {lang: 21 for lang in LANGS}
    same_as_full_build(project_copy, site, tmp_path)


def test_a_cached_page_changed_since_is_not_trusted(project_copy, tmp_path):
    site = tmp_path / "site"
    build_site(project_copy, site)
    record = manifest(project_copy, "en")["pages"]["glossary.md"]
    cached = project_copy.cache_dir / "pages" / "en" / "html" / f"{record['page']}.html"
    with cached.open("a", encoding="utf-8") as f:
        f.write("<p>changed by hand</p>")
    build_site(project_copy, site)
    assert built_again(project_copy)["en"] == {"glossary.md"}
    assert "changed by hand" not in (site / "en/glossary/index.html").read_text(encoding="utf-8")
    same_as_full_build(project_copy, site, tmp_path)


def test_the_comparison_sees_reused_pages_missing_from_the_search_index(project_copy, tmp_path, monkeypatch):
    """The cache with its search entries left out: the rebuilt site differs from a full build, in the index."""
    site = tmp_path / "site"
    build_site(project_copy, site)
    finish = incremental.PageCache.finish
    monkeypatch.setattr(incremental.PageCache, "finish", lambda self, files, entries, *kept: finish(self, files, None, *kept))
    build_site(project_copy, site)  # the editions' processes are forked: they run the patched finish
    full = tmp_path / "full"
    build_site(project_copy, full, full=True)
    assert tree_hash(site) != tree_hash(full)
    index = "en/search/search_index.json"
    assert len(json.loads((site / index).read_text())["docs"]) < len(json.loads((full / index).read_text())["docs"])
    shutil.rmtree(full)


def test_a_build_key_is_the_same_in_every_process(project_copy):
    """Nothing in the key depends on where objects sit in memory (else no page would ever be reused)."""
    from mkdocs.config import load_config

    keys = {incremental.build_key(load_config(str(project_copy.config_file("en")), site_dir=str(d)))
            for d in ("/tmp/a", "/tmp/b")}
    assert len(keys) == 1


SINGLES = {"index.md", "report.md", "glossary.md", "about.md", "revisions.md"}


def rendered(project) -> dict[str, set[str]]:
    """Per edition, the pages whose Markdown the last build rendered (the others were known by their inputs)."""
    return {lang: set(manifest(project, lang)["rendered"]) for lang in LANGS}


def test_an_area_page_whose_inputs_did_not_change_is_not_even_rendered(project_copy, tmp_path):
    site = tmp_path / "site"
    build_site(project_copy, site, full=True)  # a full build records every page's inputs for the next
    build_site(project_copy, site)
    assert rendered(project_copy) == {lang: SINGLES for lang in LANGS}
    edit(project_copy, WAGE, LABEL, "en: Wage-arrears leads the national platform received")
    build_site(project_copy, site)
    # the edited area is rendered in every edition (its file changed), built again only where its page changed
    assert rendered(project_copy) == {lang: SINGLES | {"areas/14-wage-arrears.md"} for lang in LANGS}
    assert built_again(project_copy)["zh"] == set()
    same_as_full_build(project_copy, site, tmp_path)


def test_a_figure_named_by_another_area_renders_that_area_again(project_copy, tmp_path):
    """An area page prints the figures of other areas its prose names: their edits are its inputs too."""
    first = "{y2025}年，全市上下提高政治站位，"
    edit(project_copy, "content/areas/13-arrears-to-firms.yaml", first, f"{first}（{{wage_platform_received}}）")
    edit(project_copy, "content/areas/13-arrears-to-firms.yaml", "In {y2025}, the whole city,",
         "In {y2025} ({wage_platform_received}), the whole city,")
    site = tmp_path / "site"
    build_site(project_copy, site)
    edit(project_copy, WAGE, 'value: "3884"', 'value: "3885"')
    build_site(project_copy, site)
    areas = {"areas/13-arrears-to-firms.md", "areas/14-wage-arrears.md"}
    assert rendered(project_copy) == {lang: SINGLES | areas for lang in LANGS}
    assert 'value="3885"' in (site / "en/areas/13-arrears-to-firms/index.html").read_text(encoding="utf-8")
    same_as_full_build(project_copy, site, tmp_path)


def test_a_page_template_or_the_glossary_changed_renders_every_area_again(project_copy, tmp_path):
    site = tmp_path / "site"
    build_site(project_copy, site)
    template = project_copy.root / "templates/pages/area.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n<p>x</p>\n", encoding="utf-8")
    build_site(project_copy, site)
    every = set(manifest(project_copy, "zh")["pages"])
    assert rendered(project_copy) == {lang: every for lang in LANGS}
    same_as_full_build(project_copy, site, tmp_path)
    # a glossary entry (linked from the prose of any area): every area page is rendered again
    edit(project_copy, "content/glossary.yaml", "funds the related major projects mainly",
         "finances the related major projects mainly")
    build_site(project_copy, site)
    assert rendered(project_copy) == {lang: every for lang in LANGS}
    same_as_full_build(project_copy, site, tmp_path)


def sections(project, lang: str) -> set[str]:
    return set(json.loads((project.cache_dir / "pages" / lang / "fragments.json").read_text(encoding="utf-8"))
               ["sections"])


def test_the_whole_report_renders_again_only_the_sections_whose_inputs_changed(project_copy, tmp_path):
    site = tmp_path / "site"
    build_site(project_copy, site)
    before = {lang: sections(project_copy, lang) for lang in LANGS}
    assert all(len(keys) == 16 for keys in before.values())
    kept = project_copy.cache_dir / "pages" / "en" / "fragments.json"
    written = kept.stat().st_mtime_ns
    build_site(project_copy, site)  # nothing changed: the same fragments, the file not written again
    assert kept.stat().st_mtime_ns == written
    edit(project_copy, WAGE, LABEL, "en: Wage-arrears leads the national platform received")
    build_site(project_copy, site)
    assert all(len(sections(project_copy, lang) - before[lang]) == 1 for lang in LANGS)
    same_as_full_build(project_copy, site, tmp_path)
    # a glossary term is marked where the page first mentions it: named in area 1 now, it is no longer marked in
    # the section of area 3, which is made again (its inputs are the same, the terms marked above it are not)
    edit(project_copy, "content/areas/01-domestic-demand.yaml", "多措并举激发消费潜能，", "多措并举激发消费潜能，超长期特别国债，")
    build_site(project_copy, site)
    report = (site / "zh/report/index.html").read_text(encoding="utf-8")
    assert report.count('href="../glossary/#ultra-long-bonds"') == 1
    assert report.index('href="../glossary/#ultra-long-bonds"') < report.index('id="area-2"')
    same_as_full_build(project_copy, site, tmp_path)
