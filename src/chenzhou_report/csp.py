"""A strict Content-Security-Policy for every built page, as a `<meta http-equiv>` (a static site sends no headers).

Scripts run only from the site itself (`'self'`: Material's bundle and search worker) and the theme's own inline
scripts, each allowed by the SHA-256 of its exact text, computed here from the finished page — so the hashes follow
whatever Material writes (its inline scripts differ per page: they hold the page's base URL) — and nothing else
inline, no `'unsafe-inline'` and no `eval` for scripts. "The theme's own" is decided by the templates, not by the
page: `template_scripts(dirs)` reads every `<script>` of the installed theme's templates and of ours, and turns
each into a pattern in which a Jinja expression may only stand for text without quotes, backslashes or angle
brackets; an inline script on a page that matches none of them (one that came in through content) gets no hash,
so the browser refuses to run it and the site check `allowlist` reports it. Images, fonts, fetches and workers only from
the site; `data:` images only because Material's stylesheet draws its icons as `data:image/svg+xml` masks; no
plugins (`object-src 'none'`), no `<base>` elsewhere, forms only to the site. Styles allow `'unsafe-inline'`: the
charts size themselves with a `style` attribute and the root page carries its few rules inline; a style cannot
run script, and with `img-src`/`font-src` limited to the site it cannot send anything elsewhere either.

`with_csp(html)` is called by the MkDocs adapter on every page (and the 404 page) and by `rootpage.root_index`;
the site check `csp` (checks/allowlist.py) verifies every built page carries exactly this policy for its scripts.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from markupsafe import escape

#: an inline or external script element of our output (Material's and ours); the check parses with lxml instead
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
SRC_ATTR = re.compile(r"\ssrc\s*=", re.I)
TYPE_ATTR = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]+)""", re.I)
#: script types a browser executes (anything else, e.g. application/json, is a data block CSP does not govern)
JAVASCRIPT_TYPES = {"", "text/javascript", "module", "application/javascript"}
CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.I)
#: Jinja syntax inside a template's script: `{{ base_url }}`, `{% if %}`, `{# #}`
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
#: what a Jinja expression inside a theme script may print: a URL or a word, never a way out of a string literal
JINJA_VALUE = r"""[^"'`\\<>]*"""

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],            # + the hashes of the page's inline scripts
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'"],
    "manifest-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}


def script_hash(text: str) -> str:
    """The CSP source for an inline script: 'sha256-<base64 of the SHA-256 of its UTF-8 text>'."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def executable(attrs: str) -> bool:
    """Whether a script element with these attributes runs JavaScript (not a JSON data block)."""
    kind = TYPE_ATTR.search(attrs)
    return (kind.group(1).lower() if kind else "") in JAVASCRIPT_TYPES


def inline_scripts(html: str) -> list[str]:
    """The text of every inline script a browser would execute."""
    return [body for attrs, body in SCRIPT.findall(html) if not SRC_ATTR.search(attrs) and executable(attrs)]


def template_scripts(template_dirs) -> list[re.Pattern]:
    """A pattern for every inline script written in the templates under `template_dirs` (theme and ours)."""
    patterns = {}
    for directory in template_dirs:
        for path in sorted(Path(directory).rglob("*.html*")):
            for attrs, body in SCRIPT.findall(path.read_text(encoding="utf-8", errors="replace")):
                if SRC_ATTR.search(attrs) or not executable(JINJA.sub("", attrs)):
                    continue
                pieces = JINJA.split(body)
                patterns["".join(p if i % 2 else re.escape(p) for i, p in
                                 enumerate(_interleave(pieces)))] = None
    return [re.compile(p, re.S) for p in patterns]


def _interleave(pieces: list[str]) -> list[str]:
    """[literal, literal, …] split at Jinja syntax -> [literal, wildcard, literal, …]."""
    out = []
    for i, piece in enumerate(pieces):
        if i:
            out.append(JINJA_VALUE)
        out.append(piece)
    return out


def is_template_script(text: str, known: list[re.Pattern]) -> bool:
    return any(pattern.fullmatch(text) for pattern in known)


def policy_for(scripts: list[str]) -> str:
    directives = {**POLICY, "script-src": POLICY["script-src"] + sorted({script_hash(s) for s in scripts})}
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def parse_policy(text: str) -> dict[str, list[str]]:
    out = {}
    for part in text.split(";"):
        words = part.split()
        if words:
            out[words[0].lower()] = words[1:]
    return out


def with_csp(html: str, known: list[re.Pattern]) -> str:
    """The page with its Content-Security-Policy meta element right after `<meta charset>` (before any script):
    the hashes of its inline scripts that are the templates' own (`known`, from `template_scripts`)."""
    scripts = [s for s in inline_scripts(html) if is_template_script(s, known)]
    meta = f'<meta http-equiv="Content-Security-Policy" content="{escape(policy_for(scripts))}">'

    charset = CHARSET.search(html)
    if charset is None:
        raise ValueError("page has no <meta charset>: cannot place the Content-Security-Policy before its scripts")
    return html[:charset.end()] + "\n" + meta + html[charset.end():]


__all__ = ["with_csp", "policy_for", "template_scripts", "is_template_script", "script_hash", "inline_scripts", "parse_policy", "POLICY", "executable"]
