"""`python -m bench --smoke` runs end to end on the real data; the figures are not judged here."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import BUILD_ENV, ROOT

# Every measurement has at least one row, even when --smoke skips it.
MEASUREMENTS = (
    "1. Data-layer overhead",
    "2. Scaling",
    "3. Validation speed",
    "4. Page weight",
    "4. Search download",
    "5. Lighthouse",
    "6. Live reload",
    "7. Engines",
)


@pytest.mark.slow
def test_bench_smoke_writes_a_row_for_every_measurement(tmp_path):
    output = tmp_path / "results.md"
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--output", str(output)],
        capture_output=True,
        text=True,
        env=BUILD_ENV,
        cwd=ROOT,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    rows = [line for line in output.read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    for name in MEASUREMENTS:
        assert any(row.startswith(f"| {name}") for row in rows), f"no row for {name}"
    assert not any("| ERROR" in row for row in rows)
