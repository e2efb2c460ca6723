"""`make bench`: measure the handbook against its performance targets.

Runs six measurements in order, prints the results table and writes it to
bench/results.md. Exits 0 even when targets are missed (they show as FAIL); exits 1
only when a measurement crashed (its row shows ERROR, the traceback is in the notes).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import traceback
from pathlib import Path

from . import builds, lighthouse, reload, report, scale, validation, weight
from .common import ROOT, Budget, Row, mkdocs_build

# Seconds per step, summing to a little under the 10-minute limit. Extra runs are
# dropped when a step would overrun its share (time an early step saves goes to later ones).
SHARES = {"overhead": 90, "scaling": 270, "validation": 40, "weight": 15, "lighthouse": 105, "reload": 50}


def parse(argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="1× data only, one run of each measurement")
    parser.add_argument(
        "--runs",
        type=int,
        default=5,
        help="runs of the overhead and validation medians (default 5); scaling does at most 3/2/1 at 1×/10×/50×",
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
            found, more = [Row(label, "", f"ERROR: {first}", "ERROR")], [f"{label} crashed:\n\n```\n{traceback.format_exc()}```"]
        rows.extend(found)
        notes.extend(more)

    with tempfile.TemporaryDirectory(prefix="handbook-bench-") as tmp_name:
        tmp = Path(tmp_name)
        site: dict[str, Path] = {}  # the handbook's built site, for page weight and Lighthouse

        def real_site() -> Path:
            if "path" not in site:  # only when step 1 crashed before building it
                site["path"] = tmp / "site"
                mkdocs_build(builds.handbook_config(tmp, args.data), site["path"], tmp / "site.log")
            return site["path"]

        def overhead():
            found, site["path"], more = builds.overhead(tmp, args.data, args.runs, budget)
            return found, more

        plan = {1: 1} if args.smoke else {1: min(3, args.runs), 10: min(2, args.runs), 50: 1}
        step("overhead", "1. Data-layer overhead", overhead)
        step("scaling", "2. Scaling", lambda: scale.scaling(tmp, args.data, plan, budget))
        step(
            "validation",
            "3. Validation speed",
            lambda: validation.validation(
                {"real data": args.data, "50×": None if args.smoke else scale.scaled_project(tmp, args.data, 50) / "data"},
                args.runs,
                budget,
            ),
        )
        step("weight", "4. Page weight", lambda: weight.page_weight(real_site()))
        step("lighthouse", "5. Lighthouse", lambda: lighthouse.lighthouse(tmp, real_site(), args.smoke, budget))
        step("reload", "6. Live reload", lambda: reload.live_reload(tmp, args.data, [1] if args.smoke else [1, 10]))

    if args.smoke:
        rows.append(Row("6. Live reload 10×: data edit until the page shows it", "report", "not run (--smoke)", "skipped"))
    notes += [f"Cut short to stay within the time budget: {what}." for what in budget.trimmed]
    total = budget.elapsed()
    header = {
        "Date": report.now(),
        "Machine": report.machine(),
        "Mode": ("smoke (1× data, one run each)" if args.smoke else f"full, --runs {args.runs}"),
        "Data": str(args.data),
        "Tools": f"MkDocs build --strict; Chromium at {lighthouse.CHROMIUM}; Lighthouse {lighthouse.VERSION}",
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
