"""MkDocs hooks: the thin adapter between the handbook's code and MkDocs.

Each handler does one thing:
- on_config: load and validate data/ once per build (stop the build on any problem)
  and offer a few macros to hand-written pages that opt in with `render_macros: true`;
- on_files: add one in-memory page per entity and per index, the contributor
  guide from CONTRIBUTING.md, search/names.json for search ranking, and the JSON
  export under api/v1/ (macros/export.py) as generated static files (nothing is
  written to docs/); with HANDBOOK_OFFLINE=1 also the whole handbook on one page
  (macros/offline_copy.py);
- on_page_markdown: append the glossary's abbreviations to every page;
- on_page_content: drop each page's Markdown once it is HTML;
- on_post_page: drop each page's HTML once it is in the page's template output, and
  load Mermaid on the pages that draw a diagram (macros/mermaid_assets.py).

Memory matters at scale (MkDocs keeps every page's HTML until the end of the build),
so nothing here holds data longer than it is needed.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # hooks are loaded by file path, not as a package
    sys.path.insert(0, str(ROOT))

from macros import export, mermaid_assets, offline_copy, page_macros, search_names  # noqa: E402
from macros.loader import DataError, load_handbook  # noqa: E402
from macros.health import edit_urls  # noqa: E402
from macros.render import Renderer, abbreviations  # noqa: E402
from macros.model import KINDS  # noqa: E402

log = logging.getLogger("mkdocs.hooks.handbook")
_build: dict = {}  # this build's rendered pages and abbreviations


@event_priority(100)  # before the macros plugin's on_config, so our macros are registered in time
def on_config(config):
    data_dir = Path(config.config_file_path).parent / "data"
    try:
        handbook = load_handbook(data_dir, data_dir.parent)
    except DataError as error:
        log.error("the handbook's data is invalid:\n%s", error.report())
        raise Abort("stopped before writing anything: fix the problems above (`make check` lists them)")
    renderer = Renderer(handbook, edit_url=edit_urls(config.repo_url, config.edit_uri, config.edit_uri_template))
    _build.update(pages=renderer.pages(), abbreviations=abbreviations(handbook))
    _build["search_names"] = search_names.names_json(handbook)
    _build["export"] = export.files(handbook, renderer.xref, config.site_url, config.use_directory_urls)
    offline = offline_copy.requested()  # the single page only when asked (`make pdf`): it doubles the Markdown
    if offline:
        _build["pages"][offline_copy.PAGE] = offline_copy.single_page(handbook, renderer.xref, _build["pages"], config.site_url)
    config.plugins["macros"].register_macros(page_macros.macros(handbook, renderer.xref, offline_copy=offline))
    return config


@event_priority(100)  # before plugins that snapshot the file list see it
def on_files(files: Files, config) -> Files:
    pages = _build.pop("pages")  # the File objects hold the text from here on
    for src_uri, markdown in pages.items():
        file = File.generated(config, src_uri, content=markdown)
        if files.get_file_from_path(src_uri) is not None:
            raise Abort(f"docs/{src_uri} is generated from data/; remove the hand-written file")
        folder, _, name = src_uri.rpartition("/")
        if src_uri == "contributing.md":
            file.edit_uri = "../CONTRIBUTING.md"
        elif folder in KINDS and name != "index.md":
            # "Edit this page" opens the YAML file the page is made from.
            file.edit_uri = f"../data/{folder}/{name.removesuffix('.md')}.yml"
        else:
            file.edit_uri = None
        files.append(file)
    # Names each page answers to, for exact-match ranking in search (not a page).
    files.append(File.generated(config, search_names.LOCATION, content=_build.pop("search_names")))
    for path, text in _build.pop("export").items():
        files.append(File.generated(config, f"{export.FOLDER}/{path}", content=text))
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
