"""Pydantic's validation errors in an editor's words: what is wrong, where, and what to write instead.

`explain(exc, located, model)` turns one file's `ValidationError` into `Problem`s at the line and column of the
field; `closest(word, options)` is the suggestion ("did you mean …?") as data, which both languages' messages print.

>>> closest("unti", ["unit", "value"]), closest("zzz", ["unit"])
('unit', None)
>>> near("unti", ["unit"])
"; did you mean 'unit'?"
"""

from __future__ import annotations

import difflib
import re
from typing import Literal

from pydantic import BaseModel, ValidationError

from .errors import Problem
from .languages import SOURCE, WRITTEN, language
from .model import ID_PATTERN, MAX_VALUE_DIGITS, SLUG_PATTERN, Report, Strict, Text
from .yamlload import Located


def closest(word: str, options) -> str | None:
    """The option closest to a misspelt word, or None when none is close."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return close[0] if close else None


def near(word: str, options) -> str:
    """The suggestion as the English message prints it ('' when there is none)."""
    suggestion = closest(word, options)
    return f"; did you mean {suggestion!r}?" if suggestion else ""


def near_zh(word: str, options) -> str:
    """The suggestion as the Chinese hint prints it ('' when there is none)."""
    suggestion = closest(word, options)
    return f"，是否应为“{suggestion}”？" if suggestion else ""


def _data_loc(raw_loc: tuple, data, kind: str) -> tuple:
    """Pydantic's error location, reduced to the keys and indexes that exist in the editor's file.

    Pydantic adds the names of union branches and validators ('str', 'Text', 'function-after[...]'); a part is kept
    only when it leads into the data, except the last part of a 'missing' error (the absent field's name).
    """
    out: list = []
    current = data
    for i, part in enumerate(raw_loc):
        if isinstance(current, dict) and part in current:
            out.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            out.append(part)
            current = current[part]
        elif i == len(raw_loc) - 1 and kind == "missing" and isinstance(part, str):
            out.append(part)
    return tuple(out)


def _what(loc: tuple) -> str:
    """How an editor names the place: 'unit', or 'item 2 of paragraphs'."""
    if not loc:
        return "the file"
    if isinstance(loc[-1], int):
        parent = next((p for p in reversed(loc[:-1]) if isinstance(p, str)), "the list")
        return f"item {loc[-1] + 1} of {parent!r}"
    return repr(str(loc[-1]))


_LANG_NAME = {code: (language(code).name, language(code).name_zh) for code in WRITTEN}
#: the Chinese hint's request for a missing translation (the source's own wording is not translated)
_TRANSLATE = {code: "" if code == SOURCE else f"，请补上{language(code).name_zh}译文" for code in WRITTEN}


def explain(exc: ValidationError, located: Located, model: type[Strict]) -> list[Problem]:
    """Turn pydantic's errors into lines an editor can act on: what is wrong, and what to write instead."""
    out = []
    for err in exc.errors():
        kind = err["type"]
        loc = _data_loc(err["loc"], located.data, kind)
        field = str(loc[-1]) if loc else "(file)"
        what = _what(loc)
        ctx = err.get("ctx", {})
        value = err.get("input")
        text_field = _is_text(model, loc[:-1]) and field in _LANG_NAME
        name_given = model is Report and len(loc) >= 2 and loc[0] == "names"
        if name_given and isinstance(located.data["names"].get(loc[1]), dict) and kind == "string_type" \
                and len(loc) == 2:
            continue  # a mapping: the errors of the Name branch say what is wrong with it
        if name_given and kind == "missing" and field == "translation":
            out.append(located.problem(loc[:-1], f"name {loc[1]!r} is written differently per language, which "
                                       "needs a reason (one value for all languages, `" + loc[1] + ": \"2025\"`, "
                                       "or declare the translation: add `translation: why the languages differ`)",
                                       "名称应各语言一致；确需翻译时请加 translation 说明原因", key=True))
            continue
        if kind == "missing":
            if text_field:
                english, chinese = _LANG_NAME[field]
                parent = _what(loc[:-1])
                out.append(located.problem(loc[:-1], f"missing field {field!r}: the {english} text of {parent} "
                                           f"(add `{field}: …` beside the other language)",
                                           f"缺少{chinese}（{field}）" + _TRANSLATE[field],
                                           key=True))
            else:
                out.append(located.problem(loc[:-1], f"missing field {field!r} in {_what(loc[:-1])} "
                                           f"(add `{field}: …`){_field_help(model, loc)}", f"缺少字段“{field}”",
                                           key=True))
        elif kind == "extra_forbidden":
            allowed = _allowed_fields(model, loc[:-1])
            out.append(located.problem(loc, f"unknown field {field!r} (expected one of: {', '.join(allowed)})"
                                       f"{near(field, allowed)}", f"未知字段“{field}”{near_zh(field, allowed)}",
                                       key=True))
        elif kind.startswith("date_"):
            out.append(located.problem(loc, f"{what} should be a date written year-month-day, like 2026-12-01, "
                                       f"got {value!r}", "日期应写成 年-月-日，如 2026-12-01"))
        elif kind == "literal_error":
            options = re.findall(r"'([^']+)'", ctx.get("expected", ""))
            out.append(located.problem(loc, f"{value!r} is not allowed for {what} (expected one of: "
                                       f"{', '.join(options)}){near(str(value), options)}",
                                       f"“{field}”只能是：{'、'.join(options)}"))
        elif field in ("value", "previous") and isinstance(value, str) and (
                kind == "string_too_long" or (kind == "value_error" and "too many digits" in err["msg"])):
            digits = sum(c.isdigit() for c in value)
            out.append(located.problem(loc, f"value has {digits} digits, more than the {MAX_VALUE_DIGITS} a figure "
                                       "may have (write the digits the article prints and put 万/亿 in `scale:`: "
                                       "\"107.42\" with `scale: yi`, not 10742000000)",
                                       f"数值最多 {MAX_VALUE_DIGITS} 位数字；万/亿请写在 scale"))
        elif field in ("value", "previous") and kind == "string_pattern_mismatch" and isinstance(value, str) and any(
                c.isdigit() and not c.isascii() for c in value):
            odd = next(c for c in value if c.isdigit() and not c.isascii())
            out.append(located.problem(loc, f"value {value!r} contains {odd!r} (U+{ord(odd):04X}), a digit that is "
                                       "not ASCII (write ASCII digits 0-9, e.g. \"954\"; full-width and other "
                                       "scripts' digits are not read by machines that download the data)",
                                       "数值请用半角数字 0-9，不要用全角或其他文字的数字"))
        elif field in ("value", "previous") and kind in ("string_pattern_mismatch", "string_type"):
            if kind == "string_type":
                problem = f"value should be a number as printed, got {_kind(value)}"
            else:
                problem = f"value {value!r} is not a number as printed"
            out.append(located.problem(loc, f"{problem} (expected ASCII digits 0-9 as the article prints them, "
                                       "with an optional decimal point and no separators or units, in quotes: "
                                       "\"107.42\"; the unit goes in `unit:` and 万/亿 in `scale:`)",
                                       "数值应只含数字和小数点，如 \"107.42\"；单位写在 unit，万/亿写在 scale"))
        elif field == "date" and kind == "string_pattern_mismatch":
            out.append(located.problem(loc, f"{value!r} is not a valid date of a source (expected the year, "
                                       "year-month or full date as the source is dated: \"2021\", \"2021-10\" or "
                                       "\"2021-10-08\", in quotes)",
                                       "出处日期格式应为 \"2021\"、\"2021-10\" 或 \"2021-10-08\"（加引号）"))
        elif kind == "string_pattern_mismatch" and field in ("phrase", "form") and isinstance(value, str):
            bad = next((c for c in value if c.isascii() and not c.isalpha()), value[:1])
            out.append(located.problem(loc, f"{field} {value!r} contains {bad!r}: an override is words only, without "
                                       "markup, ASCII punctuation, spaces or digits (write the Chinese words alone, "
                                       "e.g. `phrase: 发布` and `form: 發布`; a figure is converted by itself)",
                                       "替换词只能是文字，不能含标记符号、半角标点、空格或数字"))
        elif kind == "string_pattern_mismatch" and field == "slug":
            out.append(located.problem(loc, f"{value!r} is not a valid slug (expected lowercase letters a-z and "
                                       f"digits, words joined by single '-'{_near_id(str(value), '-')})",
                                       "只能用小写字母和数字，单词之间用一个“-”连接"))
        elif kind == "string_pattern_mismatch":
            out.append(located.problem(loc, f"{value!r} is not a valid {field} (expected lowercase letters a-z, "
                                       f"digits and '_', starting with a letter{_near_id(str(value), '_')})",
                                       "只能用小写字母、数字和“_”，并以字母开头"))
        elif kind == "string_too_short":
            if field in _LANG_NAME:
                english, chinese = _LANG_NAME[field]
                out.append(located.problem(loc, f"{field!r} is empty (write the {english} text"
                                           f"{'' if field == SOURCE else ', the translation of the Chinese'})",
                                           f"{chinese}内容不能为空" + _TRANSLATE[field]))
            else:
                out.append(located.problem(loc, f"{what} is empty (write the text)", "内容不能为空"))
        elif kind == "string_too_long":
            limit = ctx.get("max_length")
            if loc and loc[0] == "paragraphs":
                advice, hint = "shorten it or split it into paragraphs", "文字过长，请删减或拆分段落"
            else:
                advice, hint = f"shorten it to at most {limit:,} characters", f"文字过长，最多 {limit:,} 个字符"
            out.append(located.problem(loc, f"{what} has {len(str(value)):,} characters, more than the "
                                       f"{limit:,} allowed ({advice})", hint))
        elif kind in ("model_type", "dict_type", "model_attributes_type"):
            hint = " (write it as `zh: …` and `en: …` on two indented lines)" if _is_text(model, loc) else ""
            out.append(located.problem(loc, f"{what} should be a mapping of fields, got {_kind(value)}{hint}",
                                       "此处应为字段映射" + ("（zh: 中文，en: 英文）" if hint else "")))
        elif kind in ("list_type", "tuple_type"):
            out.append(located.problem(loc, f"{what} should be a list (items start with '- '), "
                                       f"got {_kind(value)}", "此处应为列表（每项以“- ”开头）"))
        elif kind == "string_type":
            out.append(located.problem(loc, f"{what} should be text, got {_kind(value)}"
                                       + (" (put it in quotes)" if isinstance(value, (bool, int, float)) else ""),
                                       "此处应为文字"))
        elif kind in ("int_parsing", "int_type", "int_from_float"):
            out.append(located.problem(loc, f"{what} should be a whole number like 14, got {value!r}",
                                       "此处应为整数，如 14"))
        elif kind in ("bool_parsing", "bool_type"):
            out.append(located.problem(loc, f"{what} should be true or false, got {value!r}",
                                       "此处应为 true 或 false"))
        elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            limits = {"greater_than_equal": "at least", "less_than_equal": "at most",
                      "greater_than": "more than", "less_than": "less than"}
            limit = next(iter(ctx.values()), "")
            out.append(located.problem(loc, f"{what} is {value!r}, expected {limits[kind]} {limit}",
                                       "数值超出允许范围"))
        elif kind in ("too_short", "too_long"):
            count = "at least" if kind == "too_short" else "at most"
            size = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
            out.append(located.problem(loc, f"{what} has {ctx.get('actual_length')} item(s), expected {count} "
                                       f"{size}", "条目数量不符合要求"))
        else:
            out.append(located.problem(loc, f"{what}: {err['msg']}", "内容不符合要求"))
    return out


def _field_help(model: type[Strict], loc: tuple) -> str:
    """For a missing field whose values are a fixed list, say which values exist."""
    target = _annotation_at(model, loc[:-1])
    if not (isinstance(target, type) and issubclass(target, BaseModel)) or loc[-1] not in target.model_fields:
        return ""
    import typing

    ann = target.model_fields[loc[-1]].annotation
    options = typing.get_args(ann) if typing.get_origin(ann) is Literal else ()
    return f"; one of: {', '.join(options)}" if options else ""


def _near_id(word: str, sep: str) -> str:
    """For a misspelt id ('_') or slug ('-'): a valid form of the same words, offered only when it is valid.

    >>> _near_id("Wage Arrears", "-"), _near_id("wage_arrears", "-"), _near_id("Wage-Arrears", "_")
    ("; for example 'wage-arrears'", "; for example 'wage-arrears'", "; for example 'wage_arrears'")
    >>> _near_id("2025_total", "_"), _near_id("欠薪", "-")
    ('', '')
    """
    fixed = re.sub(r"[^a-z0-9]+", sep, word.strip().lower()).strip(sep)
    valid = SLUG_PATTERN if sep == "-" else ID_PATTERN
    return f"; for example {fixed!r}" if fixed != word and re.fullmatch(valid, fixed) else ""


def _kind(value) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", type(None): "nothing"}.get(
        type(value), type(value).__name__)


def _annotation_at(model: type[Strict], loc: tuple):
    """The model class reached by following `loc` through nested models and lists."""
    import typing

    current = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return None
        ann = current.model_fields[part].annotation
        for _ in range(4):  # unwrap Optional[...] / list[...] / Annotated[...]
            args = [a for a in typing.get_args(ann) if a is not type(None)]
            if isinstance(ann, type) and issubclass(ann, BaseModel):
                break
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            if models:
                ann = models[0]
                break
            ann = args[0] if args else ann
        current = ann
    return current


def _is_text(model: type[Strict], loc: tuple) -> bool:
    return _annotation_at(model, loc) is Text


def _allowed_fields(model: type[Strict], loc: tuple) -> list[str]:
    target = _annotation_at(model, loc)
    if isinstance(target, type) and issubclass(target, BaseModel):
        return list(target.model_fields)
    return []
