"""The external programs of the site checks come from configuration (checks/external.py), with a clear message
when one is missing; the package never looks into the project's test folder for them."""

from __future__ import annotations

import ast
from pathlib import Path

from chenzhou_report.checks import external
from chenzhou_report.checks.site import check_html, check_links

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "chenzhou_report"


def test_html_check_without_a_configured_checker_names_the_variable(monkeypatch, tmp_path):
    monkeypatch.delenv(external.VNU_JAR, raising=False)
    [finding] = check_html(tmp_path, tmp_path)
    assert finding.check == "html" and external.VNU_JAR in finding.message and "make node-deps" in finding.message


def test_html_check_with_a_jar_that_is_not_there(monkeypatch, tmp_path):
    monkeypatch.setenv(external.VNU_JAR, str(tmp_path / "nowhere" / "vnu.jar"))
    [finding] = check_html(tmp_path, tmp_path)
    assert "nowhere/vnu.jar, which is not a file" in finding.message


def test_configured_checker_is_the_one_run(monkeypatch, tmp_path):
    jar = tmp_path / "vnu.jar"
    jar.write_bytes(b"")
    java = tmp_path / "java"
    java.write_text("#!/bin/sh\necho '{\"messages\": []}' >&2\n")
    java.chmod(0o755)
    monkeypatch.setenv(external.VNU_JAR, str(jar))
    monkeypatch.setenv(external.JAVA, str(java))
    assert external.vnu_command().command == [str(java), "-jar", str(jar)]
    assert check_html(tmp_path, tmp_path) == []  # the stand-in reports no message, so no finding


def test_links_check_with_a_lychee_that_is_not_there(monkeypatch, tmp_path):
    monkeypatch.setenv(external.LYCHEE, str(tmp_path / "no-lychee"))
    (tmp_path / "index.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")
    findings = check_links(tmp_path, tmp_path)
    assert findings and all(external.LYCHEE in f.message for f in findings)


def _code_strings(tree):
    """The string constants of a module that are not docstrings (documentation may name the test folder)."""
    docs = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docs.add(id(first.value))
    return [n.value for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


def test_the_package_names_no_path_of_the_test_folder():
    for path in PACKAGE.rglob("*.py"):
        for text in _code_strings(ast.parse(path.read_text(encoding="utf-8"))):
            assert "tests/" not in text and "node_modules" not in text, (path, text)


def test_the_scan_finds_a_path_of_the_test_folder():
    tree = ast.parse('"""Docs may say tests/node."""\nJAR = "tests/node/node_modules/vnu.jar"\n')
    assert _code_strings(tree) == ["tests/node/node_modules/vnu.jar"]
