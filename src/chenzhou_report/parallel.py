"""Run the editions' builds each in its own process, as many at once as there are cores; the first failure stops all.

`run(jobs, target)` starts one process per job (`target(*args)`), at most `workers` at a time, and waits. A job
that fails sends its error back through a pipe as data, never as a traceback: `BuildFailed` with its message
(MkDocs' warnings, a template's `file:line`), an `OSError` with its errno, text and file name (the build turns it
into the one line of `publish.describe`), and any other exception as one `file:line: Type: message` line. The first
failure stops the other processes (SIGTERM, then reaped) before it is raised in the caller, so a caller that removes
the output folder afterwards never races a writer. A process that dies without a word (killed, out of memory) is a
failure too.

The processes are forked (`START_METHOD`): a child starts with everything the parent holds — the content loaded and
validated once, the imported modules, jieba's dictionary and the compiled templates when the parent already has
them — so nothing is pickled or loaded again (spawn, which imports everything again and unpickles the content
in each child, is slower: README, Benchmarks). A forked child ends with `os._exit` right after sending its result: it runs none of the
parent's exit handlers and flushes no stream a thread of the parent may have held at the fork.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import wait

START_METHOD = "fork"


class Cancelled(Exception):
    """`run` was told to stop (its `stop` event was set): the jobs still running were stopped, none failed."""


class JobFailed(Exception):
    """A job's own failure, as it crossed the process boundary: `kind` is "failed" (its message is the text to
    show), "oserror" (`oserror` holds the rebuilt OSError) or "crashed" (one line with the place)."""

    def __init__(self, name: str, kind: str, message: str, oserror: OSError | None = None):
        super().__init__(message)
        self.name, self.kind, self.message, self.oserror = name, kind, message, oserror


def workers() -> int:
    """How many builds run at once: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def one_line(exc: BaseException) -> str:
    """`file:line: Type: message` for an unexpected error, the place a template's frame when there is one."""
    filename, lineno = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if filename is None:
        frames = traceback.extract_tb(exc.__traceback__)
        templates = [f for f in frames if f.filename.endswith((".j2", ".html"))]
        if templates:
            filename, lineno = templates[-1].filename, templates[-1].lineno
    text = traceback.format_exception_only(type(exc), exc)[-1].strip()
    return f"{filename}:{lineno}: {text}" if filename else text


def _child(send, target: Callable, args: tuple, expected: tuple[type[BaseException], ...]) -> None:
    try:  # the parent's terminate() stops it at once (the preview's handler would unwind the build first)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    except ValueError:  # pragma: no cover - not the main thread of the child (it always is after a fork)
        pass
    code = 0
    try:
        target(*args)
        result = ("ok", "", None)
    except expected as exc:
        result = ("failed", str(exc), None)
    except OSError as exc:
        if exc.errno is None:  # not the system's: no errno to say what happened
            result = ("crashed", one_line(exc), None)
        else:
            result = ("oserror", str(exc), (exc.errno, exc.strerror, exc.filename))
    except KeyboardInterrupt:
        result, code = None, 130
    except BaseException as exc:  # a bug or a template being edited: one line with its place
        result = ("crashed", one_line(exc), None)
    try:
        if result is not None:
            send.send(result)
        send.close()
    finally:
        os._exit(code)


def run(jobs: Sequence[tuple[str, tuple]], target: Callable, *, expected: tuple[type[BaseException], ...] = (),
        max_workers: int | None = None, method: str | None = None, in_process: bool = False,
        stop=None) -> None:
    """Run `target(*args)` for every `(name, args)` of `jobs`, each in its own process; JobFailed for the first
    that fails (`expected` exceptions keep their message as is), after every other process was stopped.

    `stop`: a `threading.Event`; once it is set, the processes still running are stopped and `Cancelled` is raised
    (the preview stops building the editions not on screen when the next edit comes).

    `in_process`: one after the other in this process instead, which keeps what they load and compile (the
    preview's first build, so that the builds it forks later start warm); an unexpected error propagates as is.
    """
    if in_process:
        for name, args in jobs:
            if stop is not None and stop.is_set():
                raise Cancelled()
            try:
                target(*args)
            except expected as exc:
                raise JobFailed(name, "failed", str(exc)) from None
            except OSError as exc:
                if exc.errno is None:
                    raise
                raise JobFailed(name, "oserror", str(exc), exc) from None
        return
    context = multiprocessing.get_context(method or START_METHOD)
    limit = max_workers or workers()
    pending = list(jobs)
    running: dict = {}  # receiving end -> (name, process)
    try:
        while pending or running:
            while pending and len(running) < limit:
                name, args = pending.pop(0)
                receive, send = context.Pipe(duplex=False)
                process = context.Process(target=_child, args=(send, target, args, expected), name=f"build-{name}",
                                          daemon=True)
                process.start()
                send.close()
                running[receive] = (name, process)
            if stop is not None and stop.is_set():
                raise Cancelled()
            for receive in wait(list(running), timeout=None if stop is None else 0.05):
                name, process = running.pop(receive)
                try:
                    kind, message, error = receive.recv()
                except EOFError:  # died before it could say anything
                    process.join()
                    kind, message, error = "crashed", f"the build stopped (exit code {process.exitcode})", None
                receive.close()
                process.join()
                if kind != "ok":
                    raise JobFailed(name, kind, message, OSError(*error) if error else None)
    finally:
        for receive, (_, process) in running.items():
            if process.is_alive():
                process.terminate()
        for receive, (_, process) in running.items():
            process.join()
            receive.close()


__all__ = ["run", "Cancelled", "JobFailed", "workers", "one_line", "START_METHOD"]
