"""`make bench`: measure the handbook against its performance targets.

Runs seven measurements in order, prints the results table and writes it to
bench/results.md. Exits 0 even when targets are missed (they show as FAIL); exits 1
only when a measurement crashed (its row shows ERROR, the traceback is in the notes).
"""

from __future__ import annotations

import argparse
import compileall
import sys
import tempfile
import traceback
from pathlib import Path

from . import builds, engines, lighthouse, reload, report, scale, validation, weight
from .common import ROOT, Budget, Row, mkdocs_build

# Seconds per step, in the order the steps run. What a contributor meets at today's size
# (validation, the overhead pairs, the 1× reload) is measured first, alone. Then the 50× build
# (over 5 minutes alone) runs on the second core, beside every other step, and is collected
# last, so the first core never waits for it. Builds are reused across steps (the overhead
# step's handbook builds are the 1× scaling runs, the MkDocs engine runs and the 1× reload's
# reference, its site the page-weight and Lighthouse site; the 10× build, made just before
# the 10× reload so both share the same load, is that reload's reference). Extra runs are
# dropped when a step would overrun its share (time an early step saves goes to later ones).
# The shares sum to under 11 minutes: the 50× build alone takes about 10 on 2 cores.
SHARES = {
    "validation": 10,
    "overhead": 150,
    "reload 1×": 40,
    "weight": 15,
    "lighthouse": 170,
    "validation growth": 40,
    "scaling 10×": 120,
    "reload 10×": 90,
    "engines": 30,
    "scaling": 0,
}


def parse(argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="1× data only, one run of each measurement")
    parser.add_argument(
        "--runs",
        type=int,
        default=5,
        help="runs of the overhead and validation medians (default 5); scaling reuses the overhead's 1× builds and does one at 10× and 50×",
    )
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results.md", help="where to write the table")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="data folder (default: the real data/)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.smoke:
        args.runs = 1
    args.data = args.data.resolve()
    return args


def main(argv=None) -> int:
    args = parse(argv)
    budget = Budget(SHARES)
    rows: list[Row] = []
    notes: list[str] = []
    crashed = False

    def step(name: str, label: str, run):
        """Run one measurement; a crash becomes an ERROR row and a note, and the others go on."""
        nonlocal crashed
        budget.begin(name)
        print(f"[{budget.elapsed():5.0f} s] {label}", file=sys.stderr, flush=True)
        try:
            found, more = run()
        except Exception as error:
            crashed = True
            first = (str(error).strip().splitlines() or [type(error).__name__])[0]
            found = [Row(label, "", f"ERROR: {first}", "ERROR")]
            more = [f"{label} crashed:\n\n```\n{traceback.format_exc()}```"]
        rows.extend(found)
        notes.extend(more)

    with tempfile.TemporaryDirectory(prefix="handbook-bench-") as name:
        tmp, data = Path(name), args.data
        site: list[Path] = []  # the handbook's built site, reused by page weight and Lighthouse
        known: dict[int, dict] = {}  # scaling figures measured by other steps
        mkdocs_walls: list[float] = []  # the overhead step's handbook builds, for the engines step
        # Like with like: MkDocs and Material run from the bytecode their install compiled; the
        # handbook's modules get theirs once here, or with PYTHONDONTWRITEBYTECODE set every
        # timed build and `make check` would compile them from source (0.05-0.1 s each).
        compileall.compile_dir(ROOT / "macros", quiet=1)
        def overhead():
            found, built, more, handbook_builds = builds.overhead(tmp, data, args.runs)
            site.append(built)
            known[1] = scale.summary(1, handbook_builds, built)
            mkdocs_walls.extend(build.wall for build in handbook_builds)
            return found, more

        def scaling_10():
            known[10] = scale.measure_scale(tmp, data, 10, 1, budget)
            return [], []

        def scaling():
            if background is not None:
                known[50] = scale.finish(50, background)
            return scale.scaling(tmp, data, plan, budget, known=known)

        def built_site() -> Path:
            if not site:  # step 1 crashed before building it
                mkdocs_build(builds.handbook_config(tmp, data), tmp / "site", tmp / "site.log")
                site.append(tmp / "site")
            return site[0]

        plan = {1: 1} if args.smoke else {1: 1, 10: 1, 50: 1}
        reports = args.output.parent / "out"  # full Lighthouse reports
        # What a contributor meets at today's size is measured alone: validation, the overhead, the reload.
        step("validation", "3. Validation speed (real data)", lambda: validation.real_data_speed(data, args.runs, budget))
        step("overhead", "1. Data-layer overhead", overhead)
        step("reload 1×", "6. Live reload 1×", lambda: reload.live_reload(tmp, data, [1], {1: known[1]["wall"]} if 1 in known else {}))
        # Then the 50× build, on the second core while every other step runs (scaling uses its CPU time).
        background = None if args.smoke else scale.start(tmp, data, 50)
        step("weight", "4. Page weight", lambda: weight.page_weight(built_site()))
        step("lighthouse", "5. Lighthouse", lambda: lighthouse.lighthouse(reports, built_site(), args.smoke, budget))
        step("validation growth", "3. Validation time per entity", lambda: validation.growth(tmp, data, args.runs, budget, args.smoke))
        if args.smoke:
            step("reload 10×", "6. Live reload 10×", lambda: reload.not_run(10))
        else:
            step("scaling 10×", "2. Scaling 10× (the reload's reference)", scaling_10)
            step("reload 10×", "6. Live reload 10×", lambda: reload.live_reload(tmp, data, [10], {10: known[10]["wall"]} if 10 in known else {}))
        step("engines", "7. Engines", lambda: engines.skipped() if args.smoke else engines.engines(tmp, data, args.runs, budget, mkdocs_walls))
        step("scaling", "2. Scaling (collecting the 50× build)", scaling)

    rows.sort(key=lambda row: int(row.measurement.split(".", 1)[0]))  # by step number, as documented
    notes += [f"Cut short to stay within the time budget: {what}." for what in budget.trimmed]
    total = budget.elapsed()
    header = {
        "Date": report.now(),
        "Machine": report.machine(),
        "Mode": ("smoke (1× data, one run each)" if args.smoke else f"full, --runs {args.runs}"),
        "Data": str(args.data),
        "Tools": f"{report.chromium_version()}; Lighthouse {lighthouse.VERSION}",
        "Total time": f"{total:.0f} s",
    }
    report.write(args.output, rows, notes, header)
    print()
    print(report.table(rows))
    print()
    print(report.summary(rows))
    print(f"Total time {total:.0f} s; written to {args.output}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
