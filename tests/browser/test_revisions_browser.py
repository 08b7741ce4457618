"""A corrected figure in chromium: the note beside it, the corrections page listing it, every edition axe-clean,
nothing loaded from another host, no console error (the real content has no revision, so it is built here)."""

from __future__ import annotations


import pytest

from kit import PHONE, axe_violations


@pytest.fixture(scope="module")
def revised_url(tmp_path_factory):
    from chenzhou_report.build import Project, build_site
    from conftest import serve_directory
    from drafts import copy_project
    from test_revisions import REVISION, change_figure

    root = copy_project(tmp_path_factory.mktemp("revised-browser"))
    project = Project(root)
    change_figure(project, REVISION)
    build_site(project, root / "site")
    with serve_directory(root / "site") as base:
        yield base


@pytest.mark.parametrize("lang, note", [("zh", "2026年12月1日更正，原为6665万元"),
                                        ("zh-hant", "2026年12月1日更正，原為6665萬元"),
                                        ("en", "Corrected on December 1, 2026, previously 66.65 million yuan")])
@pytest.mark.parametrize("width", [PHONE, 1280])
def test_a_corrected_figure_shows_its_note_and_the_list(browser, revised_url, lang, note, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, service_workers="block")
    foreign, errors = [], []
    context.on("request", lambda r: None if r.url.startswith((revised_url, "data:")) else foreign.append(r.url))
    context.route(lambda url: not url.startswith((revised_url, "data:")), lambda route: route.abort())
    try:
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{revised_url}/{lang}/areas/14-wage-arrears/", wait_until="load")
        revision = page.locator("#wage_recovered .figure-revision")
        assert revision.is_visible() and note in revision.inner_text()
        assert axe_violations(page) == []
        revision.locator("a").click()
        page.wait_for_load_state("load")
        assert page.url.endswith(f"/{lang}/revisions/")
        row = page.locator("table.revisions tbody tr")
        assert row.count() == 1 and row.locator("a").get_attribute("href") == "../areas/14-wage-arrears/#wage_recovered"
        assert axe_violations(page) == []
        assert foreign == [] and errors == []
    finally:
        context.close()
