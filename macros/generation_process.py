"""Generate the site's files into a temporary folder, in a short-lived child process when the data is large.

Loading the handbook and rendering every page allocates a lot of small, short-lived
objects. Freed, they still leave the build process's heap fragmented, so its memory
never comes back down: at 50x data that was most of the build's peak. A forked child
does the work, writes the pages and static files into a folder and exits, taking all of
it with it; the build process only ever holds paths and a few strings.

Forking costs about 0.2 s (the child copies the pages of memory it touches), which only
pays off for a large handbook (``large``); smaller ones, and systems that cannot fork
(Windows), run the same work in the build process, and a small one keeps its files in
memory instead of the folder. What the build then releases page
by page, and how, is ``build_memory.py``.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from . import history, site_files
from .loader import DataError, load_handbook

# From this many data files on (10x the handbook of 2026-11), a build saves memory at some
# CPU cost; HANDBOOK_LARGE_FROM overrides it (the tests build small data in large mode).
LARGE_FROM_FILES = 2500
# The only settings site_files.generate reads from MkDocs' config.
SETTINGS = ("repo_url", "edit_uri", "edit_uri_template", "site_url", "use_directory_urls", "site_name", "site_description")


@dataclass
class Written:
    folder: Path
    pages: list[str]  # paths relative to docs/, each written under folder/pages/
    static: list[str]  # paths relative to docs/, each written under folder/static/
    abbreviations: str
    macro_texts: dict
    history: history.History
    large: bool = False  # see large(): the build then also keeps generated pages' HTML compressed
    temporary: tempfile.TemporaryDirectory | None = field(default=None, repr=False)
    # A small handbook's files stay in memory (path -> text): writing them to a folder, for
    # MkDocs to read back at once, was a tenth of the build (opening a file is slow here).
    texts: dict[str, str] | None = field(default=None, repr=False)

    def page_file(self, src_uri: str) -> Path:
        return self.folder / "pages" / src_uri

    def static_file(self, path: str) -> Path:
        return self.folder / "static" / path

    def cleanup(self) -> None:
        """Remove the folder, once MkDocs has read or copied every file in it."""
        if self.temporary is not None:
            self.temporary.cleanup()


def _generate(data_dir: Path, root: Path, folder: Path, settings: dict, offline_copy: bool, in_memory: bool = False) -> Written | str:
    """The child's work; a data problem comes back as its report (plain text crosses processes)."""
    try:
        handbook = load_handbook(data_dir, root)
    except DataError as error:
        return error.report()
    generated = site_files.generate(handbook, settings, offline_copy=offline_copy, changes=history.read(root))
    written = Written(folder, [], [], generated.abbreviations, generated.macro_texts, generated.history)
    if in_memory:
        written.texts = dict(generated.pages)
        written.pages = list(written.texts)
        static = {path: "".join(pieces) for path, pieces in generated.static}
        written.static = list(static)
        written.texts.update(static)
        return written
    for src_uri, markdown in generated.pages:  # one page in memory at a time
        target = written.page_file(src_uri)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
        written.pages.append(src_uri)
    written.static = site_files.write_static(generated.static, folder / "static")
    return written


def large(data_dir: Path) -> bool:
    """Whether the handbook is large enough to trade build time for memory."""
    threshold = int(os.environ.get("HANDBOOK_LARGE_FROM") or LARGE_FROM_FILES)
    return sum(1 for _ in Path(data_dir).glob("*/*.yml")) >= threshold


def generate(data_dir: Path, config, offline_copy: bool = False) -> Written:
    """Write the generated pages and static files into a new temporary folder (``Written.cleanup``
    removes it); DataReport, with nothing left behind, if the data is invalid."""
    settings = {name: config.get(name) for name in SETTINGS}
    temporary = tempfile.TemporaryDirectory(prefix="handbook-generated-")
    arguments = (Path(data_dir), Path(data_dir).parent, Path(temporary.name), settings, offline_copy)
    is_large = large(data_dir)
    fork = is_large and "fork" in multiprocessing.get_all_start_methods()
    try:
        result = _in_child(arguments) if fork else _generate(*arguments, in_memory=not is_large)
    except BaseException:
        temporary.cleanup()
        raise
    if isinstance(result, str):
        temporary.cleanup()
        raise DataReport(result)
    result.large, result.temporary = is_large, temporary
    return result


def _in_child(arguments: tuple):
    """Run _generate in a forked process and return its result (a Pool would add ~0.2 s of teardown)."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, arguments), name="handbook-generation")
    child.start()
    send.close()  # the child holds the only writing end: EOF means it died
    try:
        failed, result = receive.recv()
    except EOFError:
        child.join()
        raise RuntimeError(f"generating the pages failed: the child process ended with code {child.exitcode}") from None
    child.join()
    if failed:
        raise RuntimeError(f"generating the pages failed in the child process:\n{result}")
    return result


def _child(send, arguments: tuple) -> None:
    try:
        send.send((False, _generate(*arguments)))
    except BaseException:  # report it to the build, whatever it is
        send.send((True, traceback.format_exc()))
    finally:
        send.close()


class DataReport(Exception):
    """The data has problems; the message lists them all, as `make check` does."""
