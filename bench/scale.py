"""2. Scaling: synthetic data at N× the real entity count, and how the build grows with it.

Usable alone: `python -m bench.scale data /tmp/data-10x 10` writes a 10× data folder.

Clone k (k = 1..N-1) of an entity gets id `<id>-x<k>`, title `<title> (copy <k>)`, each
alias suffixed the same way, order `order + 1000*k`, no abbreviation (they must be unique,
as aliases must), and every reference to
another cloned entity, in a reference field or an inline link, points at that entity's
clone k. So each copy is a self-contained handbook, except that phases and onboarding paths are not cloned:
they keep naming the original activities.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from macros.model import KIND_BY_SINGULAR, KINDS
from macros.seniority import STOP_WORDS

from macros.mkdocs_config import project_config

from . import weight
from .common import MB, PY, ROOT, Budget, Build, Row, Running, median, mkdocs_build, site_stats, verdict

NOT_CLONED = {"phases", "paths"}  # a handful each: copies would only repeat them
# A word of a seniority level, or a link target or code span (kept as they are).
LEVEL_WORD = re.compile(r"(\]\([^)]*\)|`[^`]*`)|([A-Za-z][A-Za-z0-9]*)")
INLINE_LINK = re.compile(r"\]\((activity|area|category|responsibility|technology|term):([a-z0-9-]+)")
TARGET_GROWTH = 1.25  # per-page time and bytes at 50× vs 1×
TARGET_PEAK_MB = 500


def clone_id(entity_id: str, k: int) -> str:
    return f"{entity_id}-x{k}"


def _relink(value, k: int):
    """Point every inline link to a cloned kind at clone k, in all text, however nested."""
    if isinstance(value, str):
        return INLINE_LINK.sub(
            lambda m: m[0] if KIND_BY_SINGULAR[m[1]].folder in NOT_CLONED else f"]({m[1]}:{clone_id(m[2], k)}", value
        )
    if isinstance(value, list):
        return [_relink(item, k) for item in value]
    if isinstance(value, dict):
        return {key: _relink(item, k) for key, item in value.items()}
    return value


def _own_words(text, k: int):
    """The level's words suffixed with the copy's number: clones must not share a level's
    wording with the original (macros/seniority.py rejects formulas shared across activities)."""
    if not isinstance(text, str):
        return text
    def own(match):  # words without content stay as they are, as in the original
        return match[1] or (match[2] if match[2].casefold() in STOP_WORDS else f"{match[2]}x{k}")

    return LEVEL_WORD.sub(own, text)


def clone(data: dict, folder: str, k: int) -> dict:
    references = KINDS[folder].references  # field -> folder it names
    out = {}
    for key, value in data.items():
        if key == "abbreviation":
            continue
        if key == "id":
            value = clone_id(value, k)
        elif key == "title":
            value = f"{value} (copy {k})"
        elif key in ("aliases", "shared_aliases"):
            value = [f"{alias} (copy {k})" for alias in value]
        elif key == "order":
            value = value + 1000 * k
        elif key == "seniority":  # each level must read as written for its activity
            value = {level: _own_words(_relink(text, k), k) for level, text in value.items()}
        elif key in references and references[key] not in NOT_CLONED:
            value = clone_id(value, k) if isinstance(value, str) else [clone_id(ref, k) for ref in value]
        else:
            value = _relink(value, k)
        out[key] = value
    return out


def generate(source: Path, dest: Path, factor: int) -> int:
    """Write source's data at `factor`× into dest; return the number of entities."""
    shutil.copytree(source, dest)  # the originals, byte for byte
    count = 0
    for folder in KINDS:
        paths = sorted((source / folder).glob("*.yml"))
        count += len(paths)
        if folder in NOT_CLONED:
            continue
        for path in paths:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
            for k in range(1, factor):
                copy = clone(data, folder, k)
                text = yaml.dump(copy, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=1000)
                (dest / folder / f"{copy['id']}.yml").write_text(text, encoding="utf-8")
                count += 1
    return count


def scaled_project(tmp: Path, data: Path, factor: int) -> Path:
    """A temp project with data at `factor`×, validated; made once and reused by later steps."""
    project = tmp / f"scale-{factor}x"
    if not (project / "mkdocs.yml").exists():  # the config is written last, once the data validates
        shutil.rmtree(project, ignore_errors=True)
        project.mkdir()
        generate(data, project / "data", factor)
        check = subprocess.run(
            [PY, "-m", "macros.check", str(project / "data")], capture_output=True, text=True, cwd=ROOT
        )
        if check.returncode != 0:
            raise RuntimeError(f"the {factor}× data does not validate:\n{check.stderr[-3000:]}")
        project_config(project)
    return project


def summary(factor: int, builds: list[Build], site: Path) -> dict:
    """The scaling figures of ``builds`` of one factor; ``site`` is one of them."""
    pages, total = site_stats(site)
    cpu = median(build.cpu for build in builds)
    return {
        "factor": factor,
        "runs": len(builds),
        "wall": median(build.wall for build in builds),
        "cpu": cpu,
        "pages": pages,
        "per_page": cpu / pages,  # CPU time: the 50× build runs beside other steps (bench/__main__.py)
        "bytes_per_page": total / pages,
        "peak": max(build.peak_rss for build in builds),
        # The search download at this size (bench/weight.py).
        "search": weight.search_download(site) if factor != 1 else None,
    }


def measure_scale(tmp: Path, data: Path, factor: int, runs: int, budget: Budget) -> dict:
    project = scaled_project(tmp, data, factor)
    builds = []
    for run in range(runs):
        if run and not budget.allows(builds[-1].wall, f"scaling {factor}×: {run} of {runs} runs"):
            break
        builds.append(mkdocs_build(project / "mkdocs.yml", project / f"site-{run}", project / f"build-{run}.log"))
    found = summary(factor, builds, project / "site-0")
    for run in range(len(builds)):
        shutil.rmtree(project / f"site-{run}")
    return found


def start(tmp: Path, data: Path, factor: int) -> tuple[Running, Path]:
    """Start one build of ``factor``× data in the background; ``finish`` it later."""
    project = scaled_project(tmp, data, factor)
    return Running(project / "mkdocs.yml", project / "site-bg", project / "build-bg.log"), project / "site-bg"


def finish(factor: int, running: tuple[Running, Path]) -> dict:
    build, site = running[0].finish(), running[1]
    found = summary(factor, [build], site)
    shutil.rmtree(site)
    return found


def scaling(
    tmp: Path, data: Path, plan: dict[int, int], budget: Budget, walls: dict | None = None, known: dict | None = None
) -> tuple[list[Row], list[str]]:
    """plan: factor -> runs, e.g. {1: 3, 10: 1, 50: 1}; ``known``: factor -> figures measured
    already (summary()), which are not built again; ``walls`` gets each factor's median build time."""
    known = known or {}
    results = {factor: known[factor] if factor in known else measure_scale(tmp, data, factor, runs, budget) for factor, runs in plan.items()}
    if walls is not None:
        walls.update({factor: r["wall"] for factor, r in results.items()})
    rows = [
        Row(
            f"2. Scaling {r['factor']}×: build",
            "report",
            f"{r['pages']} pages, {r['wall']:.1f} s ({r['cpu']:.1f} s CPU), {r['per_page'] * 1000:.1f} ms CPU/page, "
            f"{r['bytes_per_page'] / 1024:.1f} KB/page, peak {r['peak'] / MB:.0f} MB (median of {r['runs']})",
            "info",
        )
        for r in results.values()
    ]
    rows += [weight.search_row(r["factor"], *r["search"]) for r in results.values() if r["search"]]
    base, top = results.get(1), results.get(50)
    if base and top:
        time_growth = top["per_page"] / base["per_page"]
        byte_growth = top["bytes_per_page"] / base["bytes_per_page"]
        rows += [
            Row(
                "2. Scaling: build time (CPU) per page, 50× vs 1×",
                f"≤ {TARGET_GROWTH:.2f}× the 1× figure",
                f"{top['per_page'] * 1000:.1f} vs {base['per_page'] * 1000:.1f} ms/page = {time_growth:.2f}×",
                verdict(time_growth <= TARGET_GROWTH),
            ),
            Row(
                "2. Scaling: site bytes per page, 50× vs 1×",
                f"≤ {TARGET_GROWTH:.2f}× the 1× figure",
                f"{top['bytes_per_page'] / 1024:.1f} vs {base['bytes_per_page'] / 1024:.1f} KB/page = {byte_growth:.2f}×",
                verdict(byte_growth <= TARGET_GROWTH),
            ),
            Row(
                "2. Scaling: peak build memory at 50×",
                f"≤ {TARGET_PEAK_MB} MB",
                f"{top['peak'] / MB:.0f} MB",
                verdict(top["peak"] <= TARGET_PEAK_MB * MB),
            ),
        ]
    else:
        rows += [
            Row(name, target, "not run (1× only)", "skipped")
            for name, target in (
                ("2. Scaling: build time (CPU) per page, 50× vs 1×", f"≤ {TARGET_GROWTH:.2f}× the 1× figure"),
                ("2. Scaling: site bytes per page, 50× vs 1×", f"≤ {TARGET_GROWTH:.2f}× the 1× figure"),
                ("2. Scaling: peak build memory at 50×", f"≤ {TARGET_PEAK_MB} MB"),
            )
        ]
    return rows, []


if __name__ == "__main__":
    source, dest, factor = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    print(f"{generate(source, dest, factor)} entities written to {dest}")
