"""Tooling beside the product: benchmarks and measurements of chenzhou-report, never imported by it.

    python -m tools.bench              # make bench: build cost at 1x/10x/100x against plain MkDocs, preview latency
    python -m tools.lighthouse         # make lighthouse: Lighthouse scores of the built site
    python -m tools.preview_latency    # save-to-open-tab latency of the live preview in Chromium

Run them from the checkout's root (the Makefile does). They measure; nothing here asserts a target, and the test
suite only checks their parts at a tiny scale (tests/test_bench.py).
"""

from __future__ import annotations

import socket
from pathlib import Path

#: the checkout these tools measure: the folder holding mkdocs.yml, content/ and templates/
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (the tools serve only on the loopback address)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
