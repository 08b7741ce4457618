"""Problems found in content, reported as `path:line:column: message` lines.

Every error an editor can cause ends up here, so that the command line, the MkDocs plugin and the live preview
print the same words. A problem carries an English message (what is wrong, and what is expected instead) and a
short Chinese explanation for editors who read Chinese first.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong at a place an editor can open: found while loading (`check` empty) or by a check (its id).

    >>> print(Problem("content/ui.yaml", 3, 5, "unknown field 'titel'", "未知字段"))
    content/ui.yaml:3:5: unknown field 'titel' ｜ 未知字段
    >>> print(Problem.found("content/areas/14-wage-arrears.yaml", 9, 7, "bare-number", "digit 3884 in prose"))
    content/areas/14-wage-arrears.yaml:9:7: [bare-number] digit 3884 in prose
    """

    path: str
    line: int
    column: int
    message: str
    hint_zh: str = ""
    check: str = ""  #: the id of the check that found it (declared in checks/registry.py); "" while loading
    #: the metric a finding is about, for a command that acts on it (`release --withdraw` on a figure gone)
    subject: str = ""

    @classmethod
    def found(cls, path: str, line: int, column: int, check: str, message: str, hint_zh: str = "",
              subject: str = "") -> "Problem":
        """A check's finding, in the order the checks write them: where, which check, what."""
        return cls(path, line, column, message, hint_zh, check, subject)

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: " + (f"[{self.check}] " if self.check else "") + self.message
        if self.hint_zh:
            text += f" ｜ {self.hint_zh}"
        return text

    def as_dict(self) -> dict:
        out = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "hint_zh": self.hint_zh,
        }
        if self.check:
            out["check"] = self.check
        return out


class ContentError(Exception):
    """One or more problems that stop a build. `str()` gives one line per problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: Path | str, root: Path | None = None) -> str:
    """A path as an editor would type it: relative to the project when possible."""
    path = Path(path)
    base = root or Path.cwd()
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)
