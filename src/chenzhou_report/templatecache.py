"""Compiled Jinja templates kept in memory for the life of the process (Jinja's supported bytecode cache).

Compiling templates is about a third of a rebuild: MkDocs makes a new Jinja environment for every build of every
edition, and each `SiteRenderer` has its own. A template is reused only when its source is unchanged (Jinja
compares a checksum when it loads the code) and it was compiled by an environment with the same settings, filters
and tests (part of the key), so an edited template is always compiled afresh and its entry replaced: the cache holds
one entry per template and settings.

Two caches: `PAGES` for our page templates (render.py), `THEME` for the theme's, which the MkDocs adapter gives
every environment MkDocs makes (`on_env`).

>>> import jinja2
>>> cache = CompiledTemplates()
>>> env = jinja2.Environment(loader=jinja2.DictLoader({"t": "{{ x }}!"}), bytecode_cache=cache)
>>> env.get_template("t").render(x=1), len(cache)
('1!', 1)
"""

from __future__ import annotations

import hashlib

import jinja2
from jinja2.bccache import Bucket


class CompiledTemplates(jinja2.BytecodeCache):
    def __init__(self):
        self._code: dict[str, bytes] = {}

    def __len__(self) -> int:
        return len(self._code)

    def get_bucket(self, environment, name, filename, source):
        key = f"{self.get_cache_key(name, filename)}:{signature(environment)}"
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # ignored by Jinja when the checksum differs

    def dump_bytecode(self, bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


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
