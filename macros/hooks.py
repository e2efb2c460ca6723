"""MkDocs hooks: the thin adapter between the handbook's code and MkDocs.

Each handler does one thing:
- on_config: validate data/ and generate every page and static file from it, in a child
  process that writes them to a temporary folder (macros/generation_process.py); stop
  the build on any data problem; offer a few macros to hand-written pages that opt in
  with `render_macros: true`;
- on_files: add the generated pages (one per entity and per index, and with
  HANDBOOK_OFFLINE=1 the whole handbook on one page, macros/offline_copy.py),
  the search names (search/names/) and the JSON export under api/v1/
  (macros/export.py) to the build; nothing is written to docs/;
- on_post_build: remove this build's temporary folder;
- on_page_markdown: append the glossary's abbreviations to every page;
- on_page_content: drop each page's Markdown once it is HTML, and in a large handbook
  keep a generated page's HTML compressed until on_page_context, just before its
  template needs it;
- on_post_page: drop each page's HTML once it is in the page's template output, and
  load Mermaid on the pages that draw a diagram (macros/mermaid_assets.py).

Memory matters at scale (MkDocs keeps every page's HTML until the end of the build),
so nothing here holds data longer than it is needed: the handbook itself never enters
the build process, and generated files wait on disk until MkDocs reads or copies them.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import sys
import tempfile
import zlib
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # hooks are loaded by file path, not as a package
    sys.path.insert(0, str(ROOT))

from macros import edit_links, generation_process, mermaid_assets, offline_copy, page_macros, pagefind_index  # noqa: E402

log = logging.getLogger("mkdocs.hooks.handbook")
_build: dict = {}  # this build's rendered pages and abbreviations
# glibc's malloc_trim, where there is one (Linux); elsewhere memory is simply not trimmed.
_LIBC = ctypes.CDLL(ctypes.util.find_library("c")) if ctypes.util.find_library("c") else None
if _LIBC is not None and not hasattr(_LIBC, "malloc_trim"):
    _LIBC = None


def _return_freed_memory() -> None:
    """Collect garbage and hand freed memory back to the OS (glibc keeps it mapped otherwise)."""
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


@event_priority(100)  # before the macros plugin's on_config, so our macros are registered in time
def on_config(config):
    data_dir = Path(config.config_file_path).parent / "data"
    # The same generation as the Markdown export (macros/site_files.py), done in a child
    # process that writes the files to a temporary folder (macros/generation_process.py).
    # The single-page handbook only when asked (`make pdf`): it doubles the Markdown.
    folder = tempfile.TemporaryDirectory(prefix="handbook-generated-")
    try:
        written = generation_process.generate(data_dir, Path(folder.name), config, offline_copy.requested())
    except generation_process.DataReport as report:
        folder.cleanup()
        log.error("the handbook's data is invalid:\n%s", report)
        raise Abort("stopped before writing anything: fix the problems above (`make check` lists them)")
    # A large handbook keeps generated pages' HTML compressed between conversion and template.
    html = {} if written.large else None
    _build.update(written=written, folder=folder, abbreviations=written.abbreviations, html=html)
    config.plugins["macros"].register_macros(page_macros.from_texts(written.macro_texts))
    return config


@event_priority(100)  # before plugins that snapshot the file list see it
def on_files(files: Files, config) -> Files:
    written = _build.pop("written")
    for src_uri in written.pages:
        file = File.generated(config, src_uri, abs_src_path=str(written.page_file(src_uri)))
        if files.get_file_from_path(src_uri) is not None:
            raise Abort(f"docs/{src_uri} is generated from data/; remove the hand-written file")
        # "Edit this page" opens the YAML file the page is made from (none for index pages).
        file.edit_uri = edit_links.source_of(src_uri)
        files.append(file)
    # The search names (exact-match ranking in search) and the JSON export under api/v1/.
    for path in written.static:
        files.append(File.generated(config, path, abs_src_path=str(written.static_file(path))))
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    if page.file.generated_by is not None:
        page.file.content_string = ""  # read once already; the page keeps its own copy
    return markdown + _build["abbreviations"]


@event_priority(-100)  # last: every plugin has seen the page's HTML by now
def on_page_content(html: str, page, config, files) -> str:
    # Nothing reads a page's Markdown after it has become HTML.
    page.markdown = None
    html = pagefind_index.mark_excluded_sections(html)  # link lists stay out of search
    if _build["html"] is None or page.file.generated_by is None:  # small, or hand-written: plugins may edit it
        return html
    # MkDocs converts every page before it renders the first template, holding all their
    # HTML meanwhile: most of the build's memory at scale. Generated pages wait compressed.
    _build["html"][page.file.src_uri] = zlib.compress(html.encode("utf-8"), 1)
    return ""


@event_priority(100)  # first: the search plugin reads the page's HTML in this event
def on_page_context(context, page, config, nav):
    packed = _build["html"].pop(page.file.src_uri, None) if _build["html"] is not None else None
    if packed is not None:
        page.content = zlib.decompress(packed).decode("utf-8")
    return context


def on_post_page(output: str, page, config) -> str:
    # The page's own HTML and table of contents are in the output now; anchor checks keep
    # what they need apart, and other pages' templates only read a page's title and URL.
    page.content = None
    page.toc = get_toc([])
    return mermaid_assets.add_script(output, page.url)


@event_priority(100)  # before the search plugin writes its index, the build's largest allocation
def on_post_build(config) -> None:
    _build.pop("folder").cleanup()  # every generated file has been read or copied by now
    # Every page's HTML has been written and released, but glibc keeps freed memory
    # mapped; handing it back before the search index is serialised (two fresh copies of
    # it, ~100 MB at 50x data) keeps the build's peak memory down at scale.
    _return_freed_memory()
    pagefind_index.on_post_build(config)  # the search index, from the written site
