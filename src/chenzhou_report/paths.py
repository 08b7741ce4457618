"""Where each page is: its source URI, its URL, its folder, the way back to the edition's root.

>>> page_dir("areas/14-wage-arrears.md"), to_root("areas/14-wage-arrears.md"), to_root("index.md")
(PurePosixPath('areas/14-wage-arrears'), '../../', '')
"""

from __future__ import annotations

from pathlib import PurePosixPath

from .model import Area


def page_dir(uri: str) -> PurePosixPath:
    """The folder a page is served from, with directory URLs: areas/x.md -> areas/x, index.md -> ''."""
    path = PurePosixPath(uri)
    if path.name == "index.md":
        return path.parent
    return path.parent / path.stem


def to_root(uri: str) -> str:
    """Relative prefix from a page to the site root: '../../' for areas/x.md."""
    depth = len([p for p in page_dir(uri).parts if p not in ("", ".")])
    return "../" * depth


def area_uri(area: Area) -> str:
    return f"areas/{area.key}.md"


def area_url(area: Area) -> str:
    return f"areas/{area.key}/"


__all__ = ["page_dir", "to_root", "area_uri", "area_url"]
