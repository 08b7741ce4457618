"""JSON Schemas for the content files, generated from the pydantic models (never written by hand).

`chenzhou-report schema` (or `make schema`) writes content/schema/{area,report,glossary,ui,hant-overrides}.schema.json. Every
content file names its schema on its first line (`# yaml-language-server: $schema=…`), so VS Code with the Red Hat
YAML extension, and other editors using yaml-language-server, complete field names and underline mistakes while
an editor types. A test keeps the committed files equal to what this module generates.

The models are the single source of truth; this module only adapts pydantic's output to what editors' tools read:

- JSON Schema draft-07 (`definitions`, tuple `items`), the newest draft yaml-language-server fully supports;
  pydantic writes draft 2020-12 (`$defs`, `prefixItems`);
- `value` of a metric, and a name under `names:`, also accept a plain YAML number: yamlload keeps `value: 3884`
  as the text "3884", so the model accepts it, and the schema must not underline it;
- a mapping with patterned keys (`names:`, `strings:`) refuses keys that do not match, as the model does;
- a short description (English ｜ 中文) on each field, shown when hovering over or completing a field name.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from .model import UI, Area, Glossary, Overrides, Report

DRAFT = "http://json-schema.org/draft-07/schema#"

#: schema name -> (model, the files it describes)
SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "area": (Area, "content/areas/NN-slug.yaml: one commended work area"),
    "report": (Report, "content/report.yaml: the article's headline, byline, lead paragraph and names"),
    "glossary": (Glossary, "content/glossary.yaml: policy terms, their English renderings and where each official one "
                           "was found"),
    "ui": (UI, "content/ui.yaml: words of the site's own interface"),
    "hant-overrides": (Overrides, "content/hant-overrides.yaml: the reviewed overrides of the Traditional "
                       "edition's conversion"),
}

#: hover text per model field: "English ｜ 中文". A test checks that every entry names a real field.
FIELD_DOCS: dict[str, dict[str, str]] = {
    "Text": {
        "zh": "The Chinese text, word for word as the article prints it ｜ 中文原文，与报道逐字一致",
        "en": "The complete English translation ｜ 完整的英文译文",
    },
    "Area": {
        "number": "The area's official number, 1–16; the file name starts with it (14-wage-arrears.yaml) ｜ "
                  "领域的官方序号，文件名以此开头",
        "slug": "The English part of the file name: lowercase words joined by '-' ｜ 文件名中的英文部分",
        "title": "The area's title ｜ 领域标题",
        "headline": "The id of the metric shown on the home-page card ｜ 首页卡片上显示的指标编号",
        "no_metrics_reason": "Why an area has no figure at all (instead of metrics) ｜ 本领域没有数字时说明原因",
        "paragraphs": "The narrative, one item per paragraph; figures are written {metric_id}, never as digits ｜ "
                      "正文段落；数字一律写成 {指标编号}",
        "metrics": "Every quantity of the area ｜ 本领域的全部数字",
    },
    "Metric": {
        "id": "A stable id: lowercase letters, digits and _; unique across the report ｜ 指标编号，全报告唯一",
        "label": "What the figure counts ｜ 指标名称",
        "value": "Exactly the digits the article prints, best in quotes: \"107.42\" (no separators, no unit) ｜ "
                 "与报道一致的数字，如 \"107.42\"，不含单位和千分位",
        "unit": "yuan (元) | count (条, 户, 家…) | percent | rank (第3位) | per_thousand ｜ 单位",
        "scale": "wan (万) or yi (亿); leave out for plain numbers ｜ 万或亿；普通数字不写",
        "counter": "The measure word: {zh: 条, en: [lead, leads]} ｜ 量词及英文名词（单数、复数）",
        "written": "For a quantity the article writes in characters (六项): the exact words ｜ 报道用汉字写的数量",
        "part_of": "The id of the figure this one is a part of (resolved ≤ received) ｜ 所属的总数指标",
        "derived": "A percentage computed from two metrics, with the rounding the article used ｜ 由两个指标计算出的百分比",
        "reported": "true for a percentage the article reports without its inputs ｜ 报道直接给出的百分比",
        "may_exceed_100": "true when the percentage can be above 100 ｜ 百分比可以超过 100",
        "source": "The clause of the article the figure comes from, as printed ｜ 数字所在的原文句子",
        "revisions": "Every change since publication, oldest first: date, kind, previous, reason ｜ "
                     "发布后的每次更正或修订（按时间先后）",
    },
    "Revision": {
        "date": "When the figure was changed, year-month-day: 2026-12-01 ｜ 修改日期，如 2026-12-01",
        "kind": "correction (an error fixed) or revision (new information) ｜ correction 更正错误，revision 依据新信息修订",
        "previous": "The figure as published before, written like value, in the scale used now: \"6600\" ｜ 修改前发布的数值，写法同 value（按现在的 scale）",
        "reason": "Why it changed, in both languages ｜ 修改原因（中英文）",
    },
    "Counter": {
        "zh": "The Chinese measure word: 条, 个, 家, 名, 户… ｜ 中文量词",
        "en": "The English noun, singular and plural: [lead, leads] ｜ 英文名词的单数和复数",
    },
    "Derived": {
        "numerator": "Metric id of the part ｜ 分子指标编号",
        "denominator": "Metric id of the whole ｜ 分母指标编号",
        "rounding": "How the article rounded: down (truncated), half_up, half_even or up ｜ 报道的取舍方式",
    },
    "Report": {
        "title": "The article's headline ｜ 报道标题",
        "subtitle": "The subtitle ｜ 副标题",
        "issuer": "The body that issued the commendation ｜ 发文机关",
        "publication": "The newspaper ｜ 报纸",
        "byline": "Reporter and correspondents ｜ 记者署名",
        "year": "The year the report covers ｜ 年份",
        "lead": "The lead paragraph ｜ 导语",
        "photo_caption": "The caption of the article's photo ｜ 图片说明",
        "names": "Names that contain digits (years, G4…), written {id} in texts: one value for every language, or "
                 "{zh: …, en: …, translation: why} ｜ 含数字的名称，正文中写成 {编号}；各语言同一写法，"
                 "确需翻译时写 zh、en 并用 translation 说明原因",
    },
    "Name": {
        "zh": "The name as the Chinese text writes it ｜ 中文写法",
        "en": "The name as the English text writes it (the same numbers as the Chinese) ｜ 英文写法（数字须与中文一致）",
        "translation": "Why this name is written differently per language (it is translated) ｜ 为何各语言写法不同",
    },
    "Term": {
        "id": "A stable id: lowercase letters, digits and _ ｜ 术语编号",
        "term": "The term and its English rendering ｜ 术语及其英文译法",
        "definition": "A short definition ｜ 简短释义",
        "match": "The exact words that mark the term in the texts ｜ 正文中标记该术语的原词",
        "official": "Only if the English is an official rendering: the source it was found in (and its date); "
                    "leave out for the project's own rendering ｜ 仅当英文为官方译法时填写：出处（及日期）；本站自译则不填",
    },
    "Match": {
        "zh": "Chinese words that mark the term; a text whose Chinese has one must use an `en` form in its English "
              "(term-parity) ｜ 中文原词；中文含此词的文字，其英文须使用 en 中的译法",
        "en": "English words that mark the term: the renderings allowed for it ｜ 英文原词，即允许的译法",
    },
    "Official": {
        "source": "Where the official English was found, in both languages: \"Hunan Provincial People's Government "
                  "English website\" ｜ 官方译法的出处（中英文）",
        "date": "The date of the source as cited, in quotes: \"2021\", \"2021-10\" or \"2021-10-08\" ｜ "
                "出处日期，加引号",
    },
    "Glossary": {"terms": "The policy terms ｜ 政策术语"},
    "UI": {"strings": "Interface words by id, each in both languages ｜ 界面文字，每条都需中英文"},
    "Overrides": {"overrides": "Phrases the automatic conversion gets wrong, each with its form and reason ｜ "
                               "自动转换有误的词语及其正确写法和理由"},
    "Override": {
        "phrase": "The phrase as the Chinese (Simplified) text writes it ｜ 简体原文中的词语",
        "form": "How the Traditional (Hong Kong) edition writes it, in full ｜ 繁体（香港）版的写法",
        "reason": "Why: the source of the form (a Hong Kong government usage, the name's own spelling) ｜ 理由及依据",
    },
}


def generate(name: str) -> dict:
    """The JSON Schema (draft-07) for one kind of content file."""
    model_class, describes = SCHEMAS[name]
    schema = model_class.model_json_schema(ref_template="#/definitions/{model}")
    schema = {"$schema": DRAFT, **schema}
    schema["description"] = f"Chenzhou report — {describes}. Generated from the model by `chenzhou-report schema`."
    definitions = schema.pop("$defs", {})
    if definitions:
        schema["definitions"] = definitions
    models = {model_class.__name__: schema, **definitions}
    for def_name, definition in models.items():
        for field, text in FIELD_DOCS.get(def_name, {}).items():
            if field in definition.get("properties", {}):
                definition["properties"][field]["description"] = text
    if "Metric" in models:
        _also_number(models["Metric"]["properties"]["value"])
    if "Revision" in models:
        _also_number(models["Revision"]["properties"]["previous"])
    if "names" in schema.get("properties", {}):
        for branch in schema["properties"]["names"]["patternProperties"].values():
            for option in branch.get("anyOf", []):
                if option.get("type") == "string":
                    option["type"] = ["string", "number"]
    _to_draft7(schema)
    return schema


def _also_number(prop: dict) -> None:
    """A figure typed without quotes is a YAML number; yamlload keeps it as the text typed, which is fine."""
    text_form = {k: prop.pop(k) for k in ("type", "pattern", "maxLength") if k in prop}
    prop["anyOf"] = [text_form, {"type": "number", "minimum": 0}]


def _to_draft7(node) -> None:
    if isinstance(node, dict):
        if "prefixItems" in node:  # a fixed-length tuple, e.g. [lead, leads]
            node["items"] = node.pop("prefixItems")
            node["additionalItems"] = False
        if "patternProperties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _to_draft7(value)
    elif isinstance(node, list):
        for value in node:
            _to_draft7(value)


def schema_text(name: str) -> str:
    return json.dumps(generate(name), ensure_ascii=False, indent=2) + "\n"


def write_schemas(out_dir: Path | str) -> list[Path]:
    """Write every schema into `out_dir` (content/schema by default); return the paths written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = out_dir / f"{name}.schema.json"
        text = schema_text(name)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


__all__ = ["SCHEMAS", "FIELD_DOCS", "generate", "schema_text", "write_schemas"]
