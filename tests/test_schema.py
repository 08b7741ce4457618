"""The JSON Schemas editors' tools use: generated from the model, committed, naming, accepting and rejecting.

The content files are read here as an editor's tool reads them (plain YAML types: `number: 14` is a number), not
through yamlload, because that is what yaml-language-server validates while an editor types.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator

from chenzhou_report.cli import main as cli_main
from chenzhou_report.model import load_content
from chenzhou_report.schema import FIELD_DOCS, SCHEMAS, generate, schema_text, write_schemas
from test_errors import CASES, Case

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = ROOT / "content" / "schema"
CONTENT_FILES = sorted((ROOT / "content").rglob("*.yaml"))
FIRST_LINE = re.compile(r"# yaml-language-server: \$schema=(\S+)")


def _validator(schema_path: Path) -> Draft7Validator:
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def _named_schema(path: Path) -> Path:
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    match = FIRST_LINE.fullmatch(first)
    assert match, f"{path}: the first line must be `# yaml-language-server: $schema=…`, not {first!r}"
    return (path.parent / match.group(1)).resolve()


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_committed_schema_is_the_generated_one(name):
    """Run `make schema` (or `chenzhou-report schema`) after changing the model, and commit the result."""
    committed = SCHEMA_DIR / f"{name}.schema.json"
    assert committed.is_file(), f"{committed} is missing: run `make schema`"
    assert committed.read_text(encoding="utf-8") == schema_text(name), \
        f"{committed.name} is stale: run `make schema` and commit content/schema/"


def test_the_cli_writes_the_schemas(tmp_path, capsys):
    assert cli_main(["--root", str(ROOT), "schema", "--out", str(tmp_path)]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(f"{name}.schema.json" for name in SCHEMAS)
    for name in SCHEMAS:
        assert (tmp_path / f"{name}.schema.json").read_text(encoding="utf-8") == schema_text(name)
    assert str(tmp_path / "area.schema.json") in capsys.readouterr().out


def test_the_cli_writes_into_content_schema_by_default(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(ROOT / "content", root / "content")
    shutil.rmtree(root / "content" / "schema")
    assert cli_main(["--root", str(root), "schema"]) == 0
    assert sorted(p.name for p in (root / "content" / "schema").iterdir()) == sorted(
        f"{name}.schema.json" for name in SCHEMAS)


def test_write_schemas_leaves_unchanged_files_untouched(tmp_path):
    first = write_schemas(tmp_path)
    stamps = {p: p.stat().st_mtime_ns for p in first}
    assert write_schemas(tmp_path) == first
    assert {p: p.stat().st_mtime_ns for p in first} == stamps


@pytest.mark.parametrize("path", CONTENT_FILES, ids=[str(p.relative_to(ROOT / "content")) for p in CONTENT_FILES])
def test_every_content_file_names_its_schema_and_validates(path: Path):
    schema_path = _named_schema(path)
    expected = "area" if path.parent.name == "areas" else path.stem
    assert schema_path == SCHEMA_DIR / f"{expected}.schema.json"
    errors = list(_validator(schema_path).iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


SCHEMA_CASES = [c for c in CASES if c.schema is not None]


def test_the_schema_cases_cover_each_kind_of_mistake():
    names = {c.name for c in SCHEMA_CASES}
    assert {"missing_field", "unknown_field", "wrong_type_number", "wrong_type_text", "bad_unit", "bad_value",
            "translation_empty", "translation_absent"} <= names


@pytest.mark.parametrize("case", SCHEMA_CASES, ids=[c.name for c in SCHEMA_CASES])
def test_the_schema_rejects_each_bad_example(case: Case, tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    data = yaml.safe_load(case.apply(tmp_path / "content").decode("utf-8"))
    validator = _validator(_named_schema(tmp_path / "content" / case.file))
    errors = list(validator.iter_errors(data))
    assert errors, f"the schema accepts {case.name}"
    places = [tuple(e.absolute_path) for e in errors]
    assert case.schema in places, f"{case.name}: rejected at {places}, expected at {case.schema}"


def test_unquoted_figures_are_accepted_by_schema_and_model(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    area = tmp_path / "content" / "areas" / "14-wage-arrears.yaml"
    area.write_text(area.read_text(encoding="utf-8").replace('value: "3884"', "value: 3884", 1)
                    .replace('value: "99.17"', "value: 99.17", 1), encoding="utf-8")
    report = tmp_path / "content" / "report.yaml"
    report.write_text(re.sub(r'(\n  y2025: )"2025"', r"\g<1>2025", report.read_text(encoding="utf-8")),
                      encoding="utf-8")
    assert "  y2025: 2025\n" in report.read_text(encoding="utf-8")
    for path in (area, report):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert not list(_validator(_named_schema(path)).iter_errors(data))
    content = load_content(tmp_path / "content", tmp_path)
    assert content.metrics["wage_platform_received"].value == "3884"
    assert content.report.names["y2025"] == "2025"


def test_the_schema_is_draft_7_with_completion_help():
    area = generate("area")
    assert area["$schema"] == "http://json-schema.org/draft-07/schema#"
    text = json.dumps(area)
    assert "$defs" not in text and "prefixItems" not in text  # draft 2020-12 words editors' tools ignore
    metric = area["definitions"]["Metric"]
    assert metric["additionalProperties"] is False
    assert metric["properties"]["unit"]["enum"] == ["yuan", "count", "percent", "rank", "per_thousand"]
    assert "｜" in metric["properties"]["value"]["description"]


def test_every_field_description_names_a_real_field():
    defined = {}
    for name in SCHEMAS:
        schema = generate(name)
        defined[schema["title"]] = schema
        defined.update(schema.get("definitions", {}))
    for model_name, fields in FIELD_DOCS.items():
        assert model_name in defined, model_name
        for field in fields:
            assert field in defined[model_name]["properties"], f"{model_name}.{field}"
