"""The live preview, for real: `chenzhou-report serve` in a subprocess over a copy of the project.

An edit to a YAML file shows in the served page; a broken file prints its problem in the terminal and leaves the
last good page; fixing it recovers. The time from saving to the page showing the change is printed (and recorded
as a test property), not asserted: speed is measured by `make bench`. The only time limits are hang guards.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import jinja2
import pytest

from chenzhou_report.languages import CONFIGS
from chenzhou_report.build import Project, build_site
from chenzhou_report.publish import lock_path
from chenzhou_report.serve import Preview, Viewers, watched_paths
from sitetree import differing, tree_hash
from chenzhou_report.templatecache import CompiledTemplates

ROOT = Path(__file__).resolve().parent.parent
AREA_FILE = "content/areas/14-wage-arrears.yaml"
AREA_PAGE = "areas/14-wage-arrears/"
HANG_GUARD = 60  # seconds; an edit normally shows in about a second


def _copy_project(dest: Path) -> Path:
    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, dest / name)
    for name in CONFIGS:
        shutil.copy2(ROOT / name, dest / name)
    return dest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def _wait_for(predicate, what: str, timeout: float = HANG_GUARD, interval: float = 0.02):
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        result = predicate()
        if result:
            return time.perf_counter() - started
        time.sleep(interval)
    raise AssertionError(f"hang guard: {what} did not happen within {timeout} s")


def _figure(html: str, metric: str) -> str | None:
    match = re.search(rf'<data[^>]*data-metric="{metric}"[^>]*value="([^"]+)"', html) or \
        re.search(rf'<data[^>]*value="([^"]+)"[^>]*data-metric="{metric}"', html)
    return match.group(1) if match else None


class Server:
    def __init__(self, root: Path, log_dir: Path, env: dict | None = None):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.out_path, self.err_path = log_dir / "serve.out", log_dir / "serve.err"
        self.out, self.err = open(self.out_path, "w"), open(self.err_path, "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "chenzhou_report.cli", "serve", "--root", str(root), "--port", str(self.port)],
            stdout=self.out, stderr=self.err, cwd=root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})})

    def output(self) -> str:
        return self.out_path.read_text(encoding="utf-8") + self.err_path.read_text(encoding="utf-8")

    def page(self, path: str) -> str:
        status, html = _get(self.base + path)
        return html if status == 200 else ""

    def stop(self, signals: int = 1) -> int:
        if self.process.poll() is None:
            for _ in range(signals):  # `make serve` stopped by `timeout` gets one TERM from each
                self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.out.close()
        self.err.close()
        return self.process.returncode


@pytest.fixture
def server(tmp_path):
    root = _copy_project(tmp_path / "project")
    running = Server(root, tmp_path)
    try:
        _wait_for(lambda: running.process.poll() is not None or running.page("zh/"), "the first build")
        assert running.process.poll() is None, running.output()
        running.root = root
        yield running
    finally:
        running.stop()


def test_live_preview_shows_edits_keeps_last_good_page_and_recovers(server, record_property):
    area = server.root / AREA_FILE
    original = area.read_text(encoding="utf-8")
    assert 'value: "3884"' in original

    # the root page and both languages, with MkDocs' reload script injected
    assert "zh/" in server.page("") and "en/" in server.page("")
    for lang in ("zh", "en"):
        html = server.page(f"{lang}/{AREA_PAGE}")
        assert "livereload" in html
        assert _figure(html, "wage_platform_received") == "3884"

    # 1. an edit shows in the page
    area.write_text(original.replace('value: "3884"', 'value: "3885"', 1), encoding="utf-8")
    latency = _wait_for(lambda: _figure(server.page(f"zh/{AREA_PAGE}"), "wage_platform_received") == "3885",
                        "the edit showing in the page")
    print(f"\npreview latency, save to page: {latency:.2f} s")
    record_property("preview_latency_s", round(latency, 3))
    assert "3,885" in server.page(f"en/{AREA_PAGE}")

    # 2. a broken file: the problem is printed, the page keeps the last good build
    broken = original.replace('value: "3884"', 'value: "3886"', 1).replace("    unit: count\n", "    unit: counts\n", 1)
    area.write_text(broken, encoding="utf-8")
    line = broken[: broken.index("unit: counts")].count("\n") + 1
    expected = f"{AREA_FILE}:{line}:11: 'counts' is not allowed for 'unit'"
    _wait_for(lambda: expected in server.output(), "the problem printed in the terminal")
    assert "the preview still shows the last good version" in server.output()
    html = server.page(f"zh/{AREA_PAGE}")
    assert _figure(html, "wage_platform_received") == "3885", "a broken file must leave the last good page"
    assert server.process.poll() is None

    # 3. the fix recovers
    area.write_text(original.replace('value: "3884"', 'value: "3887"', 1), encoding="utf-8")
    _wait_for(lambda: _figure(server.page(f"zh/{AREA_PAGE}"), "wage_platform_received") == "3887",
              "the fixed file showing in the page")

    # 4. a template edit shows too
    template = next((server.root / "templates" / "pages").glob("area*.j2"))
    template.write_text(template.read_text(encoding="utf-8") + "\n<p>preview-marker-7</p>\n", encoding="utf-8")
    _wait_for(lambda: "preview-marker-7" in server.page(f"zh/{AREA_PAGE}"), "the template edit showing")

    assert "Traceback" not in server.output()
    assert server.stop() == 0
    assert "preview stopped" in server.output()


def test_a_preview_started_on_broken_content_lists_the_problems_then_recovers(tmp_path):
    root = _copy_project(tmp_path / "project")
    area = root / AREA_FILE
    original = area.read_text(encoding="utf-8")
    area.write_text(original.replace("number: 14\n", "number: fourteen\n", 1), encoding="utf-8")
    temp = tmp_path / "temp"  # the preview's own temporary folder goes here, to see that it is removed
    temp.mkdir()
    running = Server(root, tmp_path, env={"TMPDIR": str(temp)})
    try:
        _wait_for(lambda: running.process.poll() is not None or running.page("zh/"), "the placeholder page")
        assert [p.name for p in temp.iterdir() if p.name.startswith("chenzhou-preview-")]
        page = running.page("zh/")
        assert f"{AREA_FILE}:2:9: &#x27;number&#x27; should be a whole number" in page, page
        assert "livereload" in page  # it reloads by itself when the content is fixed
        area.write_text(original, encoding="utf-8")
        _wait_for(lambda: _figure(running.page(f"zh/{AREA_PAGE}"), "wage_platform_received") == "3884",
                  "the first good build")
        assert "Traceback" not in running.output()
    finally:
        assert running.stop(signals=2) == 0, running.output()
    assert not [p.name for p in temp.iterdir() if p.name.startswith("chenzhou-preview-")], "temporary folder left"


def test_a_busy_port_is_said_plainly(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "chenzhou_report.cli", "serve", "--root", str(ROOT),
                                 "--port", str(port)], capture_output=True, text=True, timeout=HANG_GUARD)
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "--port" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def _tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_the_builder_never_raises_and_keeps_the_last_good_site(tmp_path, capfd):
    project = Project(_copy_project(tmp_path / "project"))
    area = project.root / AREA_FILE
    original = area.read_text(encoding="utf-8")
    # a figure that no longer matches its source: it builds, and the content checks' findings are shown
    area.write_text(original.replace('value: "3884"', 'value: "3885"', 1), encoding="utf-8")
    site = tmp_path / "serve" / "site"
    preview = Preview(project, site)
    preview()
    assert preview.good_builds == 1 and (site / "zh" / "index.html").is_file()
    preview.settle()  # the content checks run in the background (in a process of their own)
    out = capfd.readouterr()
    assert "built zh + en" in out.out
    assert f"{AREA_FILE}:" in out.err and "finding(s) from the content checks" in out.err
    before = _tree_hash(site)

    area.write_text(original + "oops: [\n", encoding="utf-8")
    preview()  # must not raise
    err = capfd.readouterr().err
    assert f"{AREA_FILE}:" in err and "YAML syntax error" in err
    area.write_text(original, encoding="utf-8")

    template = project.root / "templates" / "pages" / "about.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n{% if %}\n", encoding="utf-8")
    preview()  # a template being edited: one line with its place, no traceback
    err = capfd.readouterr().err
    assert "templates/pages/about.md.j2:" in err and "template error" in err and "Traceback" not in err

    assert preview.failed_builds == 2 and preview.good_builds == 1
    assert _tree_hash(site) == before


def test_the_preview_watches_content_templates_and_both_mkdocs_files():
    paths = set(watched_paths(Project(ROOT)))
    assert paths == {ROOT / "content", ROOT / "templates", *(ROOT / name for name in CONFIGS)}


def test_compiled_templates_are_reused_between_builds_and_never_stale():
    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled again")

    loader = jinja2.DictLoader({"page": "{{ x }}!"})
    cache = CompiledTemplates()
    assert jinja2.Environment(loader=loader, bytecode_cache=cache).get_template("page").render(x=1) == "1!"
    # a new environment, as MkDocs makes for every build, reuses the compiled template
    again = jinja2.Environment(loader=loader, bytecode_cache=cache)
    again.compile = no_compiling
    assert again.get_template("page").render(x=2) == "2!"
    # an edited template is compiled afresh
    loader.mapping["page"] = "{{ x }}?"
    assert jinja2.Environment(loader=loader, bytecode_cache=cache).get_template("page").render(x=3) == "3?"
    # an environment with other filters or settings never gets another one's code
    other = jinja2.Environment(loader=loader, trim_blocks=True, bytecode_cache=cache)
    compiled = []
    original = other.compile
    other.compile = lambda *a, **k: compiled.append(1) or original(*a, **k)
    assert other.get_template("page").render(x=4) == "4?" and compiled
    assert len(cache) == 2  # one entry per template and settings; an edit replaces its entry
    assert jinja2.Environment().bytecode_cache is None  # no global patch: only environments given the cache


# --- what the preview answers to: the Host rule and bad URLs, with raw requests against a real server ---------

def _raw(port: int, request: bytes) -> tuple[int, bytes]:
    """Send one request exactly as given; the status code and the body (0 if the server sent no status line)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(request)
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    match = re.match(rb"HTTP/1\.[01] (\d{3}) ", head)
    return (int(match.group(1)) if match else 0), body


def _get_raw(port: int, target: bytes, host: bytes | None = None, method: bytes = b"GET") -> tuple[int, bytes]:
    host = b"127.0.0.1:%d" % port if host is None else host
    return _raw(port, method + b" " + target + b" HTTP/1.1\r\nHost: " + host + b"\r\nContent-Length: 0\r\n"
                b"Connection: close\r\n\r\n")


BAD_URLS = {  # target as sent -> the status it must get
    b"/%00": 400, b"/zh/%00index.html": 400, b"/zh/index.html%00.css": 400, b"/%ZZ": 400, b"/zh/%E4%B8": 400,
    b"/zh/%C0%AE%C0%AE/etc/passwd": 400, b"/zh/%FF/": 400, b"/../../etc/passwd": 400,
    b"/%2e%2e/%2e%2e/etc/passwd": 400, b"/zh/..%2f..%2f..%2fetc%2fpasswd": 400, b"/zh/%5c..%5c..%5cetc": 400,
    b"/zh/%0d%0aSet-Cookie:x=1": 400, b"/" + b"a" * 5000: 400, b"http://evil.example/zh/": 400, b"*": 400,
    b"/zh/no-such-page/": 404, b"/zh/areas/99-nothing/": 404,
}


def test_the_preview_answers_only_to_its_own_host_and_refuses_bad_urls_without_a_traceback(server):
    port = server.port
    # its own names are served
    for host in (b"127.0.0.1:%d" % port, b"localhost:%d" % port, b"LocalHost:%d" % port):
        status, body = _get_raw(port, b"/zh/", host)
        assert status == 200 and b"livereload" in body, host
    # any other Host is refused before a file is read: DNS rebinding (a foreign name pointed at 127.0.0.1)
    for host in (b"evil.example:%d" % port, b"evil.example", b"127.0.0.1", b"127.0.0.1:%d.evil.example" % port,
                 b"localhost:%d@evil.example" % port, b"[::1]:%d" % port, b"127.0.0.1:%d, evil.example" % port):
        status, body = _get_raw(port, b"/zh/", host)
        assert status == 400 and b"answers only to" in body and b"<" not in body, (host, status, body)
    assert _raw(port, b"GET /zh/ HTTP/1.0\r\n\r\n")[0] == 400  # no Host at all
    assert _raw(port, b"GET /zh/ HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
                % port)[0] == 400  # a second Host header
    # the live-reload endpoint follows the same rule
    assert _get_raw(port, b"/livereload/0/0", b"evil.example:%d" % port)[0] == 400
    # bad URLs: 400 or 404, never 500
    for target, expected in BAD_URLS.items():
        status, _ = _get_raw(port, target)
        assert status == expected, (target[:60], status)
    assert _get_raw(port, b"/zh/", method=b"POST")[0] == 405
    assert _get_raw(port, b"/zh/", method=b"DELETE")[0] == 405
    # requests the HTTP layer itself refuses (before our code): plain 4xx, no traceback either
    assert _raw(port, b"\x00\xff garbage\r\n\r\n")[0] in (0, 400)
    assert _raw(port, b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n")[0] == 414
    # still serving, and nothing but one line per refused Host in the terminal
    assert _get_raw(port, b"/en/")[0] == 200
    output = server.output()
    assert "Traceback" not in output and "Exception" not in output, output
    assert "refused a request for Host 'evil.example:" in output and "DNS rebinding" in output


def test_the_host_rule_and_url_rules_in_detail():
    from chenzhou_report.serve import allowed_hosts, refusal

    allowed = allowed_hosts("127.0.0.1", 8000)
    assert allowed == {"127.0.0.1:8000", "localhost:8000"}
    assert allowed_hosts("::1", 8000) == {"127.0.0.1:8000", "localhost:8000", "[::1]:8000"}
    assert allowed_hosts("0.0.0.0", 8000) == allowed  # a wildcard adds no name an attacker could not choose
    assert allowed_hosts("192.168.1.5", 80) >= {"192.168.1.5:80", "192.168.1.5", "localhost"}
    assert refusal("GET", "/zh/", "127.0.0.1:8000", allowed) is None
    assert refusal("GET", "/zh/areas/14-wage-arrears/?q=1", "localhost:8000", allowed) is None
    assert refusal("GET", "/zh/%E6%AC%A0%E8%96%AA/", "localhost:8000", allowed) is None  # UTF-8 escapes are fine
    assert refusal("GET", "/zh/", "127.0.0.1:8001", allowed)[0] == 400
    assert refusal("GET", "/zh/", None, allowed)[0] == 400
    assert refusal("HEAD", "/zh/", "127.0.0.1:8000", allowed) is None
    for target in (t.decode("latin-1") for t, code in BAD_URLS.items() if code == 400):
        assert refusal("GET", target, "127.0.0.1:8000", allowed)[0] == 400, target[:60]


def test_the_edition_on_screen_is_built_first_then_the_others_and_the_site_is_a_full_builds(tmp_path, monkeypatch,
                                                                                             capfd):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")  # the sitemap's date: the same in both builds compared
    project = Project(_copy_project(tmp_path / "project"))
    area = project.root / AREA_FILE
    original = area.read_text(encoding="utf-8")
    site = tmp_path / "serve" / "site"
    viewers = Viewers()
    preview = Preview(project, site, viewers)
    preview()
    preview.settle()
    viewers.saw(f"/en/{AREA_PAGE}")
    viewers.saw("/livereload/1/2", referer=f"http://127.0.0.1:8000/zh-hant/{AREA_PAGE}")
    assert preview.first_editions() == ["zh-hant", "en"]
    capfd.readouterr()
    for value in ("3885", "3886", "3887"):  # one save after the other: the first two background builds are stopped
        area.write_text(original.replace('value: "3884"', f'value: "{value}"', 1), encoding="utf-8")
        preview()
        # before the call returns, the editions on screen are built
        assert _figure((site / "en" / AREA_PAGE / "index.html").read_text(encoding="utf-8"),
                       "wage_platform_received") == value
        assert _figure((site / "zh-hant" / AREA_PAGE / "index.html").read_text(encoding="utf-8"),
                       "wage_platform_received") == value
    out = capfd.readouterr().out
    assert out.count("built zh-hant + en in") == 3
    preview.settle()  # then the edition not on screen
    assert _figure((site / "zh" / AREA_PAGE / "index.html").read_text(encoding="utf-8"),
                   "wage_platform_received") == "3887"
    assert "built zh in" in capfd.readouterr().out
    full = tmp_path / "full"
    build_site(project, full, full=True)
    assert differing(site, full) == [] and tree_hash(site) == tree_hash(full)
    assert sorted(p.name for p in site.parent.iterdir()) == sorted(["site", lock_path(site).name]), "a leftover"
