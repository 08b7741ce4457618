"""The package's shape, as issue 10 fixed it: small modules, the product apart from its tooling."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "chenzhou_report"
MAX_LINES = 450


def test_no_module_of_the_package_is_over_450_lines():
    long = {p.relative_to(ROOT).as_posix(): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"split these modules (at most {MAX_LINES} lines each): {long}"


def test_benchmarks_and_lighthouse_live_beside_the_package():
    assert not [p.name for p in PACKAGE.rglob("*.py") if p.stem.startswith(("bench", "lighthouse"))]
    assert {"bench.py", "bench_content.py", "lighthouse.py", "preview_latency.py"} <= {
        p.name for p in (ROOT / "tools").glob("*.py")}
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import tools" not in text and "from tools" not in text, path.name
