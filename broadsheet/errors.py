"""Problems that editors see: ``path:line: what is wrong — what to do``."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int  # 1-based; 0 when the problem concerns the whole file
    message: str
    fix: str
    stage: str = ""
    col: int = 0

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        text = f"{where}: {self.message}"
        if self.fix:
            text += f" — {self.fix}"
        return text


class BroadsheetError(Exception):
    """One or more problems that stop a command. Printed without a traceback."""

    def __init__(self, problems: list[Problem] | Problem, stage: str = ""):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        self.stage = stage
        super().__init__(self.report())

    def __reduce__(self):  # survive the trip back from a rendering worker process
        return (BroadsheetError, (self.problems, self.stage))

    def report(self) -> str:
        lines = []
        for p in self.problems:
            prefix = f"[{p.stage or self.stage}] " if (p.stage or self.stage) else ""
            lines.append(prefix + str(p))
        return "\n".join(lines)


@dataclass
class Collector:
    """Collects problems of one stage so they are all reported together."""

    stage: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, path, line: int, message: str, fix: str = "", col: int = 0) -> None:
        self.problems.append(Problem(str(path), line, message, fix, self.stage, col))

    def raise_if_any(self) -> None:
        if self.problems:
            raise BroadsheetError(sorted(set(self.problems)), self.stage)
