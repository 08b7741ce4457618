"""Compiled Jinja templates kept in memory for the life of the process (Jinja's supported bytecode cache).

Compiling templates is about a third of a rebuild: MkDocs makes a new Jinja environment for every build of every
edition, and each `SiteRenderer` has its own. A template is reused only when its source is unchanged (Jinja
compares a checksum when it loads the code) and it was compiled by an environment with the same settings, filters
and tests (part of the key), so an edited template is always compiled afresh and its entry replaced: the cache holds
one entry per template and settings.

Two caches: `PAGES` for our page templates (render.py), `THEME` for the theme's, which the MkDocs adapter gives
every environment MkDocs makes (`on_env`). A build also keeps the compiled code on disk (`keep_on_disk`, in
`.cache/jinja/`, as Jinja's own FileSystemBytecodeCache would), so that the next build process does not compile
again what did not change; Jinja's header names the Python version it was compiled by and is checked on load.

>>> import jinja2
>>> cache = CompiledTemplates()
>>> env = jinja2.Environment(loader=jinja2.DictLoader({"t": "{{ x }}!"}), bytecode_cache=cache)
>>> env.get_template("t").render(x=1), len(cache)
('1!', 1)
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket


class CompiledTemplates(jinja2.BytecodeCache):
    def __init__(self):
        self._code: dict[str, bytes] = {}
        self._folder: Path | None = None
        self._read = True

    def keep_on_disk(self, folder: Path | None, *, read: bool = True) -> None:
        """Also keep compiled code in `folder` (None: in memory only); `read=False`: compile afresh, keep for later."""
        self._folder, self._read = (Path(folder) if folder is not None else None), read

    def _file(self, key: str) -> Path | None:
        return self._folder / f"{hashlib.sha256(key.encode()).hexdigest()}.cache" if self._folder else None

    def __len__(self) -> int:
        return len(self._code)

    def get_bucket(self, environment, name, filename, source):
        key = f"{self.get_cache_key(name, filename)}:{signature(environment)}"
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket) -> None:
        code = self._code.get(bucket.key)
        path = self._file(bucket.key)
        if code is None and path is not None and self._read:
            try:
                code = path.read_bytes()
            except OSError:
                code = None
        if code is not None:
            bucket.bytecode_from_string(code)  # ignored by Jinja when the checksum or Python's version differs

    def dump_bytecode(self, bucket) -> None:
        code = self._code[bucket.key] = bucket.bytecode_to_string()
        path = self._file(bucket.key)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                partial = path.with_suffix(f".{os.getpid()}.part")
                partial.write_bytes(code)
                partial.replace(path)
            except OSError:
                pass  # a read-only cache: compiled again by the next process


def signature(env: jinja2.Environment) -> str:
    """What compiled code depends on in an environment: its syntax, settings, extensions, filter and test names."""
    autoescape = env.autoescape if isinstance(env.autoescape, bool) else getattr(env.autoescape, "__qualname__", "?")
    parts = (env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
             env.comment_start_string, env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix,
             env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline, env.optimized,
             env.is_async, autoescape, sorted(env.extensions), sorted(env.filters), sorted(env.tests))
    return hashlib.sha1(repr(parts).encode()).hexdigest()


#: our page templates, shared by every SiteRenderer (both editions, the duplicate-sentence check, preview rebuilds)
PAGES = CompiledTemplates()
#: the theme's templates, shared by every environment MkDocs makes in this process (mkdocs_plugin on_env)
THEME = CompiledTemplates()

__all__ = ["CompiledTemplates", "signature", "PAGES", "THEME"]
