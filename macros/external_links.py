"""The outside links the handbook cites, written out for a link checker.

Further reading, and each technology's website and documentation, go into one Markdown
file per data file (``OUT/data/activities/caching.yml.md``), so the checker's report of
a dead link names the YAML file to fix. Used by the weekly link-check workflow:
``python -m macros.external_links OUT``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import safe_markdown
from .cli import fail, run
from .loader import load_handbook
from .model import Handbook

URL_FIELDS = {"website": "website", "docs": "documentation"}  # single-link fields and their labels


def external_links(handbook: Handbook) -> dict[str, list[tuple[str, str]]]:
    """Data file -> [(label, url)] for every outside link it cites, in the order written."""
    links: dict[str, list[tuple[str, str]]] = {}
    for entity in handbook.all():
        found = [(entity.title + " " + label, entity[name]) for name, label in URL_FIELDS.items() if name in entity.kind.fields and entity[name]]
        if "further_reading" in entity.kind.fields:
            found += [(item["title"], item["url"]) for item in entity["further_reading"] or []]
        if found:
            links[entity.source] = found
    return links


def write(links: dict[str, list[tuple[str, str]]], out: Path) -> int:
    """One Markdown file per data file under ``out``; returns the number of links written."""
    for source, items in links.items():
        path = out / f"{source}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [f"# {source}", ""] + [f"- [{safe_markdown.link_text(label)}]({url})" for label, url in items]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sum(len(items) for items in links.values())


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        return fail("usage: python -m macros.external_links OUTPUT_FOLDER", 2)
    return run(lambda: _write_all(Path(argv[0])))


def _write_all(out: Path) -> int:
    links = external_links(load_handbook(Path("data"), Path.cwd()))
    count = write(links, out)
    print(f"{count} outside links from {len(links)} data files written under {out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
