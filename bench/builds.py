"""1. Data-layer overhead: the handbook's build vs the same pages as plain Markdown.

The plain build has the same theme, docs/ and Markdown extensions but neither the hook
nor the macros plugin, so the difference is what loading, validating and rendering the
YAML costs on top of MkDocs itself.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from macros import history, site_files
from macros.loader import load_handbook

from macros.mkdocs_config import project_config

from .common import ROOT, Build, Row, median, mkdocs_build, verdict

TARGET_RATIO = 1.10


def plain_project(tmp: Path, data: Path, handbook_root: Path) -> Path:
    """Write the handbook's pages as Markdown files plus a config without hook or macros;
    ``handbook_root``: the folder the handbook's build reads the git history of."""
    # What hooks.py does in memory (on_config, on_files, on_page_markdown), written to disk.
    handbook = load_handbook(data, ROOT)
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    # The same settings and git history as the handbook's build: without them What's new
    # (1,400 changes), "Last changed" and the edit links were missing, and the plain side
    # converted less Markdown than the handbook's build.
    generated = site_files.generate(handbook, config, changes=history.read(handbook_root))
    pages = dict(generated.pages)

    project = tmp / "plain"
    docs = project / "docs"
    shutil.copytree(ROOT / "docs", docs)
    # Hand-written pages that opt in to macros get them expanded here, as the macros
    # plugin would, so both builds turn exactly the same Markdown into HTML.
    for path in docs.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        if site_files.uses_macros(text):
            text = site_files.expand_macros(text, generated.macros)
        pages[path.relative_to(docs).as_posix()] = text
    for src_uri, markdown in pages.items():
        target = docs / src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown + generated.abbreviations, encoding="utf-8")
    # The JSON export and search names are static files in both sites; only the handbook's build computes them.
    site_files.write_static(generated.static, docs)

    config["hooks"] = [str(ROOT / "bench" / "plain_hooks.py")]  # the theme's globals and Pagefind, no data layer
    config.pop("watch", None)
    config["plugins"] = [p for p in config["plugins"] if p != "macros" and not (isinstance(p, dict) and "macros" in p)]
    config["docs_dir"] = str(docs)
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    path = project / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def handbook_config(tmp: Path, data: Path) -> Path:
    """The real mkdocs.yml, or a temp project when benchmarking other data (development)."""
    if data.resolve() == (ROOT / "data").resolve():
        return ROOT / "mkdocs.yml"
    project = tmp / "handbook"
    if not (project / "mkdocs.yml").exists():
        shutil.rmtree(project, ignore_errors=True)  # left half-made by a failed step
        shutil.copytree(data, project / "data")
        project_config(project)
    return project / "mkdocs.yml"


def overhead(tmp: Path, data: Path, runs: int) -> tuple[list[Row], Path, list[str], list[Build]]:
    """Alternate the two builds (ABAB…) so drift on a noisy machine hits both alike; the
    result is the median of the paired ratios, with their spread. Every one of the ``runs``
    pairs is made, whatever the time budget: the figure is read from at least five.

    Returns the rows, the last handbook site (reused by the page-weight and Lighthouse
    steps), notes, and the handbook builds (reused as the 1× scaling and MkDocs engine runs).
    """
    handbook = handbook_config(tmp, data)
    plain = plain_project(tmp, data, handbook.parent)
    times: dict[str, list[Build]] = {"handbook": [], "plain": []}
    site = None
    for run in range(runs):
        for name, config in (("handbook", handbook), ("plain", plain)):
            out = tmp / f"{name}-site-{run}"
            times[name].append(mkdocs_build(config, out, tmp / f"{name}-{run}.log"))
            if name == "handbook":
                if site is not None:
                    shutil.rmtree(site)
                site = out
            else:
                shutil.rmtree(out)
    ratios = [a.wall / b.wall for a, b in zip(times["handbook"], times["plain"])]
    ratio = median(ratios)
    row = Row(
        "1. Data-layer overhead: handbook build vs plain Markdown",
        f"≤ {TARGET_RATIO:.2f}× plain",
        f"{ratio:.3f}× (median of {len(ratios)} paired runs, {min(ratios):.3f}–{max(ratios):.3f}; "
        f"{median(b.wall for b in times['handbook']):.2f} s vs {median(b.wall for b in times['plain']):.2f} s)",
        verdict(ratio <= TARGET_RATIO),
    )
    cpu = [a.cpu / b.cpu for a, b in zip(times["handbook"], times["plain"])]
    notes = [
        "Overhead: both builds are `mkdocs build --strict`; the plain one builds the same Markdown"
        " (home page macros expanded beforehand) with the same theme and extensions, no hook, no macros plugin.",
        "Overhead runs (s): handbook " + ", ".join(f"{t.wall:.2f}" for t in times["handbook"])
        + "; plain " + ", ".join(f"{t.wall:.2f}" for t in times["plain"])
        + "; paired ratios " + ", ".join(f"{r:.3f}" for r in ratios)
        + f"; CPU-time ratios {', '.join(f'{r:.3f}' for r in cpu)} (median {median(cpu):.3f})",
    ]
    return [row], site, notes, times["handbook"]
