"""`chenzhou-report check`: the content checks, and with --site the checks of the built site.

Text output: one line per finding, `path:line:column: [check-id] message ｜ 中文提示`, then the external links (listed,
not checked unless --external), then a summary line. `--format json` prints one JSON object instead.
Exit status: 0 without findings, 1 with any.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from . import Finding
from .content import check_content_dir


def run_checks(project, site: bool = False, site_dir: str | None = None, fmt: str = "text",
               external: bool = False, *, out=None) -> int:
    out = out or sys.stdout
    root = Path(project.root)
    content, findings = check_content_dir(project.content_dir, root)
    checks = ["load", "characters"] if content is None else [
        "load", "bare-number", "parity", "derived", "sanity", "source-form", "source-text", "unreferenced",
        "unsafe-link", "broken-link", "characters", "written", "names", "number-words", "revisions"]
    external_links = []
    if site or site_dir or external:
        from .site import check_site

        directory = Path(site_dir) if site_dir else root / "site"
        if not directory.is_absolute():
            directory = (Path.cwd() / directory)
        report = check_site(directory, content, root, external=external)
        findings = findings + report.findings
        external_links = report.external
        checks += report.checks
    findings = sorted(set(findings))
    by_check = Counter(f.check for f in findings)
    if fmt == "json":
        json.dump({"findings": [f.as_dict() for f in findings], "count": len(findings), "by_check": dict(by_check),
                   "checks": checks, "external_links": [link.as_dict() for link in external_links],
                   "external_checked": external}, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        for finding in findings:
            print(finding, file=out)
        if site or site_dir or external:
            state = "checked" if external else "not checked; --external checks them"
            print(f"external links: {len(external_links)} ({state})", file=out)
            for link in external_links:
                print(f"  {link.path}:{link.line}:{link.column}: {link.url}", file=out)
        print(_summary(findings, by_check, checks), file=out)
    return 1 if findings else 0


def _summary(findings: list[Finding], by_check: Counter, checks: list[str]) -> str:
    ran = f"{len(checks)} check(s): {', '.join(checks)}"
    if not findings:
        return f"0 findings ({ran})"
    detail = ", ".join(f"{name} {count}" for name, count in sorted(by_check.items()))
    return f"{len(findings)} finding(s) ({detail}) from {ran}"


__all__ = ["run_checks"]
