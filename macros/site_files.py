"""Everything a build adds to docs/, generated once, for any engine: no MkDocs needed.

``generate`` is the one code path from a validated handbook to the site's generated
files. The MkDocs hook adds its result from a temporary folder (``generation_process.py``);
the Markdown export (``markdown_export.py``) writes the same result to disk for engines without the hook;
the benchmark's plain build writes it too. ``config`` is MkDocs' config or the plain
dict of mkdocs.yml: only ``repo_url``, ``edit_uri``, ``edit_uri_template``,
``site_url`` and ``use_directory_urls`` are read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, StrictUndefined

from . import export, page_macros, search_names
from . import offline_copy as single_page
from .health import edit_urls
from .model import Handbook
from .render import Renderer, abbreviations

# A page's YAML front matter, as MkDocs reads it.
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
# Hand-written pages opt in to macros with this front matter line (mkdocs.yml, macros).
RENDER_MACROS = re.compile(r"^render_macros:[ \t]*true[ \t]*$\n?", re.M)


@dataclass
class Generated:
    # (path relative to docs/, Markdown with front matter), rendered as it is read: read it once.
    pages: Iterable[tuple[str, str]]
    # (path relative to docs/, its text in pieces): search/names.json, then the JSON export.
    # Produced as it is read: read it once, each file's pieces before the next file.
    static: Iterator[tuple[str, Iterator[str]]]
    abbreviations: str  # Markdown abbreviation definitions, appended to every page
    macro_texts: dict  # what the macros return, as plain data (page_macros.texts)

    @property
    def macros(self) -> dict:
        """The macros hand-written pages may call (page_macros.py)."""
        return page_macros.from_texts(self.macro_texts)


def new_renderer(handbook: Handbook, config: Mapping) -> Renderer:
    edit_url = edit_urls(config.get("repo_url"), config.get("edit_uri"), config.get("edit_uri_template"))
    return Renderer(handbook, edit_url=edit_url)


def generate(handbook: Handbook, config: Mapping, offline_copy: bool = False, rendered_by=None, exporter=export.Export) -> Generated:
    """``offline_copy``: also the whole handbook on one page (``make pdf``, macros/offline_copy.py);
    ``rendered_by``, ``exporter``: the Renderer and export.Export (sub)class to use (`make serve`
    brings its own, which keep what an edit does not change: serve_site.py)."""
    renderer = rendered_by or new_renderer(handbook, config)
    pages = renderer.iter_pages()
    if offline_copy:  # the single page is made of all the others, so they are all needed at once
        every = renderer.pages()
        every[single_page.PAGE] = single_page.single_page(handbook, renderer.xref, every, config.get("site_url"))
        pages = every.items()
    directory_urls = config.get("use_directory_urls") is not False

    def static() -> Iterator[tuple[str, str]]:
        yield search_names.LOCATION, iter((search_names.names_json(handbook),))
        for path, pieces in exporter(handbook, renderer.xref, config.get("site_url"), directory_urls).pieces():
            yield f"{export.FOLDER}/{path}", pieces

    macro_texts = page_macros.texts(handbook, renderer.xref, offline_copy=offline_copy)
    return Generated(pages, static(), abbreviations(handbook), macro_texts)


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
