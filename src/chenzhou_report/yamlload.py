"""Safe YAML loading that remembers where every value came from.

Content files are data, never code: only the plain YAML types are accepted (no `!!python/...` or other tags),
aliases and merge keys are refused (no alias bombs), duplicate keys are an error, and every key and value keeps
its line and column so that the model can point an editor at the exact place of a mistake.

Numbers are kept as the text the editor typed (`107.40` stays "107.40"), so no digit is lost to a float.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import Problem

try:  # the C parser is several times faster; the node tree it builds is the same
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 50

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_PLAIN_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP}

Loc = tuple  # a path into the data: ("metrics", 2, "value")


@dataclass
class Located:
    """Data loaded from one file, with the position of every value and every key."""

    path: str
    data: object
    text: str
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def position(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of `loc`, or of its nearest ancestor that exists."""
        loc = tuple(loc)
        table = self.keys if key else self.values
        while loc:
            if loc in table:
                return table[loc]
            if key and loc in self.values:
                return self.values[loc]
            loc = loc[:-1]
        return self.values.get((), (1, 1))

    def problem(self, loc: Loc, message: str, hint_zh: str = "", *, key: bool = False) -> Problem:
        line, column = self.position(loc, key=key)
        return Problem(self.path, line, column, message, hint_zh)

    def find(self, loc: Loc, needle: str) -> tuple[int, int]:
        """Position of `needle` inside the raw text of the value at `loc` (for a reference inside prose)."""
        line, column = self.position(loc)
        lines = self.text.splitlines()
        start = sum(len(x) + 1 for x in lines[: line - 1]) + column - 1
        index = self.text.find(needle, start)
        if index < 0:
            return line, column
        before = self.text[:index]
        return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


class YamlProblem(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def load_file(path: Path, display: str) -> Located:
    """Read and parse one content file. Raises YamlProblem with a precise position on any defect."""
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        raise YamlProblem(Problem(display, 1, 1,
            f"file is {len(raw):,} bytes, larger than the {MAX_FILE_BYTES:,} allowed (split it or shorten the text)",
            "文件过大，请拆分或删减内容"))
    if raw.startswith(b"\xef\xbb\xbf"):
        raise YamlProblem(Problem(display, 1, 1,
            "file starts with a byte-order mark (save it as UTF-8 without BOM)",
            "文件开头有 BOM，请另存为不带 BOM 的 UTF-8"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise YamlProblem(Problem(display, line, column,
            f"bytes that are not UTF-8 ({raw[exc.start:exc.start + 4]!r}); save the file as UTF-8",
            "文件不是 UTF-8 编码，请另存为 UTF-8")) from None
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise YamlProblem(Problem(display, 1, 1, "file is empty (expected a mapping of fields)",
                                  "文件为空，应包含字段"))
    for number, ln in enumerate(text.splitlines(), 1):
        stripped = ln.lstrip(" ")
        if stripped.startswith("\t"):
            raise YamlProblem(Problem(display, number, len(ln) - len(stripped) + 1,
                "tab used for indentation (indent with spaces)", "缩进不能用 Tab，请改用空格"))
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        raise YamlProblem(Problem(display, line, column, f"YAML syntax error: {what}",
                                  "YAML 格式错误，请检查缩进、冒号和引号")) from None
    except yaml.YAMLError as exc:  # pragma: no cover - defensive
        raise YamlProblem(Problem(display, 1, 1, f"YAML error: {exc}", "YAML 格式错误")) from None
    located = Located(display, None, text)
    located.data = _build(node, (), located, set(), 0)
    return located


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _fail(located: Located, node: yaml.Node, message: str, hint_zh: str) -> YamlProblem:
    line, column = _pos(node)
    return YamlProblem(Problem(located.path, line, column, message, hint_zh))


def _build(node: yaml.Node, loc: Loc, located: Located, seen: set[int], depth: int):
    if depth > MAX_DEPTH:
        raise _fail(located, node, f"nesting deeper than {MAX_DEPTH} levels", "嵌套层级过深")
    if id(node) in seen:
        raise _fail(located, node, "YAML aliases (*name) are not allowed in content; write the value out",
                    "内容文件不允许使用 YAML 别名（*name），请直接写出内容")
    seen.add(id(node))
    located.values[loc] = _pos(node)
    if isinstance(node, yaml.ScalarNode):
        if node.tag not in _PLAIN_TAGS:
            raise _fail(located, node, f"tag {node.tag!r} is not allowed (content holds plain text and numbers only)",
                        "不允许使用 YAML 标签")
        if node.tag == _NULL:
            return None
        if node.tag == _BOOL:
            return node.value.lower() in ("true", "yes", "on")
        return node.value  # str, and numbers as typed
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ:
            raise _fail(located, node, f"tag {node.tag!r} is not allowed", "不允许使用 YAML 标签")
        return [_build(child, loc + (i,), located, seen, depth + 1) for i, child in enumerate(node.value)]
    if node.tag != _MAP:
        raise _fail(located, node, f"tag {node.tag!r} is not allowed", "不允许使用 YAML 标签")
    result: dict = {}
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise _fail(located, key_node, "merge keys (<<) are not allowed in content; write the fields out",
                        "不允许使用合并键（<<）")
        if not isinstance(key_node, yaml.ScalarNode):
            raise _fail(located, key_node, "a key must be a plain word", "字段名必须是普通文字")
        key = key_node.value
        if key in result:
            raise _fail(located, key_node, f"duplicate key {key!r} (each field may appear once)",
                        f"字段“{key}”重复")
        located.keys[loc + (key,)] = _pos(key_node)
        result[key] = _build(value_node, loc + (key,), located, seen, depth + 1)
    return result
