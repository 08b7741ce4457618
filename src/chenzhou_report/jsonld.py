"""schema.org `Dataset` markup (JSON-LD) for the data section of each edition's about page, as Google Dataset Search
reads it: name, description, language, licence, creator and publisher, the article it is based on, and the
downloads (`DataDownload`) with their addresses.

`dataset(renderer, to_data)` gives the object; `script(obj)` serialises it for a `<script type="application/ld+json">`
element: `<`, `>` and `&` are written as `\\u003c`, `\\u003e`, `\\u0026`, so no text in it can close the element or
open a comment, whatever the content says. A JSON-LD script is data, not a script a browser runs.
"""

from __future__ import annotations

import json

from .datapackage import LICENSE
from .languages import LANGUAGES, SOURCE

#: edition code -> the BCP 47 tag of its `inLanguage` (from its CLDR locale: zh-CN, en, zh-Hant-HK)
LANGUAGE_TAGS = {lang.code: lang.locale.replace("_", "-") for lang in LANGUAGES}


def dataset(renderer, to_root: str, downloads: list[tuple[str, str, str]]) -> dict:
    """The edition's Dataset. `to_root` leads from the page to the edition's root (e.g. '../'), `downloads` are
    (path below the root, media type, name) of each file offered."""
    content, lang, t, plain = renderer.content, renderer.lang, renderer.t, renderer.prose.plain
    report = content.report

    def url(path: str) -> str:
        return renderer.site_url + path if renderer.site_url else to_root + path

    issuer = {"@type": "GovernmentOrganization", "name": report.issuer[lang]}
    newspaper = {"@type": "NewsMediaOrganization", "name": report.publication[lang]}
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": plain(report.title[lang]),
        "description": t("package_description"),
        "inLanguage": LANGUAGE_TAGS[lang],
        "url": url("about/#data"),
        "license": LICENSE["path"],
        "isAccessibleForFree": True,
        "keywords": [t("keyword_chenzhou"), t("keyword_commendation"), t("keyword_hunan")],
        "temporalCoverage": str(report.year),
        "spatialCoverage": {"@type": "Place", "name": t("keyword_chenzhou")},
        "creator": [issuer],
        "publisher": {"@type": "Organization", "name": t("site_name"), "url": url("")},
        "sourceOrganization": newspaper,
        "isBasedOn": {
            "@type": "NewsArticle",
            "headline": f"{plain(report.title[lang])} {plain(report.subtitle[lang])}",
            "inLanguage": LANGUAGE_TAGS[SOURCE],
            "author": {"@type": "Person", "name": report.byline[lang]},
            "publisher": newspaper,
            "about": {"@type": "CreativeWork", "name": t("source_circular"), "creator": issuer},
        },
        "variableMeasured": [renderer.t(f"column_{name}_heading") for name in ("value", "unit", "basis")],
        "citation": renderer.dataset_citation(),
        "distribution": [{"@type": "DataDownload", "name": name, "encodingFormat": media, "contentUrl": url(path)}
                         for path, media, name in downloads],
    }


def script(obj: dict) -> str:
    """JSON for inside <script type="application/ld+json">: nothing in it can end the element."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


__all__ = ["dataset", "script", "LANGUAGE_TAGS"]
