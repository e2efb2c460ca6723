"""The results table, on the terminal and in results.md, with the machine it ran on."""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
from pathlib import Path

from macros.browser import CHROMIUM

from .common import Row

COLUMNS = ("Measurement", "Target", "Measured", "Result")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine() -> str:
    return f"{cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()} ({platform.system()})"


def chromium_version() -> str:
    try:
        result = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30)
        return result.stdout.strip() or CHROMIUM
    except (OSError, subprocess.SubprocessError):
        return f"no Chromium at {CHROMIUM}"


def table(rows: list[Row]) -> str:
    cells = [COLUMNS] + [(r.measurement, r.target, r.measured, r.status) for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS))]

    def line(row) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths)) + " |"

    return "\n".join([line(cells[0]), line(["-" * w for w in widths]), *map(line, cells[1:])])


def summary(rows: list[Row]) -> str:
    failed = [r.measurement for r in rows if r.status == "FAIL"]
    errors = [r.measurement for r in rows if r.status == "ERROR"]
    passed = sum(r.status == "PASS" for r in rows)
    text = f"{passed} passed, {len(failed)} FAILED" + (f", {len(errors)} ERROR" if errors else "")
    for name in failed:
        text += f"\nFAIL: {name}"
    for name in errors:
        text += f"\nERROR: {name}"
    return text


def write(path: Path, rows: list[Row], notes: list[str], header: dict[str, str]) -> None:
    lines = ["# Benchmark results", ""]
    lines += [f"- **{key}:** {value}" for key, value in header.items()]
    lines += ["", table(rows), "", summary(rows).replace("\n", "  \n"), ""]
    if notes:
        lines += ["## Notes", ""] + [f"- {note}" for note in notes] + [""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def now() -> str:
    return datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
