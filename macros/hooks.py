"""MkDocs hooks: the thin adapter between the handbook's code and MkDocs.

Each event is handed to a named helper:
- on_startup: keep the macros plugin's INFO listing out of every (re)build's output;
- on_config: validate data/ and write every page and static file into a temporary folder
  (macros/generation_process.py; in a forked child from 2,500 data files on); stop the
  build on any data problem; offer a few macros (macros/page_macros.py) to hand-written
  pages that opt in with `render_macros: true`;
- on_files: add the generated pages (one per entity and per index, and with
  HANDBOOK_OFFLINE=1 the whole handbook on one page), the search names (search/names/) and
  the JSON export under api/v1/ from that folder, each page with its "Edit this page" link
  (macros/edit_links.py), each page's Markdown copy published beside its HTML (llms_txt.py);
  nothing is written to docs/;
- on_env: give the theme "Report a problem" and "Last changed" (macros/page_actions.py);
- on_page_markdown: append the glossary's abbreviations to every page;
- on_page_content, on_page_context, on_post_page: release each page's Markdown, HTML and
  table of contents as soon as MkDocs is done with them (macros/build_memory.py);
  on_post_page also loads Mermaid on the pages that draw a diagram (macros/mermaid_assets.py);
- on_post_build: remove the temporary folder and hand freed memory back to the OS;
- on_shutdown: stop the background search index of `make serve` before its site folder goes.
Under `make serve` (`mkdocs serve --dirty`) macros/serve_mode.py keeps the session between
rebuilds: on_startup, on_serve, on_pre_build, on_env and parts of the events above hand it
what a data edit needs to rebuild only the pages it changes; on_serve also makes the
server notice a save sooner (macros/serve_watch.py).
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

from macros import (  # noqa: E402
    build_memory,
    edit_links,
    generation_process,
    llms_txt,
    mermaid_assets,
    offline_copy,
    page_actions,
    page_macros,
    pagefind_index,
    serve_mode,
    serve_watch,
)
from macros.loader import DataError  # noqa: E402

log = logging.getLogger("mkdocs.hooks.handbook")
_build: dict = {}  # this build's generated files, abbreviations and page memory


def on_startup(command, dirty):
    serve_mode.start(command, dirty)
    # mkdocs-macros lists its macros and variables at INFO on every (re)build: five lines of
    # noise in `make serve`. Its warnings and errors still show; `mkdocs -v` shows everything.
    if not logging.getLogger("mkdocs").isEnabledFor(logging.DEBUG):
        logging.getLogger("mkdocs.plugins.mkdocs_macros").setLevel(logging.WARNING)


@event_priority(100)  # before the macros plugin's on_config, so our macros are registered in time
def on_config(config):
    data_dir = Path(config.config_file_path).parent / "data"
    # The single-page handbook only when asked (`make pdf`): it doubles the Markdown.
    try:
        if serve_mode.active():  # `make serve`: only what an edit changes (macros/serve_mode.py)
            written = serve_mode.generate(data_dir, config, generation_process.Written)
        else:
            written = generation_process.generate(data_dir, config, offline_copy.requested())
    except (generation_process.DataReport, DataError) as report:
        log.error("the handbook's data is invalid:\n%s", report)
        raise Abort("stopped before writing anything: fix the problems above (`make check` lists them)")
    _build.update(
        written=written, abbreviations=written.abbreviations, memory=build_memory.PageMemory(written.large), history=written.history
    )
    config.plugins["macros"].register_macros(page_macros.from_texts(written.macro_texts))
    return config


@event_priority(100)  # before plugins that snapshot the file list see it
def on_files(files: Files, config) -> Files:
    written = _build["written"]
    for src_uri in written.pages:
        if files.get_file_from_path(src_uri) is not None:
            raise Abort(f"docs/{src_uri} is generated from data/; remove the hand-written file")
        file = _generated(config, written, src_uri, written.page_file(src_uri))
        file.edit_uri = edit_links.source_of(src_uri)  # the YAML file the page is made from
        files.append(file)
    for path in written.static:
        file = _generated(config, written, path, written.static_file(path))
        file.dest_uri = llms_txt.copy_destination(path) or file.dest_uri  # a page's Markdown copy: beside its HTML
        files.append(file)
    if serve_mode.active():
        serve_mode.mark(files, written, config)
    return files


def on_serve(server, config, builder):
    serve_mode.add_banner(server)
    serve_watch.poll_often(server, config)  # a save is noticed in 0.1 s, not 0.5 s
    return server


def on_shutdown() -> None:
    serve_mode.stop_background()  # before mkdocs serve deletes the site folder it reads


def on_pre_build(config) -> None:
    if serve_mode.active():
        serve_mode.before_build(config)


@event_priority(110)  # before the tags plugin renders its listing
def on_env(env, config, files):
    serve_mode.merge_tags(config)
    # "Report a problem" and hand-written pages' "Last changed", for overrides/partials/.
    env.globals.update(page_actions.theme_globals(_build["history"], config.get("repo_url")))
    return env


def _generated(config, written, src_uri: str, path: Path) -> File:
    """A generated file, from memory (a small handbook) or from the folder it was written to."""
    if written.texts is not None:
        return File.generated(config, src_uri, content=written.texts.pop(src_uri))  # the file holds it now
    return File.generated(config, src_uri, abs_src_path=str(path))


def on_page_markdown(markdown: str, page, config, files) -> str:
    _build["memory"].markdown_read(page)
    return markdown + _build["abbreviations"]


@event_priority(-100)  # last: every plugin has seen the page's HTML by now
def on_page_content(html: str, page, config, files) -> str:
    html = pagefind_index.mark_excluded_sections(html)  # link lists stay out of search
    return _build["memory"].converted(html, page)


@event_priority(100)  # first: the search plugin reads the page's HTML in this event
def on_page_context(context, page, config, nav):
    _build["memory"].before_template(page)
    return context


def on_post_page(output: str, page, config) -> str:
    _build["memory"].written(page)
    return mermaid_assets.add_script(output, page.url)


@event_priority(100)  # before the search plugin writes its index, the build's largest allocation
def on_post_build(config) -> None:
    _build.pop("written").cleanup()  # every generated file has been read or copied by now
    if serve_mode.active():  # a serve rebuild holds little; the search index follows the reload
        serve_mode.report()
        if serve_mode.index_due():
            serve_mode.later("search index (Pagefind)", lambda stop: _index_again(Path(config["site_dir"]), stop))
        return
    build_memory.release()
    pagefind_index.on_post_build(config)  # the search index, from the written site


def _index_again(site: Path, stop) -> bool:
    """The whole search index again (Pagefind cannot update part of one): no stale page stays
    in it. False when a newer rebuild stopped it (the old index stays until the next one)."""
    try:
        pagefind_index.build_index(site, stop=stop)
    except pagefind_index.Cancelled:
        return False
    return True
