"""Hypothesis mutates the real content files; the outcome is always a clean ContentError or a site that renders.

Each example takes one real file from content/, breaks it in one of many ways (drop a key, change a value's type,
random Unicode, a very long string, deep nesting, a duplicate key, random bytes, a cut) and loads the whole
content folder. Allowed outcomes:

- `ContentError` whose every problem names a file that exists, a line inside it and a column ≥ 1, and a message;
- a valid `Content` from which every page of both languages renders (`SiteRenderer(...).pages()`).

Anything else — another exception, or an example running longer than the hang guard — fails the test.
"""

from __future__ import annotations

import re
import shutil
import signal
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from chenzhou_report.errors import ContentError, Problem
from chenzhou_report.model import Content, load_content
from chenzhou_report.render import SiteRenderer
from chenzhou_report.yamlload import load_file

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(str(p.relative_to(ROOT / "content")) for p in (ROOT / "content").rglob("*.yaml"))
HANG_GUARD_SECONDS = 20  # one example normally takes well under 0.3 s
BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """One copy of the project's content and templates, restored after every example."""
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "templates", root / "templates")
    return root


# --- mutations ---------------------------------------------------------------------------------------------

def _paths(data, loc=()):
    """Every place in the data: (loc, value)."""
    yield loc, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, loc + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _paths(value, loc + (i,))


def _set(data, loc, value):
    if not loc:
        return value
    target = data
    for part in loc[:-1]:
        target = target[part]
    target[loc[-1]] = value
    return data


def _delete(data, loc):
    if not loc:
        return {}
    target = data
    for part in loc[:-1]:
        target = target[part]
    del target[loc[-1]]
    return data


def _nest(depth: int, leaf):
    for i in range(depth):
        leaf = [leaf] if i % 2 else {"k": leaf}
    return leaf


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**30, 10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40),
    st.sampled_from(["", " ", "{wage_recovered}", "{nope}", "zh", "en", "<script>x</script>", "007", "1e5",
                     "99.999", "yuan", "percent", "wan", "~", "null", "- x", ": y", "{", "*a", "&a"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                      st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                      max_leaves=6)


def _dump(data) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100).encode("utf-8")


@st.composite
def mutated(draw):
    """(relative path, new bytes) for one real content file broken in one way."""
    name = draw(st.sampled_from(FILES))
    original = (ROOT / "content" / name).read_bytes()
    text = original.decode("utf-8")
    data = load_file(ROOT / "content" / name, name).data
    places = list(_paths(data))
    how = draw(st.sampled_from(["drop", "retype", "unicode", "long", "nest", "dupkey", "bytes", "cut", "lines"]))
    if how in ("drop", "retype", "unicode", "long", "nest"):
        loc, old = draw(st.sampled_from(places))
        if how == "drop":
            data = _delete(data, loc)
        elif how == "retype":
            data = _set(data, loc, draw(values))
        elif how == "unicode":
            data = _set(data, loc, draw(st.text(min_size=0, max_size=200)))
        elif how == "long":
            data = _set(data, loc, draw(st.sampled_from(["字", "a", "{y2025}", "9"])) * draw(
                st.sampled_from([64, 31, 20_001, 200_000, 1_100_000])))
        else:
            data = _set(data, loc, _nest(draw(st.integers(1, 120)), draw(scalars)))
        return name, _dump(data)
    lines = BREAK.split(text)
    if how == "dupkey":
        keyed = [i for i, ln in enumerate(lines) if re.match(r"^\s*(- )?[a-z_]+:", ln)]
        i = draw(st.sampled_from(keyed))
        line = re.sub(r"^(\s*)- ", r"\1  ", lines[i])
        lines.insert(i + 1, line)
        return name, "\n".join(lines).encode("utf-8")
    if how == "bytes":
        raw = bytearray(original)
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(raw)))
            raw[at:at + draw(st.integers(0, 3))] = draw(st.binary(min_size=0, max_size=6))
        return name, bytes(raw)
    if how == "cut":
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 400)))
        return name, (text[:start] + text[end:]).encode("utf-8")
    # "lines": shuffle the indentation of a few lines
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        lines[i] = " " * draw(st.integers(0, 9)) + lines[i].lstrip(" ")
    return name, "\n".join(lines).encode("utf-8")


# --- the property ------------------------------------------------------------------------------------------

def _line_count(path: Path) -> int:
    try:
        return len(BREAK.split(path.read_bytes().decode("utf-8", "replace")))
    except OSError:
        return 1


class _Hang(Exception):
    pass


def _alarm(signum, frame):
    raise _Hang(f"one example ran longer than {HANG_GUARD_SECONDS} s")


def _assert_clean(exc: ContentError, root: Path) -> None:
    assert exc.problems, "a ContentError without problems"
    for problem in exc.problems:
        assert problem.path and problem.message, problem
        file = root / problem.path
        assert file.exists(), f"problem names a file that does not exist: {problem}"
        assert 1 <= problem.line <= max(1, _line_count(file)) + 1, f"line outside the file: {problem}"
        assert problem.column >= 1, problem
        assert "\n" not in problem.message, f"a problem must be one line: {problem!r}"
        assert str(problem).startswith(f"{problem.path}:{problem.line}:{problem.column}: ")


def check_outcome(root: Path) -> str:
    """Load and render; return "error" or "valid", or fail the test.

    Most mistakes are found while loading. A few can only be found by the pages that need something (an
    interface string the templates ask for): those raise the same clean ContentError while rendering.
    """
    try:
        content = load_content(root / "content", root)
        assert isinstance(content, Content)
        for lang in ("zh", "en"):
            pages = SiteRenderer(content, lang, root / "templates").pages()
            assert pages and all(isinstance(html, str) and html for html in pages.values())
    except ContentError as exc:
        _assert_clean(exc, root)
        return "error"
    return "valid"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated())
def test_mutated_content_gives_clean_error_or_valid_site(workspace, mutation):
    name, new = mutation
    target = workspace / "content" / name
    original = target.read_bytes()
    target.write_bytes(new)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(HANG_GUARD_SECONDS)
    try:
        event(check_outcome(workspace))  # `pytest --hypothesis-show-statistics` shows how many of each
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        target.write_bytes(original)


# --- the property can fail ---------------------------------------------------------------------------------

def test_unbroken_content_is_valid(workspace):
    assert check_outcome(workspace) == "valid"


def test_a_mutation_can_give_either_outcome(workspace):
    target = workspace / "content" / "areas" / "14-wage-arrears.yaml"
    original = target.read_text(encoding="utf-8")
    try:
        target.write_text(original.replace("治理欠薪", "治理欠薪 ★ 𠀀", 1), encoding="utf-8")
        assert check_outcome(workspace) == "valid"
        target.write_text(original.replace("治理欠薪", "治理欠薪\n  zh: again", 1), encoding="utf-8")
        assert check_outcome(workspace) == "error"
    finally:
        target.write_text(original, encoding="utf-8")


def test_another_exception_fails_the_property(workspace, monkeypatch):
    def crash(*args, **kwargs):
        raise KeyError("a bug")

    monkeypatch.setattr(sys.modules[__name__], "load_content", crash)
    with pytest.raises(KeyError):
        check_outcome(workspace)


@pytest.mark.parametrize("line, column", [(0, 1), (10_000, 1), (3, 0)])
def test_a_problem_without_a_real_position_fails_the_property(workspace, monkeypatch, line, column):
    def unlocated(*args, **kwargs):
        raise ContentError([Problem("content/report.yaml", line, column, "something")])

    monkeypatch.setattr(sys.modules[__name__], "load_content", unlocated)
    with pytest.raises(AssertionError):
        check_outcome(workspace)


def test_a_hang_is_stopped():
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(1)
    try:
        with pytest.raises(_Hang):
            while True:
                pass
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
