"""Lighthouse scores of the built site: a benchmark that writes a Markdown table for README (not a test).

    python -m tools.lighthouse [--runs 3] [--out FILE] [--relative] [--min 95]

Builds the real site into a temporary folder the way it is published — with `site_url` set (SITE_URL_ZH/EN), so
the `<link rel="alternate" hreflang>` hrefs are absolute URLs (Lighthouse's SEO audit "hreflang" rejects relative
ones; `--relative` builds without site_url to show that) — and serves it on 127.0.0.1 with gzip, as a static host
such as GitHub Pages does. Then it runs npm `lighthouse` (tests/node/node_modules, CHROME_PATH=/usr/bin/chromium)
on the home page and an area page of each language, with Lighthouse's default mobile settings (simulated slow 4G
and a slower CPU), `--runs` times per page, and prints the median of each category score as a Markdown table (a
busy machine slows single runs: Lighthouse recommends the median of several), then the audits that did not pass.
Exit status 1 when a score is below `--min` (default 95).
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from functools import partial
from pathlib import Path

from chenzhou_report.languages import LANGS, site_url_env
from tools import free_port

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = (("zh", ""), ("zh", "areas/14-wage-arrears/"), ("en", ""), ("en", "areas/14-wage-arrears/"))
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync")
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".csv", ".txt", ".map")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, text gzipped when the browser accepts it, cached for an hour: what a static host does."""

    def log_message(self, *args):  # quiet
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's URL with a slash
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *_):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def build(root: Path, site: Path, base: str | None) -> None:
    from chenzhou_report.build import Project, build_site

    saved = {site_url_env(lang): os.environ.get(site_url_env(lang)) for lang in LANGS}
    try:
        for lang in LANGS:
            if base:
                os.environ[site_url_env(lang)] = f"{base}/{lang}/"
            else:
                os.environ.pop(site_url_env(lang), None)
        build_site(Project(root), site)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_lighthouse(lighthouse: Path, url: str) -> dict:
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        subprocess.run([str(lighthouse), url, f"--chrome-flags={CHROME_FLAGS}",
                        f"--only-categories={','.join(CATEGORIES)}", "--output=json", f"--output-path={out}",
                        "--quiet"], check=True, env=env, timeout=300)
        return json.loads(out.read_text(encoding="utf-8"))


def median_scores(reports: list[dict]) -> dict[str, int]:
    return {c: round(statistics.median(r["categories"][c]["score"] * 100 for r in reports)) for c in CATEGORIES}


def table(results: list[tuple[str, list[dict]]]) -> str:
    lines = ["| page | performance | accessibility | best practices | SEO |", "|---|---:|---:|---:|---:|"]
    for label, reports in results:
        scores = median_scores(reports)
        lines.append(f"| {label} | " + " | ".join(str(scores[c]) for c in CATEGORIES) + " |")
    return "\n".join(lines)


def failed_audits(report: dict) -> list[str]:
    out = []
    weights = {ref["id"]: ref.get("weight", 0) for c in CATEGORIES for ref in report["categories"][c]["auditRefs"]}
    for audit_id, audit in report["audits"].items():
        score = audit.get("score")
        if score is not None and score < 0.9 and weights.get(audit_id, 0) > 0:
            out.append(f"{audit_id} ({score:.2f}{', ' + audit['displayValue'] if audit.get('displayValue') else ''})")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.lighthouse", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the project folder (default: here)")
    parser.add_argument("--out", type=Path, help="also write the Markdown table to this file")
    parser.add_argument("--relative", action="store_true", help="build without site_url (relative hreflang hrefs)")
    parser.add_argument("--min", type=int, default=95, help="lowest acceptable score (default 95)")
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the table shows medians (default 3)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    lighthouse = root / "tests" / "node" / "node_modules" / ".bin" / "lighthouse"
    if not lighthouse.exists():
        print(f"{lighthouse}: not installed (run `make node-deps`)", file=sys.stderr)
        return 2

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build(root, site, None if args.relative else base)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), partial(GzipHandler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            results = []
            for lang, path in PAGES:
                label = f"{lang}/{path}" if path else f"{lang}/ (home)"
                reports = [run_lighthouse(lighthouse, f"{base}/{lang}/{path}") for _ in range(args.runs)]
                results.append((label, reports))
        finally:
            server.shutdown()
            server.server_close()

    version = results[0][1][0].get("lighthouseVersion", "?")
    markdown = (f"{table(results)}\n\nLighthouse {version}, default mobile settings (simulated slow 4G, 4x CPU "
                f"slowdown), median of {args.runs} run{'s' if args.runs > 1 else ''} per page, served locally with "
                f"gzip{'; built without site_url, so hreflang hrefs are relative' if args.relative else ''}.\n")
    print(markdown)
    for label, reports in results:
        failed = sorted({audit for report in reports for audit in failed_audits(report)})
        if failed:
            print(f"{label}: audits below 0.9 in some run: {', '.join(failed)}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(markdown, encoding="utf-8")
    low = [(label, c) for label, reports in results for c, score in median_scores(reports).items()
           if score < args.min]
    if low:
        print("below " + str(args.min) + ": " + ", ".join(f"{label} {c}" for label, c in low), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
