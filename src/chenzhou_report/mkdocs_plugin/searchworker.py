"""Material's search worker, corrected where it loses the words a reader types (a theme quirk, kept in the adapter).

Material 9's worker (`assets/javascripts/workers/search.*.min.js`) has two faults that no setting reaches:

1. **Chinese queries.** It cuts each Han run of the query greedily into terms of the index (`segment()` in
   `integrations/search/query/segment`), but tries only the substrings that end before the query's last
   character (`for (j = i + 1; j < query.length; j++)`): a query that is one indexed word, 以旧换新 or 管网, is never
   looked up whole, and becomes single characters with a wildcard each (以* 旧* 换*; 新 is lost) that match every
   page. The fix lets the substring end at the query's end (`j <= query.length`).
2. **Hyphenated English terms.** lunr's query lexer splits terms at `lunr.QueryLexer.termSeparator`, which lunr
   copies from its default separator `[\\s\\-]+` when it loads; Material sets `lunr.tokenizer.separator` from the
   configuration but not the lexer's copy, so "trade-in" is always split into trade* and in* (which matches every
   "in…" word). The fix gives the lexer the configured separator; the English edition's separator then keeps
   hyphenated words whole (languages.py).

Each fix is one literal replacement that must match exactly once in the installed Material's worker: if Material
changes its worker, the build fails with this module's name instead of shipping a silently different search.

>>> patch("for(let o=s+1;o<t.length;o++)t.slice(s,o)in e&&(n[s]=o-s);lunr.tokenizer.separator=new RegExp(e.separator),x")
'for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e&&(n[s]=o-s);lunr.tokenizer.separator=new RegExp(e.separator),lunr.QueryLexer.termSeparator=lunr.tokenizer.separator,x'
"""

from __future__ import annotations

import re

#: where the worker is, among the theme's files
WORKER = re.compile(r"assets/javascripts/workers/search\.[0-9a-f]+\.min\.js")

#: (what Material's minified worker says, what it should say, why)
FIXES = [
    ("for(let o=s+1;o<t.length;o++)t.slice(s,o)in e",
     "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e",
     "a Chinese query that is one indexed word is looked up whole"),
    ("lunr.tokenizer.separator=new RegExp(e.separator)",
     "lunr.tokenizer.separator=new RegExp(e.separator),lunr.QueryLexer.termSeparator=lunr.tokenizer.separator",
     "the query is split where the index is (hyphenated words kept whole)"),
]


class WorkerChanged(RuntimeError):
    """The installed Material's search worker is not the one these fixes were written for."""


def patch(source: str) -> str:
    """The worker's source with FIXES applied; raises WorkerChanged if one of them does not match exactly once."""
    for before, after, why in FIXES:
        if source.count(before) != 1:
            raise WorkerChanged(f"Material's search worker changed: {before!r} found {source.count(before)} times, "
                                f"expected once (searchworker.py: {why}; check the fix against the new worker)")
        source = source.replace(before, after)
    return source


__all__ = ["WORKER", "FIXES", "WorkerChanged", "patch"]
