"""The MkDocs adapter takes what the build hands it and keeps the theme's quirks: data flows one way (the build
gives the plugin its loaded content after load_config; nothing under mkdocs_plugin/ imports the build), and the
theme's templates are compiled once per process through MkDocs' on_env hook, not a global patch of Jinja."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import jinja2
import pytest
from mkdocs.config import load_config

from chenzhou_report import templatecache
from chenzhou_report.build import BuildFailed, Project, _report_plugin
from chenzhou_report.mkdocs_plugin import plugin as plugin_module

ADAPTER = Path(plugin_module.__file__).parent


def test_nothing_in_the_adapter_imports_the_build():
    for path in ADAPTER.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                module = "." * node.level + (node.module or "")
                assert module not in ("..build", "chenzhou_report.build"), path.name
                assert not (module == ".." and any(a.name == "build" for a in node.names)), path.name


def _config(project_root):
    return load_config(str(project_root / "mkdocs.yml"), strict=True)


def test_the_build_hands_its_content_to_the_plugin(project_root, content, monkeypatch):
    config = _config(project_root)
    plugin = _report_plugin(config, Project(project_root))
    plugin.content = content

    def no_loading(*args, **kwargs):
        raise AssertionError("the plugin loaded the content again")

    monkeypatch.setattr(plugin_module, "load_content", no_loading)
    config = config.plugins.on_config(config)
    assert plugin.renderer.content is content


def test_without_a_build_the_plugin_loads_the_content(project_root, content, monkeypatch):
    config = _config(project_root)
    loaded = []
    monkeypatch.setattr(plugin_module, "load_content", lambda *a, **k: loaded.append(a) or content)
    config.plugins.on_config(config)
    assert loaded and loaded[0][0] == project_root / "content"


def test_a_configuration_without_the_plugin_is_a_clean_build_error(project_copy):
    config_file = project_copy.root / "mkdocs.yml"
    text = config_file.read_text(encoding="utf-8")
    plugin_block = "  chenzhou-report:\n    lang: zh\n    content_dir: content\n    templates_dir: templates\n"
    assert plugin_block in text
    config_file.write_text(text.replace(plugin_block, ""), encoding="utf-8")
    config = load_config(str(config_file))
    with pytest.raises(BuildFailed, match="the chenzhou-report plugin is not in `plugins:`"):
        _report_plugin(config, project_copy)


def test_every_theme_environment_gets_the_process_cache_and_keeps_its_own(project_root):
    config = _config(project_root)
    plugin = _report_plugin(config, Project(project_root))
    env = plugin.on_env(jinja2.Environment(), config=config, files=None)
    assert env.bytecode_cache is templatecache.THEME
    own = templatecache.CompiledTemplates()
    assert plugin.on_env(jinja2.Environment(bytecode_cache=own), config=config, files=None).bytecode_cache is own


def test_the_renderer_makes_no_theme_file_and_no_theme_front_matter(content, project_root):
    from chenzhou_report.render import SiteRenderer

    renderer = SiteRenderer(content, "zh", project_root / "templates")
    assert not [uri for uri in renderer.files() if uri.endswith("sitemap.xml")]
    assert not [uri for uri, text in renderer.pages().items() if "\nhide:" in text.split("\n---\n")[0]]


def test_the_adapter_hides_the_table_of_contents_of_home_and_area_pages(built_site):
    # Material writes `hidden` on the table of contents' sidebar of a page whose front matter says `hide: [toc]`
    for page, hidden in (("zh/index.html", True), ("zh/areas/14-wage-arrears/index.html", True),
                         ("zh/about/index.html", False), ("en/glossary/index.html", False)):
        html = (built_site / page).read_text(encoding="utf-8")
        sidebar = re.search(r'<div class="md-sidebar md-sidebar--secondary"[^>]*>', html).group(0)
        assert sidebar.endswith(" hidden>") is hidden, page


def _theme_files(config) -> list[str]:
    from mkdocs.structure.files import Files

    files = Files([])
    files.add_files_from_theme(config.theme.get_env(), config)
    return sorted(f.src_uri for f in files)


def test_the_theme_files_are_listed_once_per_process_and_again_when_an_override_changes(project_copy, monkeypatch):
    from chenzhou_report.mkdocs_plugin import theme

    plain = _theme_files(load_config(str(project_copy.config_file("en"))))  # MkDocs on its own
    config = load_config(str(project_copy.config_file("en")))
    theme.remember_theme_files(config.theme)
    monkeypatch.setattr(theme, "_THEME_FILES", {})
    assert _theme_files(config) == plain and len(plain) > 20
    walked = jinja2.FileSystemLoader.list_templates
    monkeypatch.setattr(jinja2.FileSystemLoader, "list_templates", lambda self: pytest.fail("listed again"))
    assert _theme_files(config) == plain  # from memory: the folders are as they were
    monkeypatch.setattr(jinja2.FileSystemLoader, "list_templates", walked)
    (project_copy.root / "templates/overrides/extra.js").write_text("1;\n", encoding="utf-8")
    assert _theme_files(config) == sorted([*plain, "extra.js"])  # an override added: listed again
