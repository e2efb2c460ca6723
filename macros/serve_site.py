"""`make serve`'s generation: after a data edit, render again only what can show it, write only what changed.

A page shows its own entry and whatever entries it looks up while it renders: every
lookup goes through ``Handbook.get``/``of``/``all``, and ``Handbook.reads`` records them,
page by page (and export entry by export entry). After an edit, the entries that changed
(added, removed, or with other data) and their neighbours before and after the edit (the
entries they name or are named by: a new relation shows on both pages) are *touched*. Then
rendered again are: every page that is not an entry's (index pages, radar, health, matrix),
every phase and path page (they draw the whole workflow), the pages of touched entries,
and every page that read a touched entry, or a whole kind with a changed entry. The new
Markdown is compared with the last render; only pages that differ are written, into a
folder kept for the whole session, so MkDocs' dirty build converts only those. The export
is assembled from kept entries, the stale ones made again; every static file is written
only when its bytes changed.

``tests/test_serve.py`` proves the result equals a clean build after each kind of edit.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import export, llms_txt, site_files
from .model import Entity, Handbook

# Kinds whose pages draw all of their kind (the workflow map, the paths' order): always rendered.
SMALL_KINDS = ("phases", "paths")


@dataclass
class Update:
    """What one update changed in the generated files."""

    pages: set[str] = field(default_factory=set)  # pages whose Markdown changed (or are new)
    removed: set[str] = field(default_factory=set)  # pages that are gone
    static: set[str] = field(default_factory=set)  # static files whose bytes changed (or are new)
    removed_static: set[str] = field(default_factory=set)
    rendered: int = 0  # pages rendered to find those
    tags: bool = False  # a page's title or tags changed, or a page came or went: the tags page lists them
    abbreviations: bool = False  # the glossary's abbreviations changed: every page shows them
    macros_before: dict | None = None  # what the macros returned before, if that changed


def _reading(render):
    """Run ``render`` and return (its result, the entries it looked up)."""
    Handbook.reads = reads = set()
    try:
        return render(), reads
    finally:
        Handbook.reads = None


def _listed(markdown: str | None) -> list[str] | None:
    """What the tags page shows of a page: its title and tags (front matter lines)."""
    found = site_files.FRONT_MATTER.match(markdown or "")
    return [line for line in found[1].splitlines() if line.startswith(("title:", "tags:"))] if found else None


def _neighbours(handbook: Handbook, xref, key) -> set:
    """The entries ``key`` names (in fields or text) and those that name it."""
    entity = handbook.entities.get(key[0], {}).get(key[1])
    if entity is None:
        return set()
    found = {(target, ref) for name, target in entity.kind.references.items() for ref in entity.kind.reference_ids(entity.data, name)}
    found.update(handbook.inline_refs.get(key, ()))
    found.update(other.key for other in xref.linked_from(entity))
    return found


class Site:
    """The generated files of one serve session, in ``folder`` (pages/ and static/)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.reset()

    def reset(self) -> None:
        """Forget everything: the next update renders and writes every file (templates changed)."""
        self.handbook: Handbook | None = None
        self.xref = None
        self.changes = None
        self.collector: llms_txt.Collector | None = None
        self.markdown: dict[str, str] = {}
        self.reads: dict[str, set] = {}  # page -> entries it read
        self.entries: dict[tuple, tuple[str, set]] = {}  # entity key -> (export entry, entries it read)
        self.static: dict[str, str] = {}
        self.abbreviations: str | None = None
        self.macro_texts: dict | None = None
        shutil.rmtree(self.folder, ignore_errors=True)
        (self.folder / "pages").mkdir(parents=True)
        (self.folder / "static").mkdir(parents=True)

    def _touched(self, handbook: Handbook, xref) -> tuple[set, set]:
        """(entries touched by the edit, kinds with a changed entry), against the last update."""
        old = {entity.key: entity for entity in self.handbook.all()}
        new = {entity.key: entity for entity in handbook.all()}
        changed = {
            key
            for key in old.keys() | new.keys()
            if key not in old or key not in new or (old[key].data is not new[key].data and old[key].data != new[key].data)
        }
        touched = set(changed)
        for key in changed:  # relations made or undone: both ends show them
            touched |= _neighbours(self.handbook, self.xref, key) ^ _neighbours(handbook, xref, key)
        return touched, {folder for folder, _ in changed}

    def _is_stale(self, reads: set | None, touched: set, kinds: set) -> bool:
        if reads is None:
            return True
        return ("*", "*") in reads or not reads.isdisjoint(touched) or any((folder, "*") in reads for folder in kinds)

    def update(self, handbook: Handbook, config: Mapping, changes=None) -> Update:
        """Bring the folder up to date with ``handbook``; say what changed. ``changes``: the git history."""
        renderer = site_files.new_renderer(handbook, config, changes)
        self.changes = renderer.changes
        first = self.handbook is None
        touched, kinds = (set(), set()) if first else self._touched(handbook, renderer.xref)
        result = Update()
        markdown, reads = {}, {}
        for path, entity, render in renderer.page_makers():
            if not first and entity is not None and entity.kind.folder not in SMALL_KINDS:
                if entity.key not in touched and not self._is_stale(self.reads.get(path), touched, kinds):
                    markdown[path], reads[path] = self.markdown[path], self.reads[path]
                    continue
            markdown[path], reads[path] = _reading(render)
            result.rendered += 1
            if self.markdown.get(path) != markdown[path]:
                self._write(self.folder / "pages" / path, markdown[path])
                result.pages.add(path)
        result.removed = self.markdown.keys() - markdown.keys()
        result.tags = bool(result.removed) or any(_listed(self.markdown.get(path)) != _listed(markdown[path]) for path in result.pages)
        for path in result.removed:
            (self.folder / "pages" / path).unlink(missing_ok=True)

        site = self

        class KeptExport(export.Export):
            def entry(self, entity: Entity) -> str:
                kept = site.entries.get(entity.key)
                if first or kept is None or entity.key in touched or site._is_stale(kept[1], touched, kinds):
                    kept = site.entries[entity.key] = _reading(lambda: super(KeptExport, self).entry(entity))
                return kept[0]

        # llms.txt and the pages' Markdown copies are made from every page: the collector keeps them.
        collector = self.collector = self.collector or llms_txt.Collector(handbook, config, keep_texts=True)
        collector.handbook = handbook
        for path in result.removed:
            collector.pages.pop(path, None)
        for path in result.pages:
            collector.add(path, markdown[path])
        collector.complete = True
        generated = site_files.generate(
            handbook, config, rendered_by=renderer, exporter=KeptExport, rendered=markdown.items(), for_assistants=collector
        )
        static = {path: "".join(pieces) for path, pieces in generated.static}
        for path, text in static.items():
            if self.static.get(path) != text:
                self._write(self.folder / "static" / path, text)
                result.static.add(path)
        result.removed_static = self.static.keys() - static.keys()
        for path in result.removed_static:
            (self.folder / "static" / path).unlink(missing_ok=True)
        for gone in self.entries.keys() - {entity.key for entity in handbook.all()}:
            del self.entries[gone]

        result.abbreviations = not first and generated.abbreviations != self.abbreviations
        if not first and generated.macro_texts != self.macro_texts:
            result.macros_before = self.macro_texts
        self.handbook, self.xref, self.markdown, self.reads, self.static = handbook, renderer.xref, markdown, reads, static
        self.abbreviations, self.macro_texts = generated.abbreviations, generated.macro_texts
        return result

    @staticmethod
    def _write(target: Path, text: str) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
