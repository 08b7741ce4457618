"""Live preview: `chenzhou-report serve` (`make serve`) on http://127.0.0.1:8000/.

Builds both languages with the real pipeline (`build.build_site`) into a temporary folder and serves it with
MkDocs' own `LiveReloadServer`, which injects the small script that reloads an open page when a rebuild finishes.
It watches content/, templates/ and the two mkdocs files; saving any of them rebuilds.

A content mistake never takes the preview down: the problems are printed in the terminal, one
`path:line:column: what is wrong (expected) ｜ 中文说明` line each, and the last good build stays on screen (the build
swaps the served folder only on success). Saving the fixed file rebuilds and the page reloads. If the content is
broken when the preview starts, a page listing the problems is served until the first good build.

What it answers to: only requests whose `Host:` is `127.0.0.1:PORT` or `localhost:PORT` (and `[::1]:PORT` or the
address given with --host, when it listens there); any other Host gets 400, so a foreign web page cannot read the
preview by pointing its own domain at 127.0.0.1 (DNS rebinding). Bad URLs (`%00` and other control characters, a
`%` without two hex digits, %-escapes that are not UTF-8, `..` or `\\`, longer than 2,048 characters) get 400 before
MkDocs sees them; only GET and HEAD are served (else 405). The terminal gets one line per refused Host, never a
traceback.

Speed: the watcher looks every 0.1 s, MkDocs waits 0.1 s for saving to settle, then the edition on screen is
rebuilt and the page reloads; the other editions are rebuilt after it, in the background. Which edition is on
screen: the server notes the edition of every page it serves and of every open page's reload request (its
`Referer`), `Viewers`; with none seen in the last two minutes, the first edition of the language table. The first
good build runs in this process (every edition, one after the other), and so does every later build of the edition
on screen, so that this process keeps the imported modules, jieba's dictionary, the compiled templates, the chart
drawings and MkDocs' list of the theme's files warm; each edition builds again only the pages whose inputs changed
(mkdocs_plugin/incremental.py). The other editions are then built in processes forked from this one, in parallel
(parallel.py); the next save stops them (they are built again after the next edition on screen), and when they are
done the pages open in them reload. A fork from this threaded process copies only the building thread; the forked
builds write nothing to the terminal and end with `os._exit`.
"""

from __future__ import annotations

import contextlib
import html
import logging
import os
import re
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import urllib.parse
from http import HTTPStatus
from pathlib import Path


from .build import CONFIG_FILES, BuildFailed, Project, build_editions, build_site
from .languages import LANGS, language
from .errors import ContentError
from .parallel import Cancelled, JobFailed, run
from .parallel import one_line as _where
from .publish import SiteWriteError

POLL_SECONDS = 0.1  # how often the watcher looks at the files (MkDocs' default is 0.5 s); ~50 files to stat


def _say(text: str, stream=None) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=stream or sys.stdout, flush=True)


class Viewers:
    """Which editions are on screen: the edition of each page served and of each open page's reload request.

    >>> viewers = Viewers()
    >>> viewers.saw("/en/areas/14-wage-arrears/"); viewers.saw("/assets/x.css"); viewers.on_screen()
    ['en']
    >>> viewers.saw("/livereload/1/2", referer="http://127.0.0.1:8000/zh-hant/about/"); viewers.on_screen()
    ['zh-hant', 'en']
    """

    #: an edition counts as on screen this long after its last request (a reload request waits up to 60 s)
    RECENT_S = 120.0

    def __init__(self):
        self._seen: dict[str, float] = {}

    def saw(self, path: str, referer: str | None = None) -> None:
        if path.startswith("/livereload/"):
            if not referer:
                return
            path = urllib.parse.urlsplit(referer).path
        elif not (path.endswith("/") or path.endswith(".html")):
            return  # a style sheet, a script, a picture: not a page
        lang = urllib.parse.unquote(path).strip("/").split("/", 1)[0]
        if lang in LANGS:
            self._seen[lang] = time.monotonic()

    def on_screen(self) -> list[str]:
        """The editions seen lately, the latest first."""
        now = time.monotonic()
        seen = list(self._seen.items())  # one step: the server's threads add to it while a build reads it
        recent = [(when, lang) for lang, when in seen if now - when <= self.RECENT_S]
        return [lang for _, lang in sorted(recent, reverse=True)]


class Preview:
    """The builder the live-reload server calls after every change: never raises, always leaves a servable site.

    The edition on screen (`viewers`) is built in this process before the call returns (then the page reloads);
    the others in a background thread, stopped by the next call. `reload` (set by `serve`): makes the open pages
    reload once the background editions are in place."""

    def __init__(self, project: Project, site_dir: Path, viewers: Viewers | None = None):
        self.project = project
        self.site_dir = site_dir
        self.viewers = viewers or Viewers()
        self.reload = None
        self.good_builds = 0
        self.failed_builds = 0
        self._lock = threading.Lock()
        self._rest: threading.Thread | None = None
        self._stop = threading.Event()

    def first_editions(self) -> list[str]:
        """The editions built before the open page reloads: those on screen, else the language table's first."""
        return self.viewers.on_screen() or [LANGS[0]]

    def __call__(self) -> None:
        with self._lock:
            self.stop_background()
            started = time.perf_counter()
            try:
                if not self.good_builds:  # every edition in this process: the later builds start warm
                    content = build_site(self.project, self.site_dir, in_process=True)
                    first, rest = list(LANGS), []
                else:
                    content = self.project.load()
                    first = self.first_editions()
                    rest = [lang for lang in LANGS if lang not in first]
                    build_editions(self.project, self.site_dir, first, content, in_process=True,
                                   with_root=not rest)
            except ContentError as exc:
                self._failed([str(p) for p in exc.problems],
                             f"{len(exc.problems)} problem(s) in content ｜ 内容有 {len(exc.problems)} 处问题")
            except BuildFailed as exc:
                self._failed(str(exc).splitlines(), "the build failed ｜ 构建失败")
            except SiteWriteError as exc:  # the preview's temporary folder: a full disk, most likely
                self._failed([str(exc)], "the preview could not be written ｜ 预览无法写入")
            except Exception as exc:  # a template being edited, or a bug: keep serving, say where
                self._failed([_where(exc)], f"unexpected {type(exc).__name__} while building ｜ 构建时出现意外错误")
            else:
                self.good_builds += 1
                _say(f"built {' + '.join(first)} in {time.perf_counter() - started:.2f} s; the open page reloads "
                     "｜ 已更新，页面将自动刷新")
                self._stop = threading.Event()
                self._rest = threading.Thread(target=self._background, args=(content, rest, self._stop),
                                              name="preview-rest", daemon=True)
                self._rest.start()

    def stop_background(self) -> None:
        """Stop the background builds of the last call, and wait until they are stopped."""
        if self._rest is not None:
            self._stop.set()
            self._rest.join()
            self._rest = None

    def settle(self) -> None:
        """Wait until the background builds and checks of the last call are done (tests)."""
        if self._rest is not None:
            self._rest.join()

    def _background(self, content, rest: list[str], stop: threading.Event) -> None:
        """The editions not on screen, forked in parallel; then the content checks. Never raises."""
        if rest:
            started = time.perf_counter()
            try:
                build_editions(self.project, self.site_dir, rest, content, stop=stop, with_root=True)
            except Cancelled:
                return  # the next edit came first: these editions are built after its edition on screen
            except BuildFailed as exc:
                self._failed(str(exc).splitlines(), f"the build of {' + '.join(rest)} failed ｜ 构建失败")
                return
            except SiteWriteError as exc:
                self._failed([str(exc)], "the preview could not be written ｜ 预览无法写入")
                return
            except Exception as exc:  # a template being edited, or a bug: keep serving, say where
                self._failed([_where(exc)], f"unexpected {type(exc).__name__} while building ｜ 构建时出现意外错误")
                return
            _say(f"built {' + '.join(rest)} in {time.perf_counter() - started:.2f} s ｜ 其他语言版本已更新")
            if self.reload is not None and set(rest) & set(self.viewers.on_screen()):
                self.reload()
        try:  # in a process of its own, so that the next edit can stop it at once (a thread cannot be stopped)
            run([("checks", (content,))], _print_checks, stop=stop)
        except Cancelled:
            pass
        except JobFailed as exc:  # pragma: no cover - the checks are another module's; never stop the preview
            print(f"the content checks could not run: {exc.message}", file=sys.stderr, flush=True)

    def _failed(self, lines: list[str], summary: str) -> None:
        self.failed_builds += 1
        for line in lines:
            print(line, file=sys.stderr, flush=True)
        if self.good_builds:
            _say(f"{summary}; the preview still shows the last good version; fix the file and save "
                 "｜ 预览仍显示上一次成功的版本，改正后保存即可", sys.stderr)
        else:
            _say(f"{summary}; fix the file and save ｜ 请改正后保存", sys.stderr)
            self._placeholder(lines)

    def _placeholder(self, lines: list[str]) -> None:
        """Before any good build there is nothing to keep showing: serve the problems instead."""
        self.site_dir.mkdir(parents=True, exist_ok=True)
        items = "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in lines)
        page = ("<!doctype html><html lang=\"zh\"><meta charset=\"utf-8\"><title>内容有问题 · Content problems</title>"
                "<body style=\"font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto\">"
                "<h1>内容有问题，请改正后保存 · Fix the content and save</h1>"
                f"<ul>{items}</ul><p>This page reloads by itself once the content builds.</p></body></html>")
        for folder in (self.site_dir, *(self.site_dir / lang for lang in LANGS)):
            folder.mkdir(exist_ok=True)
            (folder / "index.html").write_text(page, encoding="utf-8")


def _print_checks(content) -> None:
    """The content checks `make site` runs (figures against their source, …): shown, not blocking."""
    try:
        from .checks.content import check_content

        findings = check_content(content)
    except Exception as exc:  # pragma: no cover - the checks are another module's; never stop the preview
        print(f"the content checks could not run: {_where(exc)}", file=sys.stderr, flush=True)
        return
    for finding in findings:
        print(finding, file=sys.stderr, flush=True)
    if findings:
        _say(f"{len(findings)} finding(s) from the content checks: the preview shows them, but `make site` "
             f"will not publish until they are fixed ｜ 内容检查发现 {len(findings)} 处问题，预览照常显示，"
             "但正式构建会拒绝", sys.stderr)


# --- what the preview answers to ---------------------------------------------------------------------------

MAX_TARGET = 2048  # characters of a request's path and query; the longest page path of the site is under 100
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
LOOPBACK_NAMES = ("127.0.0.1", "localhost")


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The `Host:` values the preview answers to: loopback names with the port, and the address it listens on.

    A web page elsewhere can point its own domain name at 127.0.0.1 (DNS rebinding) and then read the preview as
    "same origin"; the browser still sends that domain name in `Host:`, so refusing unknown names stops it.
    A wildcard address (0.0.0.0, ::) adds nothing: to be reached from another machine, listen on its address.
    """
    names = set(LOOPBACK_NAMES)
    if host in ("::1", "[::1]"):
        names.add("[::1]")
    elif host not in ("0.0.0.0", "::", ""):
        names.add(f"[{host}]" if ":" in host else host.lower())
    values = {f"{name}:{port}" for name in names}
    if port == 80:
        values |= names
    return frozenset(values)


def refusal(method: str, target: str, host: str | None, allowed: frozenset[str]) -> tuple[int, str] | None:
    """Why a request is refused, as (status, one line), or None to serve it.

    `target` is the request target exactly as sent (still percent-encoded), `host` the Host header.
    """
    if host is None or host.strip().lower() not in allowed:
        return 400, ("this preview answers only to " + " or ".join(f"http://{h}/" for h in sorted(allowed))
                     + " (unknown Host header)")
    if method not in ("GET", "HEAD"):
        return 405, "the preview only serves pages (GET or HEAD)"
    if len(target) > MAX_TARGET:
        return 400, f"URL longer than {MAX_TARGET} characters"
    path = target.split("?", 1)[0]
    if not path.startswith("/"):
        return 400, "the URL must be a path starting with /"
    if _BAD_ESCAPE.search(path):
        return 400, "a % in the URL is not followed by two hexadecimal digits"
    try:
        decoded = urllib.parse.unquote_to_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        return 400, "the URL's %-escapes are not UTF-8"
    if _CONTROL.search(decoded):
        return 400, "the URL holds a control character (such as %00)"
    if "\\" in decoded or any(part == ".." for part in decoded.split("/")):
        return 400, "the URL climbs out of the site (.. or \\)"
    return None


def _guarded_server_class(viewers: Viewers | None = None):
    """MkDocs' LiveReloadServer, answering only to the preview's own Host and refusing bad URLs before MkDocs
    sees them (MkDocs answers `%00` with a 500 and a traceback in the terminal), without tracebacks anywhere."""
    from mkdocs.livereload import LiveReloadServer, _Handler

    class Handler(_Handler):
        def get_environ(self):
            environ = super().get_environ()
            environ["chenzhou.raw_target"] = self.path  # as sent: PATH_INFO is already unquoted as Latin-1
            return environ

    class GuardedServer(LiveReloadServer):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.RequestHandlerClass = Handler
            self.allowed = allowed_hosts(kwargs["host"], kwargs["port"])
            self._noted: set[str] = set()

        def serve_request(self, environ, start_response):
            refused = refusal(environ.get("REQUEST_METHOD", ""), environ.get("chenzhou.raw_target", ""),
                              environ.get("HTTP_HOST"), self.allowed)
            if refused is None:
                if viewers is not None:
                    viewers.saw(environ.get("PATH_INFO", ""), environ.get("HTTP_REFERER"))
                try:
                    result = self._serve_request(environ, start_response)
                except Exception as exc:  # never a traceback: one line, and a 500 the browser can show
                    self._note(f"could not serve {environ.get('PATH_INFO', '')[:200]!r}: {_where(exc)}")
                    refused = (500, "the preview could not serve this page (see the terminal)")
                else:
                    if result is not None:
                        return result
                    refused = (404, "no such page in the preview")
            elif refused[0] == 400 and "Host" in refused[1]:
                sent = environ.get("HTTP_HOST")
                self._note(f"refused a request {'for Host ' + repr(sent[:100]) if sent else 'without a Host header'}: "
                           f"the preview answers only to {', '.join(sorted(self.allowed))} (DNS rebinding defence)")
            status, text = refused
            body = f"{status} {HTTPStatus(status).phrase}: {text}\n".encode()
            headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
            if status == 405:
                headers.append(("Allow", "GET, HEAD"))
            start_response(f"{status} {HTTPStatus(status).phrase}", headers)
            return [body]

        def reload_pages(self) -> None:
            """Make the open pages reload (as after a rebuild), unless a rebuild is under way (it will)."""
            from mkdocs.livereload import _timestamp

            with self._epoch_cond:
                if self._visible_epoch == self._wanted_epoch:
                    self._visible_epoch = self._wanted_epoch = _timestamp()
                    self._epoch_cond.notify_all()

        def _note(self, line: str) -> None:
            if len(self._noted) < 20 and line not in self._noted:  # a flood of odd requests prints 20 lines at most
                self._noted.add(line)
                _say(line, sys.stderr)

        def handle_error(self, request, client_address):  # socketserver would print a traceback
            exc = sys.exc_info()[1]
            if not isinstance(exc, (ConnectionError, TimeoutError)):
                self._note(f"a request from {client_address[0]} failed: {_where(exc)}")

    return GuardedServer


def _port_problem(host: str, port: int) -> str:
    """Why the server could not listen on host:port, or "" (checked first, to say it plainly)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself does
        try:
            probe.bind((host, port))
        except OSError as exc:
            return exc.strerror or str(exc)
    return ""


def watched_paths(project: Project) -> list[Path]:
    paths = [project.content_dir, project.templates_dir, *(project.config_file(lang) for lang in CONFIG_FILES)]
    return [p for p in paths if p.exists()]


def serve(project: Project, host: str = "127.0.0.1", port: int = 8000) -> int:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.getLogger("mkdocs.livereload").setLevel(logging.ERROR)  # we print our own, shorter lines
    work = Path(tempfile.mkdtemp(prefix="chenzhou-preview-"))
    viewers = Viewers()
    preview = Preview(project, work / "site", viewers)
    server = None
    previous_term = signal.getsignal(signal.SIGTERM)
    stack = contextlib.ExitStack()

    def stop(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second TERM (make and timeout both send one) waits
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, stop)  # `kill` stops the preview as cleanly as Ctrl-C
        problem = _port_problem(host, port)
        if problem:
            _say(f"cannot listen on {host}:{port}: {problem} (another preview running? try --port {port + 1}) "
                 "｜ 端口被占用，请换一个端口", sys.stderr)
            return 1
        _say(f"building the preview of {project.root} …")
        preview()
        server = _guarded_server_class(viewers)(builder=preview, host=host, port=port, root=str(preview.site_dir),
                                         polling_interval=POLL_SECONDS)
        preview.reload = server.reload_pages
        for path in watched_paths(project):
            server.watch(str(path))
        _say(f"preview on http://{host}:{port}/ ({', '.join(f'{language(lang).name_zh} /{lang}/' for lang in LANGS)}); watching content/, templates/ and "
             "mkdocs*.yml; Ctrl-C stops ｜ 预览已启动，保存文件后页面自动刷新")
        try:
            server.serve()
        except OSError as exc:
            if server.serve_thread.is_alive():
                raise
            _say(f"cannot listen on {host}:{port}: {exc.strerror} ｜ 端口被占用，请换一个端口", sys.stderr)
            return 1
        return 0
    except KeyboardInterrupt:
        _say("preview stopped ｜ 预览已停止")
        return 0
    finally:
        previous_int = signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not skip the cleanup
        try:
            if server is not None:
                server.shutdown()
            preview.stop_background()
            stack.close()
            shutil.rmtree(work, ignore_errors=True)
        finally:
            signal.signal(signal.SIGINT, previous_int)
            signal.signal(signal.SIGTERM, previous_term)


__all__ = ["serve", "Preview", "Viewers", "watched_paths"]
