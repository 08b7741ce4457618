"""Measure the live preview as an editor sees it (a measurement, not a test: nothing here asserts a target).

    .venv/bin/python -m tools.preview_latency [EDITS]        # default 9 edits

Starts `chenzhou-report serve` on a free port over a copy of the project, opens the Chinese page of area 14 in
Debian's Chromium (Playwright), then EDITS times: changes one figure in the area's YAML file and waits until the
open tab shows it (MkDocs' live-reload script reloads the page after the rebuild). Prints the time from saving to
the tab showing the new figure, the time until the served HTML has it, and the preview's own rebuild times.
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from chenzhou_report.languages import CONFIGS
from tools import ROOT, free_port

AREA = "content/areas/14-wage-arrears.yaml"
PAGE = "zh/areas/14-wage-arrears/"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOWN = "() => { const d = document.querySelector('data[data-metric=wage_platform_received]'); return d && d.value; }"


def main(edits: int) -> int:
    work = Path(tempfile.mkdtemp(prefix="preview-latency-"))
    project = work / "project"
    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, project / name)
    for name in CONFIGS:
        shutil.copy2(ROOT / name, project / name)
    port = free_port()
    log = open(work / "serve.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "chenzhou_report.cli", "serve", "--root", str(project),
                               "--port", str(port)], stdout=log, stderr=subprocess.STDOUT,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    url = f"http://127.0.0.1:{port}/{PAGE}"
    area = project / AREA
    original = area.read_text(encoding="utf-8")
    browser_s, html_s = [], []
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(url, timeout=5)
                break
            except OSError:
                time.sleep(0.1)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            page = browser.new_page()
            page.goto(url)
            time.sleep(1.0)
            for i in range(edits):
                value = str(5000 + i)
                area.write_text(original.replace('value: "3884"', f'value: "{value}"', 1), encoding="utf-8")
                saved, in_html = time.perf_counter(), None
                while time.perf_counter() - saved < 60:
                    if in_html is None:
                        with urllib.request.urlopen(url, timeout=10) as response:
                            if f'value="{value}"' in response.read().decode("utf-8"):
                                in_html = time.perf_counter() - saved
                    try:
                        if page.evaluate(SHOWN) == value:
                            break
                    except Exception:  # the page is reloading
                        pass
                    time.sleep(0.01)
                else:
                    raise SystemExit(f"edit {i + 1} did not show within 60 s")
                browser_s.append(time.perf_counter() - saved)
                html_s.append(in_html or browser_s[-1])
                time.sleep(1.0)
            browser.close()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    rebuilds = [line.split(" in ")[1].split(" s")[0] for line in (work / "serve.log").read_text().splitlines()
                if "built zh + en in" in line][1:]
    shutil.rmtree(work, ignore_errors=True)
    print("save -> open tab shows it (s):", " ".join(f"{x:.2f}" for x in browser_s))
    print("save -> served HTML has it (s):", " ".join(f"{x:.2f}" for x in html_s))
    print("rebuilds (s):", " ".join(rebuilds))
    print(f"median {statistics.median(browser_s):.2f} s in the browser (max {max(browser_s):.2f} s), "
          f"{statistics.median(html_s):.2f} s in the HTML, over {edits} edits; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 9))
