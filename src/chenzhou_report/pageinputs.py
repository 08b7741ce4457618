"""What a page is made from, named without rendering it: one hash per area page.

An area page (`templates/pages/area.md.j2`) prints its own area and nothing else of the other areas but the
figures it names: a `{metric}` of another area in its prose, a derived figure's inputs, a chart's bars. Its hash
covers

- the area as editors wrote it (a converted edition converts it from that, with the shared overrides below);
- every figure of another area whose id appears anywhere in the area (a superset of the figures it names: any word
  of the area that is an id counts), with that area's number and title;
- what every page shares: the edition, the site's address, the number of areas, the report, the glossary, the
  interface words, the converted editions' overrides, the page templates (their bytes), and the versions of every
  installed distribution (OpenCC, Babel, pygal, Python-Markdown…).

Equal hashes give equal Markdown, so a build may reuse the page without rendering it
(mkdocs_plugin/incremental.py); the rebuilt site is checked against a full build by tests/test_incremental.py.
This package's own code is not covered here: the cache's build key holds it (a change of code is a full rebuild).
The other pages (home, whole report, glossary, about, revisions) print every area: they are always rendered.

>>> import re
>>> sorted(_words('{"source": "见{other_metric}，x_y", "id": "own"}') & {"other_metric", "own", "none"})
['other_metric', 'own']
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from importlib import metadata
from pathlib import Path

from .model import Content
from .paths import area_uri

_WORD = re.compile(r"[a-z0-9_]+")  # model.ID_PATTERN's characters: every id in the area's JSON is one such word


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text))


@cache
def installed_versions() -> str:
    """Every installed distribution with its version, one per line (the same for the life of the process)."""
    names = sorted({(d.metadata["Name"] or "").lower() + "==" + (d.version or "") for d in metadata.distributions()})
    return "\n".join(names)


def _templates(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(f"{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


def shared_inputs(content: Content, lang: str, templates_dir: Path, site_url: str) -> str:
    """What every area page of edition `lang` is made from besides its own area."""
    digest = hashlib.sha256(f"{lang}\0{site_url}\0{len(content.areas)}\0".encode())
    for part in (content.report, content.glossary, content.ui,
                 *(content.overrides[code] for code in sorted(content.overrides))):
        digest.update(part.model_dump_json().encode())
        digest.update(b"\0")
    digest.update(_templates(Path(templates_dir) / "pages").encode())
    digest.update(installed_versions().encode())
    return digest.hexdigest()


def area_page_inputs(content: Content, lang: str, templates_dir: Path, site_url: str) -> dict[str, str]:
    """Area page URI -> the hash of what it is made from (module docstring). `content` as editors wrote it."""
    shared = shared_inputs(content, lang, templates_dir, site_url)
    metrics, metric_area = content.metrics, content.metric_area
    out = {}
    for area in content.areas:
        text = area.model_dump_json()
        digest = hashlib.sha256(f"{shared}\0".encode())
        digest.update(text.encode())
        own = {m.id for m in area.metrics}
        for ref in sorted((_words(text) & metrics.keys()) - own):
            other = metric_area[ref]
            digest.update(f"\0{ref}\0{other.number}\0{other.title.model_dump_json()}\0".encode())
            digest.update(metrics[ref].model_dump_json().encode())
        out[area_uri(area)] = digest.hexdigest()
    return out


__all__ = ["area_page_inputs", "shared_inputs", "installed_versions"]
