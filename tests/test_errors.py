"""Every kind of bad input an editor can produce gets one clear line: `path:line:column: what is wrong (expected)`.

Each case breaks a copy of the real content in one way and asserts the exact file, line and column, the key words
of the English message and of the Chinese explanation, and that `chenzhou-report build` exits 1 with that line and
no Python traceback. Positions are computed from the broken file itself (the line and column of a marker), so the
cases keep pointing at the right place when the real content grows.

CASES is also used by tests/test_schema.py: a case with `schema=` is a matter the JSON Schema must reject too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from chenzhou_report.errors import ContentError, Problem
from chenzhou_report.model import load_content
from chenzhou_report.render import SiteRenderer
from chenzhou_report.yamlload import MAX_DEPTH, MAX_FILE_BYTES, YamlProblem, load_file
from drafts import copy_project

ROOT = Path(__file__).resolve().parent.parent
AREA = "areas/14-wage-arrears.yaml"
CLI = Path(sys.executable).with_name("chenzhou-report")


def _text(name: str) -> str:
    return (ROOT / "content" / name).read_text(encoding="utf-8")


def _line_of(text: str, marker: str) -> int:
    assert marker in text, marker
    return text[: text.index(marker)].count("\n") + 1


# lines in the real files that some messages quote ("already used at …:27")
FIRST_SLUG_LINE = _line_of(_text(AREA), "slug:")
WAGE_RECOVERED_LINE = _line_of(_text(AREA), "- id: wage_recovered")
FIRST_TERM_LINE = _line_of(_text("glossary.yaml"), "- id: two_majors")

BOMB = "".join(
    [f"l0: &l0 [{', '.join(['lol'] * 9)}]\n"]
    + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 40)]  # 9**40 items if expanded
)


@dataclass(frozen=True)
class Case:
    name: str
    file: str  # under content/
    old: str | bytes | None  # replaced once by `new`; None: `new` is the whole file
    new: str | bytes
    at: str | None  # the problem's position is this marker's first character in the broken file (None: 1:1)
    words: tuple[str, ...]  # in the English message
    hint: str  # in the Chinese explanation
    offset: int = 0  # columns after the marker
    schema: tuple | None = None  # data path where the JSON Schema rejects the same mistake

    def apply(self, content_dir: Path) -> bytes:
        path = content_dir / self.file
        if self.old is None:
            data = self.new if isinstance(self.new, bytes) else self.new.encode("utf-8")
        else:
            raw = path.read_bytes()
            old = self.old if isinstance(self.old, bytes) else self.old.encode("utf-8")
            new = self.new if isinstance(self.new, bytes) else self.new.encode("utf-8")
            assert old in raw, f"{self.name}: the real content no longer contains {self.old!r}"
            data = raw.replace(old, new, 1)
        path.write_bytes(data)
        return data

    def position(self, data: bytes) -> tuple[int, int]:
        if self.at is None:
            return 1, 1
        text = data.decode("utf-8", "replace")
        assert self.at in text, f"{self.name}: marker {self.at!r} not in the broken file"
        before = text[: text.index(self.at)]
        return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1 + self.offset


CASES = [
    Case("yaml_syntax", AREA, "  en: Tackling Wage Arrears\n", "  en: Tackling Wage Arrears: the city\n",
         at="Arrears: the", offset=len("Arrears"),
         words=("YAML syntax error", "mapping values are not allowed", "put text containing ': ' in quotes"),
         hint="请加引号"),
    Case("missing_field", AREA, "    unit: count\n", "", at="id: wage_platform_received",
         words=("missing field 'unit' in item 1 of 'metrics'", "yuan, count, percent, rank, per_thousand"),
         hint="缺少字段“unit”", schema=("metrics", 0)),
    Case("unknown_field", AREA, '    value: "3884"\n', '    value: "3884"\n    uint: count\n', at="uint: count",
         words=("unknown field 'uint'", "expected one of: id, label, value, unit", "did you mean 'unit'?"),
         hint="是否应为“unit”", schema=("metrics", 0)),
    Case("wrong_type_number", AREA, "number: 14\n", "number: fourteen\n", at="fourteen",
         words=("'number' should be a whole number", "got 'fourteen'"), hint="整数", schema=("number",)),
    Case("wrong_type_text", AREA, "title:\n  zh: 治理欠薪\n  en: Tackling Wage Arrears\n", "title: 治理欠薪\n",
         at="治理欠薪", words=("'title' should be a mapping of fields, got text", "`zh: …` and `en: …`"),
         hint="zh: 中文，en: 英文", schema=("title",)),
    Case("wrong_type_list", AREA, '    value: "3884"\n', "    value: [3884]\n", at="[3884]",
         words=("value should be a number as printed, got a list", '"107.42"'), hint="数值应只含数字",
         schema=("metrics", 0, "value")),
    Case("bad_unit", AREA, "    unit: count\n", "    unit: counts\n", at="counts",
         words=("'counts' is not allowed for 'unit'", "expected one of: yuan, count, percent, rank, per_thousand",
                "did you mean 'count'?"), hint="yuan、count、percent", schema=("metrics", 0, "unit")),
    Case("bad_value", AREA, '    value: "3884"\n', '    value: "3,884"\n', at='"3,884"',
         words=("value '3,884' is not a number as printed", "no separators", '"107.42"'), hint="数值应只含数字",
         schema=("metrics", 0, "value")),
    Case("unknown_reference", AREA, "{wage_platform_resolved}", "{wage_platform_resolvd}",
         at="{wage_platform_resolvd}",
         words=("unknown metric or name {wage_platform_resolvd}", "did you mean 'wage_platform_resolved'?"),
         hint="是否应为“wage_platform_resolved”"),
    Case("duplicate_id", "areas/16-ecology.yaml", "\nmetrics:\n",
         "\nmetrics:\n  - id: wage_recovered\n    label: {zh: 重复, en: Duplicate}\n    value: \"1\"\n"
         "    unit: yuan\n    source: 重复\n", at="wage_recovered\n    label: {zh: 重复",
         words=("metric id 'wage_recovered' is already used at "
                f"content/areas/14-wage-arrears.yaml:{WAGE_RECOVERED_LINE}", "unique across the report"),
         hint="重复"),
    Case("duplicate_term_id", "glossary.yaml", "  - id: ultra_long_bonds\n", "  - id: two_majors\n",
         at="two_majors\n    term: {zh: \"超长期", words=(f"term id 'two_majors' is already used at line "
                                                        f"{FIRST_TERM_LINE}",), hint="术语编号“two_majors”重复"),
    Case("translation_empty", AREA, "  en: Tackling Wage Arrears\n", '  en: ""\n', at='""',
         words=("'en' is empty", "English text"), hint="请补上英文译文", schema=("title", "en")),
    Case("translation_absent", AREA, "  en: Tackling Wage Arrears\n", "", at="title:",
         words=("missing field 'en': the English text of 'title'",), hint="请补上英文译文", schema=("title",)),
    Case("python_tag", AREA, "number: 14\n", 'number: !!python/object/apply:os.system ["true"]\n', at="!!python",
         words=("tag !!python/object/apply:os.system is not allowed", "plain text"), hint="不允许使用 YAML 标签"),
    Case("alias_bomb", AREA, None, BOMB, at="*l0",
         words=("YAML alias *l0 is not allowed", "write the value out"), hint="别名"),
    Case("not_utf8", AREA, "治理欠薪".encode(), "治理欠薪".encode("gbk"), at="\ufffd",
         words=("not UTF-8", "save the file as UTF-8"), hint="另存为 UTF-8"),
    Case("saved_as_gb18030", AREA, None, _text(AREA).encode("gb18030"), at="\ufffd",
         words=("not UTF-8", "it looks like it was saved as GB18030", "save the file as UTF-8"), hint="GB18030"),
    Case("saved_as_utf16", AREA, None, _text(AREA).encode("utf-16"), at=None,
         words=("not UTF-8", "it looks like it was saved as UTF-16"), hint="UTF-16"),
    Case("saved_as_utf16_without_bom", AREA, None, _text(AREA).encode("utf-16-le"), at=None,
         words=("not UTF-8", "it looks like it was saved as UTF-16"), hint="UTF-16"),
    Case("slug_with_underscore", AREA, "slug: wage-arrears\n", "slug: wage_arrears\n", at="wage_arrears",
         words=("'wage_arrears' is not a valid slug", "words joined by single '-'", "for example 'wage-arrears'"),
         hint="单词之间用一个“-”连接", schema=("slug",)),
    Case("slug_too_long", AREA, "slug: wage-arrears\n", f"slug: {'wage-arrears-' * 7}x\n", at="wage-arrears-wage",
         words=("'slug' has 92 characters, more than the 80 allowed", "shorten it to at most 80 characters"),
         hint="最多 80 个字符", schema=("slug",)),
    Case("empty_file", AREA, None, b"", at=None, words=("file is empty",), hint="文件为空"),
    Case("comments_only", AREA, None, "# yaml-language-server: $schema=../schema/area.schema.json\n# todo\n",
         at=None, words=("file is empty",), hint="文件为空"),
    Case("bom", AREA, b"# yaml", b"\xef\xbb\xbf# yaml", at=None, words=("byte-order mark", "without BOM"),
         hint="BOM"),
    Case("tab_indent", AREA, "  zh: 治理欠薪\n", "\tzh: 治理欠薪\n", at="\tzh",
         words=("tab used for indentation", "spaces"), hint="Tab"),
    Case("control_character", AREA, "治理欠薪", "治理\x07欠薪", at="\x07",
         words=("character U+0007 is not allowed",), hint="控制字符"),
    Case("huge_value", AREA, "  zh: 治理欠薪\n", "  zh: " + "欠" * 30_000 + "\n", at="欠欠欠",
         words=("'zh' has 30,000 characters", "more than the 20,000 allowed"), hint="文字过长",
         schema=("title", "zh")),
    Case("huge_file", AREA, None, "number: 14\n# " + "x" * (MAX_FILE_BYTES + 10) + "\n", at=None,
         words=(f"larger than the {MAX_FILE_BYTES:,} allowed",), hint="文件过大"),
    Case("huge_number", AREA, '    value: "3884"\n', '    value: "' + "9" * 40 + '"\n', at='"9999',
         words=("value has 40 digits, more than the 15 a figure may have", "scale:"), hint="数值", schema=("metrics", 0, "value")),
    Case("duplicate_key", AREA, "headline: wage_platform_rate\n",
         "headline: wage_platform_rate\nslug: wage-arrears\n", at="slug: wage-arrears\n\n",
         words=("duplicate key 'slug'", f"already given at line {FIRST_SLUG_LINE}"), hint="字段“slug”重复"),
    Case("deep_nesting", AREA, "number: 14\n", "number: 14\nextra: " + "[" * 200 + "]" * 200 + "\n",
         at="[" * (MAX_DEPTH + 1) + "[", offset=MAX_DEPTH - 1, words=(f"nesting deeper than {MAX_DEPTH} levels",),
         hint="嵌套层级过深"),
]


@pytest.fixture
def broken_copy(tmp_path):
    return copy_project(tmp_path)


def _problems(root: Path) -> list[Problem]:
    with pytest.raises(ContentError) as info:
        load_content(root / "content", root)
    return info.value.problems


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_gives_one_clear_line(case: Case, broken_copy: Path):
    data = case.apply(broken_copy / "content")
    line, column = case.position(data)
    problems = _problems(broken_copy)
    assert len(problems) == 1, "\n".join(map(str, problems))
    problem = problems[0]
    assert (problem.path, problem.line, problem.column) == (f"content/{case.file}", line, column), str(problem)
    for words in case.words:
        assert words in problem.message, f"{words!r} not in: {problem}"
    assert case.hint in problem.hint_zh, f"{case.hint!r} not in: {problem}"
    assert "\n" not in str(problem)
    assert str(problem) == f"content/{case.file}:{line}:{column}: {problem.message} ｜ {problem.hint_zh}"

    result = subprocess.run([str(CLI), "build", "--root", str(broken_copy)], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert str(problem) in result.stderr.splitlines(), output
    assert not (broken_copy / "site").exists(), "a failed build must not write site/"


def test_the_cases_break_something_real(broken_copy: Path):
    """The unbroken copy loads: every case's problem comes from its own edit."""
    load_content(broken_copy / "content", broken_copy)


def test_unquoted_numbers_are_kept_as_typed(broken_copy: Path):
    area = broken_copy / "content" / AREA
    text = area.read_text(encoding="utf-8")
    area.write_text(text.replace('    value: "3884"\n', "    value: 3884\n", 1)
                    .replace('    value: "6665"\n', "    value: 6665.0\n", 1), encoding="utf-8")
    content = load_content(broken_copy / "content", broken_copy)
    assert content.metrics["wage_platform_received"].value == "3884"
    assert content.metrics["wage_recovered"].value == "6665.0"  # the trailing zero is kept, no float in between


def test_a_python_tag_runs_no_code(tmp_path: Path):
    marker = tmp_path / "pwned"
    path = tmp_path / "x.yaml"
    for payload in (f'a: !!python/object/apply:os.system ["touch {marker}"]\n',
                    f"a: !!python/object/new:os.system [touch {marker}]\n",
                    "a: !!python/name:os.system\n", f'!!python/object/apply:os.system ["touch {marker}"]: 1\n'):
        path.write_text(payload, encoding="utf-8")
        with pytest.raises(YamlProblem, match="is not allowed"):
            load_file(path, "x.yaml")
    assert not marker.exists()


def test_an_alias_bomb_is_refused_at_its_first_alias_before_any_expansion(tmp_path: Path):
    """By design, not by timing: the composer refuses the first `*alias` it meets, so the 9**40 items of BOMB are
    never built. The refusal at line 2 (the first alias) proves nothing after it was read into a tree."""
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB, encoding="utf-8")
    with pytest.raises(YamlProblem) as info:
        load_file(path, "bomb.yaml")
    assert (info.value.problem.line, info.value.problem.column) == (2, 10)
    # a single alias, anywhere, is refused the same way, also inside a flow mapping and as a key
    for text, at in (("a: &x 1\nb: *x\n", (2, 4)), ("a: {b: &x 1, c: *x}\n", (1, 17)), ("a: &x b\n*x : c\n", (2, 1))):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(YamlProblem, match="alias") as info:
            load_file(path, "a.yaml")
        assert (info.value.problem.line, info.value.problem.column) == at, text


def test_merge_keys_are_refused(tmp_path: Path):
    path = tmp_path / "merge.yaml"
    path.write_text("a: &x {b: 1}\nc:\n  <<: {b: 2}\n", encoding="utf-8")
    with pytest.raises(YamlProblem, match=r"merge keys \(<<\) are not allowed") as info:
        load_file(path, "merge.yaml")
    assert info.value.problem.line == 3


@pytest.mark.parametrize("text, line, column, words", [
    ('a: "open quote\nb: c\n', 3, 1, "close the quote"),
    ("a: [x, y\nb: c\n", 2, 2, "add the ']'"),
    ("a: {x: 1\nb: c\n", 2, 2, "add the '}'"),
    ("a:\n  - x\n  y: 1\n", 3, 3, "list items"),
    ('a: "\\q"\n', 1, 5, "single quotes"),
    ("a: @x\n", 1, 4, "put the text in quotes"),
    ("a: b\n---\nc: d\n", 2, 1, "one document per file"),
    ("title\nslug: x\n", 2, 5, "a ':' missing on the line above"),
], ids=["quote", "bracket", "brace", "list", "escape", "at-sign", "two-documents", "no-colon"])
def test_yaml_syntax_errors_say_what_to_do(tmp_path: Path, text, line, column, words):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(YamlProblem) as info:
        load_file(path, "bad.yaml")
    problem = info.value.problem
    assert (problem.line, problem.column) == (line, column), str(problem)
    assert problem.message.startswith("YAML syntax error: ") and words in problem.message, str(problem)
    assert problem.hint_zh


def test_windows_line_endings_keep_positions(broken_copy: Path):
    area = broken_copy / "content" / AREA
    text = area.read_text(encoding="utf-8").replace("{wage_platform_resolved}", "{wage_platform_resolvd}", 1)
    line, column = Case("", AREA, None, "", "{wage_platform_resolvd}", (), "").position(text.encode())
    area.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    [problem] = _problems(broken_copy)
    assert (problem.line, problem.column) == (line, column)


def test_problems_in_several_files_are_all_listed_one_line_each(broken_copy: Path):
    by_name = {c.name: c for c in CASES}
    expected = []
    for name in ("unknown_field", "duplicate_term_id"):
        case = by_name[name]
        expected.append((f"content/{case.file}", *case.position(case.apply(broken_copy / "content"))))
    (broken_copy / "content" / "ui.yaml").write_text("", encoding="utf-8")
    expected.append(("content/ui.yaml", 1, 1))
    problems = _problems(broken_copy)
    # the glossary's duplicate id is a cross-file check, run only once every file parses
    assert {(p.path, p.line, p.column) for p in problems} == {expected[0], expected[2]}


def test_a_missing_file_is_named(broken_copy: Path):
    (broken_copy / "content" / "glossary.yaml").unlink()
    [problem] = _problems(broken_copy)
    assert (problem.path, problem.line, problem.column) == ("content/glossary.yaml", 1, 1)
    assert "required file is missing" in problem.message



def test_a_missing_interface_string_is_named_where_the_strings_are(broken_copy: Path):
    """Only the pages know which interface strings they need; a missing one is a clean error, not a KeyError."""
    ui = broken_copy / "content" / "ui.yaml"
    text = ui.read_text(encoding="utf-8")
    assert "\n  about: " in text
    ui.write_text(text.replace("\n  about: ", "\n  about_page: ", 1), encoding="utf-8")
    content = load_content(broken_copy / "content", broken_copy)  # loads: the file itself is well formed
    with pytest.raises(ContentError) as info:
        SiteRenderer(content, "en", broken_copy / "templates").pages()
    [problem] = info.value.problems
    line = Case("", "ui.yaml", None, "", "strings:", (), "").position(ui.read_bytes())[0]
    assert (problem.path, problem.line, problem.column) == ("content/ui.yaml", line, 1)
    assert "missing interface string 'about'" in problem.message and "under `strings:`" in problem.message
    result = subprocess.run([str(CLI), "build", "--root", str(broken_copy)], capture_output=True, text=True,
                            timeout=300, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert str(problem) in result.stderr.splitlines()
    assert not (broken_copy / "site").exists()
