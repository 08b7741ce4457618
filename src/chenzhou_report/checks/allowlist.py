"""Site checks `allowlist` and `csp`: every built page parsed with a real HTML parser (lxml, libxml2's HTML parser).

`allowlist`: every element and attribute is one our templates or the theme produce (`ELEMENTS`, declared once,
with why each is there); no `on*` attribute; no `javascript:`, `data:` or `vbscript:` URL in any URL attribute; no
element that loads something (src, srcset, poster, a stylesheet or icon link, a form action …) from another host —
links to other hosts through `<a href>` are fine; no `<meta http-equiv>` but the CSP (no refresh); scripts only the
theme's own: by `src` under the site's `assets/`, or inline with a text that one of the templates' own scripts
gives (`csp.template_scripts`) and whose hash is in the page's policy; no CSS that imports or loads from a URL with
a host. So a sink found tomorrow fails `check --site` before anyone writes its test.

`csp`: every page carries exactly one Content-Security-Policy `<meta http-equiv>` before its first script, with
scripts limited to `'self'` and hashes (no `'unsafe-inline'`, `'unsafe-eval'`, `*`, scheme or host), `img-src`,
`font-src`, `connect-src` limited to `'self'` (`data:` for images only), `object-src 'none'`, `base-uri 'self'`.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin, urlsplit

import lxml.html

from ..csp import is_template_script, parse_policy, script_hash, template_scripts
from ..errors import Problem, display_path

#: attributes any element may carry (HTML's global attributes that our templates or Material write)
GLOBAL_ATTRIBUTES = {
    "class": "styling hooks (ours and Material's md-*)",
    "id": "anchors: headings, figures #metric_id, glossary terms, chart ids",
    "lang": "a span of the other language (the language switch, Chinese quotes on English pages)",
    "dir": "Material sets the text direction on <body>",
    "title": "tooltips: the language switch, glossary definitions on term links, Material's buttons",
    "hidden": "Material's hidden parts (announce, outdated)",
    "tabindex": "Material's focusable containers and nav labels",
    "role": "ARIA roles: Material's dialog/search/presentation, our charts' role=img",
    "aria-label": "accessible names of links, navs, buttons, lists",
    "aria-labelledby": "a chart names itself by its title and description; Material's nav sections",
    "aria-expanded": "Material's collapsible nav",
}
#: attributes by prefix: Material's own data attributes (its JavaScript's component hooks)
PREFIX_ATTRIBUTES = ("data-md-",)

#: element -> (why it is on our pages, the attributes it may carry besides the global ones)
ELEMENTS: dict[str, tuple[str, set[str]]] = {
    "html": ("the document (lang from the page's language)", set()),
    "head": ("the document head", set()),
    "body": ("the document body; Material's palette data attributes", set()),
    "title": ("the page title; in SVG the chart's accessible name", set()),
    "meta": ("charset, viewport, description, generator, Open Graph, the CSP", {"charset", "name", "content",
                                                                             "property", "http-equiv"}),
    "link": ("stylesheets, favicon, alternate languages (the root page: the browser languages each takes), "
             "next/prev, canonical", {"href", "hreflang", "rel", "data-browsers"}),
    "style": ("inline CSS: the root page, pygal's chart styles", {"type"}),
    "script": ("Material's bundle and inline boot scripts, its JSON config, the root page's redirect, the about "
               "page's schema.org Dataset (application/ld+json, data the browser does not run)", {"src", "type", "id"}),
    "header": ("Material's header", set()), "footer": ("Material's footer", set()),
    "main": ("Material's main area", set()), "article": ("the page content", set()),
    "nav": ("Material's navigation and table of contents", set()),
    "div": ("layout (ours and Material's)", set()), "span": ("inline layout; area cards", set()),
    "p": ("paragraphs of prose and of the templates", set()),
    "a": ("links: nav, glossary terms, figures, downloads (download, type: the file's media type), language switch, "
          "prose links; target=_top only on embed pages' links back (they leave the reader's frame)",
          {"href", "hreflang", "download", "rel", "data-lang-switch", "type", "target"}),
    "h1": ("page headings", set()), "h2": ("section headings", set()),
    "h3": ("headings Markdown makes of prose", set()), "h4": ("headings Markdown makes of prose", set()),
    "h5": ("headings Markdown makes of prose", set()), "h6": ("headings Markdown makes of prose", set()),
    "em": ("Markdown emphasis in prose", set()), "strong": ("Markdown strong emphasis; home page counts", set()),
    "code": ("Markdown code spans in prose", set()), "br": ("Markdown line breaks in prose", set()),
    "hr": ("Markdown rules in prose", set()), "pre": ("Markdown code blocks in prose", set()),
    "blockquote": ("Markdown quotes in prose", set()),
    "ul": ("lists: nav, downloads, facts", set()), "ol": ("lists: area cards, search results", set()),
    "li": ("list items", set()),
    "dl": ("the glossary", set()), "dt": ("a glossary term", set()), "dd": ("a glossary definition", set()),
    "time": ("the date of the source of a glossary term's official English (machine-readable)", {"datetime"}),
    "q": ("the Chinese source sentence of a figure", set()), "small": ("figure notes, citations", set()),
    "cite": ("the citation of a figure, a chart or the data set (citation.py)", set()),
    "img": ("a chart's own SVG on its embed page (src on this site: checked as a URL attribute)",
            {"src", "alt", "width"}),
    "data": ("a figure: machine value and metric id", {"value", "data-metric"}),
    "table": ("key figures, chart tables", set()), "caption": ("table captions", set()),
    "thead": ("table head", set()), "tbody": ("table body", set()), "tr": ("table rows (id: #metric_id)", set()),
    "th": ("header cells", {"scope"}), "td": ("data cells", set()),
    "figure": ("a chart (style: its width as a CSS variable)", {"style"}),
    "figcaption": ("a chart's title", set()),
    "details": ("a chart's table view", set()), "summary": ("its toggle", set()),
    "form": ("Material's search form (no action)", {"name"}),
    "input": ("Material's search field and drawer toggles",
              {"type", "name", "placeholder", "autocapitalize", "autocorrect", "autocomplete", "spellcheck",
               "required", "checked"}),
    "label": ("Material's toggles and nav section labels", {"for"}),
    "button": ("Material's search reset and back-to-top", {"type"}),
    # SVG: Material's icons and our pygal charts (lxml's HTML parser lower-cases names: viewBox -> viewbox)
    "svg": ("icons and charts", {"xmlns", "viewbox", "width", "height"}),
    "path": ("icon shapes", {"d"}), "g": ("chart groups", {"transform"}),
    "rect": ("chart bars and frame", {"x", "y", "width", "height", "rx", "ry"}),
    "text": ("chart labels and values", {"x", "y", "text-anchor"}),
    "desc": ("a chart's accessible description", set()), "defs": ("pygal's definitions", set()),
}

#: attributes holding a URL (a `javascript:`/`data:`/`vbscript:` one is refused in any of them)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data", "cite",
                  "background", "ping", "manifest", "longdesc", "usemap", "codebase", "icon"}
#: links that only point somewhere (another host is fine); every other URL is loaded by the browser
POINTING_RELS = {"alternate", "canonical", "next", "prev", "author", "license", "help"}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
CSS_URL = re.compile(r"""@import|url\(\s*['"]?\s*([^'")\s]*)""", re.I)
CONTROL = re.compile(r"[\x00-\x20\x7f]")
MATERIAL_TEMPLATES = resources.files("material") / "templates"

HINT_ALLOW = "网站页面含有模板和主题之外的元素、属性、脚本或外部资源"
HINT_CSP = "页面缺少或放宽了内容安全策略（CSP）"


def _position(element) -> int:
    return element.sourceline or 1


class _Page:
    def __init__(self, path: Path, rel: str, where: str, known: list):
        self.path, self.rel, self.where, self.known = path, rel, where, known
        self.findings: list[Problem] = []

    def allow(self, element, message: str) -> None:
        self.findings.append(Problem.found(self.where, _position(element), 1, "allowlist", message, HINT_ALLOW))

    def csp(self, line: int, message: str) -> None:
        self.findings.append(Problem.found(self.where, line, 1, "csp", message, HINT_CSP))

    def local(self, url: str) -> bool:
        """Whether a URL stays on this site (no scheme, no host)."""
        parts = urlsplit(CONTROL.sub("", url))
        return not parts.scheme and not parts.netloc and not CONTROL.sub("", url).startswith(("//", "/\\", "\\"))


def check_allowlist(site_dir: Path, root: Path | None = None) -> list[Problem]:
    """`allowlist` and `csp` findings for every HTML page under `site_dir`."""
    dirs = [MATERIAL_TEMPLATES]
    if root is not None:
        dirs.append(Path(root) / "templates")
    known = template_scripts(dirs)
    out: list[Problem] = []
    for path in sorted(Path(site_dir).rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        page = _Page(path, rel, display_path(path, root), known)
        _check_page(page, path.read_bytes())
        out += page.findings
    return out


def _check_page(page: _Page, data: bytes) -> None:
    document = lxml.html.document_fromstring(data)
    policies = []
    first_script = None
    for element in document.iter():
        if not isinstance(element.tag, str):  # comments, processing instructions: not rendered
            continue
        tag = element.tag.lower()
        if tag == "script" and first_script is None:
            first_script = element
        if tag == "meta" and (element.get("http-equiv") or "").lower() == "content-security-policy":
            policies.append(element)
        _check_element(page, element, tag)
    _check_policy(page, document, policies, first_script)


def _check_element(page: _Page, element, tag: str) -> None:
    if tag not in ELEMENTS:
        page.allow(element, f"<{tag}> is not an element our templates or the theme produce")
        allowed = set()
    else:
        allowed = ELEMENTS[tag][1]
    for name, value in element.attrib.items():
        name = name.lower()
        if name.startswith("on"):
            page.allow(element, f"<{tag} {name}=…>: event handler attributes are never allowed")
            continue
        if name not in allowed and name not in GLOBAL_ATTRIBUTES and not name.startswith(PREFIX_ATTRIBUTES):
            page.allow(element, f"<{tag} {name}=…> is not an attribute our templates or the theme produce here")
        if name in URL_ATTRIBUTES or name == "srcset":
            _check_url(page, element, tag, name, value)
        if name == "style":
            _check_css(page, element, tag, value)
    if tag == "meta" and element.get("http-equiv") is not None \
            and element.get("http-equiv").lower() != "content-security-policy":
        page.allow(element, f"<meta http-equiv={element.get('http-equiv')!r}>: only the Content-Security-Policy "
                   "is set this way (no refresh, no redirect, no cookies)")
    if tag == "style":
        _check_css(page, element, tag, element.text or "")
    if tag == "script":
        _check_script(page, element)
    if tag == "a" and element.get("target") is not None and element.get("target") != "_top":
        page.allow(element, f"<a target={element.get('target')!r}>: only _top is written (an embed page's link "
                   "back to the site leaves the frame)")


def _check_url(page: _Page, element, tag: str, name: str, value: str) -> None:
    urls = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
    for url in urls:
        squeezed = CONTROL.sub("", url).lower()
        if squeezed.startswith(BAD_SCHEMES):
            page.allow(element, f"<{tag} {name}={url[:60]!r}>: {squeezed.split(':')[0]}: URLs are never allowed")
            continue
        loads = not (tag == "a" or (tag == "link" and set((element.get("rel") or "").lower().split())
                                    <= POINTING_RELS and element.get("rel")))
        if loads and not page.local(url):
            page.allow(element, f"<{tag} {name}={url[:80]!r}> loads from another host (the site asks no host "
                       "but its own for anything)")


def _check_css(page: _Page, element, tag: str, css: str) -> None:
    for match in CSS_URL.finditer(css):
        url = match.group(1)
        if url is None:
            page.allow(element, f"<{tag}>: CSS @import is not used by the site")
        elif url and not url.lower().startswith("data:") and not page.local(url):
            page.allow(element, f"<{tag}>: CSS loads {url[:80]!r} from another host")


def _check_script(page: _Page, element) -> None:
    src = element.get("src")
    kind = (element.get("type") or "").lower()
    if src is not None:
        language = PurePosixPath("/" + page.rel).parts[1] if "/" in page.rel else ""
        # a root-relative src (MkDocs writes them in 404.html) means the language folder, as in check_links
        base = f"/{language}/" if src.startswith("/") and language else "/" + page.rel
        target = PurePosixPath(urlsplit(urljoin(base, src.lstrip("/") if language else src)).path)
        under = PurePosixPath("/", language, "assets") if language else PurePosixPath("/assets")
        if not page.local(src) or under not in target.parents:
            page.allow(element, f"<script src={src!r}>: scripts load only from the site's own assets/ folder")
        return
    if kind == "application/json":
        if element.get("id") != "__config":
            page.allow(element, "<script type=application/json> other than Material's __config")
        return
    if kind == "application/ld+json":
        try:  # data, not a script: it must be the JSON our jsonld.py writes, a schema.org object
            data = json.loads(element.text or "")
        except ValueError as exc:
            page.allow(element, f"<script type=application/ld+json> is not JSON: {exc}")
            return
        if not isinstance(data, dict) or data.get("@context") != "https://schema.org":
            page.allow(element, "<script type=application/ld+json> is not a schema.org object (jsonld.py writes one)")
        return
    if kind not in ("", "text/javascript", "module", "application/javascript"):
        page.allow(element, f"<script type={kind!r}> is not a script type the site uses")
        return
    text = element.text or ""
    if not is_template_script(text, page.known):
        page.allow(element, f"inline <script> that is not one of the templates' own scripts: {text[:60]!r}")
    page.scripts = getattr(page, "scripts", []) + [(element, script_hash(text))]


REQUIRED = {"object-src": ["'none'"], "base-uri": ["'self'"]}
SELF_ONLY = {"img-src": {"'self'", "data:"}, "font-src": {"'self'"}, "connect-src": {"'self'"},
             "default-src": {"'self'"}}


def _check_policy(page: _Page, document, policies: list, first_script) -> None:
    head_line = _position(document.find("head")) if document.find("head") is not None else 1
    if len(policies) != 1:
        page.csp(policies[1].sourceline if len(policies) > 1 else head_line,
                 f"{len(policies)} Content-Security-Policy meta elements (exactly one is written by csp.with_csp)")
        if not policies:
            return
    meta = policies[0]
    if first_script is not None and first_script.sourceline is not None and meta.sourceline is not None \
            and first_script.sourceline < meta.sourceline:
        page.csp(meta.sourceline, "the Content-Security-Policy comes after a script (it must come first)")
    if meta.getparent() is None or meta.getparent().tag != "head":
        page.csp(_position(meta), "the Content-Security-Policy meta element is not in <head>")
    policy = parse_policy(meta.get("content") or "")
    line = _position(meta)
    script_src = policy.get("script-src")
    if script_src is None:
        page.csp(line, "the policy has no script-src")
    else:
        loose = [s for s in script_src if s != "'self'" and not re.fullmatch(r"'sha(256|384|512)-[A-Za-z0-9+/=]+'", s)]
        if loose:
            page.csp(line, f"script-src allows {' '.join(loose)} (only 'self' and hashes of the theme's scripts)")
        for element, digest in getattr(page, "scripts", []):
            if digest not in script_src:
                page.allow(element, f"inline <script> whose hash {digest} is not in the page's CSP: the browser "
                           "refuses it")
    for name, sources in REQUIRED.items():
        if policy.get(name) != sources:
            page.csp(line, f"{name} must be {' '.join(sources)}, is {' '.join(policy.get(name, ['(missing)']))}")
    for name, allowed in SELF_ONLY.items():
        given = policy.get(name)
        if given is None and name != "default-src":
            given = policy.get("default-src")
        if given is None or not set(given) <= allowed or "'self'" not in given:
            page.csp(line, f"{name} must be limited to {' '.join(sorted(allowed))}, is "
                     f"{' '.join(given) if given else '(missing)'}")


__all__ = ["check_allowlist", "ELEMENTS", "GLOBAL_ATTRIBUTES"]
