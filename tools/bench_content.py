"""Synthetic content for the benchmarks: the real report repeated for more cities and years.

`generate_project(real_root, out_root, scale)` writes a complete project folder (content/, templates/,
mkdocs.yml, mkdocs.en.yml) whose content holds `scale` copies of the real report's areas: copy 0 is the real
report exactly as it is (Chenzhou, 2025); every further copy is the same work area reported by another of Hunan's
fourteen prefectures in another year. A copy keeps the real Chinese and English prose and glossary terms, and
changes what a real report for another place and year would change:

- the place name in the prose and the year (declared as a name, `{y2019}`, so prose still has no digit);
- every metric id (a suffix per copy, and every `{ref}` in the copy's prose renamed with it);
- the figures: amounts and counts scaled by a per-copy factor with the printed decimals kept, a part never larger
  than its whole, derived percentages recomputed from their new inputs with their own rounding, and each
  metric's `source` clause rewritten with the new printed values. Ranks, reported percentages and figures written
  in words stay as they are.

`write_baseline(project_root, out_root)` writes the pages that project renders as plain Markdown files (the same
text, figures printed) with MkDocs configs that are the project's own minus the chenzhou-report plugin, for
building with plain MkDocs + Material as the benchmark's baseline.

Nothing here is used by the site itself.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml

from chenzhou_report import escape
from chenzhou_report.languages import LANGS, LANGUAGES, SOURCE, WRITTEN, language
from chenzhou_report.loading import load_content
from chenzhou_report.model import REF, SCALE_FACTOR, Metric
from chenzhou_report.numbers import ROUNDING, format_metric

#: Hunan's fourteen prefecture-level divisions: Chinese name, English name, id code.
PLACES = [
    ("郴州", "Chenzhou", "cz"), ("长沙", "Changsha", "cs"), ("株洲", "Zhuzhou", "zz"), ("湘潭", "Xiangtan", "xt"),
    ("衡阳", "Hengyang", "hy"), ("邵阳", "Shaoyang", "sy"), ("岳阳", "Yueyang", "yy"), ("常德", "Changde", "cd"),
    ("张家界", "Zhangjiajie", "zjj"), ("益阳", "Yiyang", "yiy"), ("永州", "Yongzhou", "yz"),
    ("怀化", "Huaihua", "hh"), ("娄底", "Loudi", "ld"), ("湘西州", "Xiangxi Prefecture", "xx"),
]
REAL_PLACE = PLACES[0]
REAL_YEAR = 2025
PROJECT_FILES = tuple(lang.config_file for lang in LANGUAGES)  # the MkDocs configuration of every edition


def copies(count: int) -> list[tuple[tuple[str, str, str], int]]:
    """(place, year) of each copy: the real one first, then every prefecture for 2025, then for 2024, …"""
    out = [(REAL_PLACE, REAL_YEAR)]
    year = REAL_YEAR
    while len(out) < count:
        for place in PLACES:
            if (place, year) != (REAL_PLACE, REAL_YEAR) and len(out) < count:
                out.append((place, year))
        year -= 1
    return out


def _factor(place_code: str, year: int, area_slug: str) -> Decimal:
    """A stable pseudo-random factor between 0.60 and 1.40 for one copy of one area."""
    digest = hashlib.sha256(f"{place_code}/{year}/{area_slug}".encode()).digest()
    return Decimal(60 + int.from_bytes(digest[:4], "big") % 81) / 100


def _scaled(value: str, factor: Decimal) -> str:
    """`value` times `factor`, printed with as many decimals as `value` has, never below the smallest unit."""
    decimals = len(value.split(".")[1]) if "." in value else 0
    quantum = Decimal(1).scaleb(-decimals)
    new = (Decimal(value) * factor).quantize(quantum, rounding=ROUND_HALF_UP)
    return str(max(new, quantum))


def year_name(year: int) -> str:
    return f"y{year}"


def _ids(obj) -> set[str]:
    """Every `id:` value inside an area (metrics, charts, anything later added with ids)."""
    if isinstance(obj, dict):
        found = {obj["id"]} if isinstance(obj.get("id"), str) else set()
        return found.union(*(_ids(v) for v in obj.values()))
    if isinstance(obj, list):
        return set().union(*(_ids(v) for v in obj))
    return set()


def _is_text(obj) -> bool:
    return isinstance(obj, dict) and obj and set(obj) <= set(WRITTEN) and all(isinstance(v, str) for v in obj.values())


def kept_forms(glossary: dict) -> dict[str, list[str]]:
    """Glossary forms a copy must not rename, per language: a form naming the real place whose term's forms in
    the other language do not (Foshan-Chenzhou paired cooperation is 佛郴对口合作: renaming the English alone would
    render the term another way). Forms that name the place in both languages (郴州高新区, Chenzhou High-Tech …)
    are renamed in both, consistently."""
    out: dict[str, list[str]] = {"zh": [], "en": []}
    for term in glossary.get("terms") or []:
        match = term.get("match") or {}
        names = {"zh": REAL_PLACE[0], "en": REAL_PLACE[1]}
        for lang, other in (("zh", "en"), ("en", "zh")):
            if not any(names[other] in form for form in match.get(other) or []):
                out[lang] += [form.strip("“”\"") for form in match.get(lang) or [] if names[lang] in form]
    return out


def copy_area(area: dict, place: tuple[str, str, str], year: int, number: int,
              kept: dict[str, list[str]] | None = None) -> dict:
    """One real area (as loaded from its YAML) reported by another place in another year; `kept`: forms of
    glossary terms not to rename (`kept_forms`)."""
    zh_place, en_place, code = place
    suffix = f"_{code}{year}"
    renames = {i: i + suffix for i in _ids(area)}
    refs = {**renames, year_name(REAL_YEAR): year_name(year)}

    # new figures: scale what is counted or measured, keep parts within their wholes, recompute percentages
    metrics = area.get("metrics") or []
    factor = _factor(code, year, area["slug"])
    old = {m["id"]: Metric.model_validate(m) for m in metrics}
    values: dict[str, str] = {}
    for m in metrics:
        keep = m.get("written") or m["unit"] in ("rank", "percent")
        values[m["id"]] = str(m["value"]) if keep else _scaled(str(m["value"]), factor)
    for m in metrics:
        whole = m.get("part_of")
        if whole in values and Decimal(values[m["id"]]) > Decimal(values[whole]):
            values[m["id"]] = values[whole]
    for m in metrics:
        derived = m.get("derived")
        if derived and derived["numerator"] in old and derived["denominator"] in old:
            num = Decimal(values[derived["numerator"]]) * SCALE_FACTOR[old[derived["numerator"]].scale]
            den = Decimal(values[derived["denominator"]]) * SCALE_FACTOR[old[derived["denominator"]].scale]
            quantum = Decimal(1).scaleb(-old[m["id"]].decimals)
            values[m["id"]] = str((num / den * 100).quantize(quantum, rounding=ROUNDING[derived["rounding"]]))
    printed = {}
    for mid, metric in old.items():
        before = format_metric(metric, "zh")
        after = format_metric(metric.model_copy(update={"value": values[mid]}), "zh")
        if before != after:
            printed[before] = after
    printed_re = re.compile("|".join(re.escape(k) for k in sorted(printed, key=len, reverse=True))) if printed else None

    shielded = {lang: sorted(forms, key=len, reverse=True) for lang, forms in (kept or {}).items() if forms}

    def text(lang: str, value: str) -> str:
        value = REF.sub(lambda m: "{" + refs.get(m.group(1), m.group(1)) + "}", value)
        parts = re.split("(" + "|".join(map(re.escape, shielded[lang])) + ")", value) if lang in shielded else [value]
        real, new = (REAL_PLACE[0], zh_place) if lang == SOURCE else (REAL_PLACE[1], en_place)
        return "".join(part if i % 2 else part.replace(real, new) for i, part in enumerate(parts))

    def source(value: str) -> str:
        if printed_re is not None:
            value = printed_re.sub(lambda x: printed[x.group(0)], value)
        return value.replace(REAL_PLACE[0], zh_place)

    def walk(obj, key=None):
        if _is_text(obj):
            return {lang: text(lang, v) for lang, v in obj.items()}
        if isinstance(obj, dict):
            out = {k: walk(v, k) for k, v in obj.items()}
            if "unit" in obj and "value" in obj and obj.get("id") in values:  # a metric
                out["value"] = values[obj["id"]]
                out["source"] = source(obj["source"])
            return out
        if isinstance(obj, list):
            return [walk(v, key) for v in obj]
        if isinstance(obj, str) and obj in renames:  # an id, or a reference to one (headline, part_of, bars…)
            return renames[obj]
        return obj

    out = walk(area)
    out["number"] = number
    out["slug"] = f"{area['slug']}-{code}-{year}"
    out["title"] = {"zh": f"{out['title']['zh']}（{zh_place}·{{{year_name(year)}}}年）",
                    "en": f"{out['title']['en']} ({en_place}, {{{year_name(year)}}})"}
    return out


def _dump(data: dict, schema: str) -> str:
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)
    return f"# yaml-language-server: $schema={schema}\n{body}"


def _read(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def generate_content(real_content: Path, out_content: Path, scale: int) -> int:
    """Write content/ with `scale` copies of every real area; returns the number of areas per language."""
    out_content.mkdir(parents=True, exist_ok=True)
    (out_content / "areas").mkdir(exist_ok=True)
    real_areas = sorted((real_content / "areas").glob("*.yaml"))
    areas = [_read(p) for p in real_areas]
    areas.sort(key=lambda a: int(a["number"]))
    plan = copies(scale)
    years = sorted({year for _, year in plan})

    report = _read(real_content / "report.yaml")
    names = dict(report.get("names") or {})
    for year in years:
        names.setdefault(year_name(year), str(year))
    report["names"] = names
    (out_content / "report.yaml").write_text(_dump(report, "schema/report.schema.json"), encoding="utf-8")
    for name in ("glossary.yaml", "ui.yaml"):
        shutil.copy2(real_content / name, out_content / name)

    kept = kept_forms(_read(real_content / "glossary.yaml"))
    number = 0
    for copy_index, (place, year) in enumerate(plan):
        for area, path in zip(areas, real_areas):
            number += 1
            if copy_index == 0:
                shutil.copy2(path, out_content / "areas" / path.name)  # the real report, byte for byte
                continue
            data = copy_area(area, place, year, number, kept)
            name = f"{number:02d}-{data['slug']}.yaml"
            (out_content / "areas" / name).write_text(_dump(data, "../schema/area.schema.json"), encoding="utf-8")
    return number


def generate_project(real_root: Path, out_root: Path, scale: int) -> int:
    """A whole project folder at `scale`: real templates and MkDocs configs, synthetic content/."""
    out_root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(real_root / "templates", out_root / "templates", dirs_exist_ok=True)
    for name in PROJECT_FILES:
        shutil.copy2(real_root / name, out_root / name)
    return generate_content(real_root / "content", out_root / "content", scale)


# --- the baseline: the same pages as plain Markdown files, built by plain MkDocs + Material -----------------

def baseline_config(project_root: Path, lang: str, docs_dir: Path, site_dir: Path, renderer) -> dict:
    """The project's MkDocs config for `lang` without the chenzhou-report plugin, with what the plugin would set."""
    from mkdocs.utils.yaml import yaml_load  # resolves INHERIT and !ENV like `mkdocs build` does

    edition = language(lang)
    with open(project_root / edition.config_file, encoding="utf-8") as f:
        config = yaml_load(f)
    plugins = config.get("plugins") or {}
    if isinstance(plugins, dict):
        plugins = {k: v for k, v in plugins.items() if k != "chenzhou-report"}
    else:
        plugins = [p for p in plugins if not (p == "chenzhou-report" or isinstance(p, dict) and "chenzhou-report" in p)]
    # what our plugin sets from the edition's row of the language table, written out as a plain MkDocs user would
    if isinstance(plugins, dict) and "search" in plugins:
        plugins["search"] = {**(plugins["search"] or {}), **edition.search, "lang": [edition.search["lang"]]}
        if edition.text_from is not None:  # the converted edition's words for jieba (as the plugin sets them)
            from chenzhou_report.convert import search_dictionary

            plugins["search"]["jieba_dict_user"] = str(search_dictionary(renderer.content, edition.code))
    config["plugins"] = plugins
    config["docs_dir"] = str(docs_dir)
    config["site_dir"] = str(site_dir)
    theme = dict(config.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((project_root / theme["custom_dir"]).resolve())
    theme["language"] = edition.tag
    config["theme"] = theme
    # the escaped text the plugin hands the theme (escape.theme), as plain strings YAML can hold
    config["site_name"] = str(escape.theme(renderer.t("site_name")))
    config["site_description"] = str(escape.theme(renderer.t("site_description")))
    config["nav"] = _plain(renderer.nav())
    extra = dict(config.get("extra") or {})
    extra["lang"] = _plain(renderer.theme_language())
    config["extra"] = extra
    config.pop("INHERIT", None)
    return config


def _plain(value):
    """Markup (escaped text) as plain str, through lists and dicts: YAML cannot represent Markup."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return str(value) if isinstance(value, str) else value


def write_baseline(project_root: Path, out_root: Path, content=None) -> dict[str, Path]:
    """Write docs_<lang>/ (pages and static files) and mkdocs.<lang>.yml; returns the config file per language."""
    from chenzhou_report.mkdocs_plugin import theme
    from chenzhou_report.render import SiteRenderer

    project_root = project_root.resolve()
    out_root = out_root.resolve()
    content = content or load_content(project_root / "content", project_root)
    static = project_root / "templates" / "static"
    configs = {}
    for lang in LANGS:
        renderer = SiteRenderer(content, lang, project_root / "templates")
        docs = out_root / f"docs_{lang}"
        if docs.exists():
            shutil.rmtree(docs)
        shutil.copytree(static, docs)
        pages = {uri: theme.front_matter(text, theme.page_meta(renderer, uri)) for uri, text in renderer.pages().items()}
        for uri, text in {**pages, **renderer.files(), **theme.extra_files(renderer)}.items():
            path = docs / uri
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        config = baseline_config(project_root, lang, docs, out_root / "site" / lang, renderer)
        config_file = out_root / f"mkdocs.{lang}.yml"
        config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
        configs[lang] = config_file
    return configs


__all__ = ["PLACES", "copies", "copy_area", "generate_content", "generate_project", "write_baseline",
           "baseline_config"]
