"""7. Engines: the same handbook built by MkDocs, ProperDocs and Zensical (report only).

MkDocs and ProperDocs build mkdocs.yml as it is. Zensical ignores hooks, so it builds the
Markdown export with zensical.yml, as `make build ENGINE=zensical` does: the export plus
the build, once from a cleared cache and once more with nothing changed (the export
rewrites no file, so Zensical's cache holds). Each time is a median of the rounds run.

Usable alone: `python -m bench.engines [runs]` (default 3).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

import yaml

from macros.markdown_export import zensical_project

from . import report
from .builds import handbook_config
from .common import ENV, PY, ROOT, Budget, Row, median, mkdocs_build


def _wall(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=ENV, cwd=cwd)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{(result.stdout + result.stderr)[-3000:]}")
    return time.perf_counter() - start


def engines(tmp: Path, data: Path, runs: int, budget: Budget | None = None, mkdocs_walls: list[float] | None = None) -> tuple[list[Row], list[str]]:
    """``mkdocs_walls``: MkDocs builds of this data measured already (step 1's), not repeated."""
    mkdocs = handbook_config(tmp, data)
    project = tmp / "zensical"
    project.mkdir(exist_ok=True)
    zensical_config = zensical_project(project, data)
    export_dir = str(zensical_config.parent / Path(yaml.safe_load(zensical_config.read_text())["docs_dir"]).parent)

    def zensical(clean: bool) -> float:
        return _wall([PY, "-m", "macros.markdown_export", export_dir, "--data", str(data)], ROOT) + _wall(
            [PY, "-m", "zensical", "build", "--strict", "-f", zensical_config.name, *(["--clean"] if clean else [])], project
        )

    builds = {
        f"MkDocs {version('mkdocs')}": lambda: mkdocs_build(mkdocs, tmp / "engine-site", tmp / "engine.log").wall,
        f"ProperDocs {version('properdocs')}": lambda: _wall(
            [PY, "-m", "properdocs", "build", "--strict", "-f", str(mkdocs), "-d", str(tmp / "engine-site")], mkdocs.parent
        ),
        f"Zensical {version('zensical')}: export + build, cache cleared": lambda: zensical(clean=True),
        f"Zensical {version('zensical')}: export + build, nothing changed": lambda: zensical(clean=False),
    }
    times: dict[str, list[float]] = {name: [] for name in builds}
    if mkdocs_walls:
        name = f"MkDocs {version('mkdocs')}"
        del builds[name]
        times[name] = list(mkdocs_walls)
    for run in range(runs):
        if run and budget and not budget.allows(sum(t[-1] for t in times.values()), f"engines: {run} of {runs} rounds"):
            break
        for name, build in builds.items():  # round by round, so drift on a busy machine hits all alike
            times[name].append(build())
    rows = [
        Row(f"7. Engines: {name}", "report", f"{median(found):.2f} s (median of {len(found)})", "info")
        for name, found in times.items()
    ]
    notes = [
        "Engines: the same site, strict, wall time; Zensical builds `make export`'s Markdown (it ignores hooks)."
        " Runs (s): " + "; ".join(f"{name} " + ", ".join(f"{t:.2f}" for t in found) for name, found in times.items())
    ]
    return rows, notes


def skipped() -> tuple[list[Row], list[str]]:
    # tests/test_engines.py builds with every engine; the smoke run stays short.
    return [Row("7. Engines: MkDocs, ProperDocs, Zensical build times", "report", "not run (--smoke)", "skipped")], []


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="handbook-engines-") as name:
        rows, notes = engines(Path(name), ROOT / "data", int(argv[0]) if argv else 3)
    print(report.table(rows))
    print("\n".join(notes))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
