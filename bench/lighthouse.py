"""5. Lighthouse scores of four pages, desktop and mobile (the median of three runs), on the local static server."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

from macros.browser import CHROMIUM, CHROMIUM_FLAGS, serve

from .common import ENV, ROOT, Budget, Row, median

# Exact version, so scores only move when the site does. 13.x declares Node >= 22 but
# runs on Debian's Node 20 (npm only warns).
VERSION = "13.5.0"
PREFIX = ROOT / "bench" / ".npm"
BINARY = PREFIX / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
# The explorer is the one page whose content depends on a script and the JSON export.
PAGES = {
    "home": "",
    "activity": "activities/caching/",
    "technology": "technologies/postgresql/",
    "explorer": "explorer/",
}
PRESETS = ("desktop", "mobile")
TARGET = "perf ≥ 95, a11y 100, best practices 100, SEO 100"
TIMEOUT = 180  # seconds for one run
MOBILE_RUNS = 3  # mobile scores move by 10 points between runs of an unchanged page: the median of three


def installed_version() -> str | None:
    package = PREFIX / "node_modules" / "lighthouse" / "package.json"
    if not BINARY.exists() or not package.exists():
        return None
    return json.loads(package.read_text(encoding="utf-8"))["version"]


def ensure_installed() -> None:
    if installed_version() == VERSION:
        return
    subprocess.run(
        ["npm", "install", "--prefix", str(PREFIX), "--no-audit", "--no-fund", f"lighthouse@{VERSION}"],
        check=True,
        capture_output=True,
        text=True,
    )


def run_lighthouse(url: str, preset: str, report: Path) -> dict:
    command = [
        str(BINARY),
        url,
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        "--only-categories=" + ",".join(CATEGORIES),
        "--chrome-flags=" + " ".join(["--headless=new", *CHROMIUM_FLAGS]),
    ]
    if preset == "desktop":
        command.append("--preset=desktop")  # mobile is Lighthouse's default
    report.unlink(missing_ok=True)  # never read a previous run's report
    result = subprocess.run(
        command, capture_output=True, text=True, env={**ENV, "CHROME_PATH": CHROMIUM}, timeout=TIMEOUT
    )
    if result.returncode != 0 or not report.exists():
        raise RuntimeError(f"lighthouse {url} ({preset}) failed ({result.returncode}):\n{result.stderr[-3000:]}")
    data = json.loads(report.read_text(encoding="utf-8"))
    if data.get("runtimeError"):
        raise RuntimeError(f"lighthouse {url} ({preset}): {data['runtimeError']}")
    return data


def failing_audits(data: dict, category: str) -> list[str]:
    """Titles of the category's audits that scored below 1, scored ones first."""
    found = []
    for ref in data["categories"][category]["auditRefs"]:
        audit = data["audits"][ref["id"]]
        if audit.get("score") is not None and audit["score"] < 1:
            weight = "" if ref.get("weight") else " (not scored)"
            found.append((not ref.get("weight"), f"{audit['title']} — score {audit['score']:.2f}{weight}"))
    return [text for _, text in sorted(found)]


def lighthouse(reports: Path, site: Path, smoke: bool, budget: Budget) -> tuple[list[Row], list[str]]:
    """Score each page; the full JSON reports are kept in `reports` for a closer look."""
    ensure_installed()
    reports.mkdir(parents=True, exist_ok=True)
    runs = [(label, path, preset) for label, path in PAGES.items() for preset in PRESETS]
    if smoke:
        runs = runs[:1]  # home, desktop
    rows, notes = [], []
    last = 0.0
    # Served with gzip, as GitHub Pages, nginx and every CDN serve it: Lighthouse scores transfer time.
    with serve(site, compress=True) as base:
        for label, path, preset in runs:
            name = f"5. Lighthouse {label} (/{path}) {preset}"
            found = []  # one report per run; mobile, the noisy one, is the median of MOBILE_RUNS
            for run in range(1 if smoke or preset == "desktop" else MOBILE_RUNS):
                if last and not budget.allows(last, f"{name}, run {run + 1}"):
                    break
                start = time.perf_counter()
                found.append(run_lighthouse(base + path, preset, reports / f"lighthouse-{label}-{preset}-{run + 1}.json"))
                last = time.perf_counter() - start
            if not found:
                rows.append(Row(name, TARGET, "not run (time budget)", "skipped"))
                continue
            # A category Lighthouse could not score (e.g. nothing painted) has score null.
            scores = {c: round(median((data["categories"][c]["score"] or 0) * 100 for data in found)) for c in CATEGORIES}
            missed = [c for c, target in CATEGORIES.items() if scores[c] < target]
            # Load time beside the scores: when the largest content is painted, and when the page is interactive.
            timing = " · ".join(
                f"{audit} {median(data['audits'][key]['numericValue'] for data in found) / 1000:.1f} s"
                for audit, key in (("LCP", "largest-contentful-paint"), ("TTI", "interactive"))
            )
            each = f"; runs {', '.join(str(round((d['categories']['performance']['score'] or 0) * 100)) for d in found)}" if len(found) > 1 else ""
            measured = " / ".join(str(scores[c]) for c in CATEGORIES) + f" ({timing}{each})"
            rows.append(Row(name, TARGET, measured + (f", median of {len(found)}" if len(found) > 1 else ""), "FAIL" if missed else "PASS"))
            for category in missed:  # the audits of the run closest to the median
                data = min(found, key=lambda d: abs((d["categories"][category]["score"] or 0) * 100 - scores[category]))
                notes.append(f"Lighthouse {label} {preset}, {category} {scores[category]}: " + "; ".join(failing_audits(data, category)))
    if notes:
        notes.append(f"Full Lighthouse reports: {reports}/")
    if smoke:
        rows += [
            Row(f"5. Lighthouse {label} (/{path}) {preset}", TARGET, "not run (--smoke)", "skipped")
            for label, path in PAGES.items()
            for preset in PRESETS
            if (label, preset) != ("home", "desktop")
        ]
    return rows, notes
