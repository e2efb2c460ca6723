"""3. Validation speed: `python -m macros.check <dir>`, less the interpreter's own start-up."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from .common import ENV, PY, ROOT, Budget, Row, median, verdict
from .scale import scaled_project

TARGETS = {"real data": 0.5, "50×": 3.0}  # seconds


def _timed(command: list[str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=ENV, cwd=ROOT)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}")
    return wall


def check_time(data: Path, runs: int, budget: Budget, label: str) -> tuple[float, float, int]:
    """Medians of `macros.check` and of `python -c pass`, run alternately."""
    checks, baselines = [], []
    for run in range(runs):
        if run and not budget.allows(checks[-1] + baselines[-1], f"validation {label}: {run} of {runs} runs"):
            break
        checks.append(_timed([PY, "-m", "macros.check", str(data)]))
        baselines.append(_timed([PY, "-c", "pass"]))
    return median(checks), median(baselines), len(checks)


def validation(tmp: Path, data: Path, runs: int, budget: Budget, smoke: bool) -> tuple[list[Row], list[str]]:
    datasets = {"real data": data, "50×": None if smoke else scaled_project(tmp, data, 50) / "data"}
    rows = []
    for label, folder in datasets.items():
        name, target = f"3. Validation speed ({label})", f"≤ {TARGETS[label]:g} s"
        if folder is None:
            rows.append(Row(name, target, "not run (1× only)", "skipped"))
            continue
        check, baseline, count = check_time(folder, runs, budget, label)
        net = check - baseline
        rows.append(
            Row(
                name,
                target,
                f"{net:.2f} s ({check:.2f} s − {baseline:.2f} s start-up, medians of {count})",
                verdict(net <= TARGETS[label]),
            )
        )
    return rows, []
