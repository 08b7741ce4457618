"""Checks of the content (no build needed) and of the built site, each reporting `path:line:column: [id] message`.

`content.check_content(content)` runs the content checks; `site.check_site(site_dir, content)` the checks of a
built site; `runner.run_checks(...)` is `chenzhou-report check`. `registry.REGISTRY` declares every check: what it
catches and how to satisfy it legitimately (README.md's table is generated from it: `chenzhou-report check --list`).
"""

from __future__ import annotations

from ..errors import Problem
from .registry import REGISTRY

#: a check's finding is a Problem carrying the check's id (Problem.found); one located-problem type for loading,
#: content checks and site checks. The name is kept for annotations.
Finding = Problem


#: check id -> (what it catches, how to satisfy it legitimately), from the registry (checks/registry.py)
CHECKS: dict[str, tuple[str, str]] = {c.id: (c.catches, c.fix) for c in REGISTRY}

__all__ = ["Finding", "CHECKS"]
