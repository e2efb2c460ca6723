"""`make check`: validate the data alone, fast; exit 1 listing every problem.

Warnings (reviews overdue, an entry not yet complete: macros/completeness.py) are
listed too but leave the exit status at 0. Inside
GitHub Actions every problem is also printed as a workflow annotation.
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import completeness
from .annotations import annotation, in_github_actions
from .cli import run
from .loader import counted, load_handbook


def _annotate(problems) -> None:
    if in_github_actions():
        # On stdout, where the runner reads workflow commands.
        print("\n".join(annotation(problem) for problem in problems), flush=True)


def main(argv: list[str]) -> int:
    data_dir = Path(argv[0]) if argv else Path("data")
    return run(lambda: _check(data_dir), on_problems=_annotate)


def _check(data_dir: Path) -> int:
    handbook = load_handbook(data_dir, Path.cwd())
    counts = ", ".join(f"{len(by_id)} {folder}" for folder, by_id in handbook.entities.items())
    # The completeness rules the tests enforce, as warnings: a draft still builds.
    incomplete = completeness.problems(handbook)
    warnings = sorted(handbook.warnings + incomplete, key=lambda p: (p.path, p.line, p.message))
    if warnings:
        _annotate(warnings)
        print("\n".join(map(str, warnings)), file=sys.stderr)
        counts += f"; {counted(warnings)}"
    if incomplete:
        print(f"{len(incomplete)} of the warnings are completeness rules `make test` enforces: fix them before a pull request", file=sys.stderr)
    print(f"data OK: {len(handbook)} entries ({counts})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
