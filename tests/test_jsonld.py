"""schema.org Dataset markup on each edition's about page: parsed as JSON-LD by extruct (not string matching), with
the fields Google Dataset Search asks for and downloads that exist in the built site; serialised so that no text
can end its script element."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urljoin, urlparse

import extruct
import pytest

from chenzhou_report import jsonld
from chenzhou_report.model import LANGS
from chenzhou_report.render import SiteRenderer

ROOT = Path(__file__).resolve().parent.parent

BASE = "https://example.org/{lang}/about/"


def datasets(html: str, lang: str) -> list[dict]:
    found = extruct.extract(html, base_url=BASE.format(lang=lang), syntaxes=["json-ld"], uniform=True)["json-ld"]
    return [item for item in found if item.get("@type") == "Dataset"]


@pytest.mark.parametrize("lang", LANGS)
def test_about_page_carries_a_dataset_whose_downloads_exist(built_site, content, lang):
    html = (built_site / lang / "about" / "index.html").read_text(encoding="utf-8")
    [data] = datasets(html, lang)
    assert data["@context"].rstrip("/") in ("https://schema.org", "http://schema.org")
    assert data["name"] and 50 <= len(data["description"]) <= 5000
    assert data["inLanguage"] == jsonld.LANGUAGE_TAGS[lang]
    assert data["license"].startswith("https://creativecommons.org/licenses/by/")
    report = SiteRenderer(content, lang, ROOT / "templates").content.report  # as the edition words it
    assert data["creator"][0]["name"] == report.issuer[lang]
    assert data["publisher"]["name"]
    based_on = data["isBasedOn"]
    assert based_on["@type"] == "NewsArticle" and based_on["publisher"]["name"] == report.publication[lang]
    downloads = data["distribution"]
    assert {d["@type"] for d in downloads} == {"DataDownload"}
    assert {d["encodingFormat"] for d in downloads} >= {"text/csv", "application/json", "application/zip"}
    base = BASE.format(lang=lang)
    for download in downloads:
        url = urlparse(urljoin(base, download["contentUrl"]))
        assert url.netloc == "example.org", download
        path = built_site / url.path.lstrip("/")
        assert path.is_file() and path.stat().st_size > 0, download


def test_the_test_sees_a_missing_download(built_site, tmp_path):
    """A doctored page whose contentUrl names a file that is not there: the resolution above would fail."""
    html = (built_site / "en" / "about" / "index.html").read_text(encoding="utf-8")
    html = html.replace('"contentUrl":"../data/metrics.csv"', '"contentUrl":"../data/missing.csv"')
    [data] = datasets(html, "en")
    urls = [urljoin(BASE.format(lang="en"), d["contentUrl"]) for d in data["distribution"]]
    missing = [u for u in urls if not (built_site / urlparse(u).path.lstrip("/")).is_file()]
    assert missing == ["https://example.org/en/data/missing.csv"]


def test_serialisation_cannot_close_the_script_element():
    hostile = {"name": "</script><script>alert(1)</script> <!-- & -->"}
    text = jsonld.script(hostile)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == hostile


def test_hostile_content_stays_inside_the_json(content, tmp_path, project_root):
    """A title in content that tries to end the element is still one JSON-LD object after extruct parses it."""
    from chenzhou_report.render import SiteRenderer

    renderer = SiteRenderer(content, "en", project_root / "templates")
    obj = jsonld.dataset(renderer, "../", renderer.downloads())
    obj["name"] = "x</script><script>alert(1)</script>"
    html = f'<html><body><script type="application/ld+json">{jsonld.script(obj)}</script></body></html>'
    [data] = datasets(html, "en")
    assert data["name"] == obj["name"]
