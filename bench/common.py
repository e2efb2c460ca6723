"""Helpers shared by the measurements: timed builds, site sizes, the time budget, results."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

# Browser plumbing (macros/browser.py) and temporary projects (macros/mkdocs_config.py) are
# shipped code: `make pdf` and the tests use them too.
from macros.mkdocs_config import BUILD_ENV as ENV
from macros.mkdocs_config import build_command

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
MB = 1024 * 1024


@dataclass
class Row:
    """One line of the results table."""

    measurement: str
    target: str
    measured: str
    status: str  # PASS, FAIL, info, skipped or ERROR


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def median(values) -> float:
    return statistics.median(values)


@dataclass
class Build:
    wall: float  # seconds, interpreter start to exit
    peak_rss: int  # bytes, of the build process
    cpu: float = 0.0  # seconds of CPU (user + system): unlike wall time, barely moved by other work


class Running:
    """A strict `mkdocs build` started in a fresh interpreter; ``finish`` waits for it.

    os.wait4 reaps the child and returns its own resource usage, so ru_maxrss is the
    build's peak RSS and not that of any earlier child of this process.
    """

    def __init__(self, config: Path, site: Path, log: Path):
        self.config, self.log = config, log
        with log.open("w") as out:
            self.start = time.perf_counter()
            self.process = subprocess.Popen(build_command(config, site), stdout=out, stderr=subprocess.STDOUT, env=ENV, cwd=config.parent)

    def finish(self) -> Build:
        _, status, usage = os.wait4(self.process.pid, 0)
        wall = time.perf_counter() - self.start
        self.process.returncode = os.waitstatus_to_exitcode(status)
        if self.process.returncode != 0:
            tail = "\n".join(self.log.read_text(errors="replace").splitlines()[-20:])
            raise RuntimeError(f"mkdocs build -f {self.config} failed ({self.process.returncode}):\n{tail}")
        return Build(wall, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime)  # Linux reports kilobytes


def mkdocs_build(config: Path, site: Path, log: Path) -> Build:
    """A strict `mkdocs build` in a fresh interpreter, timed, with its peak memory and CPU time."""
    return Running(config, site, log).finish()


def site_stats(site: Path) -> tuple[int, int]:
    """(number of HTML pages, total bytes of every file) of a built site."""
    pages = total = 0
    for path in site.rglob("*"):
        if path.is_file():
            total += path.stat().st_size
            pages += path.suffix == ".html"
    return pages, total


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Budget:
    """Keeps the whole run under its time limit.

    Each step has a share of the total and a deadline at the end of the shares so far,
    so time an early step leaves unused goes to later ones. A step always does its
    first run; `allows(seconds)` says whether one more run of that length still fits.
    """

    def __init__(self, shares: dict[str, float]):
        self.start = time.monotonic()
        self.deadlines = {}
        total = 0.0
        for name, share in shares.items():
            total += share
            self.deadlines[name] = total
        self.step = next(iter(shares))
        self.trimmed: list[str] = []  # what was cut short, for the notes

    def begin(self, step: str) -> None:
        self.step = step

    def left(self) -> float:
        return self.deadlines[self.step] - (time.monotonic() - self.start)

    def allows(self, seconds: float, what: str) -> bool:
        if seconds <= self.left():
            return True
        self.trimmed.append(what)
        return False

    def elapsed(self) -> float:
        return time.monotonic() - self.start
