"""`chenzhou-report`: build, check, preview and describe the report.

    chenzhou-report build [--site-dir site]     validate, run the content checks, build zh + en, swap into site/
    chenzhou-report serve [--port 8000]         live preview that rebuilds on every save under content/ or templates/
    chenzhou-report check [--site] [--format json] [--external] [--list]
    chenzhou-report schema [--out content/schema]   write the JSON Schemas editors' tools use
    chenzhou-report release [--withdraw ID …]   run the content checks, then record the figures as published
                                                (content/published.json, the reference of the check `revisions`);
                                                --withdraw: a published figure removed from the content on purpose

Exit codes: 0 fine, 1 content or check findings, 2 usage.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .build import BuildFailed, Project, build_site
from .publish import SiteWriteError
from .checks.characters import scan_dir
from .checks.content import check_content
from .errors import ContentError
from .languages import LANGS


def _project(args) -> Project:
    return Project(Path(args.root).resolve())


def _print_problems(exc: ContentError) -> None:
    for problem in exc.problems:
        print(problem, file=sys.stderr)
    print(f"{len(exc.problems)} problem(s) in content; the site was not changed. "
          f"内容有 {len(exc.problems)} 处问题，网站未更新。", file=sys.stderr)


def cmd_build(args) -> int:
    project = _project(args)
    site_dir = Path(args.site_dir) if args.site_dir else project.root / "site"
    started = time.perf_counter()
    try:
        findings = scan_dir(project.content_dir, project.root)  # before YAML: a stray U+2028 confuses its errors
        content = None if findings else project.load()
        findings = findings or check_content(content, project.templates_dir)
        if findings:
            for finding in findings:
                print(finding, file=sys.stderr)
            print(f"{len(findings)} finding(s) from the content checks; the site was not changed.", file=sys.stderr)
            return 1
        build_site(project, site_dir, content=content, full=args.full)
    except ContentError as exc:
        _print_problems(exc)
        return 1
    except BuildFailed as exc:
        print(f"build failed; the site was not changed:\n{exc}", file=sys.stderr)
        return 1
    except SiteWriteError as exc:  # a full disk, a read-only folder, a file where site/ should be: one line
        print(exc, file=sys.stderr)
        return 1
    folders = ", ".join(f"{site_dir}/{lang}" for lang in LANGS)
    print(f"built {folders} in {time.perf_counter() - started:.2f} s")
    return 0


def cmd_serve(args) -> int:
    from .serve import serve

    return serve(_project(args), host=args.host, port=args.port)


def cmd_check(args) -> int:
    from .checks.runner import list_checks, run_checks

    if args.list:
        return list_checks(args.format)
    return run_checks(_project(args), site=args.site, site_dir=args.site_dir, fmt=args.format,
                      external=args.external)


def cmd_release(args) -> int:
    import datetime

    from .checks.content import check_content_dir
    from .revisions import RECORD, RecordError, read_record, record_path, write_record

    project = _project(args)
    path = record_path(project.content_dir)
    withdraw = {}
    if args.withdraw:
        try:
            known = read_record(path).figures if path.is_file() else {}
        except (RecordError, OSError, UnicodeDecodeError) as exc:
            print(f"{path.relative_to(project.root)}: cannot read the record of published figures: {exc} "
                  "(restore it from git) 已发布数字记录无法读取", file=sys.stderr)
            return 1
        unknown = [key for key in args.withdraw if key not in known]
        if unknown:
            print(f"{path.relative_to(project.root)}: {', '.join(map(repr, unknown))} not in the record of published "
                  f"figures: only a published figure can be withdrawn (a metric id from {RECORD}) "
                  "只能撤回已发布的数字", file=sys.stderr)
            return 1
        withdraw = dict.fromkeys(args.withdraw, datetime.date.today().isoformat())
    content, findings = check_content_dir(project.content_dir, project.root)
    if content is not None:
        still = [key for key in withdraw if key in content.metrics]
        if still:
            print(f"{', '.join(map(repr, still))} still in the content: remove the metric from its area file "
                  "before withdrawing it 该指标仍在内容中，请先删除再撤回", file=sys.stderr)
            return 1
        # the figures being withdrawn are not findings: this release records them as withdrawn
        # (the only finding of `revisions` about a figure no longer in the content: the one naming it its subject)
        findings = [f for f in findings if not (f.check == "revisions" and f.subject in withdraw)]
    if findings or content is None:
        for finding in findings:
            print(finding, file=sys.stderr)
        print(f"{len(findings)} finding(s) from the content checks; the record of published figures was not "
              "changed. 内容检查未通过，已发布数字记录未更新。", file=sys.stderr)
        return 1
    path, changed = write_record(content, project.content_dir, withdraw)
    print(f"recorded {len(content.metrics)} figures as published in {path.relative_to(project.root)} "
          f"({changed} changed since the last release"
          f"{f', {len(withdraw)} withdrawn' if withdraw else ''}); commit it with the content")
    return 0


def cmd_schema(args) -> int:
    from .schema import write_schemas

    project = _project(args)
    out = Path(args.out) if args.out else project.root / "content" / "schema"
    for path in write_schemas(out):
        print(path)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="chenzhou-report", description=__doc__.split("\n")[0])
    parser.add_argument("--root", default=".", help="the project folder (holding mkdocs.yml and content/)")
    # `--root` may also follow the command: `chenzhou-report build --root copy`
    root_after = argparse.ArgumentParser(add_help=False)
    root_after.add_argument("--root", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", parents=[root_after], help="validate and build every edition into site/")
    p.add_argument("--site-dir", default=None)
    p.add_argument("--full", action="store_true",
                   help="build every page again (by default the pages that did not change are reused)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("serve", parents=[root_after], help="live preview")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("check", parents=[root_after], help="content checks, and site checks with --site")
    p.add_argument("--site", action="store_true", help="also check the built site")
    p.add_argument("--site-dir", default=None)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--external", action="store_true", help="also check external links (needs internet)")
    p.add_argument("--list", action="store_true", help="list every check (README's table; JSON with --format json)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("release", parents=[root_after],
                       help="check the content, then record its figures as published (content/published.json)")
    p.add_argument("--withdraw", nargs="+", metavar="ID", default=[],
                   help="published figures removed from the content on purpose: recorded as withdrawn, with today's date")
    p.set_defaults(func=cmd_release)

    p = sub.add_parser("schema", parents=[root_after], help="write JSON Schemas for editors")
    p.add_argument("--out", default=None)
    p.set_defaults(func=cmd_schema)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
