"""Profile one edition's rebuild after an edit, in process, as the preview does it (a measurement, not a test).

    .venv/bin/python -m tools.profile_edit PROJECT [LANG] [OUT.prof]

PROJECT is a project folder (`python -m tools.bench --scales 10 --keep DIR` leaves one in DIR/x10/project). Loads
the content, builds edition LANG (default zh) once in this process, then three times changes one figure (as the
preview benchmark does, `tools.bench.pick_edit`) and builds again; prints each time, and writes a cProfile of the
third rebuild (CPU time) to OUT.prof (default edit.prof): `python -m pstats OUT.prof`, then `sort cumulative`.
"""

from __future__ import annotations

import cProfile
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from chenzhou_report.build import Project, build_edition
from tools.bench import apply_edit, pick_edit


def main(argv: list[str]) -> int:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    project = Project(Path(argv[0]))
    lang = argv[1] if len(argv) > 1 else "zh"
    out_file = argv[2] if len(argv) > 2 else "edit.prof"
    site = Path(tempfile.mkdtemp(prefix="profile-edit-")) / "site"
    started = time.perf_counter()
    content = project.load()
    print(f"load {time.perf_counter() - started:.3f} s")
    started = time.perf_counter()
    build_edition(project, lang, site, content, warm=True)
    print(f"first build {time.perf_counter() - started:.3f} s")
    edit = pick_edit(project.root)
    for i in range(3):
        apply_edit(edit, str(int(edit.metric.value) + 1))
        started = time.perf_counter()
        content = project.load()
        loaded = time.perf_counter()
        shutil.rmtree(site, ignore_errors=True)
        profiler = cProfile.Profile(time.process_time) if i == 2 else None
        if profiler:
            profiler.enable()
        build_edition(project, lang, site, content, warm=True)
        if profiler:
            profiler.disable()
            profiler.dump_stats(out_file)
        print(f"edit {i + 1}: load {loaded - started:.3f} s, build {time.perf_counter() - loaded:.3f} s"
              + (f" (profiled: {out_file})" if profiler else ""))
    shutil.rmtree(site.parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
