"""What the command-line tools share: invalid data reported as `make check` reports it, and failures on stderr.

Every tool that reads data/ runs its work through ``run``: a DataError becomes the
``file:line: message`` report on stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable

from .loader import DataError
from .yaml_source import Problem


def fail(message: str, status: int = 1) -> int:
    """Print ``message`` on stderr; return the exit status to give."""
    print(message, file=sys.stderr)
    return status


def run(work: Callable[[], int], after: str = "", on_problems: Callable[[Iterable[Problem]], None] | None = None) -> int:
    """``work()``'s exit status; on invalid data, the report (then ``after``, if any) and 1."""
    try:
        return work()
    except DataError as error:
        if on_problems is not None:
            on_problems(error.problems)
        print(error.report(), file=sys.stderr)
        return fail(after) if after else 1
