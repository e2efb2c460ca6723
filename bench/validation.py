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


def real_data_speed(data: Path, runs: int, budget: Budget) -> tuple[list[Row], list[str]]:
    """The absolute target: what a contributor waits for. `make bench` runs it before the 50×
    build starts on the second core, as a contributor's machine would be (no other build)."""
    checks, baseline, count = check_times({"real data": data}, runs, budget)
    net = checks["real data"] - baseline
    row = Row(
        "3. Validation speed (real data)",
        f"≤ {TARGET_REAL_S:g} s",
        f"{net:.2f} s CPU ({checks['real data']:.2f} s − {baseline:.2f} s start-up, medians of {count})",
        verdict(net <= TARGET_REAL_S),
    )
    return [row], []


def growth(tmp: Path, data: Path, runs: int, budget: Budget, smoke: bool) -> tuple[list[Row], list[str]]:
    """The ratio target: time per entity at 50× against 1×, both timed in the same rounds."""
    name, target = "3. Validation time per entity, 50× vs 1×", f"≤ {TARGET_GROWTH:.2f}× the 1× figure"
    if smoke:
        return [Row(name, target, "not run (1× only)", "skipped")], []
    datasets = {"real data": data, "50×": scaled_project(tmp, data, 50) / "data"}
    checks, baseline, count = check_times(datasets, runs, budget)
    per_entity = {label: (checks[label] - baseline) / entity_count(folder) for label, folder in datasets.items()}
    ratio = per_entity["50×"] / per_entity["real data"]
    rows = [
        Row(
            "3. Validation speed (50×)",
            "report",
            f"{checks['50×'] - baseline:.2f} s CPU for {entity_count(datasets['50×'])} entities (medians of {count})",
            "info",
        ),
        Row(
            name,
            target,
            f"{per_entity['50×'] * 1000:.2f} vs {per_entity['real data'] * 1000:.2f} ms/entity = {ratio:.2f}×",
            verdict(ratio <= TARGET_GROWTH),
        ),
    ]
    return rows, []


def validation(tmp: Path, data: Path, runs: int, budget: Budget, smoke: bool) -> tuple[list[Row], list[str]]:
    """Both measurements, one after the other."""
    first, _ = real_data_speed(data, runs, budget)
    more, _ = growth(tmp, data, runs, budget, smoke)
    return first + more, []


if __name__ == "__main__":
    from .report import table

    with tempfile.TemporaryDirectory(prefix="handbook-validation-") as name:
        found, _ = validation(Path(name), ROOT / "data", int(sys.argv[1]) if len(sys.argv) > 1 else 3, Budget({"validation": 600}), False)
    print(table(found))
