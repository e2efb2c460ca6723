"""`python -m bench --smoke` runs end to end; the figures are not judged here.

It runs on the mini fixture data plus the technology page the page-weight step loads
(tests/fixtures/bench): every step is the same code at any size, and at 1x real data the
run took about a minute of `make test`'s four. `make bench` itself measures the real data.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import BUILD_ENV, FIXTURES, ROOT

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
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "mini" / "data", data)
    shutil.copytree(FIXTURES / "bench", data, dirs_exist_ok=True)
    output = tmp_path / "results.md"
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--data", str(data), "--output", str(output)],
        capture_output=True,
        text=True,
        env=BUILD_ENV,
        cwd=ROOT,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    text = output.read_text(encoding="utf-8")
    assert f"**Data:** {data}\n" in text
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    for name in MEASUREMENTS:
        assert any(row.startswith(f"| {name}") for row in rows), f"no row for {name}"
    assert not any("| ERROR" in row for row in rows)
