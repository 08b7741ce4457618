"""A real browser on the real site: Debian's chromium driven by Playwright, one browser for the whole session.

The built site (the `built_site` fixture of tests/conftest.py) is served by Python's http.server on a free local
port. Every page a test opens goes through `open_page`, which records what the site must never do: ask another
host for anything, or log an error to the console. Chromium is never downloaded (`playwright install` cannot
reach the network here); `make test` installs Debian's chromium (`make system-deps`). Without it these tests
fail — they are not skipped.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

from kit import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, DESKTOP


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """http://127.0.0.1:PORT serving `directory` with http.server until the block ends."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(directory)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=1).close()
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"http.server exited with {server.returncode}")
                time.sleep(0.05)
        else:
            pytest.fail("http.server did not answer")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def site_url(built_site) -> str:
    """http://127.0.0.1:PORT — the built site served by http.server for the whole session."""
    with serve_directory(built_site) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail("Debian's chromium is missing: run `make system-deps` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@dataclass
class Watch:
    """What a page did that it must not: requests to other hosts, console errors, uncaught exceptions."""

    origin: str
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def request(self, request) -> None:
        url = urlparse(request.url)
        if url.scheme in ("data", "blob", "about"):
            return
        if f"{url.scheme}://{url.netloc}" != self.origin:
            self.foreign.append(request.url)

    def console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text} ({message.location.get('url', '')})")

    def page_error(self, error) -> None:
        self.errors.append(f"uncaught: {error}")


@dataclass
class Opened:
    page: object
    watch: Watch


@pytest.fixture
def open_page(browser, site_url):
    """open_page(path, width=1280, javascript=True) -> Opened: a fresh context, watched from its first request."""
    contexts = []

    def _open(path: str, width: int = DESKTOP, javascript: bool = True, height: int = 900,
              init_script: str | None = None) -> Opened:
        context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=javascript,
                                      service_workers="block")
        if init_script:
            context.add_init_script(init_script)
        contexts.append(context)
        watch = Watch(site_url)
        context.on("request", watch.request)
        # a request to another host never leaves the machine, whatever the test finds
        context.route(lambda url: not url.startswith(site_url) and not url.startswith(("data:", "blob:")),
                      lambda route: route.abort())
        page = context.new_page()
        page.on("console", watch.console)
        page.on("pageerror", watch.page_error)
        response = page.goto(f"{site_url}/{path.lstrip('/')}", wait_until="load")
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        return Opened(page, watch)

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """tests/artifacts/ (git-ignored): screenshots and PDFs a reader can look at after the run."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
