"""What Material for MkDocs needs beyond the pages and files the renderer makes: its quirks, kept in the adapter.

- Material's JavaScript fetches `sitemap.xml` next to the target of every `<link rel="alternate">` (it expects them
  to point at language roots); ours point at each page's counterpart, so each page folder gets one (empty, like
  MkDocs' own without `site_url`): otherwise every page logs a 404 in the console.
- Pages the renderer makes without a table of contents (`SiteRenderer.without_contents()`: the home page and the
  area pages, whose few headings need no sidebar) get Material's `hide: [toc]`.

>>> front_matter("---\\ntitle: x\\n---\\n\\n# x\\n", {"hide": ["toc"]})
'---\\ntitle: x\\nhide: [toc]\\n---\\n\\n# x\\n'
"""

from __future__ import annotations

from pathlib import PurePosixPath

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


__all__ = ["EMPTY_SITEMAP", "extra_files", "page_meta", "front_matter"]
