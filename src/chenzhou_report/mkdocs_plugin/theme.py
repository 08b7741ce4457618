"""What Material for MkDocs needs beyond the pages and files the renderer makes: its quirks, kept in the adapter.

- Material's JavaScript fetches `sitemap.xml` next to the target of every `<link rel="alternate">` (it expects them
  to point at language roots); ours point at each page's counterpart, so each page folder gets one (empty, like
  MkDocs' own without `site_url`): otherwise every page logs a 404 in the console.
- Pages the renderer makes without a table of contents (`SiteRenderer.without_contents()`: the home page and the
  area pages, whose few headings need no sidebar) get Material's `hide: [toc]`.
- MkDocs lists every file of the theme's folders in every build to find the static files it copies; Material's
  folder holds about 14,500 (its icons), ≈ 10 % of a rebuild. A process that builds again (the preview) reuses the
  list while the folders are the same (`remember_theme_files`).

>>> front_matter("---\\ntitle: x\\n---\\n\\n# x\\n", {"hide": ["toc"]})
'---\\ntitle: x\\nhide: [toc]\\n---\\n\\n# x\\n'
"""

from __future__ import annotations

from pathlib import PurePosixPath

from .incremental import theme_state

EMPTY_SITEMAP = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n</urlset>\n')


def extra_files(renderer) -> dict[str, str]:
    """An empty sitemap.xml in every page folder but the root (which has MkDocs' own)."""
    return {f"{PurePosixPath(uri).with_suffix('')}/sitemap.xml": EMPTY_SITEMAP
            for uri in renderer.page_uris() if uri != "index.md"}


def page_meta(renderer, uri: str) -> dict:
    """The theme's front matter for a page."""
    return {"hide": ["toc"]} if uri in renderer.without_contents() else {}


def front_matter(markdown: str, meta: dict) -> str:
    """A page with `meta` added to its front matter, as a user of plain MkDocs would write it (the benchmark's
    baseline writes its pages out this way)."""
    if not meta:
        return markdown
    lines = "".join(f"{key}: [{', '.join(value)}]\n" for key, value in meta.items())
    head, sep, rest = markdown.partition("\n---\n")
    return f"{head}\n{lines.rstrip()}{sep}{rest}" if sep else markdown


#: (theme folders, static templates, MkDocs' filter, the state of the folders outside installed packages) -> list
_THEME_FILES: dict[tuple, list[str]] = {}


def remember_theme_files(theme) -> None:
    """The theme's Jinja environment answers MkDocs' listing of its static files from memory when its folders are
    as they were at the last build of this process (MkDocs' own filter on the same names: the same list)."""
    make_env = theme.get_env

    def get_env():
        env = make_env()
        listing = env.list_templates

        def list_templates(extensions=None, filter_func=None):
            if filter_func is None or extensions is not None:
                return listing(extensions, filter_func)
            key = (tuple(theme.dirs), tuple(theme.static_templates), filter_func.__code__,
                   theme_state(theme.dirs))
            if key not in _THEME_FILES:
                if len(_THEME_FILES) > 8:
                    _THEME_FILES.clear()
                _THEME_FILES[key] = listing(filter_func=filter_func)
            return list(_THEME_FILES[key])

        env.list_templates = list_templates
        return env

    theme.get_env = get_env


__all__ = ["EMPTY_SITEMAP", "extra_files", "page_meta", "front_matter", "remember_theme_files"]
