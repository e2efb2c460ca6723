"""3. Validation speed: CPU time of `python -m macros.check <dir>`, less the interpreter's own start-up.

The real data has an absolute target (it is what a contributor waits for). At scale the
target is a ratio measured in one run, time per entity at 50× against 1×, so it holds on
a slower machine too: validation must stay linear in the number of entities.

Usable alone: `python -m bench.validation [runs]` (builds the 50× data in a temp folder).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from .common import ENV, PY, ROOT, Budget, Row, median, verdict
from .scale import scaled_project

TARGET_REAL_S = 0.5  # seconds of work beyond start-up, real data
TARGET_GROWTH = 1.25  # time per entity, 50× vs 1×


def _timed(command: list[str]) -> float:
    """CPU seconds (user + system) the command used: unlike wall time, not inflated
    by other processes on a shared machine. os.wait4 gives this child's own usage."""
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, env=ENV, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            raise RuntimeError(f"{' '.join(command)} failed:\n{errors.read().decode(errors='replace')[-3000:]}")
    return usage.ru_utime + usage.ru_stime


def entity_count(data: Path) -> int:
    return sum(1 for _ in data.glob("*/*.yml"))


def check_times(datasets: dict[str, Path], runs: int, budget: Budget) -> tuple[dict[str, float], float, int]:
    """Medians of `macros.check` on each dataset and of `python -c pass`, run in turn in each round.

    Taking every dataset in the same rounds keeps the ratio fair when the machine's speed drifts.
    """
    checks: dict[str, list[float]] = {label: [] for label in datasets}
    baselines: list[float] = []
    for run in range(runs):
        last = sum(times[-1] for times in checks.values()) + baselines[-1] if run else 0
        if run and not budget.allows(last, f"validation: {run} of {runs} runs"):
            break
        for label, data in datasets.items():
            checks[label].append(_timed([PY, "-m", "macros.check", str(data)]))
        baselines.append(_timed([PY, "-c", "pass"]))
    return {label: median(times) for label, times in checks.items()}, median(baselines), len(baselines)


def validation(tmp: Path, data: Path, runs: int, budget: Budget, smoke: bool) -> tuple[list[Row], list[str]]:
    datasets = {"real data": data}
    if not smoke:
        datasets["50×"] = scaled_project(tmp, data, 50) / "data"
    checks, baseline, count = check_times(datasets, runs, budget)
    net = {label: checks[label] - baseline for label in datasets}
    rows = [
        Row(
            "3. Validation speed (real data)",
            f"≤ {TARGET_REAL_S:g} s",
            f"{net['real data']:.2f} s CPU ({checks['real data']:.2f} s − {baseline:.2f} s start-up, medians of {count})",
            verdict(net["real data"] <= TARGET_REAL_S),
        )
    ]
    name, target = "3. Validation time per entity, 50× vs 1×", f"≤ {TARGET_GROWTH:.2f}× the 1× figure"
    if smoke:
        return rows + [Row(name, target, "not run (1× only)", "skipped")], []
    per_entity = {label: net[label] / entity_count(folder) for label, folder in datasets.items()}
    growth = per_entity["50×"] / per_entity["real data"]
    rows += [
        Row(
            "3. Validation speed (50×)",
            "report",
            f"{net['50×']:.2f} s CPU for {entity_count(datasets['50×'])} entities (medians of {count})",
            "info",
        ),
        Row(
            name,
            target,
            f"{per_entity['50×'] * 1000:.2f} vs {per_entity['real data'] * 1000:.2f} ms/entity = {growth:.2f}×",
            verdict(growth <= TARGET_GROWTH),
        ),
    ]
    return rows, []


if __name__ == "__main__":
    from .report import table

    with tempfile.TemporaryDirectory(prefix="handbook-validation-") as name:
        found, _ = validation(Path(name), ROOT / "data", int(sys.argv[1]) if len(sys.argv) > 1 else 3, Budget({"validation": 600}), False)
    print(table(found))
