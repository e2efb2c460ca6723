"""Generate the site's files in a short-lived child process, onto disk.

Loading the handbook and rendering every page allocates a lot of small, short-lived
objects. Freed, they still leave the build process's heap fragmented, so its memory
never comes back down: at 50x data that was most of the build's peak. A forked child
does the work, writes the pages and static files into a folder and exits, taking all of
it with it; the build process only ever holds paths and a few strings.

Where processes cannot be forked (Windows), the same work runs in the build process.
"""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass
from pathlib import Path

from . import site_files
from .loader import DataError, load_handbook

# The only settings site_files.generate reads from MkDocs' config.
SETTINGS = ("repo_url", "edit_uri", "edit_uri_template", "site_url", "use_directory_urls")


@dataclass
class Written:
    folder: Path
    pages: list[str]  # paths relative to docs/, each written under folder/pages/
    static: list[str]  # paths relative to docs/, each written under folder/static/
    abbreviations: str
    macro_texts: dict

    def page_file(self, src_uri: str) -> Path:
        return self.folder / "pages" / src_uri

    def static_file(self, path: str) -> Path:
        return self.folder / "static" / path


def _generate(data_dir: Path, root: Path, folder: Path, settings: dict, offline_copy: bool) -> Written | str:
    """The child's work; a data problem comes back as its report (plain text crosses processes)."""
    try:
        handbook = load_handbook(data_dir, root)
    except DataError as error:
        return error.report()
    generated = site_files.generate(handbook, settings, offline_copy=offline_copy)
    written = Written(folder, [], [], generated.abbreviations, generated.macro_texts)
    for src_uri, markdown in generated.pages:  # one page in memory at a time
        target = written.page_file(src_uri)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
        written.pages.append(src_uri)
    written.static = site_files.write_static(generated.static, folder / "static")
    return written


def generate(data_dir: Path, folder: Path, config, offline_copy: bool = False) -> Written:
    """Write the generated pages and static files under ``folder``; DataReport if the data is invalid."""
    settings = {name: config.get(name) for name in SETTINGS}
    arguments = (Path(data_dir), Path(data_dir).parent, Path(folder), settings, offline_copy)
    if "fork" in multiprocessing.get_all_start_methods():
        with multiprocessing.get_context("fork").Pool(1) as pool:
            result = pool.apply(_generate, arguments)
    else:
        result = _generate(*arguments)
    if isinstance(result, str):
        raise DataReport(result)
    return result


class DataReport(Exception):
    """The data has problems; the message lists them all, as `make check` does."""
