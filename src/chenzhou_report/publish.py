"""Putting a finished build in place of site/: atomically, one build at a time, and plainly when the disk refuses.

- **Atomic.** A build writes into a staging folder next to the target (`.site-build-XXXX`, same file system), then
  the two folders are exchanged in one system call, `renameat2(RENAME_EXCHANGE)` (Linux ≥ 3.15; called through
  ctypes, the standard library has no binding). At every instant `site/` is either the whole old site or the whole
  new one; a reader never finds it missing. The staging name then holds the old site, which is deleted. The first
  build (no `site/` yet) is a plain rename, atomic too. Where the call does not exist (not Linux, an old libc) or the
  file system refuses it (EINVAL, e.g. some network file systems), the fallback is the former two renames
  (`site` → `.site-old-PID`, staging → `site`): each rename is atomic, but between them `site/` is missing for a
  moment; this is said in README.
- **Exclusive.** The whole build runs under `fcntl.flock` on a lock file beside the target, `.site.lock` (outside
  `site/`, so it is never published, and never deleted: deleting a lock file that another process waits on breaks
  the lock). A second build waits for the first, saying so in one line; the kernel releases the lock when a build
  dies, however it dies.
- **Leftovers.** Staging and old folders of a killed build (`.site-build-*`, `.site-old-*`) are removed by the next
  build once it holds the lock: no other build can be writing them then.
- **Plain errors.** A full disk, a read-only file system or a permission refused becomes `SiteWriteError`, one line
  `path: what happened (what to do)`; the staging folder is removed and the previous site stays as it was.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import sys
from pathlib import Path

from .errors import display_path

RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


class SiteWriteError(Exception):
    """The build could not write where it must: one line `path: what happened (what to do)`."""


def staging_prefix(target: Path) -> str:
    return f".{target.name}-build-"


def old_prefix(target: Path) -> str:
    return f".{target.name}-old-"


def lock_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.lock")


#: errno -> (what happened, what to do, 中文)
_ADVICE = {
    errno.ENOSPC: ("no space left on the disk", "free some space, then build again", "磁盘空间已满，请清理后重新构建"),
    errno.EDQUOT: ("disk quota exceeded", "free some space, then build again", "磁盘配额已满，请清理后重新构建"),
    errno.EROFS: ("the file system is read-only",
                  "build on a writable disk, e.g. `chenzhou-report build --site-dir /tmp/site`",
                  "文件系统为只读，请在可写的位置构建（--site-dir）"),
    errno.EACCES: ("permission denied",
                   "make the folder writable for this user, or build elsewhere with --site-dir",
                   "没有写入权限，请修改文件夹权限或用 --site-dir 换个位置"),
    errno.EPERM: ("operation not permitted",
                  "make the folder writable for this user, or build elsewhere with --site-dir",
                  "操作不被允许，请修改文件夹权限或用 --site-dir 换个位置"),
    errno.ENOTDIR: ("a file stands where a folder must be", "move that file away, or build elsewhere with --site-dir",
                    "此处应为文件夹，却是一个文件"),
}


def describe(exc: OSError, fallback: Path, root: Path | None = None) -> str:
    """One line for an OSError met while building: `path: what happened (what to do); ...`."""
    what, todo, zh = _ADVICE.get(exc.errno, (exc.strerror or type(exc).__name__, "", "构建时无法写入"))
    place = Path(os.fsdecode(exc.filename)) if exc.filename else fallback
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) and not os.path.lexists(place):
        place = place.parent  # a file or folder that could not be created: the folder that refused it
    where = display_path(place, root)
    where = str(place.resolve()) if where == "." else where
    advice = f"{todo}; " if todo else ""
    return f"{where}: {what} ({advice}the site was not changed) ｜ {zh}，网站未更新"


def check_target(target: Path, root: Path | None = None) -> None:
    """Refuse, in one line, a target that is not a folder (a file called site, a parent that is a file)."""
    for parent in reversed(target.parents):
        if parent.exists() and not parent.is_dir():
            raise SiteWriteError(f"{display_path(parent, root)}: is a file, but the site goes inside it (move the "
                                 "file away, or build elsewhere with --site-dir) ｜ 此处是文件而不是文件夹")
    if target.exists() and not target.is_dir():
        raise SiteWriteError(f"{display_path(target, root)}: is a file, not a folder (move it away, or build "
                             "elsewhere with --site-dir); nothing was built ｜ site 是一个文件而不是文件夹")


@contextlib.contextmanager
def exclusive(target: Path, *, say=None):
    """Hold the build lock of `target` for the duration; wait (saying so once) while another build holds it."""
    say = say or (lambda text: print(text, file=sys.stderr, flush=True))
    path = lock_path(target)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:  # the folder that holds site/ cannot be written (read-only, not ours): name the folder
        raise OSError(exc.errno, exc.strerror, str(path.parent)) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            say(f"{display_path(target)}: another build (process {holder}) is writing it; waiting for it to finish "
                "(Ctrl-C stops) ｜ 另一个构建正在进行，等待其完成")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield path
    finally:
        os.close(fd)  # releases the lock


def clean_leftovers(target: Path) -> list[str]:
    """Remove staging and old folders of killed builds. Call only while holding the lock. Returns what it could not."""
    failed = []
    prefixes = (staging_prefix(target), old_prefix(target))
    for path in target.parent.iterdir():
        if path.name.startswith(prefixes) and path.is_dir() and not path.is_symlink():
            errors: list[str] = []

            def note(function, failed_path, info, errors=errors):
                errors.append(f"{display_path(failed_path)}: {getattr(info[1], 'strerror', None) or info[1]}")

            shutil.rmtree(path, onerror=note)  # `onexc` only from Python 3.12; onerror still works there
            if errors:
                failed.append(errors[0])
    return failed


def _renameat2():
    """libc's renameat2, or None where it does not exist (not Linux, glibc < 2.28, musl < 1.2.4)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_RENAMEAT2 = _renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Swap the names of two folders in one step. False if this system or file system cannot (nothing moved)."""
    if _RENAMEAT2 is None:
        return False
    if _RENAMEAT2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_in(new: Path, target: Path) -> Path | None:
    """Put the complete folder `new` where `target` is. Returns the folder now holding the old site (to delete)."""
    if not os.path.lexists(target):
        os.rename(new, target)  # atomic; nothing to replace
        return None
    if exchange(new, target):
        return new  # the staging name now holds the old site
    # fallback: two renames, each atomic, with a moment between them where target is missing
    old = target.with_name(f"{old_prefix(target)}{os.getpid()}")
    if old.exists():
        shutil.rmtree(old)
    os.rename(target, old)
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(old, target)
        raise
    return old


__all__ = ["SiteWriteError", "exclusive", "clean_leftovers", "swap_in", "exchange", "describe", "check_target",
           "lock_path", "staging_prefix", "old_prefix"]
