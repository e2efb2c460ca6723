"""Everything a build adds to docs/, generated once, for any engine: no MkDocs needed.

``generate`` is the one code path from a validated handbook to the site's generated
files. The MkDocs hook adds its result from a temporary folder (``generation_process.py``);
the Markdown export (``markdown_export.py``) writes the same result to disk for engines without the hook;
the benchmark's plain build writes it too. ``config`` is MkDocs' config or the plain
dict of mkdocs.yml: only ``repo_url``, ``edit_uri``, ``edit_uri_template``,
``site_url``, ``use_directory_urls``, ``site_name`` and ``site_description`` are read.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, StrictUndefined

from . import explorer, export, feed, llms_txt, page_macros, search_names
from .history import History
from . import offline_copy as single_page
from .health import edit_urls
from .model import Handbook
from .readable_markdown import FRONT_MATTER
from .render import Renderer, abbreviations

# Hand-written pages opt in to macros with this front matter line (mkdocs.yml, macros).
RENDER_MACROS = re.compile(r"^render_macros:[ \t]*true[ \t]*$\n?", re.M)


@dataclass
class Generated:
    # (path relative to docs/, Markdown with front matter), rendered as it is read: read it once.
    pages: Iterable[tuple[str, str]]
    # (path relative to docs/, its text in pieces): the search names (search/names/), the JSON
    # export, then llms.txt, llms-full.txt and the pages' Markdown copies (llms_txt.py): read the pages first.
    # Produced as it is read: read it once, each file's pieces before the next file.
    static: Iterator[tuple[str, Iterator[str]]]
    abbreviations: str  # Markdown abbreviation definitions, appended to every page
    macro_texts: dict  # what the macros return, as plain data (page_macros.texts)
    history: History  # what the theme's "Last changed" of hand-written pages reads (page_actions.py)

    @property
    def macros(self) -> dict:
        """The macros hand-written pages may call (page_macros.py)."""
        return page_macros.from_texts(self.macro_texts)


def new_renderer(handbook: Handbook, config: Mapping, changes: History | None = None) -> Renderer:
    edit_url = edit_urls(config.get("repo_url"), config.get("edit_uri"), config.get("edit_uri_template"))
    return Renderer(handbook, edit_url=edit_url, changes=changes)


def generate(
    handbook: Handbook,
    config: Mapping,
    offline_copy: bool = False,
    changes: History | None = None,
    rendered_by: Renderer | None = None,
    exporter=export.Export,
    rendered: Iterable[tuple[str, str]] | None = None,
    for_assistants: llms_txt.Collector | None = None,
) -> Generated:
    """``offline_copy``: also the whole handbook on one page (``make pdf``, macros/offline_copy.py);
    ``changes``: the git history (history.read), for "Last changed", What's new and its feed;
    ``rendered_by``, ``exporter``, ``rendered``, ``for_assistants``: the Renderer, the export.Export
    (sub)class, the pages rendered already and an llms_txt.Collector that has them all (`make serve`
    brings its own, which keep what an edit does not change: serve_site.py)."""
    renderer = rendered_by or new_renderer(handbook, config, changes)
    pages = renderer.iter_pages() if rendered is None else rendered
    if offline_copy:  # the single page is made of all the others, so they are all needed at once
        every = renderer.pages()
        every[single_page.PAGE] = single_page.single_page(handbook, renderer.xref, every, config.get("site_url"))
        pages = every.items()
    directory_urls = config.get("use_directory_urls") is not False
    # llms.txt, llms-full.txt and each page's Markdown, from the pages as they are rendered.
    if for_assistants is None:
        for_assistants = llms_txt.Collector(handbook, config)
        pages = for_assistants.watch(pages)

    def static() -> Iterator[tuple[str, str]]:
        areas = explorer.area_options(handbook)
        for path, text in search_names.files(handbook, lambda e: explorer.areas_of(e, renderer.xref), explorer.kind_options(), areas):
            yield path, iter((text,))
        today = datetime.datetime.combine(renderer.health.today, datetime.time(), datetime.UTC)
        yield feed.LOCATION, iter((feed.atom(renderer.whats_new, config.get("site_url"), today, directory_urls),))
        for path, pieces in exporter(handbook, renderer.xref, config.get("site_url"), directory_urls).pieces():
            yield f"{export.FOLDER}/{path}", pieces
        for_assistants.add_hand_written(lambda text: expand_macros(text, page_macros.from_texts(macro_texts)) if uses_macros(text) else text)
        yield from for_assistants.files()

    macro_texts = page_macros.texts(handbook, renderer.xref, offline_copy=offline_copy)
    return Generated(pages, static(), abbreviations(handbook), macro_texts, renderer.changes)


def write_static(static: Iterator[tuple[str, Iterator[str]]], folder: Path) -> list[str]:
    """Write the static generated files under ``folder``, piece by piece; return their paths."""
    written = []
    for path, pieces in static:
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8") as out:
            out.writelines(pieces)
        written.append(path)
    return written


def uses_macros(markdown: str) -> bool:
    meta = FRONT_MATTER.match(markdown)
    return bool(meta and RENDER_MACROS.search(meta[1]))


def expand_macros(markdown: str, macros: dict) -> str:
    """A hand-written page with its macros expanded, as mkdocs-macros would (front matter kept)."""
    meta = FRONT_MATTER.match(markdown)
    env = Environment(undefined=StrictUndefined, keep_trailing_newline=True)
    env.globals.update(macros)
    return meta[0] + env.from_string(markdown[meta.end() :]).render()
