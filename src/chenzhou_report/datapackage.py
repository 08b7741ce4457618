"""The figures as a Frictionless Data Package (v2), one per edition: `data/datapackage.json` describing
`data/metrics.csv`, and a zip of the package with a bilingual README and the licence.

`package_descriptor(renderer, columns)` gives the descriptor as a dict (typed fields, primary key, descriptions in
the edition's language, licence, sources, contributors); `package_readme(content)` the README (both languages);
`package_zip(members)` a zip whose bytes depend only on its members (no clock, no file modes from the disk), so
that two builds of the same content are identical. The column names and types live here (`COLUMNS`); their
descriptions are interface words in content/ui.yaml (`column_<name>`).

`$schema` names the standard v2 profile. frictionless (v5) recognises a datapackage.org profile URL and validates
against the copy of the profile it ships, so `frictionless validate` needs no network (tests/test_datapackage.py
proves it with every socket refused). A legacy `profile:` key with a custom URL would be fetched: none is written.
"""

from __future__ import annotations

import io
import json
import zipfile

from .model import LANGS, Content
from .revisions import all_entries as revision_entries

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"

#: the licence of the data set (figures, labels, translation); the clauses quoted from the article in `source_zh`
#: are quoted for attribution and remain the newspaper's
LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
           "title": "Creative Commons Attribution 4.0 International"}

#: metrics.csv, column by column: name -> Table Schema field (type and constraints); descriptions come from ui.yaml
COLUMNS: dict[str, dict] = {
    "id": {"type": "string", "constraints": {"required": True, "unique": True, "pattern": "[a-z][a-z0-9_]*"}},
    "area": {"type": "integer", "constraints": {"required": True, "minimum": 1}},
    "area_title": {"type": "string", "constraints": {"required": True}},
    "label": {"type": "string", "constraints": {"required": True}},
    "value": {"type": "number", "constraints": {"required": True}},
    "printed": {"type": "string", "constraints": {"required": True}},
    "as_printed_in_source": {"type": "string", "constraints": {"required": True, "pattern": "[0-9]+(\\.[0-9]+)?"}},
    "unit": {"type": "string", "constraints": {"required": True,
                                               "enum": ["yuan", "count", "percent", "rank", "per_thousand"]}},
    "scale": {"type": "string", "constraints": {"enum": ["wan", "yi"]}},
    "basis": {"type": "string", "constraints": {"required": True, "enum": ["stated", "derived", "reported"]}},
    "numerator": {"type": "string"},
    "denominator": {"type": "string"},
    "rounding": {"type": "string", "constraints": {"enum": ["down", "half_up", "half_even", "up"]}},
    "source_zh": {"type": "string", "constraints": {"required": True}},
    "url": {"type": "string", "constraints": {"required": True}},
    # a converted edition (the Traditional) keeps the written originals beside its converted texts
    "label_as_printed": {"type": "string", "constraints": {"required": True}},
    "printed_as_printed": {"type": "string", "constraints": {"required": True}},
    "source_as_printed": {"type": "string", "constraints": {"required": True}},
    # the figure's latest correction or revision (revisions.py); empty for a figure never changed
    "revised": {"type": "date"},
    "revision_kind": {"type": "string", "constraints": {"enum": ["correction", "revision"]}},
    "previous_value": {"type": "number"},
    "revision_reason": {"type": "string"},
}


def package_name(content: Content, lang: str) -> str:
    """chenzhou-commendation-2025-zh: lowercase, digits and '-', as Data Package names must be."""
    return f"chenzhou-commendation-{content.report.year}-{lang}"


def package_descriptor(content: Content, lang: str, t, plain, columns: list[str]) -> dict:
    """The datapackage.json of one edition. `t` gives interface words, `plain` prints a text's references."""
    report = content.report
    fields = []
    for name in columns:
        field = {"name": name, "title": t(f"column_{name}_heading"), "description": t(f"column_{name}"),
                 **COLUMNS[name]}
        fields.append(field)
    return {
        "$schema": PROFILE,
        "name": package_name(content, lang),
        "title": plain(report.title[lang]),
        "description": t("package_description"),
        "version": "1.0.0",
        "languages": [lang],
        "keywords": [t("keyword_chenzhou"), t("keyword_commendation"), t("keyword_hunan")],
        "licenses": [LICENSE],
        "sources": [
            {"title": t("source_circular")},
            {"title": f"{report.publication[lang]}{t('source_article_sep')}{plain(report.title[lang])}"},
        ],
        "contributors": [
            {"title": report.issuer[lang], "roles": ["creator"]},
            {"title": report.publication[lang], "roles": ["publisher"]},
            {"title": report.byline[lang], "roles": ["author"]},
            {"title": t("site_name"), "roles": ["processor"]},
        ],
        "resources": [{
            "name": "metrics",
            "type": "table",
            "path": "metrics.csv",
            "scheme": "file",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "title": t("download_csv"),
            "description": t("resource_description"),
            "schema": {"fields": fields, "primaryKey": ["id"], "missingValues": [""]},
        }],
    }


def package_readme(content: Content, renderers: dict) -> str:
    """README.md of the zip, in both languages: what each column means, how derived figures are computed, how to
    cite. `renderers` maps each language to its SiteRenderer (for interface words and printed figures)."""
    lines: list[str] = []
    for lang in LANGS:
        r = renderers[lang]
        lines += [f"# {r.t('readme_title')}", "", r.t("package_description"), "",
                  f"## {r.t('readme_columns')}", ""]
        for name in r.columns:
            lines.append(f"- `{name}` — {r.t(f'column_{name}_heading')}{r.punct['colon']}{r.t(f'column_{name}')}")
        lines += ["", f"## {r.t('about_rounding_title')}", "", r.t("about_rounding"), ""]
        for m in r.derived_metrics:
            d = m.derived
            lines.append(f"- `{m.id}` = `{d.numerator}` ÷ `{d.denominator}` × 100{r.punct['comma']}"
                         f"{r.rounding_name(d.rounding)}{r.punct['colon']}{r.printed(m)}")
        lines += ["", f"## {r.t('about_revisions_title')}", "", r.t("about_revisions"), ""]
        lines += [f"- {e.iso_date} `{e.metric.id}`{r.punct['colon']}{e.note}{r.punct['colon']}"
                  f"{r.prose.plain(e.revision.reason[lang])}" for e in revision_entries(content, lang, r.t, r.punct)]
        lines += ["", f"## {r.t('readme_cite')}", "", r.dataset_citation(), "",
                  f"## {r.t('readme_licence')}", "", r.t("licence_note"), "", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def licence_text(renderers: dict) -> str:
    """LICENSE.txt of the zip: the licence's name and address, and what it asks of a reuser, in both languages."""
    parts = [f"{LICENSE['title']} ({LICENSE['name']})", LICENSE["path"], ""]
    for lang in LANGS:
        parts += [renderers[lang].t("licence_note"), ""]
    return "\n".join(parts).rstrip("\n") + "\n"


#: a zip's members all carry this time stamp (the earliest a zip can hold): the bytes depend on the content only
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def package_zip(members: dict[str, str | bytes]) -> bytes:
    """A zip of `members` (name -> text or bytes), in the given order, deflated, with fixed times and modes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)
    return buffer.getvalue()


def descriptor_text(descriptor: dict) -> str:
    return json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"


__all__ = ["COLUMNS", "LICENSE", "PROFILE", "package_descriptor", "package_name", "package_readme",
           "package_zip", "licence_text", "descriptor_text"]
