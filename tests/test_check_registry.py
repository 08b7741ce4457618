"""Every check is declared once, in checks/registry.py (as Datasette tests that its hooks are documented): the
code reports no check id the registry lacks, the registry declares none the code never reports, the CLI runs and
lists what the registry says, and README's checks table is the registry's table."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from chenzhou_report.checks.registry import REGISTRY, markdown_table, ran
from chenzhou_report.cli import main

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "chenzhou_report"
ID = re.compile(r"[a-z]+(?:-[a-z]+)*")
DECLARED = {c.id for c in REGISTRY}


def reported_ids(source: str) -> set[str]:
    """The check ids a module passes to Problem.found (the first plain-word string argument) or as check=…."""
    out = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Attribute) and node.func.attr == "found":
            words = [a.value for a in node.args[1:] if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if words and ID.fullmatch(words[0]):
                out.add(words[0])
        out |= {k.value.value for k in node.keywords
                if k.arg == "check" and isinstance(k.value, ast.Constant) and k.value.value}
    return out


def readme_table(text: str) -> str:
    match = re.search(r"<!-- checks: generated[^\n]*-->\n(.*?)<!-- /checks -->", text, re.S)
    assert match, "README has no generated checks table"
    return match.group(1)


def package_sources():
    return {p: p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py") if p.name != "registry.py"}


def test_every_reported_id_is_declared():
    for path, source in package_sources().items():
        undeclared = reported_ids(source) - DECLARED
        assert not undeclared, f"{path.relative_to(ROOT)} reports {sorted(undeclared)}: declare them in registry.py"


def test_the_scan_sees_an_undeclared_check():
    code = 'Problem.found(path, *where, "made-up", "message", "提示")\nreplace(p, check="other-one")\n'
    assert reported_ids(code) - DECLARED == {"made-up", "other-one"}


def test_every_declared_check_is_reported_somewhere():
    strings = set()
    for source in package_sources().values():
        strings |= {n.value for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Constant)
                    and isinstance(n.value, str)}
    never = DECLARED - strings
    assert not never, f"declared but no code reports them: {sorted(never)}"


def test_every_check_says_what_it_catches_and_how_to_satisfy_it():
    for check in REGISTRY:
        assert check.catches.strip() and check.fix.strip(), check.id


def test_readme_table_is_the_registry():
    assert readme_table((ROOT / "README.md").read_text(encoding="utf-8")) == markdown_table(), \
        "README's checks table differs from the registry: paste `chenzhou-report check --list` into it"


def test_a_doctored_readme_row_is_seen():
    table = markdown_table()
    doctored = f"<!-- checks: generated -->\n{table.replace('| `spelling` |', '| `spellings` |')}<!-- /checks -->"
    assert readme_table(doctored) != table


def test_check_runs_the_registry_content_checks(project_root, capsys):
    assert main(["--root", str(project_root), "check", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["checks"] == ran(loaded=True)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_check_list(fmt, capsys):
    assert main(["check", "--list", "--format", fmt]) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        assert [c["id"] for c in json.loads(out)] == [c.id for c in REGISTRY]
    else:
        assert out == markdown_table()
