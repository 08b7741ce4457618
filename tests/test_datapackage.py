"""Each edition's Frictionless Data Package: `frictionless validate` (the CLI of PyPI's frictionless) passes on the
built package with every network connection refused, and fails on a doctored copy; the zip holds the package, a
bilingual README and the licence, and is the same bytes on every build."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from chenzhou_report.datapackage import COLUMNS, PROFILE, package_name
from chenzhou_report.model import LANGS
from chenzhou_report.render import SiteRenderer

ROOT = Path(__file__).resolve().parent.parent

#: runs `frictionless validate` with every socket refused: a network attempt prints NETWORK-ATTEMPT and fails
GUARDED_CLI = """
import socket, sys
def refuse(*args, **kwargs):
    sys.stderr.write("NETWORK-ATTEMPT %r\\n" % (args[:2],))
    raise OSError("network disabled in the test")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from frictionless.__main__ import console
sys.argv = ["frictionless", *sys.argv[1:]]
sys.exit(console())
"""


def validate(folder: Path, descriptor: str = "datapackage.json") -> tuple[int, dict, str]:
    """(exit status, the JSON report, stderr) of `frictionless validate --json` run in `folder`, offline."""
    done = subprocess.run([sys.executable, "-c", GUARDED_CLI, "validate", "--json", descriptor], cwd=folder,
                          capture_output=True, text=True, timeout=300)
    report = json.loads(done.stdout) if done.stdout.strip().startswith("{") else {}
    return done.returncode, report, done.stderr


def error_types(report: dict) -> set[str]:
    found = {e["type"] for e in report.get("errors", [])}
    for task in report.get("tasks", []):
        found |= {e["type"] for e in task.get("errors", [])}
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_built_package_validates_offline(built_site, lang):
    code, report, stderr = validate(built_site / lang / "data")
    assert "NETWORK-ATTEMPT" not in stderr, stderr
    assert code == 0 and report["valid"] is True, report
    [task] = report["tasks"]
    assert task["name"] == "metrics" and task["stats"]["rows"] > 50


def test_the_guard_catches_a_network_attempt(built_site, tmp_path):
    """The guard is real: a descriptor naming a remote custom profile makes frictionless try the network."""
    folder = tmp_path / "data"
    shutil.copytree(built_site / "en" / "data", folder)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["profile"] = "https://example.com/custom-profile.json"
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    code, report, stderr = validate(folder)
    assert "NETWORK-ATTEMPT" in stderr
    assert code != 0


def doctored(built_site, tmp_path, change) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(built_site / "zh" / "data", folder)
    path = folder / "metrics.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    fieldnames = list(rows[0])
    change(rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fieldnames, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return folder


def test_a_non_numeric_value_fails(built_site, tmp_path):
    folder = doctored(built_site, tmp_path, lambda rows: rows[3].update(value="3,884"))
    code, report, _ = validate(folder)
    assert code != 0 and report["valid"] is False
    assert "type-error" in error_types(report), report


def test_a_duplicate_primary_key_fails(built_site, tmp_path):
    folder = doctored(built_site, tmp_path, lambda rows: rows.append(dict(rows[0])))
    code, report, _ = validate(folder)
    assert code != 0
    assert error_types(report) & {"primary-key", "unique-error"}, report


def test_an_unknown_unit_fails(built_site, tmp_path):
    folder = doctored(built_site, tmp_path, lambda rows: rows[0].update(unit="counts"))
    code, report, _ = validate(folder)
    assert code != 0 and "constraint-error" in error_types(report), report


def test_descriptor_is_v2_typed_keyed_and_in_the_editions_language(built_site, content):
    for lang in LANGS:
        descriptor = json.loads((built_site / lang / "data" / "datapackage.json").read_text(encoding="utf-8"))
        assert descriptor["$schema"] == PROFILE and "profile" not in descriptor
        assert descriptor["name"] == package_name(content, lang)
        assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
        renderer = SiteRenderer(content, lang, ROOT / "templates")
        sources = " ".join(s["title"] for s in descriptor["sources"])
        report = renderer.content.report  # the edition's own wording (converted in the Traditional edition)
        assert report.issuer[lang].split()[-1] in renderer.t("source_circular") or lang == "en"
        assert renderer.t("source_circular") in sources and report.publication[lang] in sources
        roles = {role for c in descriptor["contributors"] for role in c["roles"]}
        assert {"creator", "publisher", "processor"} <= roles
        [resource] = descriptor["resources"]
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == renderer.columns
        # every column typed once; the as-printed originals only where the edition's text is converted
        assert renderer.columns == [c for c in COLUMNS if c in renderer.columns]
        assert (set(COLUMNS) - set(renderer.columns) == set(SiteRenderer.AS_PRINTED)) == (lang == "en" or lang == "zh")
        assert {f["name"]: f["type"] for f in fields}["value"] == "number"
        assert resource["schema"]["primaryKey"] == ["id"]
        for field in fields:
            assert field["description"] == renderer.t(f"column_{field['name']}")
        header = (built_site / lang / "data" / "metrics.csv").read_text(encoding="utf-8").split("\n")[0]
        assert header.split(",") == renderer.columns


def test_zip_holds_the_package_a_bilingual_readme_and_the_licence(built_site, content, tmp_path):
    for lang in LANGS:
        name = package_name(content, lang)
        data = built_site / lang / "data"
        with zipfile.ZipFile(data / f"{name}.zip") as archive:
            members = archive.namelist()
            assert members == [f"{name}/datapackage.json", f"{name}/metrics.csv", f"{name}/README.md",
                               f"{name}/LICENSE.txt"]
            assert archive.read(f"{name}/metrics.csv") == (data / "metrics.csv").read_bytes()
            assert archive.read(f"{name}/datapackage.json") == (data / "datapackage.json").read_bytes()
            readme = archive.read(f"{name}/README.md").decode("utf-8")
            licence = archive.read(f"{name}/LICENSE.txt").decode("utf-8")
            archive.extractall(tmp_path / lang)
        for each in LANGS:
            renderer = SiteRenderer(content, each, ROOT / "templates")
            assert renderer.t("readme_columns") in readme
            for column in renderer.columns:
                assert renderer.t(f"column_{column}") in readme
            for metric in renderer.derived_metrics:
                assert f"`{metric.id}` = `{metric.derived.numerator}` ÷ `{metric.derived.denominator}`" in readme
            assert renderer.dataset_citation() in readme
            assert renderer.t("licence_note") in licence
        assert "https://creativecommons.org/licenses/by/4.0/" in licence
        # the unpacked zip is a valid package too
        code, report, stderr = validate(tmp_path / lang / name)
        assert code == 0 and "NETWORK-ATTEMPT" not in stderr, report


def test_zip_bytes_depend_on_the_content_only(content):
    first = SiteRenderer(content, "en", ROOT / "templates").files()
    second = SiteRenderer(content, "en", ROOT / "templates").files()
    name = f"data/{package_name(content, 'en')}.zip"
    assert first[name] == second[name]
    info = zipfile.ZipFile(io.BytesIO(first[name])).infolist()
    assert {i.date_time for i in info} == {(1980, 1, 1, 0, 0, 0)}
