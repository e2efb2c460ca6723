"""MkDocs hooks: the thin adapter between the handbook's code and MkDocs.

Each handler does one thing:
- on_config: load and validate data/ once per build (stop the build on any problem)
  and offer a few macros to hand-written pages that opt in with `render_macros: true`;
- on_files: add one in-memory page per entity and per index, the contributor
  guide from CONTRIBUTING.md, search/names.json for search ranking, and the JSON
  export under api/v1/ (macros/export.py) as generated static files (nothing is
  written to docs/); with HANDBOOK_OFFLINE=1 also the whole handbook on one page
  (macros/offline_copy.py);
- on_post_build: remove this build's copy of the static generated files;
- on_page_markdown: append the glossary's abbreviations to every page;
- on_page_content: drop each page's Markdown once it is HTML;
- on_post_page: drop each page's HTML once it is in the page's template output, and
  load Mermaid on the pages that draw a diagram (macros/mermaid_assets.py).

Memory matters at scale (MkDocs keeps every page's HTML until the end of the build),
so nothing here holds data longer than it is needed: static generated files (the JSON
export is about 1.5 MB per copy of the data) wait on disk, not in memory, until MkDocs
copies them into the site.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import sys
import tempfile
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # hooks are loaded by file path, not as a package
    sys.path.insert(0, str(ROOT))

from macros import edit_links, mermaid_assets, offline_copy, site_files  # noqa: E402
from macros.loader import DataError, load_handbook  # noqa: E402

log = logging.getLogger("mkdocs.hooks.handbook")
_build: dict = {}  # this build's rendered pages and abbreviations
# glibc's malloc_trim, where there is one (Linux); elsewhere memory is simply not trimmed.
_LIBC = ctypes.CDLL(ctypes.util.find_library("c")) if ctypes.util.find_library("c") else None
if _LIBC is not None and not hasattr(_LIBC, "malloc_trim"):
    _LIBC = None


@event_priority(100)  # before the macros plugin's on_config, so our macros are registered in time
def on_config(config):
    data_dir = Path(config.config_file_path).parent / "data"
    try:
        handbook = load_handbook(data_dir, data_dir.parent)
    except DataError as error:
        log.error("the handbook's data is invalid:\n%s", error.report())
        raise Abort("stopped before writing anything: fix the problems above (`make check` lists them)")
    # The same generation as the Markdown export (macros/site_files.py), kept in memory here.
    # The single-page handbook only when asked (`make pdf`): it doubles the Markdown.
    generated = site_files.generate(handbook, config, offline_copy=offline_copy.requested())
    _build.update(pages=generated.pages, abbreviations=generated.abbreviations, static=generated.static)
    config.plugins["macros"].register_macros(generated.macros)
    return config


@event_priority(100)  # before plugins that snapshot the file list see it
def on_files(files: Files, config) -> Files:
    pages = _build.pop("pages")  # the File objects hold the text from here on
    for src_uri, markdown in pages.items():
        file = File.generated(config, src_uri, content=markdown)
        if files.get_file_from_path(src_uri) is not None:
            raise Abort(f"docs/{src_uri} is generated from data/; remove the hand-written file")
        # "Edit this page" opens the YAML file the page is made from (none for index pages).
        file.edit_uri = edit_links.source_of(src_uri)
        files.append(file)
    # search/names.json (exact-match ranking in search) and the JSON export under api/v1/.
    static = _build["static_dir"] = tempfile.TemporaryDirectory(prefix="handbook-static-")
    for path in site_files.write_static(_build.pop("static"), Path(static.name)):
        files.append(File.generated(config, path, abs_src_path=str(Path(static.name, path))))
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    if page.file.generated_by is not None:
        page.file.content_string = ""  # read once already; the page keeps its own copy
    return markdown + _build["abbreviations"]


def on_page_content(html: str, page, config, files) -> str:
    # Nothing reads a page's Markdown after it has become HTML.
    page.markdown = None
    return html


def on_post_page(output: str, page, config) -> str:
    # The page's own HTML is in the output now; anchor checks keep what they need apart.
    page.content = None
    return mermaid_assets.add_script(output, page.url)


@event_priority(100)  # before the search plugin writes its index, the build's largest allocation
def on_post_build(config) -> None:
    _build.pop("static_dir").cleanup()  # copied into the site by now
    # Every page's HTML has been written and released, but glibc keeps freed memory
    # mapped; handing it back before the search index is serialised (two fresh copies of
    # it, ~100 MB at 50x data) keeps the build's peak memory down at scale.
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)
