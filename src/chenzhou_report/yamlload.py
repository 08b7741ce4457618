"""Safe YAML loading that remembers where every value came from.

Content files are data, never code: only the plain YAML types are accepted (no `!!python/...` or other tags),
aliases are refused while the file is composed, before anything could be expanded (no alias bomb), merge keys
too, nesting is bounded, duplicate keys are an error, and every key and value keeps
its line and column so that the model can point an editor at the exact place of a mistake.

Numbers are kept as the text the editor typed (`107.40` stays "107.40"), so no digit is lost to a float.
"""

from __future__ import annotations

import bisect
import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

import charset_normalizer
import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from .errors import ContentError, Problem

try:  # libyaml scans and parses several times faster than pure Python; the events are the same
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _CParser = None

MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 50

_PREFIX = "tag:yaml.org,2002:"
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
        index = self.text.find(needle, self.offset(line, column))
        if index < 0:
            return line, column
        return self.position_at(index)

    def offset(self, line: int, column: int) -> int:
        """The index in `text` of a 1-based line and column, lines counted as YAML counts them."""
        starts = _line_starts(self.text)
        return starts[min(line, len(starts)) - 1] + column - 1

    def position_at(self, index: int) -> tuple[int, int]:
        """The 1-based line and column of index `index` in `text`, lines counted as YAML counts them."""
        return _line_column(_line_starts(self.text), min(index, len(self.text)))


# YAML's line breaks (and the only ones it counts): \r\n, \r, \n, NEL, LS, PS.
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in _BREAK.finditer(text))]


def _line_column(starts: list[int], index: int) -> tuple[int, int]:
    """1-based line and column of character `index`, counting lines as YAML does."""
    line = bisect.bisect_right(starts, index)
    return line, index - starts[line - 1] + 1


class YamlProblem(ContentError):
    """The one problem that stops a file from loading (a ContentError: a list of one Problem)."""

    def __init__(self, problem: Problem):
        super().__init__([problem])

    @property
    def problem(self) -> Problem:
        return self.problems[0]


class _Refused(Exception):
    """Raised while composing: something content files may not contain, at a precise place."""

    def __init__(self, mark, message: str, hint_zh: str):
        self.mark, self.message, self.hint_zh = mark, message, hint_zh


class _Composer(Composer):
    """PyYAML's composer, refusing aliases and deep nesting *while* the node tree is built.

    An alias bomb (`&a [x, x]`, `&b [*a, *a]`, …) is stopped at its first `*alias`, before anything is expanded,
    so it costs no more than reading the text; nesting deeper than MAX_DEPTH stops before Python's recursion limit.
    """

    _depth = 0

    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            event = self.get_event()
            raise _Refused(event.start_mark,
                f"YAML alias *{event.anchor} is not allowed in content (write the value out in full instead of "
                "repeating it with &name / *name)",
                "内容文件不允许使用 YAML 别名（*name），请直接写出内容")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(self.peek_event().start_mark,
                    f"nesting deeper than {MAX_DEPTH} levels (content needs at most a few levels: "
                    "check the indentation and the brackets)", "嵌套层级过深，请检查缩进和括号")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


if _CParser is not None:
    class _Loader(_Composer, _CParser, Resolver):  # libyaml scans and parses; Python composes (≈1.4× the C time)
        def __init__(self, stream):
            _CParser.__init__(self, stream)
            _Composer.__init__(self)
            Resolver.__init__(self)
else:  # pragma: no cover - PyYAML built without libyaml
    class _Loader(Reader, Scanner, Parser, _Composer, Resolver):
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            _Composer.__init__(self)
            Resolver.__init__(self)


#: PyYAML's terse syntax messages, and what an editor should do about each.
_SYNTAX_HINTS = [
    ("mapping values are not allowed",
     "a ': ' inside a value, a line indented too far, or a ':' missing on the line above: put text containing "
     "': ' in quotes, and line the field up with the fields around it",
     "值里有“: ”、缩进过深或上一行缺少冒号：含冒号的文字请加引号，字段请与上下对齐"),
    ("could not find expected ':'",
     "a line that is neither `field: value` nor a list item `- …`: a ':' missing, or a quote above left open",
     "此行缺少冒号，或上方引号未闭合"),
    ("did not find expected key",
     "a line that does not line up with the fields above it, or text after a closing quote: check the "
     "indentation; to put ' inside '…', write it twice: 'it''s'", "缩进与上方字段不一致，或引号之后还有文字"),
    ("did not find expected node content",
     "a value is missing here: after ':' or '- ', or a [ or { left open", "此处缺少值，或括号未闭合"),
    ("block sequence entries are not allowed",
     "a list item '- ' cannot follow 'field:' on the same line: put each item on its own line, indented",
     "列表项“- ”应另起一行并缩进"),
    ("mapping keys are not allowed", "a value cannot start with '? ': put the text in quotes",
     "值不能以“? ”开头，请给文字加引号"),
    ("did not find expected '-' indicator",
     "a line that does not line up with the list items above it: each item starts with '- ' at the same "
     "indentation", "列表项缩进不一致，每项应以“- ”开头并对齐"),
    ("did not find expected ',' or ']'", "a list in [ ] that is not closed: add the ']'", "方括号未闭合，请补上“]”"),
    ("did not find expected ',' or '}'", "a mapping in { } that is not closed: add the '}'", "花括号未闭合，请补上“}”"),
    ("found unexpected end of stream", "the file ends inside a quoted text: close the quote", "引号未闭合"),
    ("found unknown escape character",
     "a backslash in double quotes starts an unknown escape: use single quotes, or write \\\\",
     "双引号内的反斜杠无效：请改用单引号，或写成 \\\\"),
    ("found character that cannot start any token",
     "a value cannot start with this character: put the text in quotes", "此字符不能作为值的开头，请给文字加引号"),
    ("found another document", "only one document per file: remove the second '---'", "每个文件只能有一个文档，请删除多余的“---”"),
    ("found undefined alias", "YAML aliases *name are not allowed in content: write the value out",
     "内容文件不允许使用 YAML 别名（*name）"),
]


def _syntax_problem(display: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = exc.problem or exc.context or "invalid YAML"
    expected, hint = "check the indentation, the colons and the quotes", "YAML 格式错误，请检查缩进、冒号和引号"
    for needle, english, chinese in _SYNTAX_HINTS:
        if needle in what:
            expected, hint = english, chinese
            break
    opened = ""
    if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
        for needle, thing in (("quoted scalar", "the quote"), ("flow sequence", "the ["), ("flow mapping", "the {")):
            if needle in exc.context:
                opened = f"; {thing} opened at line {exc.context_mark.line + 1}"
    return Problem(display, line, column, f"YAML syntax error: {what}{opened} ({expected})", hint)


def _reader_problem(display: str, text: str, exc: yaml.reader.ReaderError) -> Problem:
    # libyaml reports a byte offset into the UTF-8 text, the pure-Python reader a character offset
    index = exc.position
    if _CParser is not None:
        index = len(text.encode("utf-8")[: exc.position].decode("utf-8", "ignore"))
    line, column = _line_column(_line_starts(text), min(index, len(text)))
    char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
    return Problem(display, line, column,
                   f"character U+{char:04X} is not allowed in a YAML file (delete it; it is often pasted invisibly)",
                   "文件中有不允许的控制字符，请删除")


def _encoding_of(raw: bytes) -> str:
    """The encoding a file that is not UTF-8 most likely has, as an editor's "Save as" menu names it, or ''.
    Guessed by charset-normalizer; UTF-16 and UTF-32 are told apart from GBK, GB18030 or Big5."""
    best = charset_normalizer.from_bytes(raw).best()
    if best is None:
        return ""
    name = codecs.lookup(best.encoding).name
    return "" if name == "utf-8" else {"utf-16-le": "UTF-16", "utf-16-be": "UTF-16", "utf-16": "UTF-16",
                                       "utf-32": "UTF-32", "utf-32-le": "UTF-32", "utf-32-be": "UTF-32"}.get(
        name, name.upper())


def load_file(path: Path, display: str, raw: bytes | None = None) -> Located:
    """Read and parse one content file (`raw`: its bytes, already read). Raises YamlProblem with a precise position
    on any defect."""
    raw = path.read_bytes() if raw is None else raw
    if len(raw) > MAX_FILE_BYTES:
        raise YamlProblem(Problem(display, 1, 1,
            f"file is {len(raw):,} bytes, larger than the {MAX_FILE_BYTES:,} allowed (split it or shorten the text)",
            "文件过大，请拆分或删减内容"))
    if raw.startswith(b"\xef\xbb\xbf"):
        raise YamlProblem(Problem(display, 1, 1,
            "file starts with a byte-order mark (save it as UTF-8 without BOM)",
            "文件开头有 BOM，请另存为不带 BOM 的 UTF-8"))
    try:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (b"\x00" in raw and _encoding_of(raw) in ("UTF-16",
                                                                                                   "UTF-32")):
            raise UnicodeDecodeError("utf-8", raw, 0, 1, "NUL bytes or a UTF-16 byte-order mark")
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = 0 if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else exc.start
        before = raw[:start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        saved_as = _encoding_of(raw)
        raise YamlProblem(Problem(display, line, column,
            f"bytes that are not UTF-8 ({raw[start:start + 4]!r}); save the file as UTF-8"
            + (f" (it looks like it was saved as {saved_as})" if saved_as else ""),
            "文件不是 UTF-8 编码" + (f"（看起来是 {saved_as}）" if saved_as else "") + "，请另存为 UTF-8")) from None
    lines = _BREAK.split(text)
    if all(not ln.strip() or ln.lstrip().startswith("#") for ln in lines):
        raise YamlProblem(Problem(display, 1, 1, "file is empty (expected a mapping of fields)",
                                  "文件为空，应包含字段"))
    for number, ln in enumerate(lines, 1):
        stripped = ln.lstrip(" ")
        if stripped.startswith("\t"):
            raise YamlProblem(Problem(display, number, len(ln) - len(stripped) + 1,
                "tab used for indentation (indent with spaces)", "缩进不能用 Tab，请改用空格"))
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except _Refused as exc:
        raise YamlProblem(Problem(display, exc.mark.line + 1, exc.mark.column + 1, exc.message,
                                  exc.hint_zh)) from None
    except yaml.MarkedYAMLError as exc:
        raise YamlProblem(_syntax_problem(display, exc)) from None
    except yaml.reader.ReaderError as exc:
        raise YamlProblem(_reader_problem(display, text, exc)) from None
    except yaml.YAMLError as exc:  # pragma: no cover - defensive
        raise YamlProblem(Problem(display, 1, 1, f"YAML error: {exc}", "YAML 格式错误")) from None
    finally:
        loader.dispose()
    if node is None:
        raise YamlProblem(Problem(display, 1, 1, "file holds no data (expected a mapping of fields)",
                                  "文件没有内容，应包含字段"))
    located = Located(display, None, text)
    located.data = _build(node, (), located, set(), 0)
    return located


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _fail(located: Located, node: yaml.Node, message: str, hint_zh: str) -> YamlProblem:
    line, column = _pos(node)
    return YamlProblem(Problem(located.path, line, column, message, hint_zh))


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_PREFIX):] if tag.startswith(_PREFIX) else tag


def _tag_problem(located: Located, node: yaml.Node) -> YamlProblem:
    return _fail(located, node, f"tag {_short_tag(node.tag)} is not allowed (content files hold plain text, "
                 "numbers, lists and fields only; remove the tag)", "不允许使用 YAML 标签（如 !!python），请删除")


def _build(node: yaml.Node, loc: Loc, located: Located, seen: set[int], depth: int):
    if depth > MAX_DEPTH:  # pragma: no cover - the composer stops this first
        raise _fail(located, node, f"nesting deeper than {MAX_DEPTH} levels", "嵌套层级过深")
    if id(node) in seen:  # pragma: no cover - the composer refuses aliases first
        raise _fail(located, node, "YAML aliases (*name) are not allowed in content; write the value out",
                    "内容文件不允许使用 YAML 别名（*name），请直接写出内容")
    seen.add(id(node))
    located.values[loc] = _pos(node)
    if isinstance(node, yaml.ScalarNode):
        if node.tag not in _PLAIN_TAGS:
            raise _tag_problem(located, node)
        if node.tag == _NULL:
            return None
        if node.tag == _BOOL:
            return node.value.lower() in ("true", "yes", "on")
        return node.value  # str, and numbers as typed
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ:
            raise _tag_problem(located, node)
        return [_build(child, loc + (i,), located, seen, depth + 1) for i, child in enumerate(node.value)]
    if node.tag != _MAP:
        raise _tag_problem(located, node)
    result: dict = {}
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise _fail(located, key_node, "merge keys (<<) are not allowed in content; write the fields out",
                        "不允许使用合并键（<<）")
        if key_node.tag not in _PLAIN_TAGS | {_SEQ, _MAP}:
            raise _tag_problem(located, key_node)
        if not isinstance(key_node, yaml.ScalarNode):
            raise _fail(located, key_node, "a field name must be a plain word (not a list or a mapping)",
                        "字段名必须是普通文字")
        key = key_node.value
        if key in result:
            first = located.keys[loc + (key,)][0]
            raise _fail(located, key_node, f"duplicate key {key!r}: it is already given at line {first} "
                        "(each field may appear once; delete one of them)", f"字段“{key}”重复（第 {first} 行已有）")
        located.keys[loc + (key,)] = _pos(key_node)
        result[key] = _build(value_node, loc + (key,), located, seen, depth + 1)
    return result
